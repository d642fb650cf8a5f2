package org.capeval.jobs.score;

import java.nio.file.Path;
import java.util.List;
import org.capeval.metrics.CaptionMetric;
import org.capeval.metrics.meteor.Meteor;

/** {@code --meteor-data DIR [--meteor-paraphrase FILE]}, shared by the score and leaderboard jobs. */
public final class MeteorOptions {
    /** Help of {@code --meteor-data DIR}, in the score and leaderboard jobs. */
    public static final String DATA_HELP = "METEOR 1.5's english.words and english.prefixes (needed by meteor)";
    /** Help of {@code --meteor-paraphrase PATH}. */
    public static final String PARAPHRASE_HELP = "METEOR 1.5's paraphrase-en.gz (without it meteor runs exact+stem+synonym, "
            + "labelled in the output: not the official COCO number)";

    private MeteorOptions() {}

    /**
     * The selected metrics with METEOR reading its data (local paths, read now so that a missing
     * folder fails at start-up).
     *
     * @throws IllegalArgumentException when meteor is selected without data, the data is missing, or
     *                                  data is given without meteor
     */
    public static List<CaptionMetric> configure(List<CaptionMetric> metrics, String meteorData, String meteorParaphrase) {
        if ((meteorData != null || meteorParaphrase != null) && metrics.stream().noneMatch(m -> m instanceof Meteor)) {
            throw new IllegalArgumentException("--meteor-data/--meteor-paraphrase given but meteor is not in --metrics");
        }
        return Meteor.configure(metrics, meteorData == null ? null : Path.of(meteorData),
                meteorParaphrase == null ? null : Path.of(meteorParaphrase));
    }
}
