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
}
