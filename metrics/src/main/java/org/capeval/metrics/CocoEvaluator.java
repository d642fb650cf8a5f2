package org.capeval.metrics;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.capeval.metrics.cider.DocumentFrequencies;
import org.capeval.metrics.coco.CocoFormatException;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.coco.CocoResults;
import org.capeval.metrics.stats.PairwiseSum;
import org.capeval.metrics.tokenize.PtbTokenizer;

/**
 * The whole COCO caption evaluation in one JVM (pycocoevalcap's {@code COCOEvalCap} with
 * {@code params['image_id'] = cocoRes.getImgIds()}): validates results against references as
 * {@code loadRes} and the scorers do, tokenizes, computes document frequencies if needed, scores
 * every image and forms the corpus scores. Tests and small inputs use it directly; the Spark job
 * runs the same pieces distributed.
 */
public final class CocoEvaluator {
    private final MetricSuite suite;
    private final CaptionTokenizer tokenizer;
    private final DocumentFrequencies idf;

    /**
     * @param idf document frequencies to use, or null for COCO's behaviour (from the references
     *            of the evaluated images)
     */
    public CocoEvaluator(List<CaptionMetric> metrics, CaptionTokenizer tokenizer, DocumentFrequencies idf) {
        this.suite = new MetricSuite(metrics);
        this.tokenizer = tokenizer;
        this.idf = idf;
    }

    /** Default metrics (BLEU, ROUGE-L, CIDEr-D) with the given tokenizer and COCO's idf. */
    public CocoEvaluator(CaptionTokenizer tokenizer) {
        this(Metrics.parse(Metrics.DEFAULT), tokenizer, null);
    }

    public MetricSuite suite() {
        return suite;
    }

    /** One image to evaluate: its candidate and references, raw (before tokenization). */
    public record Input(long imageId, String candidate, List<String> references) {}

    /**
     * Validates the results against the references and returns the images to evaluate in COCO's
     * order (the {@code "images"} order, restricted to images with a result). Errors, in the
     * order COCO meets them: a result for an unknown image, two results for one image, an image
     * without reference captions, no results at all.
     */
    public static List<Input> evaluationSet(CocoReferences refs, CocoResults results) {
        if (results.size() == 0) {
            throw CocoFormatException.noResults(results.file());
        }
        for (int i = 0; i < results.size(); i++) {
            if (!refs.hasImage(results.imageId(i))) {
                throw CocoFormatException.unknownImage(results.file(), i, results.imageId(i), refs.file());
            }
        }
        Map<Long, Integer> byImage = new HashMap<>();
        for (int i = 0; i < results.size(); i++) {
            Integer first = byImage.putIfAbsent(results.imageId(i), i);
            if (first != null) {
                throw CocoFormatException.duplicateResult(results.file(), i, results.imageId(i), first);
            }
        }
        List<Input> out = new ArrayList<>();
        for (long id : refs.imageIds()) {
            Integer i = byImage.get(id);
            if (i == null) {
                continue;
            }
            if (refs.captions(id).isEmpty()) {
                throw CocoFormatException.noReferences(results.file(), i, id, refs.file());
            }
            out.add(new Input(id, results.caption(i), refs.captions(id)));
        }
        return out;
    }

    /**
     * Tokenizes the images' captions as the original's two tokenizer runs see them (all references
     * in evaluation order, then all candidates), except that no caption can shift onto another
     * image (see {@link CaptionTokenizer#tokenizeAll}).
     */
    public List<ImageTokens> tokenize(List<Input> inputs) {
        return tokenize(inputs, List.of(), List.of(), tokenizer);
    }

    /**
     * Tokenizes a run of images in evaluation order; {@code nextRefs}/{@code nextCandidates} are the
     * first captions that follow the run in the original's tokenizer input (the next Spark
     * partition's), seen only as look-ahead.
     */
    public static List<ImageTokens> tokenize(List<Input> inputs, List<String> nextRefs, List<String> nextCandidates,
            CaptionTokenizer tokenizer) {
        List<String> refs = new ArrayList<>();
        List<String> cands = new ArrayList<>();
        for (Input in : inputs) {
            refs.addAll(in.references());
            cands.add(in.candidate());
        }
        int nRefs = refs.size();
        refs.addAll(nextRefs);
        cands.addAll(nextCandidates);
        List<String> tokRefs = tokenizer.tokenizeAll(refs);
        List<String> tokCands = tokenizer.tokenizeAll(cands);
        List<ImageTokens> out = new ArrayList<>(inputs.size());
        int r = 0;
        for (int i = 0; i < inputs.size(); i++) {
            String[] texts = new String[inputs.get(i).references().size()];
            for (int j = 0; j < texts.length; j++) {
                texts[j] = tokRefs.get(r++);
            }
            out.add(new ImageTokens(inputs.get(i).imageId(), tokCands.get(i), texts));
        }
        assert r == nRefs;
        return out;
    }

    /** Evaluates results against references. */
    public Evaluation evaluate(CocoReferences refs, CocoResults results) {
        return evaluate(evaluationSet(refs, results));
    }

    /** Evaluates images given in evaluation order. */
    public Evaluation evaluate(List<Input> inputs) {
        return evaluate(inputs, 1);
    }

    /**
     * Evaluates images given in evaluation order on {@code threads} threads, with the same numbers
     * as one thread, bit for bit: the images are cut into one contiguous range per thread; each
     * range is tokenized with the captions after it as look-ahead (so it equals one tokenizer run),
     * counts its own document frequencies (integer counts: merged in any order) and scores its
     * images; per-image rows stay in evaluation order for the numpy-exact means, and the summed
     * statistics are integer counts.
     */
    public Evaluation evaluate(List<Input> inputs, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, not " + threads);
        }
        int n = inputs.size();
        int ranges = Math.max(1, Math.min(threads, n / MIN_IMAGES_PER_THREAD));
        int[] start = new int[ranges + 1];
        for (int r = 0; r <= ranges; r++) {
            start[r] = (int) ((long) n * r / ranges);
        }
        boolean countDf = suite.needsDocumentFrequencies() && idf == null;
        ImageTokens[] images = new ImageTokens[n];
        DocumentFrequencies[] partDf = new DocumentFrequencies[ranges];
        inParallel(ranges, r -> {
            List<Input> part = inputs.subList(start[r], start[r + 1]);
            List<ImageTokens> toks = tokenize(part, following(inputs, start[r + 1], true),
                    following(inputs, start[r + 1], false), tokenizer);
            for (int i = 0; i < toks.size(); i++) {
                images[start[r] + i] = toks.get(i);
            }
            if (countDf) {
                partDf[r] = new DocumentFrequencies(DocumentFrequencies.FROM_EVALUATED_REFERENCES);
                for (ImageTokens image : toks) {
                    partDf[r].addReferences(image.references());
                }
            }
        });
        DocumentFrequencies df = null;
        if (countDf) {
            df = partDf[0];
            for (int r = 1; r < ranges; r++) {
                df.merge(partDf[r]);
            }
            checkUsable(df);
        } else if (suite.needsDocumentFrequencies()) {
            df = idf;
        }
        ScoringContext context = new ScoringContext(df == null ? null : df.forScoring());
        int nKeys = suite.keys().size();
        double[][] rows = new double[n][nKeys];
        double[][] partStats = new double[ranges][suite.statsSize()];
        inParallel(ranges, r -> {
            MetricSuite.Scorer scorer = suite.newScorer(context);
            for (int i = start[r]; i < start[r + 1]; i++) {
                // a fresh copy: its encodings are garbage right after, so thousands of images'
                // encodings are never live at once (the garbage collector's copying was ~20% of the time)
                ImageTokens image = images[i];
                scorer.score(new ImageTokens(image.imageId(), image.candidate(), image.references()), rows[i], partStats[r]);
            }
        });
        double[] stats = new double[suite.statsSize()];
        for (double[] part : partStats) { // integer counts: exact in any grouping
            for (int j = 0; j < stats.length; j++) {
                stats[j] += part[j];
            }
        }
        double[] means = new double[nKeys];
        double[] column = new double[n];
        for (int k = 0; k < nKeys; k++) {
            for (int i = 0; i < n; i++) {
                column[i] = rows[i][k];
            }
            means[k] = PairwiseSum.mean(column);
        }
        double[] corpus = suite.corpus(stats, means);
        String signature = Signature.of(tokenizer, suite, df == null ? null : df.source());
        return new Evaluation(suite, java.util.Arrays.asList(images), rows, corpus, stats, signature, df);
    }

    /** Below this many images per thread a range is not worth a thread. */
    private static final int MIN_IMAGES_PER_THREAD = 256;

    /** The captions of one tokenizer run (references or candidates) that follow image {@code from}. */
    private static List<String> following(List<Input> inputs, int from, boolean references) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < inputs.size() && out.size() < PtbTokenizer.LOOK_AHEAD_CAPTIONS; i++) {
            if (references) {
                out.addAll(inputs.get(i).references());
            } else {
                out.add(inputs.get(i).candidate());
            }
        }
        return out.size() > PtbTokenizer.LOOK_AHEAD_CAPTIONS ? out.subList(0, PtbTokenizer.LOOK_AHEAD_CAPTIONS) : out;
    }

    /** Runs task(0..n-1), the first on this thread; rethrows the first failure. */
    private static void inParallel(int n, java.util.function.IntConsumer task) {
        if (n == 1) {
            task.accept(0);
            return;
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n - 1, r -> {
            Thread t = new Thread(r, "capeval-evaluate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<?>> futures = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                int r = i;
                futures.add(pool.submit(() -> task.accept(r)));
            }
            task.accept(0);
            for (java.util.concurrent.Future<?> f : futures) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** COCO's document frequencies: from the references of the evaluated images. */
    public static DocumentFrequencies documentFrequencies(List<ImageTokens> images) {
        DocumentFrequencies df = new DocumentFrequencies(DocumentFrequencies.FROM_EVALUATED_REFERENCES);
        for (ImageTokens image : images) {
            df.addReferences(image.references());
        }
        checkUsable(df);
        return df;
    }

    /** The original fails (max() of an empty sequence) when no reference has any word. */
    public static void checkUsable(DocumentFrequencies df) {
        if (df.size() == 0) {
            throw new IllegalArgumentException("CIDEr: no reference caption of the evaluated images has a word "
                    + "(pycocoevalcap fails here too: max() of empty document frequencies)");
        }
    }

    /** The outcome: per-image rows in evaluation order, corpus scores, statistics, signature. */
    public static final class Evaluation {
        private final MetricSuite suite;
        private final List<ImageTokens> images;
        private final double[][] rows;
        private final double[] corpus;
        private final double[] stats;
        private final String signature;
        private final DocumentFrequencies df;

        Evaluation(MetricSuite suite, List<ImageTokens> images, double[][] rows, double[] corpus, double[] stats,
                String signature, DocumentFrequencies df) {
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
            return EvalJson.of(suite, corpus, stats, images.size(), signature);
        }
    }
}
