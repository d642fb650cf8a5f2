package org.capeval.jobs.leaderboard.html;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;

/**
 * An inline SVG line chart of one metric over nights, legible with hundreds of submissions: every
 * submission is a thin faded grey line (its name as a hover title), and the night's top submissions
 * are drawn over them in colour, with a dot and a hover title per night.
 */
final class ScoreChart {
    static final String[] PALETTE = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
        "#8c564b", "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
    static final String FADED = "#8a8a8a";
    static final String FADED_OPACITY = "0.3";
    private static final int W = 760, H = 280, LEFT = 56, RIGHT = 16, TOP = 16, BOTTOM = 40;

    private ScoreChart() {}

    /**
     * @param key    the metric key (chart title)
     * @param nights every night of the history, in order (x axis)
     * @param series name → (night → score), every submission of the history
     * @param top    the names drawn in colour, best first (colour i = {@link #color}(i)); the others are faded
     */
    static String svg(String key, List<String> nights, Map<String, SortedMap<String, Double>> series, List<String> top) {
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (SortedMap<String, Double> s : series.values()) {
            for (double v : s.values()) {
                if (Double.isNaN(v)) continue;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        if (lo > hi) { lo = 0; hi = 1; }
        if (hi - lo < 1e-9) { lo -= 0.05; hi += 0.05; }
        double pad = (hi - lo) * 0.08;
        lo -= pad;
        hi += pad;
        Map<String, Integer> nightIndex = new HashMap<>();
        for (int i = 0; i < nights.size(); i++) nightIndex.put(nights.get(i), i);
        StringBuilder b = new StringBuilder();
        String id = "chart-" + key.replaceAll("[^A-Za-z0-9_]", "_");
        b.append("<svg class=\"chart\" id=\"").append(Html.escape(id)).append("\" role=\"img\" width=\"").append(W)
                .append("\" height=\"").append(H).append("\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" xmlns=\"http://www.w3.org/2000/svg\">");
        b.append("<title>").append(Html.escape(key)).append(" over nights</title>");
        int x0 = LEFT, x1 = W - RIGHT, y0 = H - BOTTOM, y1 = TOP;
        b.append("<rect x=\"").append(x0).append("\" y=\"").append(y1).append("\" width=\"").append(x1 - x0)
                .append("\" height=\"").append(y0 - y1).append("\" fill=\"#fafafa\" stroke=\"#999\"/>");
        for (int t = 0; t <= 4; t++) {
            double v = lo + (hi - lo) * t / 4;
            double y = y(v, lo, hi, y0, y1);
            b.append("<line x1=\"").append(x0).append("\" x2=\"").append(x1).append("\" y1=\"").append(f(y)).append("\" y2=\"")
                    .append(f(y)).append("\" stroke=\"#e0e0e0\"/>");
            b.append("<text class=\"tick\" x=\"").append(x0 - 6).append("\" y=\"").append(f(y + 4))
                    .append("\" text-anchor=\"end\">").append(String.format(Locale.ROOT, "%.3f", v)).append("</text>");
        }
        int step = Math.max(1, (nights.size() + 7) / 8);
        for (int i = 0; i < nights.size(); i += step) {
            b.append("<text class=\"tick\" x=\"").append(f(x(i, nights.size(), x0, x1))).append("\" y=\"").append(y0 + 18)
                    .append("\" text-anchor=\"middle\">").append(Html.escape(nights.get(i))).append("</text>");
        }
        // faded lines first, the top ones over them, the best last (on top of all)
        for (Map.Entry<String, SortedMap<String, Double>> s : series.entrySet()) {
            if (top.contains(s.getKey())) continue;
            List<String> pts = points(s.getValue(), nightIndex, nights.size(), lo, hi, x0, x1, y0, y1);
            b.append("<g class=\"series faded\" data-name=\"").append(Html.escape(s.getKey())).append("\"><title>")
                    .append(Html.escape(s.getKey())).append("</title>");
            if (pts.size() > 1) {
                b.append("<polyline fill=\"none\" stroke-width=\"1\" stroke=\"").append(FADED).append("\" stroke-opacity=\"")
                        .append(FADED_OPACITY).append("\" points=\"").append(String.join(" ", pts)).append("\"/>");
            } else if (pts.size() == 1) {
                String[] xy = pts.get(0).split(",");
                b.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1]).append("\" r=\"1.5\" fill=\"").append(FADED)
                        .append("\" fill-opacity=\"").append(FADED_OPACITY).append("\"/>");
            }
            b.append("</g>");
        }
        for (int c = top.size() - 1; c >= 0; c--) {
            String name = top.get(c);
            SortedMap<String, Double> s = series.get(name);
            if (s == null) continue;
            String color = color(c);
            List<String> pts = points(s, nightIndex, nights.size(), lo, hi, x0, x1, y0, y1);
            b.append("<g class=\"series top\" data-rank=\"").append(c + 1).append("\" data-name=\"").append(Html.escape(name)).append("\">");
            if (pts.size() > 1) {
                b.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(color).append("\" points=\"")
                        .append(String.join(" ", pts)).append("\"/>");
            }
            int i = 0;
            for (Map.Entry<String, Double> p : s.entrySet()) {
                if (!nightIndex.containsKey(p.getKey()) || p.getValue().isNaN()) continue;
                String[] xy = pts.get(i++).split(",");
                b.append("<circle cx=\"").append(xy[0]).append("\" cy=\"").append(xy[1]).append("\" r=\"3.5\" fill=\"")
                        .append(color).append("\"><title>").append(Html.escape(name)).append(" · ")
                        .append(Html.escape(p.getKey())).append(": ").append(String.format(Locale.ROOT, "%.4f", p.getValue()))
                        .append("</title></circle>");
            }
            b.append("</g>");
        }
        b.append("</svg>");
        return b.toString();
    }

    /** "x,y" of each night with a number, in night order. */
    private static List<String> points(SortedMap<String, Double> s, Map<String, Integer> nightIndex, int n, double lo, double hi,
                                       int x0, int x1, int y0, int y1) {
        List<String> pts = new ArrayList<>();
        for (Map.Entry<String, Double> p : s.entrySet()) {
            Integer i = nightIndex.get(p.getKey());
            if (i == null || p.getValue().isNaN()) continue;
            pts.add(f(x(i, n, x0, x1)) + "," + f(y(p.getValue(), lo, hi, y0, y1)));
        }
        return pts;
    }

    static String color(int index) {
        return PALETTE[index % PALETTE.length];
    }

    private static double x(int i, int n, int x0, int x1) {
        return n == 1 ? (x0 + x1) / 2.0 : x0 + 20 + (x1 - x0 - 40) * (double) i / (n - 1);
    }

    private static double y(double v, double lo, double hi, int y0, int y1) {
        return y0 - (v - lo) / (hi - lo) * (y0 - y1);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
