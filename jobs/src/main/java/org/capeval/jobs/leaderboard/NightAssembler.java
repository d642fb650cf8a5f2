package org.capeval.jobs.leaderboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.capeval.metrics.significance.PairedBootstrap;

/** Turns one night's submissions, scores and significance results into history rows (pure). */
public final class NightAssembler {
    private NightAssembler() {}

    /** A scored submission's corpus numbers. */
    public record Scores(Map<String, Double> corpus, long nImages, String signature) {}

    /**
     * @param keys         the metric keys of the night in display order (e.g. Bleu_1..Bleu_4, ROUGE_L, CIDEr)
     * @param submissions  every submission of the night (errors included)
     * @param scores       name → scores, for the submissions that were scored
     * @param significance name → metric key → test against that key's leader (leaders included)
     * @param leaders      metric key → name of the leader the tests compare with
     * @param rankBy       the primary metric key (one of {@code keys}; {@code --rank-by})
     * @return rows: scored ones by rank on {@code rankBy}, then errors by name
     */
    public static List<HistoryRow> rows(String night, List<String> keys, String rankBy, List<Submission> submissions,
                                        Map<String, Scores> scores,
                                        Map<String, Map<String, PairedBootstrap.Result>> significance,
                                        Map<String, String> leaders) {
        Map<String, Map<String, Integer>> ranksByKey = new LinkedHashMap<>();
        for (String key : keys) {
            Map<String, Double> byName = new TreeMap<>();
            scores.forEach((name, s) -> byName.put(name, s.corpus().get(key)));
            ranksByKey.put(key, Ranking.competition(byName));
        }
        List<HistoryRow> rows = new ArrayList<>();
        for (Submission sub : submissions) {
            Scores s = sub.valid() ? scores.get(sub.name()) : null;
            if (s == null) {
                String why = sub.error() != null ? sub.error() : "not scored";
                rows.add(new HistoryRow(night, sub.name(), sub.team(), sub.date(), sub.source(), HistoryRow.ERROR, why,
                        null, null, Map.of(), Map.of()));
                continue;
            }
            Map<String, Double> numbers = new LinkedHashMap<>();
            Map<String, Integer> ranks = new LinkedHashMap<>();
            for (String key : keys) {
                numbers.put(key, s.corpus().get(key));
                Integer rank = ranksByKey.get(key).get(sub.name());
                if (rank != null) ranks.put(key, rank);
                PairedBootstrap.Result test = significance.getOrDefault(sub.name(), Map.of()).get(key);
                if (test != null) {
                    numbers.put(key + "_ci_low", test.ciLow());
                    numbers.put(key + "_ci_high", test.ciHigh());
                    if (!sub.name().equals(leaders.get(key))) numbers.put(key + "_p_vs_leader", test.pValue());
                }
            }
            rows.add(new HistoryRow(night, sub.name(), sub.team(), sub.date(), sub.source(), HistoryRow.OK, null,
                    s.nImages(), s.signature(), numbers, ranks));
        }
        rows.sort(Comparator.comparing((HistoryRow r) -> r.ok() ? 0 : 1)
                .thenComparing(r -> r.rank(rankBy) == null ? Integer.MAX_VALUE : r.rank(rankBy))
                .thenComparing(HistoryRow::name)
                .thenComparing(r -> r.source() == null ? "" : r.source()));
        return rows;
    }

    /** The history with {@code night}'s rows replaced by {@code tonight} (idempotent rerun), nights in order. */
    public static List<HistoryRow> replaceNight(List<HistoryRow> history, String night, List<HistoryRow> tonight) {
        List<HistoryRow> out = new ArrayList<>();
        for (HistoryRow r : history) if (!r.night().equals(night)) out.add(r);
        out.addAll(tonight);
        // stable sort: within a night the assembled order (rank) is kept
        out.sort(Comparator.comparing(HistoryRow::night));
        return out;
    }
}
