package org.capeval.autograd.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.capeval.autograd.Tensor;
import org.junit.jupiter.api.Test;

/**
 * LBFGS beyond the PyTorch cases (ConformanceTest#lbfgsCases): state()/loadState() continue bit
 * for bit (also through Java serialization), a state that does not fit is refused, and the pieces
 * worked out by hand (first step, cubic interpolation, the quadratic solved in n iterations).
 */
class LBFGSTest {

    private static final Map<String, Function<List<Tensor>, LBFGS>> KINDS = Map.of(
            "fixed step", ps -> new LBFGS(ps, 0.5, 3, null, 1e-7, 1e-9, 100, null),
            "strong wolfe", ps -> new LBFGS(ps, 1, 4, null, 1e-7, 1e-9, 100, LBFGS.STRONG_WOLFE),
            "short history", ps -> new LBFGS(ps, 1, 2, 3, 1e-7, 1e-9, 2, LBFGS.STRONG_WOLFE));

    /** A 2-parameter Rosenbrock-like problem over two tensors (the second a 2x1 matrix). */
    private static List<Tensor> params() {
        return List.of(Tensor.vector(-1.2, 1.0).requiresGrad_(true), Tensor.of(new double[] {0.5, -0.3}, 2, 1).requiresGrad_(true));
    }

    private static List<Tensor> copies(List<Tensor> ps) {
        return ps.stream().map(p -> Tensor.of(p.toArray(), p.shape()).requiresGrad_(true)).toList();
    }

    private static Tensor step(LBFGS opt) {
        List<Tensor> ps = opt.parameters();
        return opt.step(() -> {
            opt.zeroGrad();
            Tensor x = ps.get(0).select(0, 0), y = ps.get(0).select(0, 1), z = ps.get(1).reshape(2);
            Tensor loss = y.sub(x.mul(x)).pow(2).mul(100).add(x.rsub(1).pow(2)).add(z.sub(x).pow(2).sum());
            loss.backward();
            return loss;
        });
    }

    @Test
    void roundTripContinuesBitForBit() throws Exception {
        for (var kind : KINDS.entrySet()) {
            for (int k : new int[] {0, 1, 3}) {
                LBFGS a = kind.getValue().apply(params());
                for (int t = 0; t < k; t++) step(a);
                LBFGS b = kind.getValue().apply(copies(a.parameters()));
                b.loadState(OptimizerStateTest.throughJavaSerialization(a.state()));
                LBFGS fresh = kind.getValue().apply(copies(a.parameters()));
                for (int t = 0; t < 3; t++) {
                    assertEquals(step(a).item(), step(b).item(), 0.0);
                    step(fresh);
                }
                String what = kind.getKey() + " after " + k + " steps";
                assertArrayEquals(OptimizerStateTest.bits(a.parameters()), OptimizerStateTest.bits(b.parameters()), what);
                assertEquals(a.funcEvals(), b.funcEvals(), what);
                assertEquals(a.iterations(), b.iterations(), what);
                a.state().buffers().forEach((name, v) -> assertArrayEquals(v, b.state().buffers().get(name), 0.0, what + " " + name));
                // the history matters: without it the run goes elsewhere
                assertEquals(k == 0, Arrays.equals(OptimizerStateTest.bits(a.parameters()), OptimizerStateTest.bits(fresh.parameters())), what);
            }
        }
    }

    @Test
    void stateUsesTorchNamesAndShapes() {
        LBFGS opt = KINDS.get("strong wolfe").apply(params());
        OptimizerState before = opt.state();
        assertEquals(List.of("func_evals", "n_iter", "d", "t", "old_dirs", "old_stps", "ro", "H_diag", "prev_flat_grad", "prev_loss"),
                List.copyOf(before.buffers().keySet()));
        assertEquals(0, before.buffers().get("d").length);
        step(opt);
        OptimizerState s = opt.state();
        int history = s.buffers().get("ro").length;
        long iters = opt.iterations(); // max_iter 4, but max_eval 5 may end the step sooner
        assertTrue(iters >= 2 && iters <= 4, "iterations " + iters);
        assertArrayEquals(new long[] {iters, iters}, s.steps());
        assertEquals(iters - 1, history); // one pair per iteration after the first
        assertEquals(4 * history, s.buffers().get("old_dirs").length);
        assertEquals(4, s.buffers().get("d").length);
        assertEquals(opt.funcEvals(), (long) s.buffers().get("func_evals")[0]);
        assertTrue(opt.funcEvals() > 4, "the line search evaluates more than once per iteration here");
    }

    @Test
    void refusesStateThatDoesNotFit() {
        LBFGS opt = KINDS.get("strong wolfe").apply(params());
        step(opt);
        step(opt);
        OptimizerState good = opt.state();
        assertTrue(good.buffers().get("ro").length > 2);
        LBFGS other = KINDS.get("strong wolfe").apply(List.of(Tensor.vector(1, 2, 3).requiresGrad_(true)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadState(good));
        assertTrue(e.getMessage().contains("1 parameters") || e.getMessage().contains("parameters"), e.getMessage());
        Map<String, double[]> b = new LinkedHashMap<>(good.buffers());
        b.put("old_dirs", Arrays.copyOf(b.get("old_dirs"), 5));
        LBFGS fresh = KINDS.get("strong wolfe").apply(params());
        e = assertThrows(IllegalArgumentException.class, () -> fresh.loadState(new OptimizerState(good.steps(), b)));
        assertTrue(e.getMessage().contains("old_dirs"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> fresh.loadState(new SGD(params(), 0.1, 0.9).state()));
        assertTrue(e.getMessage().contains("LBFGS state holds buffers"), e.getMessage());
        LBFGS small = KINDS.get("short history").apply(params()); // history_size 2 < the 3 pairs held
        e = assertThrows(IllegalArgumentException.class, () -> small.loadState(good));
        assertTrue(e.getMessage().contains("history_size"), e.getMessage());
        assertEquals(0, fresh.iterations());
        assertEquals(0, fresh.state().buffers().get("d").length);
    }

    @Test
    void needsAClosure() {
        LBFGS opt = new LBFGS(params());
        assertThrows(UnsupportedOperationException.class, opt::step);
        assertThrows(IllegalArgumentException.class, () -> new LBFGS(params(), 1, 20, null, 1e-7, 1e-9, 100, "backtracking"));
    }

    @Test
    void firstStepIsScaledSteepestDescent() {
        // f(w) = sum(w^2): g = 2w; the first iteration moves by min(1, 1/|g|_1) lr along -g
        Tensor w = Tensor.vector(3.0, -1.0).requiresGrad_(true);
        LBFGS opt = new LBFGS(List.of(w), 0.5, 1, null, 1e-7, 1e-9, 100, null);
        Tensor loss = opt.step(() -> {
            opt.zeroGrad();
            Tensor l = w.mul(w).sum();
            l.backward();
            return l;
        });
        assertEquals(10.0, loss.item(), 0.0);
        double t = Math.min(1, 1 / 8.0) * 0.5;
        assertArrayEquals(new double[] {3 - t * 6, -1 + t * 2}, w.toArray(), 1e-15);
        assertEquals(1, opt.funcEvals()); // max_iter 1: no evaluation after the move
    }

    @Test
    void quadraticSolvedInNIterationsWithExactSteps() {
        // on f = 0.5 w'Aw - b'w with the strong-Wolfe search, L-BFGS with full history reaches the minimum quickly
        Tensor a = Tensor.of(new double[] {4, 1, 0, 1, 3, 0.5, 0, 0.5, 2}, 3, 3), b = Tensor.vector(1, -2, 0.5);
        Tensor w = Tensor.vector(0, 0, 0).requiresGrad_(true);
        LBFGS opt = new LBFGS(List.of(w), 1, 50, null, 1e-12, 1e-15, 100, LBFGS.STRONG_WOLFE);
        opt.step(() -> {
            opt.zeroGrad();
            Tensor l = w.mul(a.matmul(w)).sum().mul(0.5).sub(b.mul(w).sum());
            l.backward();
            return l;
        });
        // A w = b
        double[] x = w.toArray(), ax = a.matmul(Tensor.vector(x)).toArray();
        for (int i = 0; i < 3; i++) assertEquals(b.toArray()[i], ax[i], 1e-7);
        assertFalse(opt.iterations() > 20, "took " + opt.iterations() + " iterations");
    }

    @Test
    void cubicInterpolationByHand() {
        // f = (x - 1)^2 sampled at 0 and 3: the cubic is the parabola, its minimum at 1
        assertEquals(1.0, LBFGS.cubicInterpolate(0, 1, -2, 3, 4, 4), 1e-15);
        assertEquals(1.0, LBFGS.cubicInterpolate(3, 4, 4, 0, 1, -2), 1e-15);
        // clamped to the bounds
        assertEquals(2.0, LBFGS.cubicInterpolate(0, 1, -2, 3, 4, 4, 2, 5), 0.0);
        // no real minimum (d2^2 < 0): the middle of the bounds
        assertEquals(1.5, LBFGS.cubicInterpolate(0, 0, 1, 3, 2, 1, 0, 3), 0.0);
    }
}
