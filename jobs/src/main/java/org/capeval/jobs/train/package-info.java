/**
 * The train job: synchronous data-parallel training with the autograd engine, MLlib's
 * optimization package as the model of roles.
 *
 * <ul>
 *   <li>{@link org.capeval.jobs.train.ModelGradient} — loss and gradient of a
 *       {@link org.capeval.jobs.train.ModelSpec} over chunks of rows (autograd forward/backward per
 *       chunk), summed into a {@link org.capeval.jobs.train.GradientSum} (MLlib's Gradient);</li>
 *   <li>{@link org.capeval.jobs.train.Trainer} — the driver loop: one summed gradient per step,
 *       averaged, one step of autograd's SGD or Adam on the flat parameter vector (Updater),
 *       checkpoints ({@link org.capeval.jobs.train.Checkpoint}), divergence check (GradientDescent);</li>
 *   <li>{@link org.capeval.jobs.train.GradientSource} — where sums come from: Spark
 *       ({@link org.capeval.jobs.train.SparkGradientSource}: parameters in the closure or a broadcast, one pass over
 *       cached {@link org.capeval.jobs.train.RowBlock}s, {@link org.capeval.jobs.train.TreeReducer})
 *       or this process ({@link org.capeval.jobs.train.LocalGradientSource}, the reference).</li>
 * </ul>
 *
 * Batches are a function of (row index, seed, epoch) only ({@link org.capeval.jobs.train.EpochOrder}),
 * and partial sums are added in a fixed order, so a Spark run equals the single-process run up to
 * float64 rounding of the sums, and reruns or retried tasks give identical bits. Everything but
 * DataReader, SparkGradientSource, TreeReducer and TrainJob is plain Java and tests without Spark.
 */
package org.capeval.jobs.train;
