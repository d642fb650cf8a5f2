package org.capeval.jobs.leaderboard.html;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.capeval.jobs.leaderboard.HistoryRow;
import org.capeval.jobs.leaderboard.HistoryTable;
import org.capeval.jobs.leaderboard.Ranking;

/**
 * The static {@code index.html}: the night ranked on the primary metric ({@code --rank-by}) with each
 * metric's 95% interval and p-value against its leader, submissions tied with the leader marked;
 * rejected submissions with their errors; the best submission of each team with the team's history;
 * the night ranked on each other metric; and per metric an SVG chart over all nights (the night's
 * top {@value #TOP_K} in colour, everyone else faded), the primary metric's above the table. Self-contained (inline CSS, no script, no
 * external resource; a Content-Security-Policy forbids both), and every string that comes from a
 * submission is escaped.
 *
 * <p>Every number of the night is a {@code <data value="…" data-col="…">} element inside a row
 * {@code <tr data-name="…" data-night="…">}: {@code value} is the exact number of {@code latest.json}'s
 * column {@code data-col} for that submission (history rows: of the history table), the text its
 * rounding, so the page can be checked against the JSON mechanically.
 */
public final class LeaderboardPage {
    /** Submissions drawn in colour in each chart; the rest are faded, so hundreds stay legible. */
    public static final int TOP_K = 10;

    private LeaderboardPage() {}

    /**
     * @param history          all rows of all nights (tonight's included), nights in order
     * @param night            the night shown in the tables
     * @param leaders          metric key → tonight's leader
     * @param rankBy           the primary metric key
     * @param bootstrapSamples B of the paired bootstrap (0 = none): p-values at 1/(B+1) are shown as a bound
     * @param notes            short run facts shown under the title (escaped), e.g. "8 images."
     */
    public static String render(List<HistoryRow> history, String night, Map<String, String> leaders, String rankBy,
                                int bootstrapSamples, List<String> notes) {
        List<HistoryRow> tonight = history.stream().filter(r -> r.night().equals(night)).toList();
        List<String> keys = new ArrayList<>(HistoryTable.keys(history)); // all nights: a night with no scored row still shows the charts
        if (keys.remove(rankBy)) keys.add(0, rankBy); // the primary metric first everywhere
        List<HistoryRow> ranked = byRank(tonight.stream().filter(HistoryRow::ok).toList(), rankBy);
        Context c = new Context(leaders, bootstrapSamples);
        StringBuilder b = new StringBuilder(16384 + 4096 * tonight.size());
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<title>Caption leaderboard · ").append(Html.escape(night)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222}\n")
                .append("table{border-collapse:collapse;margin:12px 0}th,td{border:1px solid #ccc;padding:4px 8px;vertical-align:top}\n")
                .append("th{background:#f0f0f0}th.primary{background:#dde8f5}td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("tr.error td{background:#fff3f3}td.err{color:#a00;white-space:pre-wrap}tr.leader td{background:#f3f8ee}\n")
                .append(".ci,.p{display:block;color:#666;font-size:85%}.lead{font-weight:bold}\n")
                .append(".tie{display:inline-block;background:#fff1c2;border-radius:3px;padding:0 4px;font-size:85%;color:#5a4500}\n")
                .append(".tick{font-size:11px;fill:#555}.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px;max-width:760px}\n")
                .append("section.metric{display:inline-block;vertical-align:top;margin:0 24px 16px 0}details{margin:4px 0}\n")
                .append(".swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}\n")
                .append("table.team-history{margin:4px 0;font-size:90%}summary{cursor:pointer}summary h2{display:inline;font-size:1.2em}\n")
                .append("</style></head><body>\n");
        long scored = ranked.size();
        b.append("<h1>Caption leaderboard · night ").append(Html.escape(night)).append("</h1>\n<p class=\"summary\">")
                .append(scored).append(" submissions scored, ").append(tonight.size() - scored).append(" rejected.");
        for (String n : notes) b.append(' ').append(Html.escape(n));
        b.append("</p>\n");
        String signature = ranked.stream().map(HistoryRow::signature).findFirst().orElse(null);
        if (signature != null) b.append("<p class=\"signature\">Signature: <code>").append(Html.escape(signature)).append("</code></p>\n");
        nav(b, keys, rankBy);
        overview(b, history, keys, rankBy, tonight);
        mainTable(b, c, tonight, ranked, keys, rankBy);
        teams(b, c, history, ranked, rankBy);
        for (String k : keys) if (!k.equals(rankBy)) byMetric(b, c, tonight, k);
        charts(b, history, keys, rankBy, tonight);
        b.append("</body></html>\n");
        return b.toString();
    }

    /** What every cell needs besides its row. */
    private record Context(Map<String, String> leaders, int bootstrapSamples) {}

    private static void nav(StringBuilder b, List<String> keys, String rankBy) {
        b.append("<nav><a href=\"#ranking\">Ranking by ").append(Html.escape(rankBy)).append("</a> · <a href=\"#teams\">Teams</a>");
        if (keys.size() > 1) b.append(" · Ranked by");
        for (String k : keys) {
            if (!k.equals(rankBy)) b.append(" <a href=\"#").append(id("by", k)).append("\">").append(Html.escape(k)).append("</a>");
        }
        b.append(" · <a href=\"#charts\">History charts</a></nav>\n");
    }

    private static void mainTable(StringBuilder b, Context c, List<HistoryRow> tonight, List<HistoryRow> ranked,
                                  List<String> keys, String rankBy) {
        String pLimit = c.bootstrapSamples() > 0 ? pText(Ranking.pFloor(c.bootstrapSamples()), c.bootstrapSamples()) : null;
        b.append("<section id=\"ranking\"><h2>Ranked by ").append(Html.escape(rankBy)).append("</h2>\n<p class=\"how\">")
                .append("1 = best; equal scores share a rank. Under each score: its 95% bootstrap interval and the paired-bootstrap ")
                .append("p-value against that metric's leader");
        if (pLimit != null) {
            b.append(" (").append(c.bootstrapSamples()).append(" resamples: ").append(Html.escape(pLimit))
                    .append(" is the smallest they can show)");
        }
        b.append(". <span class=\"tie\">tied with leader</span>: not significantly different from the ").append(Html.escape(rankBy))
                .append(" leader (p ≥ ").append(Ranking.SIGNIFICANCE_LEVEL).append(").</p>\n");
        b.append("<table id=\"ranking-table\"><thead><tr><th>#</th><th>Name</th><th>Team</th><th>Submitted</th>");
        for (String k : keys) {
            if (k.equals(rankBy)) {
                b.append("<th class=\"primary\">").append(Html.escape(k)).append(" (ranked by)</th><th>vs ").append(Html.escape(k)).append(" leader</th>");
            } else {
                b.append("<th>").append(Html.escape(k)).append("</th>");
            }
        }
        b.append("</tr></thead>\n<tbody>\n");
        for (HistoryRow r : ranked) {
            boolean lead = r.name().equals(c.leaders().get(rankBy));
            rowStart(b, r, lead ? "ok leader" : Ranking.tiedWithLeader(r, rankBy) ? "ok tied" : "ok");
            rankCell(b, r, rankBy);
            b.append("<td class=\"name\">").append(Html.escape(r.name())).append("</td>");
            b.append("<td class=\"team\">").append(Html.escape(r.team())).append("</td>");
            b.append("<td class=\"date\">").append(Html.escape(r.submissionDate())).append("</td>");
            for (String k : keys) {
                if (k.equals(rankBy)) {
                    scoreCell(b, c, r, k, false);
                    vsLeaderCell(b, c, r, k);
                } else {
                    scoreCell(b, c, r, k, true);
                }
            }
            b.append("</tr>\n");
        }
        int width = keys.size() + (keys.contains(rankBy) ? 1 : 0);
        for (HistoryRow r : tonight) {
            if (r.ok()) continue;
            b.append("<tr class=\"error\"><td class=\"num rank\">–</td>");
            b.append("<td class=\"name\">").append(Html.escape(r.name())).append("</td>");
            b.append("<td class=\"team\">").append(Html.escape(r.team())).append("</td>");
            b.append("<td class=\"date\">").append(Html.escape(r.submissionDate())).append("</td>");
            b.append("<td class=\"err\" colspan=\"").append(Math.max(1, width)).append("\">").append(Html.escape(r.error())).append("</td></tr>\n");
        }
        b.append("</tbody></table></section>\n");
    }

    /**
     * Best submission per team tonight (a team is the metadata's {@code team} text, compared exactly),
     * with the team's every scored submission of every night under it.
     */
    private static void teams(StringBuilder b, Context c, List<HistoryRow> history, List<HistoryRow> ranked, String rankBy) {
        Map<String, HistoryRow> best = new LinkedHashMap<>(); // ranked order: the first row of a team is its best
        for (HistoryRow r : ranked) best.putIfAbsent(r.team(), r);
        Map<String, List<HistoryRow>> past = new TreeMap<>();
        for (HistoryRow r : history) if (r.ok() && best.containsKey(r.team())) past.computeIfAbsent(r.team(), t -> new ArrayList<>()).add(r);
        b.append("<section id=\"teams\"><h2>Best submission per team</h2>\n<p class=\"how\">A team is the <code>team</code> of the ")
                .append("submissions' metadata. Each team's best submission tonight on ").append(Html.escape(rankBy))
                .append("; open its history for all its scored submissions on every night.</p>\n")
                .append("<table id=\"teams-table\"><thead><tr><th>#</th><th>Team</th><th>Best submission</th><th class=\"primary\">")
                .append(Html.escape(rankBy)).append("</th><th>vs leader</th><th>History</th></tr></thead>\n<tbody>\n");
        for (HistoryRow r : best.values()) {
            rowStart(b, r, Ranking.tiedWithLeader(r, rankBy) ? "ok tied" : "ok");
            rankCell(b, r, rankBy);
            b.append("<td class=\"team\">").append(Html.escape(r.team())).append("</td>");
            b.append("<td class=\"name\">").append(Html.escape(r.name())).append("</td>");
            scoreCell(b, c, r, rankBy, false);
            vsLeaderCell(b, c, r, rankBy);
            List<HistoryRow> rows = past.getOrDefault(r.team(), new ArrayList<>(List.of(r)));
            rows.sort(Comparator.comparing(HistoryRow::night).reversed()
                    .thenComparing(h -> h.rank(rankBy) == null ? Integer.MAX_VALUE : h.rank(rankBy)).thenComparing(HistoryRow::name));
            long nights = rows.stream().map(HistoryRow::night).distinct().count();
            b.append("<td class=\"history\"><details><summary>").append(rows.size()).append(rows.size() == 1 ? " submission" : " submissions")
                    .append(" on ").append(nights).append(nights == 1 ? " night" : " nights").append("</summary>")
                    .append("<table class=\"team-history\"><thead><tr><th>Night</th><th>Submission</th><th>")
                    .append(Html.escape(rankBy)).append("</th><th>#</th></tr></thead><tbody>");
            for (HistoryRow h : rows) {
                rowStart(b, h, "ok");
                b.append("<td class=\"night\">").append(Html.escape(h.night())).append("</td><td class=\"name\">").append(Html.escape(h.name())).append("</td>");
                b.append("<td class=\"num\">").append(data(rankBy, h.number(rankBy))).append("</td>");
                rankCell(b, h, rankBy);
                b.append("</tr>");
            }
            b.append("</tbody></table></details></td></tr>\n");
        }
        b.append("</tbody></table></section>\n");
    }

    /** The night ranked on one (non-primary) metric, folded. */
    private static void byMetric(StringBuilder b, Context c, List<HistoryRow> tonight, String key) {
        List<HistoryRow> ranked = byRank(tonight.stream().filter(r -> r.ok() && r.rank(key) != null).toList(), key);
        String leader = c.leaders().get(key);
        b.append("<section class=\"by-metric\" id=\"").append(id("by", key)).append("\"><details><summary><h2>Ranked by ")
                .append(Html.escape(key)).append("</h2>");
        if (leader != null) b.append(" · leader: ").append(Html.escape(leader));
        b.append("</summary>\n<table class=\"ranking-by\"><thead><tr><th>#</th><th>Name</th><th>Team</th><th class=\"primary\">")
                .append(Html.escape(key)).append("</th><th>vs leader</th></tr></thead>\n<tbody>\n");
        for (HistoryRow r : ranked) {
            rowStart(b, r, r.name().equals(leader) ? "ok leader" : Ranking.tiedWithLeader(r, key) ? "ok tied" : "ok");
            rankCell(b, r, key);
            b.append("<td class=\"name\">").append(Html.escape(r.name())).append("</td>");
            b.append("<td class=\"team\">").append(Html.escape(r.team())).append("</td>");
            scoreCell(b, c, r, key, false);
            vsLeaderCell(b, c, r, key);
            b.append("</tr>\n");
        }
        b.append("</tbody></table></details></section>\n");
    }

    private static List<HistoryRow> byRank(List<HistoryRow> rows, String key) {
        List<HistoryRow> out = new ArrayList<>(rows);
        out.sort(Comparator.comparing((HistoryRow r) -> r.rank(key) == null ? Integer.MAX_VALUE : r.rank(key)).thenComparing(HistoryRow::name));
        return out;
    }

    private static void rowStart(StringBuilder b, HistoryRow r, String cls) {
        b.append("<tr class=\"").append(cls).append("\" data-name=\"").append(Html.escape(r.name()))
                .append("\" data-night=\"").append(Html.escape(r.night())).append("\">");
    }

    private static void rankCell(StringBuilder b, HistoryRow r, String key) {
        Integer rank = r.rank(key);
        b.append("<td class=\"num rank\">");
        if (rank == null) b.append('–');
        else b.append("<data value=\"").append(rank).append("\" data-col=\"rank_").append(Html.escape(key)).append("\">").append(rank).append("</data>");
        b.append("</td>");
    }

    /** A score with its interval, and (withP) the p-value against the leader under it. */
    private static void scoreCell(StringBuilder b, Context c, HistoryRow r, String k, boolean withP) {
        boolean lead = r.name().equals(c.leaders().get(k));
        b.append("<td class=\"num").append(lead ? " lead" : "").append("\">").append(data(k, r.number(k)));
        Double lo = r.number(k + "_ci_low"), hi = r.number(k + "_ci_high"), p = r.number(k + "_p_vs_leader");
        if (lo != null && hi != null) {
            b.append("<span class=\"ci\">95% [").append(data(k + "_ci_low", lo)).append(", ").append(data(k + "_ci_high", hi)).append("]</span>");
        }
        if (withP) {
            if (lead && lo != null) b.append("<span class=\"p\">leader</span>");
            else if (p != null) b.append("<span class=\"p\">").append(pData(k, p, c.bootstrapSamples())).append("</span>");
        }
        b.append("</td>");
    }

    /** The comparison with the leader in words: leader, the p-value, and whether that is a tie. */
    private static void vsLeaderCell(StringBuilder b, Context c, HistoryRow r, String k) {
        Double p = r.number(k + "_p_vs_leader");
        b.append("<td class=\"vs\">");
        if (r.name().equals(c.leaders().get(k))) b.append("leader");
        else if (p == null) b.append("–");
        else {
            b.append(pData(k, p, c.bootstrapSamples()));
            if (Ranking.tiedWithLeader(r, k)) b.append(" <span class=\"tie\">tied with leader</span>");
        }
        b.append("</td>");
    }

    private static String pData(String key, double p, int samples) {
        return "<data value=\"" + p + "\" data-col=\"" + Html.escape(key) + "_p_vs_leader\">" + Html.escape(pText(p, samples)) + "</data>";
    }

    private static String data(String col, Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) return "–";
        return "<data value=\"" + v + "\" data-col=\"" + Html.escape(col) + "\">" + num(v) + "</data>";
    }

    /**
     * A p-value as readers expect it: {@code p = 0.034}; at the resampling floor 1/(B+1) the bound it
     * stands for, rounded up to one significant digit ({@code p < 0.001} for B = 1000, {@code p < 0.005}
     * for B = 200; {@code ≤} when the floor is that number exactly), never 0; other values under 0.001
     * as {@code p < 0.001}.
     */
    public static String pText(double p, int samples) {
        if (samples > 0) {
            double floor = Ranking.pFloor(samples);
            if (p <= floor * (1 + 1e-9)) {
                BigDecimal exact = BigDecimal.valueOf(floor); // the double's shortest decimal: 1/100.0 is 0.01
                BigDecimal bound = exact.round(new MathContext(1, RoundingMode.CEILING));
                return (bound.compareTo(exact) > 0 ? "p < " : "p ≤ ") + bound.stripTrailingZeros().toPlainString();
            }
        }
        if (p < 0.001) return "p < 0.001";
        return String.format(Locale.ROOT, "p = %.3f", p);
    }

    /** The primary metric's chart, above the table (as a leaderboard's progress chart), or nothing. */
    private static void overview(StringBuilder b, List<HistoryRow> history, List<String> keys, String rankBy, List<HistoryRow> tonight) {
        if (!keys.contains(rankBy)) return;
        b.append("<section id=\"overview\">\n");
        chart(b, history, rankBy, tonight);
        b.append("</section>\n");
    }

    private static void charts(StringBuilder b, List<HistoryRow> history, List<String> keys, String rankBy, List<HistoryRow> tonight) {
        b.append("<section id=\"charts\"><h2>History</h2>\n<p class=\"how\">Per metric, tonight's best ").append(TOP_K)
                .append(" on that metric in colour; every other submission (of tonight or earlier nights) as a faded grey line. ")
                .append("The ").append(Html.escape(rankBy)).append(" chart is at the top of the page.</p>\n");
        for (String k : keys) if (!k.equals(rankBy)) chart(b, history, k, tonight);
        b.append("</section>\n");
    }

    private static void chart(StringBuilder b, List<HistoryRow> history, String k, List<HistoryRow> tonight) {
        List<String> nights = new ArrayList<>(new TreeSet<>(history.stream().map(HistoryRow::night).toList()));
        List<String> top = byRank(tonight.stream().filter(r -> r.ok() && r.rank(k) != null).toList(), k).stream()
                .map(HistoryRow::name).limit(TOP_K).toList();
        Map<String, SortedMap<String, Double>> series = new LinkedHashMap<>();
        for (HistoryRow r : history) {
            if (r.ok() && r.number(k) != null) series.computeIfAbsent(r.name(), n -> new TreeMap<>()).put(r.night(), r.number(k));
        }
        b.append("<section class=\"metric\"><h3>").append(Html.escape(k)).append(" over nights</h3>\n")
                .append(ScoreChart.svg(k, nights, series, top)).append("\n<ul class=\"legend\">");
        for (int i = 0; i < top.size(); i++) {
            b.append("<li><span class=\"swatch\" style=\"background:").append(ScoreChart.color(i)).append("\"></span>")
                    .append(i + 1).append(". ").append(Html.escape(top.get(i))).append("</li>");
        }
        int others = series.size() - (int) top.stream().filter(series::containsKey).count();
        if (others > 0) {
            b.append("<li class=\"others\"><span class=\"swatch\" style=\"background:").append(ScoreChart.FADED).append(";opacity:0.5\"></span>")
                    .append(others).append(others == 1 ? " other" : " others").append("</li>");
        }
        b.append("</ul></section>\n");
    }

    /** An element id for a metric key (keys are identifiers; anything else becomes '_'). */
    static String id(String prefix, String key) {
        return prefix + "-" + key.replaceAll("[^A-Za-z0-9_]", "_");
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }
}
