package org.capeval.jobs.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The mean training loss of each optimizer step, in step order; written as CSV, JSON and an SVG plot. */
public final class LossCurve {

    /** One step: global step number (from 0), epoch, mean loss over the batch, rows in the batch. */
    public record Point(long step, int epoch, double loss, long rows) {}

    private final List<Point> points = new ArrayList<>();

    public void add(Point p) {
        points.add(p);
    }

    public List<Point> points() {
        return List.copyOf(points);
    }

    public int size() {
        return points.size();
    }

    public String toCsv() {
        StringBuilder sb = new StringBuilder("step,epoch,loss,rows\n");
        for (Point p : points) {
            sb.append(p.step).append(',').append(p.epoch).append(',').append(p.loss).append(',').append(p.rows).append('\n');
        }
        return sb.toString();
    }

    /**
     * A self-contained SVG line plot of loss against step (log-scaled y when the losses span more
     * than two decades and are all positive).
     */
    public String toSvg(String title) {
        int w = 640, h = 400, left = 70, right = 20, top = 40, bottom = 50;
        int pw = w - left - right, ph = h - top - bottom;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                w, h, w, h));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", w, h));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"22\" font-size=\"14\">%s</text>%n", left, escape(title)));
        sb.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n", left, top, pw, ph));
        if (!points.isEmpty()) {
            double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
            for (Point p : points) {
                lo = Math.min(lo, p.loss);
                hi = Math.max(hi, p.loss);
            }
            boolean log = lo > 0 && hi / lo > 100;
            double ylo = log ? Math.log10(lo) : Math.min(0, lo);
            double yhi = log ? Math.log10(hi) : hi;
            if (yhi <= ylo) {
                yhi = ylo + 1;
            }
            long s0 = points.get(0).step, s1 = Math.max(points.get(points.size() - 1).step, s0 + 1);
            StringBuilder path = new StringBuilder();
            for (Point p : points) {
                double x = left + pw * (double) (p.step - s0) / (s1 - s0);
                double yv = log ? Math.log10(p.loss) : p.loss;
                double y = top + ph * (1 - (yv - ylo) / (yhi - ylo));
                path.append(path.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.1f,%.1f", x, y));
            }
            sb.append("<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"").append(path).append("\"/>\n");
            for (int t = 0; t <= 4; t++) {
                double yv = ylo + (yhi - ylo) * t / 4;
                double y = top + ph * (1 - t / 4.0);
                String label = String.format(Locale.ROOT, "%.4g", log ? Math.pow(10, yv) : yv);
                sb.append(String.format(Locale.ROOT,
                        "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", left - 6, y + 4, label));
                sb.append(String.format(Locale.ROOT,
                        "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", left, left + pw, y, y));
            }
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%d</text>%n", left, top + ph + 18, s0));
            sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%d</text>%n", left + pw, top + ph + 18, s1));
        }
        sb.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">step</text>%n", left + pw / 2, h - 12));
        sb.append(String.format(Locale.ROOT,
                "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">mean loss</text>%n",
                top + ph / 2, top + ph / 2));
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
