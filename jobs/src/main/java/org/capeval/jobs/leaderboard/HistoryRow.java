package org.capeval.jobs.leaderboard;

import java.util.Map;

/**
 * One row of the leaderboard history: one submission on one night.
 *
 * @param night          the night (YYYY-MM-DD) the batch ran for; rerunning a night replaces its rows
 * @param status         {@code ok} or {@code error}
 * @param error          why the submission was not scored (null when ok)
 * @param nImages        images scored (null for an error row)
 * @param signature      the metric signature of the numbers (null for an error row)
 * @param numbers        column → value: each metric key (e.g. {@code CIDEr}) and, for the keys tested
 *                       against the leader, {@code <key>_ci_low}, {@code <key>_ci_high},
 *                       {@code <key>_p_vs_leader} (absent for the leader itself)
 * @param ranks          metric key → rank among the night's scored submissions (1 = best; ties share)
 */
public record HistoryRow(String night, String name, String team, String submissionDate, String source,
                         String status, String error, Long nImages, String signature,
                         Map<String, Double> numbers, Map<String, Integer> ranks) {

    public static final String OK = "ok";
    public static final String ERROR = "error";

    public boolean ok() { return OK.equals(status); }

    public Double number(String column) { return numbers.get(column); }

    public Integer rank(String key) { return ranks.get(key); }
}
