package org.capeval.metrics.meteor;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.capeval.metrics.wordnet.WordNet;
import org.tartarus.snowball.ext.EnglishStemmer;

/**
 * METEOR 1.5 as pycocoevalcap runs it ({@code meteor-1.5.jar - - -stdio -l en -norm}, English "rank"
 * parameters, the COCO build that sums statistics over the corpus): per-image sufficient statistics
 * from the best-scoring reference, per-image score, corpus score from summed statistics. Without a
 * paraphrase table the paraphrase stage is off and {@link #stages()} / {@link #signature()} say so;
 * differences from the jar are listed in metrics/METEOR.md. Immutable and thread-safe.
 */
public final class MeteorScorer implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final double ALPHA = 0.85;
    public static final double BETA = 0.20;
    public static final double GAMMA = 0.60;
    public static final double DELTA = 0.75;
    /** Scoring weights of the exact, stem, synonym and paraphrase matches. */
    static final double[] STAGE_WEIGHTS = {1.0, 0.6, 0.8, 0.6};

    private static final Map<String, String> STEMS = new ConcurrentHashMap<>();
    private static final int STEM_CACHE_LIMIT = 1 << 20;
    private static final ThreadLocal<EnglishStemmer> STEMMER = ThreadLocal.withInitial(EnglishStemmer::new);

    private final MeteorData data;
    private transient volatile MeteorNormalizer normalizer;
    private transient volatile MeteorAligner aligner;

    public MeteorScorer(MeteorData data) {
        this.data = data;
    }

    /** "exact+stem+synonym+paraphrase", or "exact+stem+synonym" without a paraphrase table. */
    public String stages() {
        return data.hasParaphraseTable() ? "exact+stem+synonym+paraphrase" : "exact+stem+synonym";
    }

    /** Everything that changes the numbers. */
    public String signature() {
        return "meteor:1.5,en,norm,stages=" + stages() + ",paraphrase=" + data.paraphraseLabel() + ",a" + ALPHA
                + ",b" + BETA + ",g" + GAMMA + ",d" + DELTA + ",w1.0/0.6/0.8/0.6,beam40," + data.fingerprint()
                + ",wn3.0,snowball-english";
    }

    /**
     * Statistics of one image as the COCO wrapper asks for them ({@code SCORE ||| refs ||| hyp}): the
     * candidate loses "|||" and has one pass of double spaces collapsed, the line is split at "|||"
     * again, each segment is normalised ({@code -norm}) and aligned to every reference; the first
     * reference with the highest score wins.
     *
     * @throws IllegalArgumentException when the request line would not reach the jar's scorer
     */
    public MeteorStats stats(String candidate, List<String> references) {
        String hyp = candidate.replace("|||", "").replace("  ", " ");
        String line = "SCORE ||| " + String.join(" ||| ", references) + " ||| " + hyp;
        String[] parts = line.split("\\|\\|\\|");
        if (parts.length < 3) {
            throw new IllegalArgumentException("METEOR needs a candidate and at least one reference: " + line);
        }
        Segment test = segment(parts[parts.length - 1].trim());
        MeteorStats best = null;
        double bestScore = -1;
        for (int r = 1; r < parts.length - 1; r++) {
            MeteorStats s = stats(test, segment(parts[r].trim()));
            double score = score(s);
            if (score > bestScore) {
                best = s;
                bestScore = score;
            }
        }
        return best;
    }

    /** The alignment of a candidate with one reference (both normalised here); for tests and inspection. */
    MeteorAligner.Alignment align(String candidate, String reference) {
        return aligner().align(segment(candidate), segment(reference));
    }

    /** Normalised tokens as the aligner sees them. */
    String[] tokens(String segment) {
        return normalizer().tokens(segment);
    }

    private MeteorStats stats(Segment test, Segment ref) {
        MeteorAligner.Alignment a = aligner().align(test, ref);
        long[] v = new long[MeteorStats.SIZE];
        v[MeteorStats.TEST_LENGTH] = test.size();
        v[MeteorStats.REF_LENGTH] = ref.size();
        v[MeteorStats.TEST_FUNCTION_WORDS] = test.functionWordCount();
        v[MeteorStats.REF_FUNCTION_WORDS] = ref.functionWordCount();
        for (MeteorAligner.Match m : a.matches()) {
            if (m == null) {
                continue;
            }
            int base = 4 + 4 * m.stage();
            for (int k = 0; k < m.testLength(); k++) {
                v[base + (test.isFunction(m.testStart() + k) ? 2 : 0)]++;
            }
            for (int k = 0; k < m.length(); k++) {
                v[base + 1 + (ref.isFunction(m.start() + k) ? 2 : 0)]++;
            }
            v[MeteorStats.TEST_WORD_MATCHES] += m.testLength();
            v[MeteorStats.REF_WORD_MATCHES] += m.length();
        }
        v[MeteorStats.CHUNKS] = a.chunks();
        return MeteorStats.of(v);
    }

    /**
     * The METEOR score of statistics (one image, or summed for the corpus):
     * Fmean(P, R; α) · (1 − γ · frag^β), with content/function words weighted δ / 1 − δ, 0 when undefined.
     * Floating-point operations in the jar's order, so results are bit-identical.
     */
    public static double score(MeteorStats s) {
        double testLen = s.testLength();
        double refLen = s.referenceLength();
        double testFn = s.testFunctionWords();
        double refFn = s.referenceFunctionWords();
        double testWeightedLength = DELTA * (testLen - testFn) + (1.0 - DELTA) * testFn;
        double refWeightedLength = DELTA * (refLen - refFn) + (1.0 - DELTA) * refFn;
        double testWeighted = 0;
        double refWeighted = 0;
        for (int i = 0; i < MeteorStats.STAGES; i++) {
            testWeighted += s.testContentMatches(i) * STAGE_WEIGHTS[i] * DELTA;
        }
        for (int i = 0; i < MeteorStats.STAGES; i++) {
            refWeighted += s.referenceContentMatches(i) * STAGE_WEIGHTS[i] * DELTA;
        }
        for (int i = 0; i < MeteorStats.STAGES; i++) {
            testWeighted += s.testFunctionMatches(i) * STAGE_WEIGHTS[i] * (1.0 - DELTA);
        }
        for (int i = 0; i < MeteorStats.STAGES; i++) {
            refWeighted += s.referenceFunctionMatches(i) * STAGE_WEIGHTS[i] * (1.0 - DELTA);
        }
        double precision = testWeighted / testWeightedLength;
        double recall = refWeighted / refWeightedLength;
        double fMean = 1.0 / (((1.0 - ALPHA) / precision) + (ALPHA / recall));
        double frag = s.isPerfect()
                ? 0
                : ((double) s.chunks()) / (((double) (s.testWordMatches() + s.referenceWordMatches())) / 2);
        double penalty = GAMMA * Math.pow(frag, BETA);
        double score = fMean * (1.0 - penalty);
        return Double.isNaN(score) ? 0 : Math.max(score, 0.0);
    }

    /** Corpus score: the score of the summed statistics (the COCO build's EVAL answer). */
    public static double corpusScore(Iterable<MeteorStats> perImage) {
        MeteorStats sum = MeteorStats.ZERO;
        for (MeteorStats s : perImage) {
            sum = sum.plus(s);
        }
        return score(sum);
    }

    private Segment segment(String text) {
        return new Segment(normalizer().tokens(text), data.functionWords());
    }

    private MeteorNormalizer normalizer() {
        MeteorNormalizer n = normalizer;
        if (n == null) {
            n = new MeteorNormalizer(data.nonBreakingPrefixes());
            normalizer = n;
        }
        return n;
    }

    private MeteorAligner aligner() {
        MeteorAligner a = aligner;
        if (a == null) {
            a = new MeteorAligner(data.paraphraseTable());
            aligner = a;
        }
        return a;
    }

    static String stem(String word) {
        String s = STEMS.get(word);
        if (s == null) {
            EnglishStemmer st = STEMMER.get();
            st.setCurrent(word);
            st.stem();
            s = st.getCurrent();
            if (STEMS.size() < STEM_CACHE_LIMIT) {
                STEMS.put(word, s);
            }
        }
        return s;
    }

    /** One normalised segment with the per-word data the stages need, computed lazily. */
    private static final class Segment implements MeteorAligner.Words {
        private final String[] words;
        private final Set<String> functionWords;
        private String[] stems;
        private int[][] synonyms;

        Segment(String[] words, Set<String> functionWords) {
            this.words = words;
            this.functionWords = functionWords;
        }

        @Override
        public String word(int i) {
            return words[i];
        }

        @Override
        public String stem(int i) {
            if (stems == null) {
                stems = new String[words.length];
            }
            String s = stems[i];
            if (s == null) {
                s = MeteorScorer.stem(words[i]);
                stems[i] = s;
            }
            return s;
        }

        @Override
        public int[] synonymSets(int i) {
            if (synonyms == null) {
                synonyms = new int[words.length][];
            }
            int[] s = synonyms[i];
            if (s == null) {
                s = WordNet.get().synonymSets(words[i]);
                synonyms[i] = s;
            }
            return s;
        }

        @Override
        public int size() {
            return words.length;
        }

        boolean isFunction(int i) {
            return functionWords.contains(words[i]);
        }

        int functionWordCount() {
            int n = 0;
            for (int i = 0; i < words.length; i++) {
                n += isFunction(i) ? 1 : 0;
            }
            return n;
        }
    }
}
