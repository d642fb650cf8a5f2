package org.capeval.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.Function;
import org.capeval.autograd.optim.Adam;
import org.capeval.autograd.optim.Optimizer;
import org.capeval.autograd.optim.SGD;
import org.junit.jupiter.api.Test;

/**
 * Four steps on loss_t(p) = sum(c p^2) + t sum(p), against torch.optim (torch 1.13, float64) and
 * against the update rules written out by hand (plain SGD, SGD with momentum, Adam's first steps).
 */
class OptimizerTest {

    private static double[] run(Function<List<Tensor>, Optimizer> make) {
        Tensor p = Tensor.vector(1.0, -2.0, 0.5).requiresGrad_(true);
        Tensor c = Tensor.vector(1, 2, 3);
        Optimizer opt = make.apply(List.of(p));
        for (int t = 0; t < 4; t++) {
            opt.zeroGrad();
            p.mul(p).mul(c).sum().add(p.sum().mul(t)).backward();
            opt.step();
        }
        return p.toArray();
    }

    @Test
    void plainSgdByHand() {
        // g = 2 c p + t; p <- p - 0.1 g, four times
        double[] p = {1.0, -2.0, 0.5}, c = {1, 2, 3};
        for (int t = 0; t < 4; t++) for (int i = 0; i < 3; i++) p[i] -= 0.1 * (2 * c[i] * p[i] + t);
        assertArrayEquals(p, run(ps -> new SGD(ps, 0.1)), 1e-15);
    }

    @Test
    void matchesTorchOptim() {
        assertArrayEquals(new double[] {-0.11440000000000004, -0.7152, -0.38320000000000004}, run(ps -> new SGD(ps, 0.1)), 1e-12);
        assertArrayEquals(new double[] {-1.1476000000000002, 0.8850000000000001, -1.0231000000000001}, run(ps -> new SGD(ps, 0.1, 0.9)), 1e-12);
        assertArrayEquals(new double[] {-1.027308247302071, 0.9158289281777421, -1.0133154832778355},
                run(ps -> new SGD(ps, 0.1, 0.9, 0.1, 0.01, false)), 1e-12);
        assertArrayEquals(new double[] {-1.458650537445588, -0.16606220472418418, -0.6818121258111141},
                run(ps -> new SGD(ps, 0.1, 0.9, 0, 0.01, true)), 1e-12);
        assertArrayEquals(new double[] {0.601749139390275, -1.610154861397785, 0.09884323199936691}, run(ps -> new Adam(ps, 0.1)), 1e-12);
        assertArrayEquals(new double[] {0.7979224158635435, -1.805757447145226, 0.29768224250913333},
                run(ps -> new Adam(ps, 0.05, 0.8, 0.99, 1e-6, 0.1)), 1e-12);
    }

    /** One step of {@code opt} on its single parameter with the gradient {@code g}; returns the new values. */
    private static double[] stepWith(Optimizer opt, double... g) {
        Tensor p = opt.parameters().get(0);
        p.setGrad(Tensor.vector(g));
        opt.step();
        return p.toArray();
    }

    @Test
    void sgdMomentumByHand() {
        SGD sgd = new SGD(List.of(Tensor.vector(1.0).requiresGrad_(true)), 0.1, 0.9);
        assertEquals(0.8, stepWith(sgd, 2.0)[0], 1e-15); // buf = 2, p = 1 - 0.1 * 2
        assertEquals(0.52, stepWith(sgd, 1.0)[0], 1e-15); // buf = 0.9 * 2 + 1 = 2.8, p = 0.8 - 0.28
    }

    @Test
    void adamFirstStepsByHand() {
        Adam adam = new Adam(List.of(Tensor.vector(0.0, 0.0).requiresGrad_(true)), 0.01, 0.9, 0.999, 1e-8, 0);
        double[] p = stepWith(adam, 3.0, -0.5);
        // bias correction makes m_hat = g and v_hat = g^2 at step 1: each coordinate moves by lr g / (|g| + eps)
        assertEquals(-0.01 * 3 / (3 + 1e-8), p[0], 1e-15);
        assertEquals(0.01 * 0.5 / (0.5 + 1e-8), p[1], 1e-15);
        p = stepWith(adam, 1.0, -0.5);
        double m = 0.9 * 0.1 * 3 + 0.1 * 1, v = 0.999 * 0.001 * 9 + 0.001 * 1;
        double mHat = m / (1 - 0.9 * 0.9), vHat = v / (1 - 0.999 * 0.999);
        assertEquals(-0.01 * 3 / (3 + 1e-8) - 0.01 * mHat / (Math.sqrt(vHat) + 1e-8), p[0], 1e-15);
    }

    /** Three float32 steps with gradient c, computed in float32 with float32 momentum buffers (torch 1.13's figures). */
    private static Tensor float32Sgd(boolean nesterov, double dampening, float[] bufferOut) {
        Tensor p = Tensor.of(new float[] {0.3f, -1.7f, 2.2f, 0.05f}, 4).requiresGrad_(true);
        Tensor c = Tensor.of(new float[] {0.11f, -0.7f, 1.3f, 3.1f}, 4);
        SGD opt = new SGD(List.of(p), 0.05, 0.9, dampening, 0.01, nesterov);
        for (int t = 0; t < 3; t++) {
            opt.zeroGrad();
            p.mul(c).sum().backward();
            opt.step();
        }
        if (bufferOut != null) {
            double[] b = opt.state().buffers().get("momentum_buffer");
            for (int i = 0; i < b.length; i++) bufferOut[i] = (float) b[i];
        }
        return p;
    }

    @Test
    void float32SgdInSinglePrecision() {
        float[] buf = new float[4];
        Tensor p = float32Sgd(false, 0.1, buf);
        assertEquals(DType.FLOAT32, p.dtype());
        // bit for bit: a double computation rounded once per step would differ in the last place
        assertArrayEquals(new float[] {0.26995396614074707f, -1.509353756904602f, 1.8484878540039062f, -0.7744051218032837f}, p.toFloatArray());
        assertArrayEquals(new float[] {0.2845718562602997f, -1.8056461811065674f, 3.3292388916015625f, 7.808097839355469f}, buf);
        assertArrayEquals(new float[] {0.2545624375343323f, -1.4116926193237305f, 1.668420672416687f, -1.1967183351516724f},
                float32Sgd(true, 0, null).toFloatArray());
    }
}
