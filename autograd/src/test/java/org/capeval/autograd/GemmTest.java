package org.capeval.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The BLAS route for large products agrees with a naive triple loop, for every transpose combination. */
class GemmTest {

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
}
