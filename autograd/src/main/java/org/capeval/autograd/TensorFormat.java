package org.capeval.autograd;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's tensor repr: integral floats as {@code 3.}, otherwise 4 decimals right-aligned to a
 * common width, scientific notation for wide ranges, 80-column wrapping, summaries past 1000
 * elements, then {@code dtype=} (only for dtypes other than this library's default float64 and
 * int64), {@code requires_grad=True} or {@code grad_fn=<...>}.
 */
final class TensorFormat {
    private static final int LINE_WIDTH = 80;
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;

    private TensorFormat() {}

    static String format(Tensor t) {
        String prefix = "tensor(";
        int[] shape = t.shapeRef();
        boolean summarize = t.numel() > THRESHOLD;
        List<String> suffixes = new ArrayList<>();
        String body;
        if (t.numel() == 0) {
            body = "[]";
            if (shape.length != 1) {
                StringBuilder sb = new StringBuilder("size=(");
                for (int i = 0; i < shape.length; i++) sb.append(i > 0 ? ", " : "").append(shape[i]);
                suffixes.add(sb.append(shape.length == 1 ? ",)" : ")").toString());
            }
        } else {
            Formatter f = new Formatter(t.dtype(), summarized(t.data(), shape, summarize));
            body = render(t.data(), shape, 0, 0, prefix.length(), f, summarize);
        }
        if (t.dtype() == DType.FLOAT32) suffixes.add("dtype=" + t.dtype().torchName());
        if (t.gradFn() != null) suffixes.add("grad_fn=<" + t.gradFn().name() + ">");
        else if (t.requiresGrad()) suffixes.add("requires_grad=True");
        StringBuilder sb = new StringBuilder(prefix).append(body);
        for (String s : suffixes) sb.append(", ").append(s);
        return sb.append(")").toString();
    }

    /** The values that will be shown (for the common width). */
    private static double[] summarized(double[] data, int[] shape, boolean summarize) {
        if (!summarize) return data;
        List<Double> vals = new ArrayList<>();
        collect(data, shape, 0, 0, vals);
        double[] r = new double[vals.size()];
        for (int i = 0; i < r.length; i++) r[i] = vals.get(i);
        return r;
    }

    private static void collect(double[] data, int[] shape, int dim, int offset, List<Double> out) {
        if (shape.length == 0) {
            out.add(data[0]);
            return;
        }
        int stride = 1;
        for (int d = dim + 1; d < shape.length; d++) stride *= shape[d];
        for (int i : indices(shape[dim], true)) {
            if (dim == shape.length - 1) out.add(data[offset + i]);
            else collect(data, shape, dim + 1, offset + i * stride, out);
        }
    }

    private static int[] indices(int n, boolean summarize) {
        if (!summarize || n <= 2 * EDGE) {
            int[] r = new int[n];
            for (int i = 0; i < n; i++) r[i] = i;
            return r;
        }
        int[] r = new int[2 * EDGE];
        for (int i = 0; i < EDGE; i++) {
            r[i] = i;
            r[EDGE + i] = n - EDGE + i;
        }
        return r;
    }

    private static String render(double[] data, int[] shape, int dim, int offset, int indent, Formatter f, boolean summarize) {
        if (shape.length == 0) return f.format(data[0]);
        int n = shape[dim];
        int stride = 1;
        for (int d = dim + 1; d < shape.length; d++) stride *= shape[d];
        boolean cut = summarize && n > 2 * EDGE;
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (cut && i == EDGE) {
                parts.add(dim == shape.length - 1 ? " ..." : "...");
                i = n - EDGE;
            }
            if (dim == shape.length - 1) parts.add(f.format(data[offset + i]));
            else parts.add(render(data, shape, dim + 1, offset + i * stride, indent + 1, f, summarize));
        }
        if (dim == shape.length - 1) {
            // wrap a row of scalars at 80 columns
            int perLine = Math.max(1, (LINE_WIDTH - indent) / (f.width + 2));
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) sb.append(i % perLine == 0 ? ",\n" + " ".repeat(indent + 1) : ", ");
                sb.append(parts.get(i));
            }
            return sb.append("]").toString();
        }
        String sep = "," + "\n".repeat(shape.length - dim - 1) + " ".repeat(indent + 1);
        return "[" + String.join(sep, parts) + "]";
    }

    /** Chooses integer, fixed or scientific style from the shown values, as torch's _Formatter. */
    private static final class Formatter {
        final DType dtype;
        boolean intMode = true;
        boolean sciMode;
        int width;

        Formatter(DType dtype, double[] values) {
            this.dtype = dtype;
            if (dtype.isFloatingPoint()) {
                double min = Double.POSITIVE_INFINITY, max = 0;
                boolean any = false;
                for (double v : values) {
                    if (Double.isFinite(v) && v != 0) {
                        any = true;
                        double a = Math.abs(v);
                        min = Math.min(min, a);
                        max = Math.max(max, a);
                        if (v != Math.ceil(v)) intMode = false;
                    }
                }
                if (!any) {
                    width = 1; // torch measures no width when nothing is finite and nonzero
                    return;
                }
                if (intMode) sciMode = max / min > 1000 || max > 1e8;
                else sciMode = max / min > 1000 || max > 1e8 || min < 1e-4;
                // like torch, the common width comes from the finite nonzero values only
                for (double v : values) if (Double.isFinite(v) && v != 0) width = Math.max(width, raw(v).length());
                return;
            }
            for (double v : values) width = Math.max(width, raw(v).length());
        }

        String raw(double v) {
            if (!dtype.isFloatingPoint()) return Long.toString((long) v);
            if (Double.isNaN(v)) return "nan";
            if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
            if (sciMode) return sci(v);
            if (intMode) return (v == 0 && 1 / v < 0 ? "-0" : new BigDecimal(v).setScale(0, RoundingMode.HALF_EVEN).toPlainString()) + ".";
            String s = new BigDecimal(v).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
            return Double.doubleToRawLongBits(v) < 0 && !s.startsWith("-") ? "-" + s : s;
        }

        private static String sci(double v) {
            if (v == 0) return (1 / v < 0 ? "-" : "") + "0.0000e+00";
            BigDecimal b = new BigDecimal(v);
            int exp = b.precision() - b.scale() - 1;
            BigDecimal mant = b.movePointLeft(exp).setScale(4, RoundingMode.HALF_EVEN);
            if (mant.abs().compareTo(BigDecimal.TEN) >= 0) {
                exp++;
                mant = b.movePointLeft(exp).setScale(4, RoundingMode.HALF_EVEN);
            }
            return mant.toPlainString() + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
        }

        String format(double v) {
            String s = raw(v);
            return " ".repeat(Math.max(0, width - s.length())) + s;
        }
    }
}
