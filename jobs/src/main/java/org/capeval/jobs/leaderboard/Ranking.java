package org.capeval.jobs.leaderboard;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Ranks of a night: higher scores are better for every COCO caption metric. Also what readers take
 * from the paired bootstrap: which submissions are tied with the leader, and the smallest p-value the
 * resampling can report.
 */
public final class Ranking {
    /** The primary metric unless {@code --rank-by} says otherwise: COCO's headline number. */
    public static final String DEFAULT_RANK_BY = "CIDEr";
    /** A submission whose p-value against the leader is at least this is tied with the leader. */
    public static final double SIGNIFICANCE_LEVEL = 0.05;

    private Ranking() {}

    /**
     * Whether a row is tied with the leader on {@code key}: tested, and not significantly different at
     * {@link #SIGNIFICANCE_LEVEL} (the leader itself, which has no p-value, is not "tied").
     */
    public static boolean tiedWithLeader(HistoryRow row, String key) {
        Double p = row.number(key + "_p_vs_leader");
        return p != null && !p.isNaN() && p >= SIGNIFICANCE_LEVEL;
    }

    /**
     * The smallest p-value B resamples can give, 1/(B+1): with none of the resampled differences as
     * extreme as the observed one the test says only "p is at most this", never 0.
     */
    public static double pFloor(int samples) {
        return 1.0 / (samples + 1.0);
    }

    /**
     * Standard competition ranks ("1224"): equal scores share a rank, the next rank skips. NaN
     * scores get no rank.
     */
    public static Map<String, Integer> competition(Map<String, Double> scoreByName) {
        List<Map.Entry<String, Double>> order = new ArrayList<>();
        for (Map.Entry<String, Double> e : scoreByName.entrySet()) {
            if (e.getValue() != null && !e.getValue().isNaN()) order.add(e);
        }
        order.sort(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        Map<String, Integer> ranks = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            boolean tie = i > 0 && order.get(i).getValue().doubleValue() == order.get(i - 1).getValue().doubleValue();
            ranks.put(order.get(i).getKey(), tie ? ranks.get(order.get(i - 1).getKey()) : i + 1);
        }
        return ranks;
    }

    /** The leader: best score; among equal scores the first name in string order. Null if none. */
    public static String leader(Map<String, Double> scoreByName) {
        String best = null;
        for (Map.Entry<String, Double> e : scoreByName.entrySet()) {
            Double v = e.getValue();
            if (v == null || v.isNaN()) continue;
            if (best == null) { best = e.getKey(); continue; }
            double b = scoreByName.get(best);
            if (v > b || (v == b && e.getKey().compareTo(best) < 0)) best = e.getKey();
        }
        return best;
    }
}
