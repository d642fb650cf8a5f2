package org.capeval.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * sigmoid, tanh, division and relu have one-loop backward formulas for passes that build no graph; they
 * must give exactly the values of the differentiable op chains used when a graph is built, in
 * float64 and (rounded after every step) in float32. tanh's is torch's tanh_backward op on both paths
 * (its values against torch's are in float32-cases.json).
 */
class FusedBackwardTest {

    private static void sameGradients(DType dtype) {
        Random rng = new Random(7);
        Tensor a = Tensor.uniform(rng, -3, 3, dtype, 50, 40).requiresGrad_(true);
        Tensor b = Tensor.uniform(rng, 0.5, 2, dtype, 50, 40).requiresGrad_(true);
        Tensor seed = Tensor.uniform(rng, -1, 1, dtype, 50, 40);
        Tensor[] chain = Autograd.grad(new Tensor[] {a.sigmoid().mul(b).tanh().div(b).sub(0.4).relu()}, new Tensor[] {a, b}, new Tensor[] {seed}, true, null, false);
        Tensor[] fused = Autograd.grad(new Tensor[] {a.sigmoid().mul(b).tanh().div(b).sub(0.4).relu()}, new Tensor[] {a, b}, new Tensor[] {seed}, false, null, false);
        assertBitsEqual(chain[0].toArray(), fused[0].toArray(), dtype + " gradient of a");
        assertBitsEqual(chain[1].toArray(), fused[1].toArray(), dtype + " gradient of b");
    }

    /** Bit for bit, so a -0 where the chain gives -0 (relu's g * 0 for negative g) counts. */
    private static void assertBitsEqual(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Double.doubleToRawLongBits(expected[i]), Double.doubleToRawLongBits(actual[i]), what + " at " + i + ": " + expected[i] + " vs " + actual[i]);
        }
    }

    @Test
    void float64FusedBackwardEqualsTheOpChain() {
        sameGradients(DType.FLOAT64);
    }

    @Test
    void float32FusedBackwardEqualsTheOpChain() {
        sameGradients(DType.FLOAT32);
    }
}
