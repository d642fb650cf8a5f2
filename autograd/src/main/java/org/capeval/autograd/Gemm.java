package org.capeval.autograd;

/**
 * Row-major {@code C[n x m] += op(A)[n x k] * op(B)[k x m]}. Large products go to BLAS
 * (dev.ludovic.netlib, the library Spark MLlib uses: VectorBLAS when jdk.incubator.vector is
 * available, else its Java fallback), which measured about 2x faster than our plain loops on
 * this machine; small ones stay in plain Java where the call overhead dominates.
 */
final class Gemm {
    private Gemm() {}

    private static final long BLAS_MIN_WORK = 1 << 15;

    /** Loaded on first large product; null when the BLAS jar is not on the class path. */
    private static final class Holder {
        static final dev.ludovic.netlib.blas.BLAS BLAS = load();

        private static dev.ludovic.netlib.blas.BLAS load() {
            try {
                return dev.ludovic.netlib.blas.BLAS.getInstance();
            } catch (Throwable t) {
                return null;
            }
        }
    }

    static void gemm(boolean transA, boolean transB, int n, int m, int k,
                     double[] a, int ao, double[] b, int bo, double[] c, int co) {
        if (n == 0 || m == 0 || k == 0) return;
        if ((long) n * m * k >= BLAS_MIN_WORK && Holder.BLAS != null) {
            dev.ludovic.netlib.blas.BLAS blas = Holder.BLAS;
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
