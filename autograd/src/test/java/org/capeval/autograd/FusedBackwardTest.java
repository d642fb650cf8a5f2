package org.capeval.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * sigmoid, tanh and division have one-loop backward formulas for passes that build no graph; they
 * must give exactly the values of the differentiable op chains used when a graph is built, in
 * float64 and (rounded after every step) in float32.
 */
class FusedBackwardTest {

    private static void sameGradients(DType dtype) {
        Random rng = new Random(7);
        Tensor a = Tensor.uniform(rng, -3, 3, dtype, 50, 40).requiresGrad_(true);
        Tensor b = Tensor.uniform(rng, 0.5, 2, dtype, 50, 40).requiresGrad_(true);
        Tensor seed = Tensor.uniform(rng, -1, 1, dtype, 50, 40);
        Tensor[] chain = Autograd.grad(new Tensor[] {a.sigmoid().mul(b).tanh().div(b)}, new Tensor[] {a, b}, new Tensor[] {seed}, true, null, false);
        Tensor[] fused = Autograd.grad(new Tensor[] {a.sigmoid().mul(b).tanh().div(b)}, new Tensor[] {a, b}, new Tensor[] {seed}, false, null, false);
        assertArrayEquals(chain[0].toArray(), fused[0].toArray(), 0.0, dtype + " gradient of a");
        assertArrayEquals(chain[1].toArray(), fused[1].toArray(), 0.0, dtype + " gradient of b");
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
