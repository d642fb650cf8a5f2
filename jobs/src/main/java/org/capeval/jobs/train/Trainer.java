package org.capeval.jobs.train;

import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import org.capeval.autograd.Tensor;
import org.capeval.autograd.optim.Adam;
import org.capeval.autograd.optim.LBFGS;
import org.capeval.autograd.optim.Optimizer;
import org.capeval.autograd.optim.SGD;

/**
 * The driver loop (MLlib's GradientDescent role): per step, one summed gradient from the
 * {@link GradientSource}, averaged over the batch's rows, then one step of autograd's
 * {@link SGD} or {@link Adam} on the flat parameter vector; or, full batch, one iteration of
 * autograd's {@link LBFGS} per epoch, its closure one pass of {@code GradientSource.all}. Plain
 * local code: the distributed part is hidden behind {@code GradientSource}.
 */
public final class Trainer {

    /** What a finished run produced. */
    public record Result(double[] params, LossCurve curve, long steps, double finalLoss, boolean stoppedEarly) {}

    private final TrainConfig cfg;
    private final ModelGradient model;
    private final OutputDir out; // null: no checkpoints
    private final Consumer<String> log;
    private LossCurve curve = new LossCurve();

    public Trainer(TrainConfig cfg, ModelGradient model, OutputDir out, Consumer<String> log) {
        this.cfg = cfg;
        this.model = model;
        this.out = out;
        this.log = log;
    }

    public Result train(GradientSource source) throws IOException {
        if (cfg.isLbfgs()) {
            return trainLbfgs(source);
        }
        long numRows = source.numRows();
        long stepsPerEpoch = EpochOrder.stepsPerEpoch(numRows, cfg.batchSize);
        Checkpoint state = start(numRows);
        double[] params = state.params;
        // the optimizer writes its updates straight into params, which the gradient source reads
        Tensor weights = Tensor.wrap(params, params.length).requiresGrad_(true);
        Optimizer optimizer = optimizer(weights);
        resume(optimizer, state);
        curve = state.curve;
        long step = state.step;
        long stepsThisRun = 0;
        Checkpoint lastGood = state.step > 0 ? state : null;

        for (int epoch = state.epoch; epoch < cfg.epochs; epoch++) {
            source.startEpoch(epoch);
            long first = epoch == state.epoch ? state.stepInEpoch : 0;
            for (long s = first; s < stepsPerEpoch; s++) {
                if (cfg.stopAfterSteps >= 0 && stepsThisRun >= cfg.stopAfterSteps) {
                    log.accept("stopping after " + stepsThisRun + " steps (--stop-after-steps)");
                    return new Result(params, curve, step, Double.NaN, true);
                }
                GradientSum g = source.batch(params, s);
                double loss = g.meanLoss();
                double[] grad = g.meanGradient();
                if (!Double.isFinite(loss)) {
                    throw diverged("the loss became " + loss, step, epoch, lastGood);
                }
                if (!allFinite(grad)) {
                    throw diverged("the gradient became non-finite", step, epoch, lastGood);
                }
                curve.add(new LossCurve.Point(step, epoch, loss, g.count));
                weights.setGrad(Tensor.wrap(grad, grad.length));
                optimizer.step();
                step++;
                stepsThisRun++;
                if (!allFinite(params)) {
                    throw diverged("the parameters became non-finite", step, epoch, lastGood);
                }
                boolean endOfEpoch = s + 1 == stepsPerEpoch;
                if (cfg.checkpointEvery > 0 && step % cfg.checkpointEvery == 0) {
                    lastGood = checkpoint(numRows, step, endOfEpoch ? epoch + 1 : epoch, endOfEpoch ? 0 : s + 1,
                            params, optimizer, curve);
                }
                if (endOfEpoch) {
                    log.accept(String.format("epoch %d/%d done: step %d, loss %.6g", epoch + 1, cfg.epochs, step, loss));
                }
            }
        }
        if (out != null && (lastGood == null || lastGood.step != step)) {
            checkpoint(numRows, step, cfg.epochs, 0, params, optimizer, curve);
        }
        GradientSum total = source.all(params);
        return new Result(params, curve, step, total.meanLoss(), false);
    }

    /**
     * {@code --optimizer lbfgs}: epoch k is one L-BFGS iteration, {@code LBFGS.step(closure)} with
     * max_iter 1, whose closure is the full-batch mean loss and gradient ({@link FullBatchObjective}:
     * one pass over all rows per evaluation, none for the point the previous iteration ended at).
     * The loss curve holds the loss at the start of each iteration. A run stops before its epochs
     * are done when L-BFGS takes no step: the gradient is within --tolerance-grad, or the
     * direction is no longer a descent direction (torch's tolerance_change).
     */
    private Result trainLbfgs(GradientSource source) throws IOException {
        long numRows = source.numRows();
        Checkpoint state = start(numRows);
        double[] params = state.params;
        Tensor weights = Tensor.wrap(params, params.length).requiresGrad_(true);
        LBFGS lbfgs = new LBFGS(List.of(weights), cfg.lr, 1, null, cfg.toleranceGrad, cfg.toleranceChange, cfg.historySize,
                cfg.lineSearch.equals("none") ? null : LBFGS.STRONG_WOLFE);
        resume(lbfgs, state);
        curve = state.curve;
        long step = state.step;
        long stepsThisRun = 0;
        Checkpoint[] lastGood = {state.step > 0 ? state : null};
        FullBatchObjective objective = new FullBatchObjective(source);
        while (step < cfg.epochs) {
            if (cfg.stopAfterSteps >= 0 && stepsThisRun >= cfg.stopAfterSteps) {
                log.accept("stopping after " + stepsThisRun + " steps (--stop-after-steps)");
                return new Result(params, curve, step, Double.NaN, true);
            }
            long iterationsBefore = lbfgs.iterations(), passesBefore = objective.passes();
            double[] before = params.clone();
            long s = step;
            double loss = lbfgs.step(() -> {
                FullBatchObjective.Evaluation e = objective.at(params);
                if (!Double.isFinite(e.loss())) {
                    throw diverged("the loss became " + e.loss(), s, (int) s, lastGood[0]);
                }
                if (!allFinite(e.gradient())) {
                    throw diverged("the gradient became non-finite", s, (int) s, lastGood[0]);
                }
                weights.setGrad(Tensor.wrap(e.gradient(), params.length)); // L-BFGS copies it
                return Tensor.scalar(e.loss());
            }).item();
            if (lbfgs.iterations() == iterationsBefore) {
                log.accept(String.format("converged before iteration %d: loss %.6g, every gradient component within "
                        + "--tolerance-grad %s", step + 1, loss, cfg.toleranceGrad));
                break;
            }
            curve.add(new LossCurve.Point(step, (int) step, loss, numRows));
            step++;
            stepsThisRun++;
            if (!allFinite(params)) {
                throw diverged("the parameters became non-finite", step, (int) step, lastGood[0]);
            }
            objective.keepOnly(params);
            log.accept(String.format("iteration %d/%d done: loss %.6g at its start, %d passes over the data", step,
                    cfg.epochs, loss, objective.passes() - passesBefore));
            if (cfg.checkpointEvery > 0 && step % cfg.checkpointEvery == 0) {
                lastGood[0] = checkpoint(numRows, step, (int) step, 0, params, lbfgs, curve);
            }
            if (java.util.Arrays.equals(before, params)) {
                log.accept("L-BFGS made no progress in iteration " + step + " (no descent direction within "
                        + "--tolerance-change " + cfg.toleranceChange + "): stopping");
                break;
            }
        }
        if (out != null && (lastGood[0] == null || lastGood[0].step != step)) {
            checkpoint(numRows, step, (int) step, 0, params, lbfgs, curve);
        }
        return new Result(params, curve, step, objective.at(params).loss(), false);
    }

    /** The loss curve up to now (after a {@link DivergedException}: up to the last finite step). */
    public LossCurve curveSoFar() {
        return curve;
    }

    /** PyTorch's SGD (momentum, no dampening) or Adam (default betas and eps) over the one flat tensor. */
    private Optimizer optimizer(Tensor weights) {
        return switch (cfg.optimizer) {
            case "sgd" -> new SGD(List.of(weights), cfg.lr, cfg.momentum);
            case "adam" -> new Adam(List.of(weights), cfg.lr);
            default -> throw new IllegalArgumentException("--optimizer '" + cfg.optimizer + "' is not known (expected sgd or adam)");
        };
    }

    /** The checkpoint to continue from, or a fresh start; its optimizer state is loaded by the caller. */
    private Checkpoint start(long numRows) throws IOException {
        Checkpoint c = null;
        if (out != null) {
            Checkpoint found = Checkpoint.latest(out);
            if (found != null && !cfg.resume) {
                throw new IllegalArgumentException(out.path(Checkpoint.DIR) + " already holds a checkpoint (step "
                        + found.step + "): pass --resume to continue it, or choose another --out");
            }
            c = found;
        }
        if (cfg.resume && c == null) {
            log.accept("--resume: no checkpoint in " + out + ", starting from step 0");
        }
        if (c == null) {
            c = new Checkpoint();
            c.identity = cfg.identity();
            c.numRows = numRows;
            c.seed = cfg.seed;
            c.params = model.initialParams(cfg.seed);
            return c;
        }
        if (!c.identity.equals(cfg.identity()) || c.numRows != numRows) {
            throw new IllegalArgumentException("--resume: the checkpoint was written by a different run ("
                    + c.identity + ", " + c.numRows + " rows) than this one (" + cfg.identity() + ", " + numRows
                    + " rows); use the same --model, --optimizer, --lr, --momentum, --batch-size, --seed and data");
        }
        log.accept("resuming from step " + c.step + " (epoch " + c.epoch + ", step " + c.stepInEpoch + " within it)");
        return c;
    }

    private Checkpoint checkpoint(long numRows, long step, int epoch, long stepInEpoch, double[] params,
            Optimizer optimizer, LossCurve curve) throws IOException {
        Checkpoint c = new Checkpoint();
        c.identity = cfg.identity();
        c.numRows = numRows;
        c.step = step;
        c.epoch = epoch;
        c.stepInEpoch = stepInEpoch;
        c.seed = cfg.seed;
        c.params = params.clone();
        c.optimizerState = optimizer.state();
        c.curve = new LossCurve();
        curve.points().forEach(c.curve::add);
        if (out != null) {
            c.save(out);
        }
        return c;
    }

    private DivergedException diverged(String what, long step, int epoch, Checkpoint lastGood) {
        String kept = lastGood == null || out == null
                ? "no checkpoint was written before it"
                : "the last good checkpoint (step " + lastGood.step + ") is kept in " + out.path(Checkpoint.DIR);
        return new DivergedException("training diverged: " + what + " at step " + step + " (epoch " + epoch + "); "
                + kept + ". Lower --lr (now " + cfg.lr + ") or scale the features.");
    }

    static boolean allFinite(double[] a) {
        for (double v : a) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return true;
    }

    /** Restores the optimizer's state from a checkpoint (after step 0), or says why it cannot. */
    private static void resume(Optimizer optimizer, Checkpoint state) {
        if (state.step > 0) {
            try {
                optimizer.loadState(state.optimizerState);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--resume: the checkpoint of step " + state.step
                        + " has an unusable optimizer state: " + e.getMessage(), e);
            }
        }
    }
}
