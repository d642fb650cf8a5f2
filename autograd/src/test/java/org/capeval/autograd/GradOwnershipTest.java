package org.capeval.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A leaf may take a gradient the engine made as its .grad without copying it; it must never take
 * one that someone else still holds: the user's seed, a gradient passed on to two inputs, or one a
 * hook kept. Each case changes the other holder afterwards and checks .grad did not move.
 */
class GradOwnershipTest {

    @Test
    void seedPassedThroughIsCopied() {
        Tensor x = Tensor.vector(1, 2, 3).requiresGrad_(true);
        Tensor seed = Tensor.vector(1, 1, 1);
        x.clone().backward(seed);
        seed.modifyValues(v -> v[0] = 100);
        assertArrayEquals(new double[] {1, 1, 1}, x.grad().toArray());
    }

    @Test
    void gradientSharedByTwoInputsIsCopiedForEach() {
        Tensor a = Tensor.vector(1, 2).requiresGrad_(true);
        Tensor b = Tensor.vector(3, 4).requiresGrad_(true);
        a.add(b).sum().backward();
        assertNotSame(a.grad(), b.grad());
        a.mul(2.0).sum().backward(); // accumulates into a.grad in place
        assertArrayEquals(new double[] {3, 3}, a.grad().toArray());
        assertArrayEquals(new double[] {1, 1}, b.grad().toArray());
    }

    @Test
    void freshGradientsAccumulateIndependently() {
        Tensor a = Tensor.vector(1, 2).requiresGrad_(true);
        Tensor b = Tensor.vector(3, 4).requiresGrad_(true);
        a.mul(b).sum().backward();
        a.mul(b).sum().backward();
        assertArrayEquals(new double[] {6, 8}, a.grad().toArray());
        assertArrayEquals(new double[] {2, 4}, b.grad().toArray());
    }

    @Test
    void gradientKeptByALeafHookIsCopied() {
        Tensor a = Tensor.vector(1, 2).requiresGrad_(true);
        List<Tensor> seen = new ArrayList<>();
        a.registerHook(g -> {
            seen.add(g);
            return null;
        });
        a.mul(3.0).sum().backward();
        assertNotSame(seen.get(0), a.grad());
        a.mul(3.0).sum().backward();
        assertArrayEquals(new double[] {3, 3}, seen.get(0).toArray());
        assertArrayEquals(new double[] {6, 6}, a.grad().toArray());
    }

    /**
     * Large gradients go back to the engine's buffer pool once used; tensors the user still holds
     * (inputs, forward results, a leaf's .grad, a retained grad) must keep their values through
     * later passes, and the gradients must equal those of a pass that recycles nothing (createGraph).
     */
    @Test
    void recycledBuffersNeverReachLiveTensors() {
        java.util.Random rng = new java.util.Random(8);
        int n = 300, m = 200; // 60,000 elements: above the pool's minimum
        Tensor a = Tensor.uniform(rng, 0.5, 1.5, DType.FLOAT64, n, m).requiresGrad_(true);
        Tensor b = Tensor.uniform(rng, 0.5, 1.5, DType.FLOAT64, n, m).requiresGrad_(true);
        Tensor[] reference = Autograd.grad(new Tensor[] {graph(a, b, null).sum()}, new Tensor[] {a, b}, null, true, null, false);
        double[] ga = reference[0].toArray(), gb = reference[1].toArray();
        List<Tensor> kept = new ArrayList<>();
        Tensor out = graph(a, b, kept);
        double[][] keptValues = kept.stream().map(Tensor::toArray).toArray(double[][]::new);
        double[] av = a.toArray(), bv = b.toArray();
        out.sum().backward();
        Tensor aGrad = a.grad(), retained = kept.get(2).grad();
        double[] aGradValues = aGrad.toArray(), retainedValues = retained.toArray();
        assertArrayEquals(ga, aGradValues, 0.0);
        assertArrayEquals(gb, b.grad().toArray(), 0.0);
        for (int pass = 0; pass < 3; pass++) {
            a.setGrad(null);
            b.setGrad(null);
            graph(a, b, null).sum().backward();
            assertArrayEquals(ga, a.grad().toArray(), 0.0, "pass " + pass);
            assertArrayEquals(gb, b.grad().toArray(), 0.0, "pass " + pass);
        }
        assertArrayEquals(av, a.toArray(), 0.0);
        assertArrayEquals(bv, b.toArray(), 0.0);
        for (int i = 0; i < kept.size(); i++) assertArrayEquals(keptValues[i], kept.get(i).toArray(), 0.0, "forward result " + i);
        assertArrayEquals(aGradValues, aGrad.toArray(), 0.0, "an earlier .grad");
        assertArrayEquals(retainedValues, retained.toArray(), 0.0, "a retained grad");
    }

    /** The benchmark's 8-op graph; forward results go to {@code kept} (the third retains its grad). */
    private static Tensor graph(Tensor a, Tensor b, List<Tensor> kept) {
        Tensor[] t = new Tensor[8];
        t[0] = a.mul(b);
        t[1] = t[0].add(a);
        t[2] = t[1].exp();
        if (kept != null) t[2].retainGrad();
        t[3] = t[2].sub(b);
        t[4] = t[3].tanh();
        t[5] = t[4].mul(a);
        t[6] = t[5].sigmoid();
        t[7] = t[6].div(b);
        if (kept != null) kept.addAll(java.util.Arrays.asList(t));
        return t[7];
    }
}
