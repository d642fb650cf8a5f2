package org.capeval.jobs.leaderboard.html;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.capeval.jobs.leaderboard.HistoryRow;
import org.capeval.jobs.leaderboard.HistoryTable;

/**
 * The static {@code index.html}: the night's ranked table (with each tested metric's 95% interval
 * and p-value against the leader), rejected submissions with their errors, and per metric an inline
 * SVG chart over all nights. Self-contained (inline CSS, no script, no external resource; a
 * Content-Security-Policy forbids both), and every string that comes from a submission is escaped.
 */
public final class LeaderboardPage {
    private LeaderboardPage() {}

    /**
     * @param history all rows of all nights (tonight's included), nights in order and tonight's rows in rank order
     * @param night   the night shown in the table
     * @param notes   short run facts shown under the title (escaped), e.g. "bootstrap: 1000 samples, seed 1"
     */
    public static String render(List<HistoryRow> history, String night, Map<String, String> leaders, List<String> notes) {
        List<HistoryRow> tonight = history.stream().filter(r -> r.night().equals(night)).toList();
        List<String> keys = HistoryTable.keys(history); // all nights: a night with no scored row still shows the charts
        StringBuilder b = new StringBuilder(16384);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
                .append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
                .append("<title>Caption leaderboard · ").append(Html.escape(night)).append("</title>\n<style>\n")
                .append("body{font-family:system-ui,sans-serif;margin:24px;color:#222}\n")
                .append("table{border-collapse:collapse;margin:12px 0}th,td{border:1px solid #ccc;padding:4px 8px;vertical-align:top}\n")
                .append("th{background:#f0f0f0}td.num{text-align:right;font-variant-numeric:tabular-nums}\n")
                .append("tr.error td{background:#fff3f3}td.err{color:#a00;white-space:pre-wrap}\n")
                .append(".ci,.p{display:block;color:#666;font-size:85%}.lead{font-weight:bold}\n")
                .append(".tick{font-size:11px;fill:#555}.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px}\n")
                .append("section.metric{display:inline-block;vertical-align:top;margin:0 24px 16px 0}\n")
                .append(".swatch{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:middle}\n")
                .append("</style></head><body>\n");
        long scored = tonight.stream().filter(HistoryRow::ok).count();
        b.append("<h1>Caption leaderboard · night ").append(Html.escape(night)).append("</h1>\n<p class=\"summary\">")
                .append(scored).append(" submissions scored, ").append(tonight.size() - scored).append(" rejected.");
        for (String n : notes) b.append(' ').append(Html.escape(n));
        b.append("</p>\n");
        String signature = tonight.stream().filter(HistoryRow::ok).map(HistoryRow::signature).findFirst().orElse(null);
        if (signature != null) b.append("<p class=\"signature\">Signature: <code>").append(Html.escape(signature)).append("</code></p>\n");
        rankedTable(b, tonight, keys, leaders);
        charts(b, history, keys, tonight);
        b.append("</body></html>\n");
        return b.toString();
    }

    private static void rankedTable(StringBuilder b, List<HistoryRow> tonight, List<String> keys, Map<String, String> leaders) {
        b.append("<table id=\"ranking\"><thead><tr><th>#</th><th>Name</th><th>Team</th><th>Submitted</th>");
        for (String k : keys) b.append("<th>").append(Html.escape(k)).append("</th>");
        b.append("</tr></thead>\n<tbody>\n");
        String primary = keys.isEmpty() ? null : keys.get(keys.size() - 1);
        for (HistoryRow r : tonight) {
            b.append("<tr class=\"").append(r.ok() ? "ok" : "error").append("\">");
            Integer rank = primary == null ? null : r.rank(primary);
            b.append("<td class=\"num rank\">").append(rank == null ? "–" : rank).append("</td>");
            b.append("<td class=\"name\">").append(Html.escape(r.name())).append("</td>");
            b.append("<td class=\"team\">").append(Html.escape(r.team())).append("</td>");
            b.append("<td class=\"date\">").append(Html.escape(r.submissionDate())).append("</td>");
            if (!r.ok()) {
                b.append("<td class=\"err\" colspan=\"").append(Math.max(1, keys.size())).append("\">")
                        .append(Html.escape(r.error())).append("</td></tr>\n");
                continue;
            }
            for (String k : keys) {
                Double v = r.number(k);
                boolean lead = r.name().equals(leaders.get(k));
                b.append("<td class=\"num").append(lead ? " lead" : "").append("\">").append(num(v));
                Double lo = r.number(k + "_ci_low"), hi = r.number(k + "_ci_high"), p = r.number(k + "_p_vs_leader");
                if (lo != null && hi != null) b.append("<span class=\"ci\">95% [").append(num(lo)).append(", ").append(num(hi)).append("]</span>");
                if (lead && lo != null) b.append("<span class=\"p\">leader</span>");
                else if (p != null) b.append("<span class=\"p\">p = ").append(String.format(Locale.ROOT, "%.4f", p)).append("</span>");
                b.append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</tbody></table>\n");
    }

    private static void charts(StringBuilder b, List<HistoryRow> history, List<String> keys, List<HistoryRow> tonight) {
        List<String> nights = new ArrayList<>(new TreeSet<>(history.stream().map(HistoryRow::night).toList()));
        // legend order: tonight's ranking first, then names seen only on earlier nights
        List<String> names = new ArrayList<>();
        for (HistoryRow r : tonight) if (r.ok() && !names.contains(r.name())) names.add(r.name());
        for (HistoryRow r : history) if (r.ok() && !names.contains(r.name())) names.add(r.name());
        for (String k : keys) {
            Map<String, SortedMap<String, Double>> series = new LinkedHashMap<>();
            for (String n : names) series.put(n, new TreeMap<>());
            for (HistoryRow r : history) {
                if (r.ok() && r.number(k) != null) series.get(r.name()).put(r.night(), r.number(k));
            }
            b.append("<section class=\"metric\"><h2>").append(Html.escape(k)).append(" over nights</h2>\n")
                    .append(ScoreChart.svg(k, nights, series)).append("\n<ul class=\"legend\">");
            int i = 0;
            for (String n : series.keySet()) {
                b.append("<li><span class=\"swatch\" style=\"background:").append(ScoreChart.color(i++)).append("\"></span>")
                        .append(Html.escape(n)).append("</li>");
            }
            b.append("</ul></section>\n");
        }
    }

    private static String num(Double v) {
        return v == null || v.isNaN() ? "–" : String.format(Locale.ROOT, "%.4f", v);
    }
}
