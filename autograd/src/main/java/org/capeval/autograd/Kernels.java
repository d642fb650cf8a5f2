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

    /** {@link #arith} in float32 arithmetic, as torch's float kernels compute. */
    private static void arith(float[] a, float[] b, float[] r, Arith op) {
        int n = r.length;
        boolean sa = a.length == 1 && n != 1, sb = b.length == 1 && n != 1;
        switch (op) {
            case ADD:
                if (sb) { float y = b[0]; for (int i = 0; i < n; i++) r[i] = a[i] + y; }
                else if (sa) { float x = a[0]; for (int i = 0; i < n; i++) r[i] = x + b[i]; }
                else for (int i = 0; i < n; i++) r[i] = a[i] + b[i];
                break;
            case SUB:
                if (sb) { float y = b[0]; for (int i = 0; i < n; i++) r[i] = a[i] - y; }
                else if (sa) { float x = a[0]; for (int i = 0; i < n; i++) r[i] = x - b[i]; }
                else for (int i = 0; i < n; i++) r[i] = a[i] - b[i];
                break;
            case MUL:
                if (sb) { float y = b[0]; for (int i = 0; i < n; i++) r[i] = a[i] * y; }
                else if (sa) { float x = a[0]; for (int i = 0; i < n; i++) r[i] = x * b[i]; }
                else for (int i = 0; i < n; i++) r[i] = a[i] * b[i];
                break;
            default:
                if (sb) { float y = b[0]; for (int i = 0; i < n; i++) r[i] = a[i] / y; }
                else if (sa) { float x = a[0]; for (int i = 0; i < n; i++) r[i] = x / b[i]; }
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

    /** {@link #arithScalar} in float32: the scalar is rounded to float first, as torch's opmath for float. */
    static float[] arithScalar(float[] x, float s, Arith op, boolean scalarFirst) {
        float[] r = Buffers.takeFloats(x.length);
        float[] sc = {s};
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
     * {@link #unary} in float32 as torch's float kernels: each arithmetic step in float, exp and log
     * by {@link FloatMath}, sqrt and tanh rounded to float from double (torch's vectorized float
     * versions are within an ulp of these), sigmoid as torch's {@code 1 / (1 + exp(-x))} in float.
     */
    static float[] unary(float[] x, Unary f) {
        int n = x.length;
        float[] r = Buffers.takeFloats(n);
        switch (f) {
            case NEG: for (int i = 0; i < n; i++) r[i] = -x[i]; break;
            case EXP: for (int i = 0; i < n; i++) r[i] = FloatMath.exp(x[i]); break;
            case LOG: for (int i = 0; i < n; i++) r[i] = FloatMath.log(x[i]); break;
            case SQRT: for (int i = 0; i < n; i++) r[i] = (float) Math.sqrt(x[i]); break;
            case ABS: for (int i = 0; i < n; i++) r[i] = Math.abs(x[i]); break;
            case TANH: for (int i = 0; i < n; i++) r[i] = (float) tanh(x[i]); break;
            case SIGMOID: for (int i = 0; i < n; i++) r[i] = 1f / (1f + FloatMath.exp(-x[i])); break;
            case RELU: for (int i = 0; i < n; i++) r[i] = x[i] > 0 ? x[i] : 0f; break;
            case RECIPROCAL: for (int i = 0; i < n; i++) r[i] = 1f / x[i]; break;
            case SIGN: for (int i = 0; i < n; i++) r[i] = Math.signum(x[i]); break;
            default: for (int i = 0; i < n; i++) r[i] = x[i] > 0 ? 1f : 0f;
        }
        return r;
    }

    /**
     * x^p for float32 as torch 1.13's CPU pow by a scalar: exponents 2, 3 and -2 by float products
     * ({@code x x}, {@code x x x}, {@code 1 / (x x)}), 0.5 by sqrt, -0.5 by {@code 1 / sqrt},
     * -1 by the reciprocal, others by pow (here the double pow rounded, within an ulp of torch's).
     */
    static float[] pow(float[] x, float p) {
        int n = x.length;
        float[] r = Buffers.takeFloats(n);
        if (p == 2f) for (int i = 0; i < n; i++) r[i] = x[i] * x[i];
        else if (p == 3f) for (int i = 0; i < n; i++) r[i] = x[i] * x[i] * x[i];
        else if (p == -2f) for (int i = 0; i < n; i++) r[i] = 1f / (x[i] * x[i]);
        else if (p == 0.5f) for (int i = 0; i < n; i++) r[i] = (float) Math.sqrt(x[i]);
        else if (p == -0.5f) for (int i = 0; i < n; i++) r[i] = 1f / (float) Math.sqrt(x[i]);
        else if (p == -1f) for (int i = 0; i < n; i++) r[i] = 1f / x[i];
        else for (int i = 0; i < n; i++) r[i] = (float) Math.pow(x[i], p);
        return r;
    }

    /**
     * Backward formulas of common ops in one loop each, in the same order of operations as the
     * tensor-op chains they replace (and rounded after each step for float32), so the values are
     * the same; only used when no graph is being built, when the chain's intermediates are not needed.
     * TANH is the value of torch's tanh_backward op itself, used whether or not a graph is built.
     */
    enum Backward { SIGMOID, TANH, DIV_OTHER, RELU }

    /**
     * SIGMOID: g (1 - y) y; TANH: g (1 - y y), 1 - y y by a fused multiply-add as torch's kernel; DIV_OTHER: -g ((x / y) / y) (torch's order); RELU: g (y > 0 ? 1 : 0)
     * (so g * 0, which is -0 for negative g, as the chain gives). All arrays have the same
     * length ({@code x} unused unless DIV_OTHER).
     */
    static double[] backward(Backward f, double[] g, double[] x, double[] y) {
        int n = g.length;
        double[] r = Buffers.take(n);
        switch (f) {
            case SIGMOID: for (int i = 0; i < n; i++) r[i] = g[i] * (1.0 - y[i]) * y[i]; break;
            case TANH: for (int i = 0; i < n; i++) r[i] = g[i] * Math.fma(-y[i], y[i], 1.0); break;
            case RELU: for (int i = 0; i < n; i++) r[i] = g[i] * (y[i] > 0 ? 1.0 : 0.0); break;
            default: for (int i = 0; i < n; i++) r[i] = -g[i] * (x[i] / y[i] / y[i]);
        }
        return r;
    }

    /** {@link #backward} in float32, the chain's float ops. */
    static float[] backward(Backward f, float[] g, float[] x, float[] y) {
        int n = g.length;
        float[] r = Buffers.takeFloats(n);
        switch (f) {
            case SIGMOID: for (int i = 0; i < n; i++) r[i] = g[i] * (1f - y[i]) * y[i]; break;
            case TANH: for (int i = 0; i < n; i++) r[i] = g[i] * Math.fma(-y[i], y[i], 1f); break;
            case RELU: for (int i = 0; i < n; i++) r[i] = g[i] * (y[i] > 0 ? 1f : 0f); break;
            default: for (int i = 0; i < n; i++) r[i] = -g[i] * (x[i] / y[i] / y[i]);
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
            Arith op = f instanceof Arith ? (Arith) f : null;
            walk(out, Shape.broadcastStrides(as, out), 0, Shape.broadcastStrides(bs, out), 0, (ia, la, ib, lb, ro, len) -> {
                if (op != null) arithRun(a, ia, la, b, ib, lb, r, ro, len, op);
                else for (int j = 0; j < len; j++) r[ro + j] = f.applyAsDouble(a[ia + j * la], b[ib + j * lb]);
            });
        }
        return r;
    }

    /** {@link #zip} of an arithmetic op in float32 arithmetic (operands already in float, as torch casts them). */
    static float[] zip(float[] a, int[] as, float[] b, int[] bs, int[] out, Arith op) {
        int n = Shape.numel(out);
        float[] r = Buffers.takeFloats(n);
        if ((a.length == n || a.length == 1) && (b.length == n || b.length == 1)) {
            arith(a, b, r, op);
        } else {
            walk(out, Shape.broadcastStrides(as, out), 0, Shape.broadcastStrides(bs, out), 0,
                    (ia, la, ib, lb, ro, len) -> arithRun(a, ia, la, b, ib, lb, r, ro, len, op));
        }
        return r;
    }

    /** A run along the last dim: element j is at {@code ia + j la} in one operand, {@code ib + j lb} in the other, {@code ro + j} in the result. */
    private interface Run {
        void run(int ia, int la, int ib, int lb, int ro, int len);
    }

    /**
     * Visits the elements of {@code shape} in row-major order as runs along the last dim (tight loops
     * for the caller), keeping two operands' positions by their strides (0 for a stretched dim).
     */
    private static void walk(int[] shape, int[] sa, int oa, int[] sb, int ob, Run run) {
        if (Shape.numel(shape) == 0) return;
        // dims that step through both operands as one longer dim are merged (size-1 dims dropped), so the runs are as long as they can be
        int nd = 0;
        int[] size = new int[shape.length], ta = new int[shape.length], tb = new int[shape.length];
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (nd > 0 && ta[nd - 1] == sa[d] * shape[d] && tb[nd - 1] == sb[d] * shape[d]) {
                size[nd - 1] *= shape[d];
            } else {
                size[nd] = shape[d];
                nd++;
            }
            ta[nd - 1] = sa[d];
            tb[nd - 1] = sb[d];
        }
        if (nd == 0) {
            run.run(oa, 0, ob, 0, 0, 1);
            return;
        }
        int n = Shape.numel(shape), len = size[nd - 1], la = ta[nd - 1], lb = tb[nd - 1];
        int[] idx = new int[nd];
        int ia = oa, ib = ob;
        for (int i = 0; i < n; i += len) {
            run.run(ia, la, ib, lb, i, len);
            for (int d = nd - 2; d >= 0; d--) {
                ia += ta[d];
                ib += tb[d];
                if (++idx[d] < size[d]) break;
                ia -= ta[d] * size[d];
                ib -= tb[d] * size[d];
                idx[d] = 0;
            }
        }
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

    private static void arithRun(float[] a, int ao, int sa, float[] b, int bo, int sb, float[] r, int ro, int len, Arith op) {
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
        double[] r = Buffers.take(Shape.numel(shape));
        // each run a copy, a fill for a stretched dim, or a strided loop
        walk(shape, strides, offset, strides, offset, (p, step, unused, unused2, i, len) -> {
            if (step == 1) System.arraycopy(src, p, r, i, len);
            else if (step == 0) Arrays.fill(r, i, i + len, src[p]);
            else for (int j = 0; j < len; j++) r[i + j] = src[p + j * step];
        });
        return r;
    }

    static float[] gather(float[] src, int offset, int[] strides, int[] shape) {
        float[] r = Buffers.takeFloats(Shape.numel(shape));
        walk(shape, strides, offset, strides, offset, (p, step, unused, unused2, i, len) -> {
            if (step == 1) System.arraycopy(src, p, r, i, len);
            else if (step == 0) Arrays.fill(r, i, i + len, src[p]);
            else for (int j = 0; j < len; j++) r[i + j] = src[p + j * step];
        });
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

    /**
     * {@link #sum} in float32, adding as torch 1.13's CPU kernel (SumKernel's cascade_sum) adds, bit
     * for bit, when the summed dims lie together (size-1 dims aside): for each index of the kept dims
     * before them, {@link #torchFloatSum} of the run when no kept dim follows (a full sum, sums of
     * rows), else {@link #torchColumnSums} over the kept dims after them (sums of columns). Summed
     * dims on both sides of a kept one: {@link #splitSum}.
     */
    static float[] sum(float[] x, int[] shape, boolean[] reduce) {
        int outer = 1, reduced = 1, inner = 1, block = 0; // block: 0 before the reduced dims, 1 in them, 2 after
        boolean together = true;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (reduce[d]) {
                if (block == 2) together = false;
                block = 1;
                reduced *= shape[d];
            } else if (block == 0) {
                outer *= shape[d];
            } else {
                block = 2;
                inner *= shape[d];
            }
        }
        if (Shape.numel(shape) == 0) reduced = 0;
        float[] r = new float[outer * inner];
        if (!together) return splitSum(x, shape, reduce, r);
        for (int o = 0; o < outer; o++) {
            if (inner == 1) r[o] = torchFloatSum(x, o * reduced, reduced);
            else torchColumnSums(x, o * reduced * inner, reduced, inner, r, o * inner);
        }
        return r;
    }

    /**
     * A float32 sum over dims that lie on both sides of a kept dim, as torch 1.13's CPU kernel adds
     * it. Its iterator puts the summed dims first, innermost first, merging runs of neighbouring dims,
     * so the kernel's two-dim step sees the innermost run of summed dims and the next one: each row
     * along the innermost run is summed on its own ({@link #torchFloatSum}'s vector order when that
     * run is contiguous and 8 or more long, else {@link #rowSum} of single floats at its stride) and
     * added to the result, rows in row-major order of the other summed dims. Results in kept-dims
     * row-major order into {@code r}.
     */
    private static float[] splitSum(float[] x, int[] shape, boolean[] reduce, float[] r) {
        int nd = shape.length;
        int[] st = Shape.strides(shape);
        // the innermost run of summed dims (size-1 dims do not break it): its length and element stride
        int d = nd - 1;
        while (!reduce[d] || shape[d] == 1) d--;
        int rowLen = 1, rowStride = st[d];
        for (; d >= 0 && (reduce[d] || shape[d] == 1); d--) rowLen *= shape[d];
        int inner = d; // dims 0..inner hold the other summed dims (and kept ones)
        // output positions: kept dims in row-major order; the rows: every index of the dims 0..inner
        int[] outStride = new int[nd];
        for (int k = nd - 1, s = 1; k >= 0; k--) {
            if (reduce[k]) continue;
            outStride[k] = s;
            s *= shape[k];
        }
        boolean vector = rowStride == 1 && rowLen >= TORCH_VECTOR;
        int[] idx = new int[inner + 1];
        int rows = 1;
        for (int k = 0; k <= inner; k++) rows *= shape[k];
        // rows visited in row-major order of dims 0..inner: for a fixed output, that is row-major order of its summed dims
        for (int row = 0; row < rows; row++) {
            int in = 0, out = 0;
            for (int k = 0; k <= inner; k++) {
                in += idx[k] * st[k];
                out += idx[k] * outStride[k];
            }
            // kept dims below the run (after it in memory) select the row's offset too
            for (int q = 0; q < rowStride; q++) {
                int o = out;
                int rem = q;
                for (int k = nd - 1; k > inner; k--) {
                    if (reduce[k] || shape[k] == 1) continue;
                    o += (rem % shape[k]) * outStride[k];
                    rem /= shape[k];
                }
                float s = vector ? vectorRowSum(x, in + q, rowLen) : rowSum(x, in + q, rowLen, rowStride, 1)[0];
                r[o] += s;
            }
            for (int k = inner; k >= 0; k--) {
                if (++idx[k] < shape[k]) break;
                idx[k] = 0;
            }
        }
        return r;
    }

    /** Lanes of torch's float vectors on its AVX2 (and default) CPU kernels. */
    private static final int TORCH_VECTOR = 8;

    /**
     * x[off], ..., x[off + n - 1] added as torch 1.13's contiguous float sum does (vectorized_inner_sum):
     * whole vectors of 8 lanes by {@link #rowSum}; then the leftover elements one by one, then the
     * eight lanes in order. Under 8 elements, {@link #rowSum} of single floats.
     */
    static float torchFloatSum(float[] x, int off, int n) {
        if (n < TORCH_VECTOR) return 0f + rowSum(x, off, n, 1, 1)[0];
        return 0f + vectorRowSum(x, off, n); // added into the zero-filled result
    }

    /** torch's sum of one contiguous row of at least 8 floats (vectorized_inner_sum's, before it is added to the result). */
    private static float vectorRowSum(float[] x, int off, int n) {
        int vectors = n / TORCH_VECTOR;
        float[] lanes = rowSum(x, off, vectors, TORCH_VECTOR, TORCH_VECTOR);
        float s = 0;
        for (int k = vectors * TORCH_VECTOR; k < n; k++) s += x[off + k];
        for (int k = 0; k < TORCH_VECTOR; k++) s += lanes[k];
        return s;
    }

    /**
     * The column sums of a rows x cols matrix at {@code off} into {@code r} from {@code ro}, as torch 1.13 adds them (its outer
     * reductions): groups of 32 columns (4 if there are fewer than 8 columns) by {@link #multiRowSum},
     * each remaining column by {@link #rowSum}.
     */
    static void torchColumnSums(float[] x, int off, int rows, int cols, float[] r, int ro) {
        int group = cols >= TORCH_VECTOR ? 4 * TORCH_VECTOR : 4, j = 0;
        for (; j + group <= cols; j += group) {
            float[] s = multiRowSum(x, off + j, cols, 1, 0, group, rows);
            for (int k = 0; k < group; k++) r[ro + j + k] = 0f + s[k];
        }
        if (j < cols) {
            float[] s = rowSum(x, off + j, rows, cols, cols - j);
            for (int k = 0; j + k < cols; k++) r[ro + j + k] = 0f + s[k];
        }
    }

    /**
     * torch's row_sum: {@code n} items of {@code width} floats ({@code stride} apart), added as four
     * interleaved sums ({@link #multiRowSum} of groups of four items), the leftover items into the
     * first, then the four folded in order; returns the {@code width} sums first in its array.
     */
    private static float[] rowSum(float[] x, int off, int n, int stride, int width) {
        int ilp = 4, rows = n / ilp;
        float[] p = multiRowSum(x, off, ilp * stride, ilp, stride, width, rows);
        for (int i = rows * ilp; i < n; i++) for (int k = 0; k < width; k++) p[k] += x[off + i * stride + k];
        for (int j = 1; j < ilp; j++) for (int k = 0; k < width; k++) p[k] += p[j * width + k];
        return p;
    }

    /**
     * torch's multi_row_sum: the sums down {@code items * width} columns of {@code rows} rows (row i
     * at {@code off + i rowStride}, holding {@code items} runs of {@code width} floats
     * {@code itemStride} apart), over four levels of accumulators (every 2^p rows the lowest level
     * moves up, cascading) so the rounding error grows with log n rather than n.
     */
    private static float[] multiRowSum(float[] x, int off, int rowStride, int items, int itemStride, int width, int rows) {
        int levels = 4, columns = items * width;
        int power = Math.max(4, ceilLog2(rows) / levels), step = 1 << power, mask = step - 1;
        float[][] acc = new float[levels][columns];
        int i = 0;
        while (i + step <= rows) {
            for (int j = 0; j < step; j++, i++) addRow(x, off + i * rowStride, items, itemStride, width, acc[0]);
            for (int j = 1; j < levels; j++) {
                for (int k = 0; k < columns; k++) {
                    acc[j][k] += acc[j - 1][k];
                    acc[j - 1][k] = 0;
                }
                if ((i & (mask << (j * power))) != 0) break;
            }
        }
        for (; i < rows; i++) addRow(x, off + i * rowStride, items, itemStride, width, acc[0]);
        for (int j = 1; j < levels; j++) for (int k = 0; k < columns; k++) acc[0][k] += acc[j][k];
        return acc[0];
    }

    private static void addRow(float[] x, int b, int items, int itemStride, int width, float[] acc) {
        for (int q = 0; q < items; q++) {
            int p = b + q * itemStride, a = q * width;
            for (int k = 0; k < width; k++) acc[a + k] += x[p + k];
        }
    }

    static int ceilLog2(int x) {
        return x <= 2 ? 1 : 32 - Integer.numberOfLeadingZeros(x - 1);
    }

    /** C[n x m] += A[n x k] * B[k x m] at the given offsets. */
    static void mm(double[] a, int ao, double[] b, int bo, double[] c, int co, int n, int k, int m) {
        Gemm.gemm(false, false, n, m, k, a, ao, b, bo, c, co);
    }
}
