package org.capeval.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.capeval.metrics.cider.DocumentFrequencies;
import org.capeval.metrics.cider.ReferenceCounts;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.coco.CocoResults;
import org.capeval.metrics.core.EvalImage;
import org.capeval.metrics.core.EvaluationSet;
import org.capeval.metrics.core.LookAhead;
import org.capeval.metrics.core.PartialScores;
import org.capeval.metrics.core.RangeScorer;
import org.capeval.metrics.core.Scoring;

/**
 * The whole COCO caption evaluation in one JVM (pycocoevalcap's {@code COCOEvalCap} with
 * {@code params['image_id'] = cocoRes.getImgIds()}), on one or several threads: the runner of the
 * scoring core ({@link Scoring}) over threads, as the Spark engine is its runner over partitions.
 * Tests, the local engine and small inputs use it.
 */
public final class CocoEvaluator {
    private final Scoring scoring;

    /**
     * @param idf document frequencies to use, or null for COCO's behaviour (from the references
     *            of the evaluated images)
     */
    public CocoEvaluator(List<CaptionMetric> metrics, CaptionTokenizer tokenizer, DocumentFrequencies idf) {
        this.scoring = new Scoring(metrics, tokenizer, idf);
    }

    /** Default metrics (BLEU, ROUGE-L, CIDEr-D) with the given tokenizer and COCO's idf. */
    public CocoEvaluator(CaptionTokenizer tokenizer) {
        this(Metrics.parse(Metrics.DEFAULT), tokenizer, null);
    }

    public MetricSuite suite() {
        return scoring.suite();
    }

    /** Evaluates results against references (COCO's rules: {@link EvaluationSet}). */
    public Evaluation evaluate(CocoReferences refs, CocoResults results) {
        return evaluate(EvaluationSet.of(refs, results));
    }

    /** Evaluates images given in evaluation order. */
    public Evaluation evaluate(List<EvalImage> inputs) {
        return evaluate(inputs, 1);
    }

    /**
     * Evaluates images given in evaluation order on {@code threads} threads, with the same numbers
     * as one thread, bit for bit: the images are cut into one contiguous range per thread; each
     * range is tokenized with the captions after it as look-ahead ({@link LookAhead}), counts its
     * document frequencies (noting where each image's reference n-grams went, so CIDEr reads their
     * merged counts instead of looking them up), and is scored into a {@link PartialScores}; the
     * partials merge exactly.
     * Phases longer than 10 s report progress ({@link Progress}).
     */
    public Evaluation evaluate(List<EvalImage> inputs, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, not " + threads);
        }
        int n = inputs.size();
        int ranges = Math.max(1, Math.min(threads, n / MIN_IMAGES_PER_THREAD));
        int[] start = new int[ranges + 1];
        for (int r = 0; r <= ranges; r++) {
            start[r] = (int) ((long) n * r / ranges);
        }
        boolean countDf = scoring.countsDocumentFrequencies();
        ImageTokens[] images = new ImageTokens[n];
        DocumentFrequencies[] partDf = new DocumentFrequencies[ranges];
        ReferenceCounts[] partCounts = new ReferenceCounts[ranges];
        long[] dfNanos = new long[ranges];
        long tokenizeStart = System.nanoTime();
        // set when a range fails: the others stop at their next chunk, as their work is lost anyway
        java.util.concurrent.atomic.AtomicBoolean failed = new java.util.concurrent.atomic.AtomicBoolean();
        try (Progress.Phase progress = Progress.start("tokenizing", "images", n)) {
            inParallel(ranges, failed, r -> {
                if (countDf) {
                    partDf[r] = new DocumentFrequencies(DocumentFrequencies.FROM_EVALUATED_REFERENCES);
                    partCounts[r] = new ReferenceCounts();
                }
                // in chunks, each with the captions after it as look-ahead (so equal to one run), to report progress
                for (int from = start[r]; from < start[r + 1] && !failed.get(); from += TOKENIZE_CHUNK) {
                    int to = Math.min(start[r + 1], from + TOKENIZE_CHUNK);
                    List<ImageTokens> toks = LookAhead.head(inputs.subList(to, n).iterator())
                            .tokenize(scoring.tokenizer(), inputs.subList(from, to));
                    for (int i = 0; i < toks.size(); i++) {
                        images[from + i] = toks.get(i);
                        if (countDf) {
                            long t0 = System.nanoTime();
                            partDf[r].addReferences(toks.get(i).references(), partCounts[r]);
                            dfNanos[r] += System.nanoTime() - t0;
                        }
                    }
                    progress.add(to - from);
                }
            });
        }
        long tokenizeEnd = System.nanoTime();
        DocumentFrequencies counted = null;
        int[][] moved = new int[ranges][]; // where range r's table entries went in the merged one (null: it is the merged one)
        if (countDf) {
            counted = partDf[0];
            for (int r = 1; r < ranges; r++) {
                moved[r] = counted.mergeEntries(partDf[r]);
            }
        }
        DocumentFrequencies df = scoring.documentFrequencies(counted);
        ScoringContext context = Scoring.context(df);
        // each image's reference n-grams were counted here: CIDEr reads their counts instead of looking them up
        int[] countsByEntry = countDf ? counted.countsByEntry() : null;
        double[][] rows = new double[n][suite().keys().size()];
        PartialScores[] parts = new PartialScores[ranges];
        long[][] metricNanos = new long[ranges][];
        long scoringStart = System.nanoTime();
        try (Progress.Phase progress = Progress.start("scoring", "images", n)) {
            inParallel(ranges, failed, r -> {
                RangeScorer scorer = scoring.rangeScorer(context, n, start[r], start[r + 1] - start[r]);
                if (countsByEntry != null) {
                    partCounts[r].resolve(moved[r], countsByEntry);
                }
                for (int i = start[r]; i < start[r + 1]; i++) {
                    if ((i & 255) == 0 && failed.get()) {
                        return;
                    }
                    // a fresh copy: its encodings are garbage right after, so thousands of images'
                    // encodings are never live at once (the garbage collector's copying was ~20% of the time)
                    ImageTokens image = images[i];
                    ImageReferences refs = new ImageReferences(image.imageId(), image.references());
                    if (countsByEntry != null) {
                        refs.withNGramCounts(context.documentFrequencies(), partCounts[r].counts(i - start[r]));
                    }
                    scorer.score(i, new ImageTokens(image.candidate(), refs), rows[i]);
                    progress.add(1);
                }
                parts[r] = scorer.finish();
                metricNanos[r] = scorer.nanosByMetric();
            });
        }
        long scoringEnd = System.nanoTime();
        PartialScores all = PartialScores.empty(suite());
        for (PartialScores part : parts) {
            all.merge(part);
        }
        String signature = scoring.signature(df);
        java.util.Map<String, Long> byMetric = new java.util.LinkedHashMap<>();
        for (int m = 0; m < suite().metrics().size(); m++) {
            long sum = 0;
            for (long[] part : metricNanos) {
                sum += part[m];
            }
            byMetric.put(suite().metrics().get(m).name(), sum);
        }
        Timings timings = new Timings(tokenizeEnd - tokenizeStart, java.util.Arrays.stream(dfNanos).sum(),
                scoringStart - tokenizeEnd, scoringEnd - scoringStart, byMetric);
        return new Evaluation(suite(), java.util.Arrays.asList(images), rows, all.corpus(suite()), all.stats(), signature, df,
                scoring.evalJson(all, signature), timings);
    }

    /** Below this many images per thread a range is not worth a thread. */
    private static final int MIN_IMAGES_PER_THREAD = 256;
    /** Images tokenized in one call (the unit of progress). */
    private static final int TOKENIZE_CHUNK = 2048;

    /**
     * Runs task(0..n-1), the first on this thread; rethrows the first failure, or an
     * OutOfMemoryError that a finished task met ({@link #explained}). A task that fails sets
     * {@code failed}, which the others read to stop early.
     */
    private static void inParallel(int n, java.util.concurrent.atomic.AtomicBoolean failed, java.util.function.IntConsumer range) {
        java.util.function.IntConsumer task = r -> {
            try {
                range.accept(r);
            } catch (RuntimeException | Error e) {
                failed.set(true);
                throw e;
            }
        };
        if (n == 1) {
            task.accept(0);
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n - 1, r -> {
            Thread t = new Thread(r, "capeval-evaluate");
            t.setDaemon(true);
            // a task's failure reaches the caller through its Future; what still escapes is the
            // pool failing to record one for want of memory, which the caller reports in one line
            t.setUncaughtExceptionHandler((thread, e) -> {
                if (!(e instanceof OutOfMemoryError)) {
                    e.printStackTrace();
                }
            });
            return t;
        });
        List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
        try {
            for (int i = 1; i < n; i++) {
                int r = i;
                futures.add(pool.submit(() -> task.accept(r)));
            }
            try {
                task.accept(0);
            } catch (RuntimeException e) {
                throw rethrown(explained(e, futures));
            } catch (Error e) {
                // out of memory (or a class whose initialization ran out of it): the other tasks
                // hold the evaluation's memory, and reporting the error needs a little of it, so
                // they end first (at their next chunk, or out of memory too); explained() then
                // sees theirs
                pool.shutdown();
                awaitQuietly(pool);
                throw rethrown(explained(e, futures));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw rethrown(explained(e.getCause(), futures));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits for the pool's tasks to end, for at most a minute (a safety bound: they do end). */
    private static void awaitQuietly(java.util.concurrent.ExecutorService pool) {
        try {
            pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@code failure}, or in its place the OutOfMemoryError of a task that has finished: a class
     * whose static initialization ran out of memory in one thread fails in every other as "Could
     * not initialize class" (NoClassDefFoundError), which names the class and hides the cause.
     */
    static Throwable explained(Throwable failure, List<? extends java.util.concurrent.Future<?>> tasks) {
        if (failure instanceof OutOfMemoryError) {
            return failure;
        }
        for (java.util.concurrent.Future<?> f : tasks) {
            if (f.isDone() && !f.isCancelled()) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof OutOfMemoryError oom) {
                        return oom;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return failure;
                }
            }
        }
        return failure;
    }

    private static RuntimeException rethrown(Throwable t) {
        if (t instanceof RuntimeException re) {
            return re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(t);
    }

    /**
     * Where an evaluation's time went, in nanoseconds: wall times of the tokenizing phase (which
     * includes counting document frequencies), of merging the threads' tables, and of scoring; and
     * thread times summed over the threads: counting document frequencies, and each metric by name
     * (the first metric needing an image's n-grams builds them for the others).
     */
    public record Timings(long tokenizeWall, long documentFrequencyThreads, long mergeWall, long scoringWall,
            java.util.Map<String, Long> metricThreads) {}

    /** The outcome: per-image rows in evaluation order, corpus scores, statistics, signature. */
    public static final class Evaluation {
        private final MetricSuite suite;
        private final List<ImageTokens> images;
        private final double[][] rows;
        private final double[] corpus;
        private final double[] stats;
        private final String signature;
        private final DocumentFrequencies df;
        private final ObjectNode evalJson;
        private final Timings timings;

        Evaluation(MetricSuite suite, List<ImageTokens> images, double[][] rows, double[] corpus, double[] stats,
                String signature, DocumentFrequencies df, ObjectNode evalJson, Timings timings) {
            this.evalJson = evalJson;
            this.timings = timings;
            this.suite = suite;
            this.images = images;
            this.rows = rows;
            this.corpus = corpus;
            this.stats = stats;
            this.signature = signature;
            this.df = df;
        }

        public List<String> keys() {
            return suite.keys();
        }

        public int imageCount() {
            return images.size();
        }

        /** Tokenized captions of the i-th evaluated image. */
        public ImageTokens image(int i) {
            return images.get(i);
        }

        public long imageId(int i) {
            return images.get(i).imageId();
        }

        /** Per-image scores of the i-th evaluated image, one per key. */
        public double[] row(int i) {
            return rows[i].clone();
        }

        /** Corpus score of a key (e.g. "Bleu_4"). */
        public double corpus(String key) {
            int k = suite.keys().indexOf(key);
            if (k < 0) {
                throw new IllegalArgumentException("no metric key " + key + " in " + suite.keys());
            }
            return corpus[k];
        }

        /** The summed statistics vector of the suite. */
        public double[] summedStats() {
            return stats.clone();
        }

        public String signature() {
            return signature;
        }

        /** The document frequencies used (null when no metric needed them). */
        public DocumentFrequencies documentFrequencies() {
            return df;
        }

        /** eval.json content. */
        public ObjectNode evalJson() {
            return evalJson.deepCopy();
        }

        /** Where the evaluation's time went. */
        public Timings timings() {
            return timings;
        }
    }
}
