package org.capeval.autograd;

import java.util.Arrays;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Loops over flat row-major arrays. No autograd here. */
final class Kernels {
    private Kernels() {}

    /**
     * The four arithmetic ops, which backward passes use most. They get their own loops: a single
     * loop calling many different lambdas is a megamorphic call per element and several times slower.
     */
    enum Arith implements DoubleBinaryOperator {
        ADD { public double applyAsDouble(double x, double y) { return x + y; } },
        SUB { public double applyAsDouble(double x, double y) { return x - y; } },
        MUL { public double applyAsDouble(double x, double y) { return x * y; } },
        DIV { public double applyAsDouble(double x, double y) { return x / y; } };
    }

    /** r[i] = a[i] op b[i], or with a scalar on one side when that array has one element. */
    private static void arith(double[] a, double[] b, double[] r, Arith op) {
        int n = r.length;
        boolean sa = a.length == 1 && n != 1, sb = b.length == 1 && n != 1;
        switch (op) {
            case ADD:
                if (sb) { double y = b[0]; for (int i = 0; i < n; i++) r[i] = a[i] + y; }
                else if (sa) { double x = a[0]; for (int i = 0; i < n; i++) r[i] = x + b[i]; }
                else for (int i = 0; i < n; i++) r[i] = a[i] + b[i];
                break;
            case SUB:
                if (sb) { double y = b[0]; for (int i = 0; i < n; i++) r[i] = a[i] - y; }
                else if (sa) { double x = a[0]; for (int i = 0; i < n; i++) r[i] = x - b[i]; }
                else for (int i = 0; i < n; i++) r[i] = a[i] - b[i];
                break;
            case MUL:
                if (sb) { double y = b[0]; for (int i = 0; i < n; i++) r[i] = a[i] * y; }
                else if (sa) { double x = a[0]; for (int i = 0; i < n; i++) r[i] = x * b[i]; }
                else for (int i = 0; i < n; i++) r[i] = a[i] * b[i];
                break;
            default:
                if (sb) { double y = b[0]; for (int i = 0; i < n; i++) r[i] = a[i] / y; }
                else if (sa) { double x = a[0]; for (int i = 0; i < n; i++) r[i] = x / b[i]; }
                else for (int i = 0; i < n; i++) r[i] = a[i] / b[i];
        }
    }

    /** {@code x op s} (or {@code s op x} when {@code scalarFirst}) for every element. */
    static double[] arithScalar(double[] x, double s, Arith op, boolean scalarFirst) {
        double[] r = Buffers.take(x.length);
        double[] sc = {s};
        if (scalarFirst) arith(sc, x, r, op);
        else arith(x, sc, r, op);
        return r;
    }

    /** Elementwise functions with their own loops (see {@link Arith} for why). */
    enum Unary { NEG, EXP, LOG, SQRT, ABS, TANH, SIGMOID, RELU, RECIPROCAL, SIGN, STEP }

    static double[] unary(double[] x, Unary f) {
        int n = x.length;
        double[] r = Buffers.take(n);
        switch (f) {
            case NEG: for (int i = 0; i < n; i++) r[i] = -x[i]; break;
            case EXP: for (int i = 0; i < n; i++) r[i] = Math.exp(x[i]); break;
            case LOG: for (int i = 0; i < n; i++) r[i] = Math.log(x[i]); break;
            case SQRT: for (int i = 0; i < n; i++) r[i] = Math.sqrt(x[i]); break;
            case ABS: for (int i = 0; i < n; i++) r[i] = Math.abs(x[i]); break;
            case TANH: for (int i = 0; i < n; i++) r[i] = tanh(x[i]); break;
            case SIGMOID:
                // two forms so exp never overflows
                for (int i = 0; i < n; i++) {
                    double v = x[i];
                    if (v >= 0) {
                        r[i] = 1.0 / (1.0 + Math.exp(-v));
                    } else {
                        double e = Math.exp(v);
                        r[i] = e / (1.0 + e);
                    }
                }
                break;
            case RELU: for (int i = 0; i < n; i++) r[i] = x[i] > 0 ? x[i] : 0.0; break;
            case RECIPROCAL: for (int i = 0; i < n; i++) r[i] = 1.0 / x[i]; break;
            case SIGN: for (int i = 0; i < n; i++) r[i] = Math.signum(x[i]); break;
            default: for (int i = 0; i < n; i++) r[i] = x[i] > 0 ? 1.0 : 0.0; // STEP: relu's derivative, 0 at 0
        }
        return r;
    }

    /**
     * Backward formulas of common ops in one loop each, in the same order of operations as the
     * tensor-op chains they replace (and rounded after each step for float32), so the values are
     * the same; only used when no graph is being built, when the chain's intermediates are not needed.
     */
    enum Backward { SIGMOID, TANH, DIV_OTHER, RELU }

    /**
     * SIGMOID: g (1 - y) y; TANH: g (1 - y y); DIV_OTHER: (-g x) / (y y); RELU: g (y > 0 ? 1 : 0)
     * (so g * 0, which is -0 for negative g, as the chain gives). All arrays have the same
     * length ({@code x} unused unless DIV_OTHER).
     */
    static double[] backward(Backward f, double[] g, double[] x, double[] y, boolean float32) {
        int n = g.length;
        double[] r = Buffers.take(n);
        switch (f) {
            case SIGMOID:
                if (float32) for (int i = 0; i < n; i++) r[i] = (float) ((float) (g[i] * (float) (1.0 - y[i])) * y[i]);
                else for (int i = 0; i < n; i++) r[i] = g[i] * (1.0 - y[i]) * y[i];
                break;
            case TANH:
                if (float32) for (int i = 0; i < n; i++) r[i] = (float) (g[i] * (float) (1.0 - (float) (y[i] * y[i])));
                else for (int i = 0; i < n; i++) r[i] = g[i] * (1.0 - y[i] * y[i]);
                break;
            case RELU:
                for (int i = 0; i < n; i++) r[i] = g[i] * (y[i] > 0 ? 1.0 : 0.0); // exact in float32 too
                break;
            default:
                if (float32) for (int i = 0; i < n; i++) r[i] = (float) ((float) (-g[i] * x[i]) / (float) (y[i] * y[i]));
                else for (int i = 0; i < n; i++) r[i] = -g[i] * x[i] / (y[i] * y[i]);
        }
        return r;
    }

    /**
     * tanh from the JIT's exp and log intrinsics, within a few ulps of Math.tanh (which on Java 17
     * is fdlibm's, several times slower). From |x| = 0.55 on, 1 - 2/(e^2|x| + 1) loses nothing (the
     * result is at least 0.5); below, e^2|x| - 1 comes from Kahan's expm1 (u - 1) y / log u, and
     * tanh = t / (t + 2).
     */
    static double tanh(double x) {
        double a = Math.abs(x);
        double t;
        if (a >= 0.55) {
            t = 1.0 - 2.0 / (Math.exp(2 * a) + 1.0);
        } else {
            double y = 2 * a, u = Math.exp(y);
            double em1 = u == 1.0 ? y : (u - 1.0) * y / Math.log(u);
            t = em1 / (em1 + 2.0);
        }
        return Math.copySign(t, x); // also NaN stays NaN
    }

    static double[] map(double[] x, DoubleUnaryOperator f) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) r[i] = f.applyAsDouble(x[i]);
        return r;
    }

    /** f(a, b) with NumPy broadcasting into {@code out}. */
    static double[] zip(double[] a, int[] as, double[] b, int[] bs, int[] out, DoubleBinaryOperator f) {
        int n = Shape.numel(out);
        double[] r = Buffers.take(n);
        // an operand with all n elements already has out's layout (broadcasting cannot stretch it)
        if (f instanceof Arith && (a.length == n || a.length == 1) && (b.length == n || b.length == 1)) {
            arith(a, b, r, (Arith) f);
        } else if (a.length == n && b.length == n && Arrays.equals(as, bs)) {
            for (int i = 0; i < n; i++) r[i] = f.applyAsDouble(a[i], b[i]);
        } else if (b.length == 1 && a.length == n) {
            double y = b[0];
            for (int i = 0; i < n; i++) r[i] = f.applyAsDouble(a[i], y);
        } else if (a.length == 1 && b.length == n) {
            double x = a[0];
            for (int i = 0; i < n; i++) r[i] = f.applyAsDouble(x, b[i]);
        } else if (a.length == n && isTrailing(bs, out)) {
            int m = b.length;
            for (int i = 0; i < n; i++) r[i] = f.applyAsDouble(a[i], b[i % m]);
        } else {
            // the last dim as a tight loop (each operand steps by 1 or 0 there), the others by index bookkeeping
            int[] sa = Shape.broadcastStrides(as, out), sb = Shape.broadcastStrides(bs, out);
            int nd = out.length, len = out[nd - 1], la = sa[nd - 1], lb = sb[nd - 1];
            Arith op = f instanceof Arith ? (Arith) f : null;
            int[] idx = new int[nd];
            int ia = 0, ib = 0;
            for (int i = 0; i < n; i += len) {
                if (op != null) arithRun(a, ia, la, b, ib, lb, r, i, len, op);
                else for (int j = 0; j < len; j++) r[i + j] = f.applyAsDouble(a[ia + j * la], b[ib + j * lb]);
                for (int d = nd - 2; d >= 0; d--) {
                    ia += sa[d];
                    ib += sb[d];
                    if (++idx[d] < out[d]) break;
                    ia -= sa[d] * out[d];
                    ib -= sb[d] * out[d];
                    idx[d] = 0;
                }
            }
        }
        return r;
    }

    /** r[ro + j] = a[ao + j*sa] op b[bo + j*sb] for j below len. */
    private static void arithRun(double[] a, int ao, int sa, double[] b, int bo, int sb, double[] r, int ro, int len, Arith op) {
        switch (op) {
            case ADD: for (int j = 0; j < len; j++) r[ro + j] = a[ao + j * sa] + b[bo + j * sb]; break;
            case SUB: for (int j = 0; j < len; j++) r[ro + j] = a[ao + j * sa] - b[bo + j * sb]; break;
            case MUL: for (int j = 0; j < len; j++) r[ro + j] = a[ao + j * sa] * b[bo + j * sb]; break;
            default: for (int j = 0; j < len; j++) r[ro + j] = a[ao + j * sa] / b[bo + j * sb];
        }
    }

    /** True when {@code s} equals the last dims of {@code out} (a bias-like operand repeated over leading dims). */
    private static boolean isTrailing(int[] s, int[] out) {
        if (s.length > out.length) return false;
        for (int i = 0; i < s.length; i++) if (s[s.length - 1 - i] != out[out.length - 1 - i]) return false;
        return true;
    }

    /** Reads {@code src} through arbitrary strides into a new contiguous array of {@code shape}. */
    static double[] gather(double[] src, int offset, int[] strides, int[] shape) {
        int n = Shape.numel(shape);
        double[] r = Buffers.take(n);
        int nd = shape.length;
        if (nd == 0 || n == 0) {
            if (n == 1) r[0] = src[offset];
            return r;
        }
        // the last dim as a run (a copy, a fill for a stretched dim, or a strided loop), the others by index bookkeeping
        int len = shape[nd - 1], step = strides[nd - 1];
        int[] idx = new int[nd];
        int p = offset;
        for (int i = 0; i < n; i += len) {
            if (step == 1) System.arraycopy(src, p, r, i, len);
            else if (step == 0) Arrays.fill(r, i, i + len, src[p]);
            else for (int j = 0; j < len; j++) r[i + j] = src[p + j * step];
            for (int d = nd - 2; d >= 0; d--) {
                p += strides[d];
                if (++idx[d] < shape[d]) break;
                p -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
        return r;
    }

    /** Adds {@code src} (contiguous, {@code shape}) into {@code dst} through strides. */
    static void scatterAdd(double[] dst, int offset, int[] strides, int[] shape, double[] src) {
        int n = src.length;
        int nd = shape.length;
        int[] idx = new int[nd];
        int p = offset;
        for (int i = 0; i < n; i++) {
            dst[p] += src[i];
            for (int d = nd - 1; d >= 0; d--) {
                p += strides[d];
                if (++idx[d] < shape[d]) break;
                p -= strides[d] * shape[d];
                idx[d] = 0;
            }
        }
    }

    /** Sums over the dims flagged in {@code reduce}; the result has those dims of size 1 (keepdim layout). */
    static double[] sum(double[] x, int[] shape, boolean[] reduce) {
        int nd = shape.length;
        int[] outShape = shape.clone();
        for (int d = 0; d < nd; d++) if (reduce[d]) outShape[d] = 1;
        int[] os = Shape.strides(outShape);
        for (int d = 0; d < nd; d++) if (reduce[d]) os[d] = 0;
        double[] r = new double[Shape.numel(outShape)];
        if (r.length == 1) {
            double s = 0;
            for (double v : x) s += v;
            r[0] = s;
            return r;
        }
        // the last dim as a tight loop, adding in the same order as element by element
        int len = shape[nd - 1];
        boolean reduceLast = reduce[nd - 1];
        int[] idx = new int[nd];
        int p = 0;
        for (int i = 0; i < x.length; i += len) {
            if (reduceLast) {
                double s = r[p];
                for (int j = 0; j < len; j++) s += x[i + j];
                r[p] = s;
            } else {
                for (int j = 0; j < len; j++) r[p + j] += x[i + j];
            }
            for (int d = nd - 2; d >= 0; d--) {
                p += os[d];
                if (++idx[d] < shape[d]) break;
                p -= os[d] * shape[d];
                idx[d] = 0;
            }
        }
        return r;
    }

    /** C[n x m] += A[n x k] * B[k x m] at the given offsets. */
    static void mm(double[] a, int ao, double[] b, int bo, double[] c, int co, int n, int k, int m) {
        Gemm.gemm(false, false, n, m, k, a, ao, b, bo, c, co);
    }
}
