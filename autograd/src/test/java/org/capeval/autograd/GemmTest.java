package org.capeval.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.util.Random;
import java.util.function.Supplier;
import org.capeval.autograd.nn.Activation;
import org.capeval.autograd.nn.Sequential;
import org.capeval.autograd.optim.SGD;
import org.junit.jupiter.api.Test;

/**
 * The BLAS route for large products agrees with a naive triple loop, for every transpose combination,
 * with whichever BLAS dev.ludovic.netlib picked (native when the machine has one), with its pure-Java
 * BLAS forced, and with no BLAS at all (plain loops).
 */
class GemmTest {

    /** Runs {@code body} with large products routed to {@code blas} (null: plain loops). */
    private static <T> T with(BLAS blas, Supplier<T> body) {
        BLAS old = Gemm.use(blas);
        try {
            return body.get();
        } finally {
            Gemm.use(old);
        }
    }

    @Test
    void nativeBlasIsUsedWhereTheMachineHasOne() {
        boolean required = "1".equals(System.getenv("CAPEVAL_REQUIRE_NATIVE_BLAS"));
        if (!required) {
            assumeTrue(Gemm.blas() instanceof NativeBLAS, "no native BLAS loaded (" + Gemm.blas()
                    + "); install libopenblas0-pthread, or set CAPEVAL_REQUIRE_NATIVE_BLAS=1 to make this a failure");
        }
        assertTrue(Gemm.blas() instanceof NativeBLAS, "large products must go to the machine's native BLAS, got " + Gemm.blas());
    }

    /** Three SGD steps of a 120-48-10 MLP (products large enough for BLAS): parameters after each route. */
    private static double[] trainedParameters() {
        Random rng = new Random(11);
        Sequential model = Sequential.mlp(rng, DType.FLOAT64, Activation.Kind.RELU, 120, 48, 10);
        SGD opt = new SGD(model.parameters(), 0.05, 0.9);
        Tensor x = Tensor.randn(rng, 64, 120);
        long[] y = new long[64];
        for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(10);
        Tensor target = Tensor.longs(y, 64);
        for (int s = 0; s < 3; s++) {
            opt.zeroGrad();
            Functional.crossEntropy(model.forward(x), target).backward();
            opt.step();
        }
        return model.flatParameters();
    }

    @Test
    void javaBlasFallbackAndPlainLoopsAgreeWithTheDefaultRoute() {
        double[] byDefault = trainedParameters();
        double[] byJava = with(JavaBLAS.getInstance(), GemmTest::trainedParameters);
        double[] byLoops = with(null, GemmTest::trainedParameters);
        assertEquals(byDefault.length, byJava.length);
        assertArrayEquals(byLoops, byJava, 1e-12, "pure-Java BLAS against plain loops");
        assertArrayEquals(byLoops, byDefault, 1e-12, "default BLAS (" + Gemm.blas() + ") against plain loops");
        with(JavaBLAS.getInstance(), () -> {
            largeAndSmallProductsMatchNaive();
            return null;
        });
    }

    private static double[] naive(boolean ta, boolean tb, int n, int m, int k, double[] a, double[] b) {
        double[] c = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += (ta ? a[p * n + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * m + j]);
                c[i * m + j] = s;
            }
        }
        return c;
    }

    @Test
    void largeAndSmallProductsMatchNaive() {
        Random rng = new Random(9);
        int[][] sizes = {{70, 50, 40}, {3, 4, 5}, {1, 300, 200}, {300, 1, 200}};
        for (int[] s : sizes) {
            int n = s[0], m = s[1], k = s[2];
            double[] a = new double[n * k], b = new double[k * m];
            for (int i = 0; i < a.length; i++) a[i] = rng.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = rng.nextGaussian();
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                double[] c = new double[n * m];
                Gemm.gemm(ta, tb, n, m, k, a, 0, b, 0, c, 0);
                assertArrayEquals(naive(ta, tb, n, m, k, a, b), c, 1e-10, "transA=" + ta + " transB=" + tb + " " + n + "x" + m + "x" + k);
            }
        }
    }

    @Test
    void largeLinearLayerGradientsCheck() {
        Random rng = new Random(4);
        Tensor x = Tensor.randn(rng, 40, 60).requiresGrad_(true);
        Tensor w = Tensor.randn(rng, 30, 60).requiresGrad_(true);
        Tensor b = Tensor.randn(rng, 30).requiresGrad_(true);
        Tensor viaLinear = Functional.linear(x, w, b);
        Tensor viaMatmul = x.matmul(w.t()).add(b);
        assertArrayEquals(viaMatmul.toArray(), viaLinear.toArray(), 1e-10);
        Tensor g = Tensor.randn(rng, 40, 30);
        viaLinear.backward(g);
        double[] gx = x.grad().toArray(), gw = w.grad().toArray(), gb = b.grad().toArray();
        x.setGrad(null);
        w.setGrad(null);
        b.setGrad(null);
        viaMatmul.backward(g);
        assertArrayEquals(x.grad().toArray(), gx, 1e-10);
        assertArrayEquals(w.grad().toArray(), gw, 1e-10);
        assertArrayEquals(b.grad().toArray(), gb, 1e-10);
    }

    /**
     * Large float32 products run in single precision (sgemm/sgemv, as torch): each value agrees with
     * the float64 product of the same float inputs to within float rounding of its terms, for matrix
     * shapes, matrix-vector shapes and a linear layer with bias, forward and backward.
     */
    @Test
    void largeFloat32ProductsAgreeWithDoubleToFloatRounding() {
        for (BLAS blas : new BLAS[] {Gemm.blas(), JavaBLAS.getInstance()}) {
            with(blas, () -> {
                Random rng = new Random(5);
                int[][] sizes = {{70, 50, 40}, {1, 300, 200}, {300, 1, 200}, {200, 300, 1}, {128, 10, 256}};
                for (int[] s : sizes) {
                    int n = s[0], m = s[1], k = s[2];
                    Tensor x = Tensor.uniform(rng, -1, 1, DType.FLOAT32, n, k).requiresGrad_(true);
                    Tensor w = Tensor.uniform(rng, -1, 1, DType.FLOAT32, m, k).requiresGrad_(true);
                    Tensor b = Tensor.uniform(rng, -1, 1, DType.FLOAT32, m).requiresGrad_(true);
                    Tensor y = Functional.linear(x, w, b);
                    assertEquals(DType.FLOAT32, y.dtype());
                    Tensor g = Tensor.uniform(rng, -1, 1, DType.FLOAT32, n, m);
                    y.backward(g);
                    double[] xv = x.toArray(), wv = w.toArray(), bv = b.toArray(), gv = g.toArray();
                    String where = blas + " " + n + "x" + m + "x" + k;
                    double[] yRef = naive(false, true, n, m, k, xv, wv);
                    for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) yRef[i * m + j] += bv[j];
                    // |error| <= k * 2^-23 * sum|terms|, and every term here is below 1 in magnitude
                    assertArrayEquals(yRef, y.toArray(), (k + 1) * 0x1p-23, "linear forward " + where);
                    assertArrayEquals(naive(false, false, n, k, m, gv, wv), x.grad().toArray(), m * 0x1p-23, "input gradient " + where);
                    assertArrayEquals(naive(true, false, m, k, n, gv, xv), w.grad().toArray(), n * 0x1p-23, "weight gradient " + where);
                    assertEquals(DType.FLOAT32, w.grad().dtype());
                    Tensor mv = x.matmul(w.select(0, 0));
                    assertArrayEquals(naive(false, true, n, 1, k, xv, java.util.Arrays.copyOf(wv, k)), mv.toArray(), k * 0x1p-23, "mv " + where);
                }
                return null;
            });
        }
    }

    /** A float32 tensor changed in place after a single-precision product is read with its new values by the next one. */
    @Test
    void float32ValuesChangedInPlaceReachTheNextProduct() {
        Random rng = new Random(6);
        Tensor x = Tensor.uniform(rng, -1, 1, DType.FLOAT32, 64, 100);
        Tensor w = Tensor.uniform(rng, -1, 1, DType.FLOAT32, 30, 100);
        Functional.linear(x, w, null); // w now also held as floats
        w.modifyValues(v -> {
            for (int i = 0; i < v.length; i++) v[i] = v[i] * 0.5 + 0.1;
        });
        Tensor fresh = Tensor.of(w.toArray(), w.shape(), DType.FLOAT32);
        assertArrayEquals(Functional.linear(x, fresh, null).toArray(), Functional.linear(x, w, null).toArray(), 0.0);
        double[] rounded = w.toArray();
        for (double v : rounded) assertEquals((float) v, v, 0.0, "float32 values stay floats");
    }
}
