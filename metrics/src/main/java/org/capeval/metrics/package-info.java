/**
 * COCO caption metrics with pycocoevalcap's numbers, as a plain Java library (no Spark).
 *
 * <h2>Shape of a metric</h2>
 * A {@link org.capeval.metrics.CaptionMetric} maps one image's tokenized captions
 * ({@link org.capeval.metrics.ImageTokens}: candidate + references) to
 * <ul>
 *   <li>per-image scores, one per output key (COCO's names: {@code Bleu_1}, {@code ROUGE_L}, ...), and</li>
 *   <li>an additive statistics vector ({@code statsSize()} doubles holding exact integers) that
 *       merges by element-wise sum, in any order, on any machine.</li>
 * </ul>
 * The corpus score is {@code corpus(summedStats, perImageMeans)}: BLEU uses the summed n-gram
 * counts; ROUGE-L and CIDEr-D take numpy's pairwise mean of the per-image scores
 * ({@link org.capeval.metrics.stats.PairwiseSum}, exact also when the values are spread over
 * Spark partitions). Corpus-wide inputs (CIDEr's document frequencies) come in a
 * {@link org.capeval.metrics.ScoringContext}, computed before scoring and broadcast by the job.
 * {@link org.capeval.metrics.MetricSuite} runs a list of metrics over one image;
 * {@link org.capeval.metrics.CocoEvaluator} is the whole evaluation in one JVM, and the Spark job
 * ({@code org.capeval.jobs.score.ScoreJob}) runs the same suite in {@code mapPartitions}.
 *
 * <h2>Adding a metric (e.g. METEOR)</h2>
 * <ol>
 *   <li>Implement {@code CaptionMetric} in its own package ({@code org.capeval.metrics.meteor}):
 *       {@code name()} is the {@code --metrics} word ("meteor"), {@code keys()} its output keys
 *       ("METEOR"), {@code newScorer(context)} returns a per-thread {@code ImageScorer} (open
 *       external resources there, lazily), {@code statsSize()}/{@code corpus(...)} say how the
 *       corpus score is formed (METEOR: summed sufficient statistics, like BLEU).
 *       Use {@code ImageTokens.sentence(s)} for the tokenized text (0 = candidate).</li>
 *   <li>Register it in {@link org.capeval.metrics.Metrics#ALL} (one line). Its keys then appear in
 *       eval.json and per_image (ordered as in COCO: Bleu_1..4, METEOR, ROUGE_L, CIDEr, SPICE — the
 *       order of {@code ALL}), and {@code --metrics meteor} selects it; nothing in the job changes.</li>
 *   <li>Add parity cases to the parity test (see {@code CaptionCasesTest}).</li>
 * </ol>
 */
package org.capeval.metrics;
