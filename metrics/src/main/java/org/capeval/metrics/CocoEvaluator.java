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
        List<ImageTokens> images = tokenize(inputs);
        DocumentFrequencies df = null;
        if (suite.needsDocumentFrequencies()) {
            df = idf != null ? idf : documentFrequencies(images);
        }
        MetricSuite.Scorer scorer = suite.newScorer(new ScoringContext(df));
        int nKeys = suite.keys().size();
        double[][] rows = new double[images.size()][nKeys];
        double[] stats = new double[suite.statsSize()];
        for (int i = 0; i < images.size(); i++) {
            scorer.score(images.get(i), rows[i], stats);
        }
        double[] means = new double[nKeys];
        double[] column = new double[images.size()];
        for (int k = 0; k < nKeys; k++) {
            for (int i = 0; i < rows.length; i++) {
                column[i] = rows[i][k];
            }
            means[k] = PairwiseSum.mean(column);
        }
        double[] corpus = suite.corpus(stats, means);
        String signature = Signature.of(tokenizer, suite, df == null ? null : df.source());
        return new Evaluation(suite, images, rows, corpus, stats, signature, df);
    }

    /** COCO's document frequencies: from the references of the evaluated images. */
    public static DocumentFrequencies documentFrequencies(List<ImageTokens> images) {
        DocumentFrequencies df = new DocumentFrequencies(DocumentFrequencies.FROM_EVALUATED_REFERENCES);
        for (ImageTokens image : images) {
            df.addImage(image);
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
