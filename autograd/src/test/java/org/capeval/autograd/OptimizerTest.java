package org.capeval.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.List;
import java.util.function.Function;
import org.capeval.autograd.optim.Adam;
import org.capeval.autograd.optim.Optimizer;
import org.capeval.autograd.optim.SGD;
import org.junit.jupiter.api.Test;

/**
 * Four steps on loss_t(p) = sum(c p^2) + t sum(p), against torch.optim (torch 1.13, float64) and
 * against the update rules written out by hand for the plain SGD case.
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
}
