package org.capeval.autograd;

/**
 * Row-major {@code C[n x m] += op(A)[n x k] * op(B)[k x m]}. Large products go to BLAS through
 * dev.ludovic.netlib, the library Spark MLlib uses: the machine's native BLAS (e.g. OpenBLAS, loaded
 * through JNI; its JNI glue needs f2j's arpack_combined_all on the class path) when there is one,
 * else VectorBLAS (jdk.incubator.vector) or its plain-Java fallback. Small products stay in plain
 * Java, where the call overhead dominates.
 */
final class Gemm {
    private Gemm() {}

    private static final long BLAS_MIN_WORK = 1 << 15;

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
     * Whether a float32 product of this size is computed in single precision (sgemm/sgemv on the
     * floats), as torch computes it: only large products with a BLAS; smaller ones take the double
     * loops below and are rounded to float.
     */
    static boolean singlePrecision(Tensor a, Tensor b, int n, int m, int k) {
        return a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && (long) n * m * k >= BLAS_MIN_WORK && Holder.blas != null;
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
