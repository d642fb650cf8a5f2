package org.capeval.autograd;

/**
 * Row-major {@code C[n x m] += op(A)[n x k] * op(B)[k x m]}. Large products go to BLAS through
 * dev.ludovic.netlib, the library Spark MLlib uses: the machine's native BLAS (e.g. OpenBLAS, loaded
 * through JNI; its JNI glue needs f2j's arpack_combined_all on the class path) when there is one,
 * else VectorBLAS (jdk.incubator.vector) or its plain-Java fallback. Small products stay in plain
 * Java, where the call overhead dominates; in float32 they follow the order of the BLAS kernels torch
 * calls for them (OpenBLAS 0.3.21 on AVX2 cores).
 */
final class Gemm {
    private Gemm() {}

    static final long BLAS_MIN_WORK = 1 << 15;

    /** Loaded on first large product; null when the BLAS jar is not on the class path. */
    private static final class Holder {
        static volatile dev.ludovic.netlib.blas.BLAS blas = load();

        private static dev.ludovic.netlib.blas.BLAS load() {
            try {
                return dev.ludovic.netlib.blas.BLAS.getInstance();
            } catch (Throwable t) {
                return null;
            }
        }
    }

    /** The BLAS large products go to (null: none, plain loops only). */
    static dev.ludovic.netlib.blas.BLAS blas() {
        return Holder.blas;
    }

    /** For tests: routes large products to {@code blas} from now on; returns the previous one. */
    static dev.ludovic.netlib.blas.BLAS use(dev.ludovic.netlib.blas.BLAS blas) {
        dev.ludovic.netlib.blas.BLAS old = Holder.blas;
        Holder.blas = blas;
        return old;
    }

    /**
     * Whether a float32 product of this size is computed by the BLAS's sgemm/sgemv on the floats, as
     * torch computes it: large products with a BLAS. Smaller ones compute in float in torch's order
     * ({@link #torchOrderFloat}); large ones without a BLAS take the double loops and are rounded.
     */
    static boolean singlePrecision(Tensor a, Tensor b, int n, int m, int k) {
        return a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && (long) n * m * k >= BLAS_MIN_WORK && Holder.blas != null;
    }

    /**
     * Whether a float32 product of this size is computed in float by {@link #sgemmTorchOrder} (small
     * products, where a BLAS call costs more than the loops, and torch's order is cheap to follow).
     */
    static boolean torchOrderFloat(Tensor a, Tensor b, int n, int m, int k) {
        return a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && (long) n * m * k < BLAS_MIN_WORK;
    }

    /** {@link #gemm} in single precision, BLAS only (callers ask {@link #singlePrecision} first). */
    static void sgemm(boolean transA, boolean transB, int n, int m, int k,
                      float[] a, int ao, float[] b, int bo, float[] c, int co) {
        dev.ludovic.netlib.blas.BLAS blas = Holder.blas;
        if (m == 1) {
            if (transA) blas.sgemv("N", n, k, 1f, a, ao, n, b, bo, 1, 1f, c, co, 1);
            else blas.sgemv("T", k, n, 1f, a, ao, k, b, bo, 1, 1f, c, co, 1);
        } else if (n == 1) {
            if (transB) blas.sgemv("T", k, m, 1f, b, bo, k, a, ao, 1, 1f, c, co, 1);
            else blas.sgemv("N", m, k, 1f, b, bo, m, a, ao, 1, 1f, c, co, 1);
        } else {
            blas.sgemm(transB ? "T" : "N", transA ? "T" : "N", m, n, k, 1f,
                    b, bo, transB ? k : m, a, ao, transA ? n : k, 1f, c, co, m);
        }
    }

    /** OpenBLAS 0.3.21's single-precision blocking on AVX2 cores (its Haswell and Zen kernels): GEMM_P, GEMM_Q, unroll along M. */
    private static final int SGEMM_P = 320, SGEMM_Q = 320, SGEMM_UNROLL_M = 8;

    /**
     * Row-major {@code C[n x m] += op(A) op(B)} in float, adding as torch 1.13's CPU mm does on an AVX2
     * machine: it calls sgemm of the system BLAS, Debian's OpenBLAS 0.3.21, for the column-major
     * product {@code C^T = op(B)^T op(A)^T} (M = m, N = n). There each element is a chain of fused
     * multiply-adds along k, within blocks of k of OpenBLAS's driver, each block's chain added to C
     * (which holds 0 or a bias) once. Some tiles of its kernel keep two chains, one for even and one
     * for odd k, over the whole groups of 8, and add them at the end ({@link #evenOddTiles}). Checked
     * bit for bit against torch for products of every tile shape, with and without a bias, transposed
     * operands, and k over one block.
     */
    static void sgemmTorchOrder(boolean transA, boolean transB, int n, int m, int k,
                                float[] a, int ao, float[] b, int bo, float[] c, int co) {
        if (n == 0 || m == 0 || k == 0) return;
        boolean[] split = evenOddTiles(m, n);
        // a row of C at a time, each element its own chain(s) along k: the inner loops run along the row
        float[] even = new float[m], odd = new float[m];
        boolean[] two = new boolean[m];
        for (int ls = 0; ls < k; ) {
            int len = k - ls;
            if (len >= 2 * SGEMM_Q) len = SGEMM_Q;
            else if (len > SGEMM_Q) len = (len / 2 + SGEMM_UNROLL_M - 1) / SGEMM_UNROLL_M * SGEMM_UNROLL_M;
            int whole = len / 8 * 8;
            for (int i = 0; i < n; i++) {
                java.util.Arrays.fill(even, 0f);
                java.util.Arrays.fill(odd, 0f);
                boolean anyTwo = false;
                for (int j = 0; j < m; j++) anyTwo |= two[j] = split[j * n + i];
                for (int p = ls; p < ls + len; p++) {
                    float av = transA ? a[ao + p * n + i] : a[ao + i * k + p];
                    boolean oddStep = anyTwo && p - ls < whole && ((p - ls) & 1) == 1;
                    if (transB) {
                        for (int j = 0; j < m; j++) {
                            float bv = b[bo + j * k + p];
                            if (oddStep && two[j]) odd[j] = Math.fma(av, bv, odd[j]);
                            else even[j] = Math.fma(av, bv, even[j]);
                        }
                    } else if (oddStep) {
                        int row = bo + p * m;
                        for (int j = 0; j < m; j++) {
                            if (two[j]) odd[j] = Math.fma(av, b[row + j], odd[j]);
                            else even[j] = Math.fma(av, b[row + j], even[j]);
                        }
                    } else {
                        int row = bo + p * m;
                        for (int j = 0; j < m; j++) even[j] = Math.fma(av, b[row + j], even[j]);
                    }
                }
                int crow = co + i * m;
                for (int j = 0; j < m; j++) c[crow + j] += two[j] ? even[j] + odd[j] : even[j];
            }
            ls += len;
        }
    }

    /**
     * The float32 dot product as torch 1.13's CPU dot gets it from the system BLAS's sdot (OpenBLAS
     * 0.3.21's kernel for AVX2 cores): the whole groups of 32 in 32 lanes of fused multiply-adds, the
     * lanes folded as its vector adds fold them (each register's halves, then registers 0 + 1 and
     * 2 + 3, then two horizontal adds), the rest as float products added into a double from 0, then the
     * folded lanes added to that double, rounded to float once. Checked bit for bit against torch for
     * every length up to 70 and some longer.
     */
    static float sdotTorchOrder(float[] x, float[] y, int n) {
        int whole = n & -32;
        float folded = 0;
        if (whole > 0) {
            float[] acc = new float[32];
            for (int b = 0; b < whole; b += 32) for (int l = 0; l < 32; l++) acc[l] = Math.fma(x[b + l], y[b + l], acc[l]);
            float[] w = new float[4];
            for (int q = 0; q < 4; q++) {
                float r0 = acc[q] + acc[q + 4], r1 = acc[8 + q] + acc[12 + q], r2 = acc[16 + q] + acc[20 + q], r3 = acc[24 + q] + acc[28 + q];
                w[q] = (r0 + r1) + (r2 + r3);
            }
            folded = (w[0] + w[1]) + (w[2] + w[3]);
        }
        double tail = 0;
        for (int i = whole; i < n; i++) tail += y[i] * x[i]; // the float product, widened
        return (float) (tail + folded);
    }

    /** OpenBLAS 0.3.21's block of rows in its sgemv kernels for AVX2 cores. */
    private static final int SGEMV_NB = 4096;

    /**
     * The row blocks both sgemv kernels take: blocks of 4096 rows, then the rest rounded down to 4;
     * the last m mod 4 rows are each kernel's own tail.
     */
    private static int[] sgemvBlocks(int m) {
        int whole = m & -4, full = whole / SGEMV_NB, rest = whole % SGEMV_NB;
        int[] blocks = new int[full + (rest > 0 ? 1 : 0)];
        java.util.Arrays.fill(blocks, 0, full, SGEMV_NB);
        if (rest > 0) blocks[full] = rest;
        return blocks;
    }

    /**
     * y[j] = sum_i A(i, j) x[i] for the column-major m x n matrix A (A(i, j) at {@code a[ao + j lda + i]}),
     * as OpenBLAS 0.3.21's sgemv "T" adds on AVX2 cores (torch's mv of a row-major matrix calls it). The
     * rows go in blocks of 4096 (the last block the rest rounded down to 4), each block's partial sum
     * added to y: columns in fours by 8 lanes of fused multiply-adds (a first group of 4 rows in lanes
     * 0-3), folded by halves and two horizontal adds; then two columns, then one, by 4 lanes of rounded
     * products (the single column in two sets of 4 lanes, alternating by 4 rows). The last m mod 4 rows
     * add to y as {@code y + ((p0 + p1) + p2)}, p the rounded products. Checked bit for bit against
     * torch's mv.
     */
    static void sgemvTTorchOrder(float[] a, int ao, int lda, int m, int n, float[] x, float[] y) {
        int m3 = m & 3, base = 0;
        for (int nb : sgemvBlocks(m)) {
            int n4 = n & -4;
            for (int j = 0; j < n; j++) {
                int col = ao + j * lda + base;
                float t;
                if (j < n4) t = lanes8(a, col, x, base, nb);
                else if ((n & 2) != 0 && j < n4 + 2) t = lanes4(a, col, x, base, nb, false);
                else t = lanes4(a, col, x, base, nb, true);
                y[j] += t;
            }
            base += nb;
        }
        if (m3 == 0) return;
        for (int j = 0; j < n; j++) {
            int col = ao + j * lda + base;
            float t = a[col] * x[base];
            for (int i = 1; i < m3; i++) t += a[col + i] * x[base + i];
            y[j] += t;
        }
    }

    /** The sgemv "T" kernel for 4 columns, one column: 8 fma lanes over nb rows, folded. */
    private static float lanes8(float[] a, int col, float[] x, int xo, int nb) {
        float[] l = new float[8];
        int head = nb & 4;
        for (int i = 0; i < nb; i++) {
            int lane = i < head ? i : (i - head) & 7;
            l[lane] = Math.fma(a[col + i], x[xo + i], l[lane]);
        }
        float t0 = l[0] + l[4], t1 = l[1] + l[5], t2 = l[2] + l[6], t3 = l[3] + l[7];
        return (t0 + t1) + (t2 + t3);
    }

    /** The sgemv "T" kernels for 2 columns and for 1 (two alternating sets of lanes): 4 lanes of rounded products, folded. */
    private static float lanes4(float[] a, int col, float[] x, int xo, int nb, boolean twoSets) {
        float[] l = new float[8];
        int head = twoSets ? nb & 4 : 0;
        for (int i = 0; i < nb; i++) {
            float p = a[col + i] * x[xo + i];
            int set = twoSets && i >= head ? ((i - head) >> 2) & 1 : 0;
            l[set * 4 + ((i < head ? i : i - head) & 3)] += p;
        }
        if (!twoSets) return (l[0] + l[1]) + (l[2] + l[3]);
        float q0 = l[0] + l[4], q1 = l[1] + l[5], q2 = l[2] + l[6], q3 = l[3] + l[7];
        return (q0 + q1) + (q2 + q3);
    }

    /**
     * y[i] = sum_j A(i, j) x[j] for the column-major m x n matrix A, as OpenBLAS 0.3.21's sgemv "N"
     * adds on AVX2 cores (torch's mv of a transposed matrix, as in mv's backward, calls it). Rows in
     * blocks of 4096 as {@link #sgemvTTorchOrder}; each block's y updated by groups of 8 columns, then 4,
     * 2, 1: a group of 8 or 4 adds to y one chain of fused multiply-adds over its columns, except in the
     * block's first rows (4 if its length has a 4, then 8 if what is left has an 8), where it adds the
     * sum of two chains (even and odd columns); groups of 2 and 1 add their rounded products one at a
     * time. The last m mod 4 rows: a float sum of the rounded products from 0 (grouped in pairs, or
     * fours for one row, when the matrix is only those rows), added to y. Checked bit for bit against torch.
     */
    static void sgemvNTorchOrder(float[] a, int ao, int lda, int m, int n, float[] x, float[] y) {
        int m3 = m & 3, base = 0;
        for (int nb : sgemvBlocks(m)) {
            int s4 = nb & 4, head = s4 + ((nb - s4) & 8);
            for (int j0 = 0; j0 < n; ) {
                int w = n - j0 >= 8 ? 8 : n - j0 >= 4 ? 4 : n - j0 >= 2 ? 2 : 1;
                for (int r = 0; r < nb; r++) {
                    int i = base + r;
                    if (w >= 4) {
                        float even = 0, odd = 0;
                        boolean two = r < head;
                        for (int c = 0; c < w; c++) {
                            float av = a[ao + (j0 + c) * lda + i];
                            if (two && (c & 1) == 1) odd = Math.fma(av, x[j0 + c], odd);
                            else even = Math.fma(av, x[j0 + c], even);
                        }
                        y[i] += two ? even + odd : even;
                    } else {
                        for (int c = 0; c < w; c++) y[i] += a[ao + (j0 + c) * lda + i] * x[j0 + c];
                    }
                }
                j0 += w;
            }
            base += nb;
        }
        for (int i = base; i < m; i++) {
            float t = 0;
            int j = 0;
            if (lda == m3) { // the matrix is only these rows, packed: its loops take columns in fours
                for (; j + 4 <= n; j += 4) {
                    float p0 = a[ao + j * lda + i] * x[j], p1 = a[ao + (j + 1) * lda + i] * x[j + 1];
                    float p2 = a[ao + (j + 2) * lda + i] * x[j + 2], p3 = a[ao + (j + 3) * lda + i] * x[j + 3];
                    if (m3 == 1) t += ((p0 + p1) + p2) + p3;
                    else {
                        t += p0 + p1;
                        t += p2 + p3;
                    }
                }
            }
            for (; j < n; j++) t += a[ao + j * lda + i] * x[j];
            y[i] += t;
        }
    }

    /**
     * Which elements of the column-major M x N product (index j * N + i) OpenBLAS's sgemm kernel
     * computes with two chains (even and odd k): the 8 x 4 tiles, and the first and last 8 x 6 tiles
     * of the 12-wide panels when M is 16 or more (between them it runs 16 x 6 tiles with one chain).
     * The driver cuts M into blocks of at most GEMM_P; the first block's N into panels of 12 while 12
     * remain, then of 4 while more than 4 remain, the other blocks take all of N at once.
     */
    private static boolean[] evenOddTiles(int m, int n) {
        boolean[] s = new boolean[m * n];
        boolean first = true;
        for (int is = 0; is < m; ) {
            int rows = m - is;
            if (rows >= 2 * SGEMM_P) rows = SGEMM_P;
            else if (rows > SGEMM_P) rows = (rows / 2 + SGEMM_UNROLL_M - 1) / SGEMM_UNROLL_M * SGEMM_UNROLL_M;
            if (first) {
                for (int js = 0; js < n; ) {
                    int cols = n - js;
                    if (cols >= 12) cols = 12;
                    else if (cols > 4) cols = 4;
                    kernelTiles(s, n, is, rows, js, cols);
                    js += cols;
                }
                first = false;
            } else {
                kernelTiles(s, n, is, rows, 0, n);
            }
            is += rows;
        }
        return s;
    }

    /** One kernel call over rows [r0, r0 + rows) x columns [c0, c0 + cols) of the M x N product: panels of 12, 8, 4, 2, 1 columns. */
    private static void kernelTiles(boolean[] s, int n, int r0, int rows, int c0, int cols) {
        int c = c0, end = c0 + cols;
        for (; end - c >= 12; c += 12) {
            if (rows < 16) continue; // 8 x 12 and narrower tiles: one chain
            mark(s, n, r0, 8, c, 6); // the head: 8 rows of the left half
            for (int r = 0, left = rows; ; ) {
                r += 8; // a 16 x 6 tile of the right half from r - 8
                left -= 8;
                if (left < 16) {
                    mark(s, n, r0 + r, 8, c, 6); // the tail: 8 rows of the left half
                    break;
                }
                r += 8; // a 16 x 6 tile of the left half
                left -= 8;
                if (left < 16) {
                    mark(s, n, r0 + r, 8, c + 6, 6); // the tail: 8 rows of the right half
                    break;
                }
            }
        }
        if (end - c >= 8) c += 8; // an 8-wide panel: one chain
        for (; end - c >= 4; c += 4) mark(s, n, r0, rows / 8 * 8, c, 4);
    }

    private static void mark(boolean[] s, int n, int r0, int rows, int c0, int cols) {
        for (int r = r0; r < r0 + rows; r++) for (int c = c0; c < c0 + cols; c++) s[r * n + c] = true;
    }

    static void gemm(boolean transA, boolean transB, int n, int m, int k,
                     double[] a, int ao, double[] b, int bo, double[] c, int co) {
        if (n == 0 || m == 0 || k == 0) return;
        dev.ludovic.netlib.blas.BLAS blas = Holder.blas;
        if ((long) n * m * k >= BLAS_MIN_WORK && blas != null) {
            // matrix-vector shapes: dgemv is much faster than a degenerate dgemm
            if (m == 1) {
                // c[n] += op(A) * column of op(B); a row-major n x k is a column-major k x n
                if (transA) blas.dgemv("N", n, k, 1.0, a, ao, n, b, bo, 1, 1.0, c, co, 1);
                else blas.dgemv("T", k, n, 1.0, a, ao, k, b, bo, 1, 1.0, c, co, 1);
                return;
            }
            if (n == 1) {
                // c[m] += op(B)^T * row of op(A)
                if (transB) blas.dgemv("T", k, m, 1.0, b, bo, k, a, ao, 1, 1.0, c, co, 1);
                else blas.dgemv("N", m, k, 1.0, b, bo, m, a, ao, 1, 1.0, c, co, 1);
                return;
            }
            // row-major C = op(A) op(B) is column-major C^T = op(B)^T op(A)^T
            blas.dgemm(transB ? "T" : "N", transA ? "T" : "N", m, n, k, 1.0,
                    b, bo, transB ? k : m, a, ao, transA ? n : k, 1.0, c, co, m);
            return;
        }
        for (int i = 0; i < n; i++) {
            int crow = co + i * m;
            for (int p = 0; p < k; p++) {
                double av = transA ? a[ao + p * n + i] : a[ao + i * k + p];
                if (av == 0) continue;
                if (transB) {
                    for (int j = 0; j < m; j++) c[crow + j] += av * b[bo + j * k + p];
                } else {
                    int brow = bo + p * m;
                    for (int j = 0; j < m; j++) c[crow + j] += av * b[brow + j];
                }
            }
        }
    }
}
