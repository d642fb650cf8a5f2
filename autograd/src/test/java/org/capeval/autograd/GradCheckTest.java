package org.capeval.autograd;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Finite-difference checks (float64) of every op's backward, and of second derivatives where they are not trivial. */
class GradCheckTest {
    private final Random rng = new Random(42);

    /** A requires-grad float64 leaf with values in [lo, hi). */
    private Tensor leaf(double lo, double hi, int... shape) {
        return Tensor.uniform(rng, lo, hi, DType.FLOAT64, shape).requiresGrad_(true);
    }

    /** Values at least 0.1 away from 0, of random sign (for abs/relu kinks). */
    private Tensor awayFromZero(int... shape) {
        Tensor t = Tensor.uniform(rng, 0.1, 2, DType.FLOAT64, shape);
        double[] d = t.toArray();
        for (int i = 0; i < d.length; i++) if (rng.nextBoolean()) d[i] = -d[i];
        return Tensor.of(d, shape).requiresGrad_(true);
    }

    private static void check(GradCheck.Fn f, Tensor... inputs) {
        GradCheck.gradcheck(f, inputs);
    }

    @Test
    void binaryOpsWithBroadcasting() {
        int[][][] shapes = {{{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{3, 1}, {1, 4}}, {{2, 3, 1}, {3, 4}}, {{}, {5}}, {{1}, {2, 3}}};
        for (int[][] s : shapes) {
            check(x -> x[0].add(x[1]), leaf(-1, 1, s[0]), leaf(-1, 1, s[1]));
            check(x -> x[0].sub(x[1]), leaf(-1, 1, s[0]), leaf(-1, 1, s[1]));
            check(x -> x[0].mul(x[1]), leaf(-1, 1, s[0]), leaf(-1, 1, s[1]));
            check(x -> x[0].div(x[1]), leaf(-1, 1, s[0]), leaf(0.5, 2, s[1]));
            check(x -> x[0].pow(x[1]), leaf(0.5, 2, s[0]), leaf(-1.5, 1.5, s[1]));
        }
        // a constant operand gets no gradient but the other one still checks
        check(x -> x[0].mul(x[1]), leaf(-1, 1, 2, 3), Tensor.uniform(rng, -1, 1, DType.FLOAT64, 3));
    }

    @Test
    void scalarOps() {
        check(x -> x[0].add(2.5), leaf(-1, 1, 2, 3));
        check(x -> x[0].sub(2.5), leaf(-1, 1, 2, 3));
        check(x -> x[0].rsub(2.5), leaf(-1, 1, 2, 3));
        check(x -> x[0].mul(-1.5), leaf(-1, 1, 2, 3));
        check(x -> x[0].div(4), leaf(-1, 1, 2, 3));
        check(x -> x[0].rdiv(3), leaf(0.5, 2, 2, 3));
        for (double p : new double[] {-1, -0.5, 0, 0.5, 1, 1.5, 2, 3, 4}) check(x -> x[0].pow(p), leaf(0.3, 2, 2, 3));
    }

    @Test
    void unaryOps() {
        check(x -> x[0].neg(), leaf(-1, 1, 3, 2));
        check(x -> x[0].exp(), leaf(-1, 1, 3, 2));
        check(x -> x[0].log(), leaf(0.2, 3, 3, 2));
        check(x -> x[0].sqrt(), leaf(0.2, 3, 3, 2));
        check(x -> x[0].abs(), awayFromZero(3, 2));
        check(x -> x[0].tanh(), leaf(-2, 2, 3, 2));
        check(x -> x[0].sigmoid(), leaf(-3, 3, 3, 2));
        check(x -> x[0].relu(), awayFromZero(3, 2));
        check(x -> x[0].reciprocal(), leaf(0.5, 2, 4));
        check(x -> x[0].square(), leaf(-2, 2, 4));
    }

    @Test
    void reductions() {
        check(x -> x[0].sum(), leaf(-1, 1, 2, 3, 4));
        check(x -> x[0].sum(new int[] {1}, false), leaf(-1, 1, 2, 3, 4));
        check(x -> x[0].sum(new int[] {0, -1}, true), leaf(-1, 1, 2, 3, 4));
        check(x -> x[0].mean(), leaf(-1, 1, 2, 3, 4));
        check(x -> x[0].mean(new int[] {-2}, true), leaf(-1, 1, 2, 3, 4));
        check(x -> x[0].mean(new int[] {0, 2}, false), leaf(-1, 1, 2, 3, 4));
        check(x -> x[0].max(), leaf(-1, 1, 3, 4));
        check(x -> x[0].max(1, false), leaf(-1, 1, 3, 4));
        check(x -> x[0].max(0, true), leaf(-1, 1, 3, 4));
        check(x -> x[0].max(-1, false), leaf(-1, 1, 2, 3, 4));
    }

    @Test
    void matrixProducts() {
        check(x -> x[0].matmul(x[1]), leaf(-1, 1, 4), leaf(-1, 1, 4));
        check(x -> x[0].matmul(x[1]), leaf(-1, 1, 3, 4), leaf(-1, 1, 4));
        check(x -> x[0].matmul(x[1]), leaf(-1, 1, 4), leaf(-1, 1, 4, 2));
        check(x -> x[0].matmul(x[1]), leaf(-1, 1, 3, 4), leaf(-1, 1, 4, 2));
        check(x -> x[0].matmul(x[1]), leaf(-1, 1, 2, 3, 4), leaf(-1, 1, 2, 4, 2));
        check(x -> x[0].matmul(x[1]), leaf(-1, 1, 2, 1, 3, 4), leaf(-1, 1, 3, 4, 2));
        check(x -> x[0].matmul(x[1]), leaf(-1, 1, 2, 3, 4), leaf(-1, 1, 4, 2));
        check(x -> x[0].matmul(x[1]), leaf(-1, 1, 4), leaf(-1, 1, 2, 4, 3));
        check(x -> x[0].matmul(x[1]), leaf(-1, 1, 2, 3, 4), leaf(-1, 1, 4));
        check(x -> x[0].mm(x[1].t()), leaf(-1, 1, 3, 4), leaf(-1, 1, 2, 4));
        check(x -> Functional.linear(x[0], x[1], x[2]), leaf(-1, 1, 5, 4), leaf(-1, 1, 3, 4), leaf(-1, 1, 3));
        check(x -> Functional.linear(x[0], x[1], null), leaf(-1, 1, 5, 4), leaf(-1, 1, 3, 4));
    }

    @Test
    void shapeOps() {
        check(x -> x[0].transpose(0, 2), leaf(-1, 1, 2, 3, 4));
        check(x -> x[0].t(), leaf(-1, 1, 2, 3));
        check(x -> x[0].permute(2, 0, 1), leaf(-1, 1, 2, 3, 4));
        check(x -> x[0].reshape(4, -1), leaf(-1, 1, 2, 3, 4));
        check(x -> x[0].view(6, 4), leaf(-1, 1, 2, 3, 4));
        check(x -> x[0].unsqueeze(1), leaf(-1, 1, 2, 3));
        check(x -> x[0].squeeze(1), leaf(-1, 1, 2, 1, 3));
        check(x -> x[0].squeeze(), leaf(-1, 1, 2, 1, 3, 1));
        check(x -> x[0].expand(2, 3, 4), leaf(-1, 1, 3, 1));
        check(x -> x[0].expand(-1, 4), leaf(-1, 1, 3, 1));
        check(x -> x[0].to(DType.FLOAT64).clone(), leaf(-1, 1, 3));
    }

    @Test
    void indexingAndJoining() {
        check(x -> Tensor.cat(List.of(x[0], x[1], x[0]), 1), leaf(-1, 1, 2, 3), leaf(-1, 1, 2, 2));
        check(x -> Tensor.cat(List.of(x[0], x[1]), 0), leaf(-1, 1, 2, 3), leaf(-1, 1, 1, 3));
        check(x -> Tensor.stack(List.of(x[0], x[1]), 1), leaf(-1, 1, 2, 3), leaf(-1, 1, 2, 3));
        check(x -> x[0].slice(1, 1, 5, 2), leaf(-1, 1, 2, 6));
        check(x -> x[0].slice(0, 0, 2, 1), leaf(-1, 1, 3, 2));
        check(x -> x[0].select(1, 2), leaf(-1, 1, 2, 3, 2));
        check(x -> x[0].select(0, -1), leaf(-1, 1, 3, 2));
        Tensor idx = Tensor.longs(new long[] {2, 0, 2}, 3);
        check(x -> x[0].indexSelect(1, idx), leaf(-1, 1, 2, 3));
        check(x -> x[0].indexSelect(0, idx), leaf(-1, 1, 3, 2));
        Tensor gidx = Tensor.longs(new long[] {0, 2, 2, 1, 1, 1}, 2, 3);
        check(x -> x[0].gather(1, gidx), leaf(-1, 1, 2, 3));
        check(x -> x[0].gather(0, Tensor.longs(new long[] {1, 0, 1}, 1, 3)), leaf(-1, 1, 2, 3));
    }

    @Test
    void softmaxAndLosses() {
        check(x -> x[0].softmax(1), leaf(-2, 2, 3, 4));
        check(x -> x[0].softmax(0), leaf(-2, 2, 3, 4));
        check(x -> x[0].logSoftmax(-1), leaf(-2, 2, 2, 3, 4));
        check(x -> x[0].logSoftmax(1), leaf(-2, 2, 2, 3, 4));
        Tensor target = Tensor.longs(new long[] {2, 0, 1, 2}, 4);
        for (Reduction r : Reduction.values()) {
            check(x -> Functional.crossEntropy(x[0], target, r), leaf(-2, 2, 4, 3));
            check(x -> Functional.mseLoss(x[0], x[1], r), leaf(-2, 2, 4, 3), leaf(-2, 2, 4, 3));
        }
        check(x -> Functional.crossEntropy(x[0], Tensor.longs(new long[] {1}, new int[0])), leaf(-2, 2, 3));
    }

    @Test
    void clampMaximumNormLogsumexp() {
        check(x -> x[0].clamp(-0.5, 0.5), Tensor.vector(-0.9, -0.2, 0.3, 0.8).requiresGrad_(true));
        check(x -> x[0].clamp(0.0, null), Tensor.vector(-0.9, 0.3).requiresGrad_(true));
        check(x -> x[0].maximum(x[1]), Tensor.vector(1, -1, 0.5).requiresGrad_(true), Tensor.vector(0, 0, 2).requiresGrad_(true));
        check(x -> x[0].maximum(x[1]), leaf(-1, 1, 2, 3), Tensor.scalar(0.05).requiresGrad_(true));
        check(x -> x[0].norm(), leaf(-1, 1, 2, 3));
        check(x -> x[0].logsumexp(1, false), leaf(-2, 2, 2, 3, 2));
        check(x -> x[0].logsumexp(-1, true), leaf(-2, 2, 3, 4));
        GradCheck.gradgradcheck(x -> x[0].norm(), leaf(-1, 1, 4));
        GradCheck.gradgradcheck(x -> x[0].logsumexp(0, false), leaf(-1, 1, 3, 2));
    }

    @Test
    void secondDerivatives() {
        GradCheck.gradgradcheck(x -> x[0].mul(x[0]).mul(x[0]).sum(), leaf(-1, 1, 3));
        GradCheck.gradgradcheck(x -> x[0].tanh().mul(x[1].sigmoid()), leaf(-1, 1, 2, 3), leaf(-1, 1, 3));
        GradCheck.gradgradcheck(x -> x[0].exp().add(x[0].log()).div(x[0].sqrt()), leaf(0.5, 2, 4));
        GradCheck.gradgradcheck(x -> x[0].matmul(x[1]).tanh(), leaf(-1, 1, 2, 3), leaf(-1, 1, 3, 2));
        GradCheck.gradgradcheck(x -> x[0].logSoftmax(1).mul(x[0]), leaf(-1, 1, 2, 3));
        GradCheck.gradgradcheck(x -> x[0].softmax(0).pow(3), leaf(-1, 1, 2, 3));
        GradCheck.gradgradcheck(x -> Functional.crossEntropy(x[0].mul(x[0]), Tensor.longs(new long[] {1, 0}, 2)), leaf(-1, 1, 2, 3));
        GradCheck.gradgradcheck(x -> x[0].pow(x[1]), leaf(0.5, 2, 3), leaf(-1, 2, 3));
        GradCheck.gradgradcheck(x -> Functional.mseLoss(x[0].exp(), x[1]), leaf(-1, 1, 3), leaf(-1, 1, 3));
        GradCheck.gradgradcheck(x -> x[0].mean(new int[] {1}, false).mul(x[0].max(1, false)).mul(x[0].max()), leaf(-1, 1, 2, 3));
    }

    @Test
    void checkerCatchesAWrongGradient() {
        // a hook doubling the gradient makes the analytical Jacobian wrong; the checker must notice
        GradCheck.Fn wrong = x -> {
            Tensor y = x[0].mul(1.0);
            y.registerHook(g -> g.mul(2.0));
            return y.exp();
        };
        assertThrows(AssertionError.class, () -> GradCheck.gradcheck(wrong, leaf(-1, 1, 3)));
    }
}
