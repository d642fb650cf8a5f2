package org.capeval.autograd;

/**
 * softmax and log_softmax of float32 values and their backward passes, computed the way torch 1.13's
 * CPU kernels compute them (SoftMaxKernel.cpp, AVX2 build). Everything is done in float. Along the
 * last dim, sums use its vector reduction ({@link #vectorSum}). Along any other dim, each position has
 * one sequential float sum. Where torch's build turns {@code acc + g y} and {@code g - exp(y) s} into
 * fused multiply-adds, so does this code. Only exp and log differ from torch: these are
 * {@link FloatMath}'s, within an ulp of torch's vectorized ones.
 * Values are laid out as [outer, size, inner] around the dim.
 */
final class FloatSoftmax {
    private FloatSoftmax() {}

    /** Lanes of torch's float vectors (AVX2). */
    private static final int LANES = 8;

    static float[] forward(float[] x, int outer, int size, int inner, boolean log) {
        if (size == 0) return new float[0]; // no elements (outer * 0 * inner)
        float[] r = Buffers.takeFloats(x.length); // every element written
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int b = o * size * inner + i;
                float m = x[b];
                for (int k = 1; k < size; k++) m = Math.max(m, x[b + k * inner]);
                float s = 0;
                for (int k = 0; k < size; k++) {
                    float e = FloatMath.exp(x[b + k * inner] - m);
                    r[b + k * inner] = e;
                    s += e;
                }
                // along the last dim torch adds the exps by its vector reduction and scales by 1 / sum; elsewhere it divides
                if (inner == 1) s = vectorSum(r, b, size, null);
                if (log) {
                    float ls = FloatMath.log(s);
                    for (int k = 0; k < size; k++) r[b + k * inner] = x[b + k * inner] - m - ls;
                } else if (inner == 1) {
                    float inv = 1f / s;
                    for (int k = 0; k < size; k++) r[b + k] *= inv;
                } else {
                    for (int k = 0; k < size; k++) r[b + k * inner] /= s;
                }
            }
        }
        return r;
    }

    /**
     * The input's gradient from the output's {@code g} and the forward result {@code y}: softmax's
     * {@code (g - sum(g y)) y}, log_softmax's {@code g - exp(y) sum(g)}.
     */
    static float[] backward(float[] g, float[] y, int outer, int size, int inner, boolean log) {
        float[] r = Buffers.takeFloats(g.length); // every element written
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int b = o * size * inner + i;
                float s;
                if (inner == 1) {
                    s = vectorSum(g, b, size, log ? null : y);
                } else {
                    s = 0;
                    for (int k = 0; k < size; k++) s = log ? s + g[b + k * inner] : Math.fma(g[b + k * inner], y[b + k * inner], s);
                }
                for (int k = 0; k < size; k++) {
                    int p = b + k * inner;
                    r[p] = log ? Math.fma(-FloatMath.exp(y[p]), s, g[p]) : (g[p] - s) * y[p];
                }
            }
        }
        return r;
    }

    /**
     * The sum of x[off], ..., x[off + n - 1] (of the products x y when {@code y} is not null) in the
     * order of torch's vec::reduce_all and map2_reduce_all. Eight lane sums start from the first
     * eight values. Each further whole group of eight adds lane by lane (a fused multiply-add for
     * products), and the leftover values add into the first lanes. The AVX2 shuffles then fold the
     * lanes as ((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7)). Under eight values, they are
     * added one after another.
     */
    static float vectorSum(float[] x, int off, int n, float[] y) {
        if (n == 0) return 0;
        if (n < LANES) {
            float s = term(x, y, off);
            for (int k = 1; k < n; k++) s += term(x, y, off + k);
            return s;
        }
        float[] l = new float[LANES];
        for (int j = 0; j < LANES; j++) l[j] = term(x, y, off + j);
        for (int k = LANES; k < n; k++) {
            int j = k % LANES, p = off + k;
            l[j] = y == null ? l[j] + x[p] : Math.fma(x[p], y[p], l[j]);
        }
        return ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]));
    }

    private static float term(float[] x, float[] y, int p) {
        return y == null ? x[p] : x[p] * y[p];
    }
}
