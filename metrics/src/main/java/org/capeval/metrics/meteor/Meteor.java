package org.capeval.metrics.meteor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.capeval.metrics.CaptionMetric;
import org.capeval.metrics.ImageScorer;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.ScoringContext;

/**
 * METEOR as a {@link CaptionMetric} ("meteor" → key "METEOR"): pycocoevalcap's {@code Meteor}
 * (meteor-1.5.jar -l en -norm, COCO build), computed in-process by {@link MeteorScorer}. Statistics:
 * the jar's 23 sufficient statistics per image (chunks of perfect images already dropped, so the
 * plain sum is the jar's corpus aggregation); corpus score from their sum.
 *
 * <p>METEOR needs the user's METEOR data folder: the instance registered in
 * {@link org.capeval.metrics.Metrics#ALL} is unconfigured, and tools call {@link #configure} with
 * {@code --meteor-data} / {@code --meteor-paraphrase} at start-up, which fails with a clear message
 * when METEOR is selected without data.
 */
public final class Meteor implements CaptionMetric {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "meteor";
    public static final String KEY = "METEOR";

    static final String NEEDS_DATA = "--metrics meteor needs --meteor-data DIR: a folder with METEOR 1.5's"
            + " english.words and english.prefixes (from the METEOR distribution, github.com/cmu-mtlab/meteor,"
            + " resources/function and resources/nonbreaking); add --meteor-paraphrase PATH/paraphrase-en.gz"
            + " for the official score (without it the paraphrase stage is off and the result is labelled so)";

    private final MeteorScorer scorer; // null: registered but not configured

    private Meteor(MeteorScorer scorer) {
        this.scorer = scorer;
    }

    /** METEOR with the given data. */
    public Meteor(MeteorData data) {
        this(new MeteorScorer(data));
    }

    /** The registry's placeholder: selectable by name, usable once {@link #configure}d. */
    public static Meteor unconfigured() {
        return new Meteor((MeteorScorer) null);
    }

    /**
     * Replaces the registry's METEOR in {@code metrics} by one reading {@code dataDir} (and the
     * paraphrase table if given). Returns {@code metrics} unchanged when METEOR is not selected.
     *
     * @throws IllegalArgumentException when METEOR is selected and the data folder is missing or incomplete
     */
    public static List<CaptionMetric> configure(List<CaptionMetric> metrics, Path dataDir, Path paraphraseTable) {
        List<CaptionMetric> out = new ArrayList<>(metrics.size());
        for (CaptionMetric m : metrics) {
            if (m instanceof Meteor) {
                if (dataDir == null) {
                    throw new IllegalArgumentException(NEEDS_DATA);
                }
                out.add(new Meteor(MeteorData.load(dataDir, paraphraseTable)));
            } else {
                out.add(m);
            }
        }
        return out;
    }

    /** The stages that produced the numbers ("exact+stem+synonym[+paraphrase]"), for eval.json. */
    public String stages() {
        return requireScorer().stages();
    }

    public MeteorScorer scorer() {
        return requireScorer();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<String> keys() {
        return List.of(KEY);
    }

    @Override
    public int statsSize() {
        return MeteorStats.SIZE;
    }

    @Override
    public String signature() {
        return requireScorer().signature();
    }

    @Override
    public ImageScorer newScorer(ScoringContext context) {
        MeteorScorer s = requireScorer();
        return (ImageTokens image, double[] scores, double[] stats) -> {
            MeteorStats st = s.stats(image.sentence(0), Arrays.asList(image.references()));
            scores[0] = MeteorScorer.score(st);
            long[] v = st.summable().values();
            for (int i = 0; i < v.length; i++) {
                stats[i] = v[i];
            }
        };
    }

    @Override
    public double[] corpus(double[] summedStats, double[] perImageMeans) {
        long[] v = new long[MeteorStats.SIZE];
        for (int i = 0; i < v.length; i++) {
            v[i] = (long) summedStats[i];
        }
        return new double[] {MeteorScorer.score(MeteorStats.of(v))};
    }

    private MeteorScorer requireScorer() {
        if (scorer == null) {
            throw new IllegalStateException(NEEDS_DATA);
        }
        return scorer;
    }
}
