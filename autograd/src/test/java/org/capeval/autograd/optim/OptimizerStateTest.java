package org.capeval.autograd.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.capeval.autograd.Tensor;
import org.junit.jupiter.api.Test;

/**
 * state()/loadState(): optimizer A takes k steps, a fresh optimizer B over copies of A's parameters
 * loads A's state, both take the same further steps, and the parameters agree bit for bit.
 */
class OptimizerStateTest {

    private static final Map<String, Function<List<Tensor>, Optimizer>> KINDS = Map.of(
            "sgd", ps -> new SGD(ps, 0.1),
            "sgd momentum", ps -> new SGD(ps, 0.05, 0.9),
            "sgd dampening+decay", ps -> new SGD(ps, 0.05, 0.8, 0.3, 0.01, false),
            "sgd nesterov", ps -> new SGD(ps, 0.05, 0.9, 0, 0.01, true),
            "adam", ps -> new Adam(ps, 0.05),
            "adam decay", ps -> new Adam(ps, 0.02, 0.8, 0.99, 1e-6, 0.1));

    /** Two parameters; the second gets no gradient at step 0, so its step count and buffers lag behind. */
    private static List<Tensor> params() {
        return List.of(Tensor.vector(1.0, -2.0, 0.5).requiresGrad_(true),
                Tensor.of(new double[] {0.3, -0.7, 1.1, 2.0}, 2, 2).requiresGrad_(true));
    }

    private static List<Tensor> copies(List<Tensor> ps) {
        return ps.stream().map(p -> Tensor.of(p.toArray(), p.shape()).requiresGrad_(true)).toList();
    }

    private static void step(Optimizer opt, int t) {
        opt.zeroGrad();
        Tensor a = opt.parameters().get(0), b = opt.parameters().get(1);
        Tensor loss = a.mul(a).mul(Tensor.vector(1, 2, 3)).sum().add(a.sum().mul(t));
        if (t > 0) loss = loss.add(b.mul(b).mul(b).sum().mul(0.1 * t)).add(b.mul(a.sum()).sum());
        loss.backward();
        opt.step();
    }

    /** The parameters' values as raw bits: equal only when bit for bit the same. */
    static long[] bits(List<Tensor> ps) {
        return ps.stream().flatMapToDouble(p -> Arrays.stream(p.toArray())).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    /** The state written and read back with Java serialization, as a checkpoint holds it. */
    static OptimizerState throughJavaSerialization(OptimizerState s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(s);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (OptimizerState) in.readObject();
        }
    }

    @Test
    void roundTripContinuesBitForBit() throws Exception {
        for (var kind : KINDS.entrySet()) {
            for (int k : new int[] {0, 1, 3}) {
                Optimizer a = kind.getValue().apply(params());
                for (int t = 0; t < k; t++) step(a, t);
                OptimizerState saved = throughJavaSerialization(a.state());
                Optimizer b = kind.getValue().apply(copies(a.parameters()));
                b.loadState(saved);
                Optimizer fresh = kind.getValue().apply(copies(a.parameters()));
                for (int t = k; t < k + 4; t++) {
                    step(a, t);
                    step(b, t);
                    step(fresh, t);
                }
                String what = kind.getKey() + " after " + k + " steps";
                assertArrayEquals(bits(a.parameters()), bits(b.parameters()), what);
                assertArrayEquals(a.state().steps(), b.state().steps(), what);
                boolean stateful = !kind.getKey().equals("sgd") && k > 0;
                // without the state a fresh optimizer goes elsewhere, so the test above can fail
                assertEquals(!stateful, Arrays.equals(bits(a.parameters()), bits(fresh.parameters())), what);
            }
        }
    }

    @Test
    void stateIsFlatPerParameterAndACopy() {
        Adam a = new Adam(params(), 0.05);
        step(a, 0); // the second parameter has no .grad yet
        OptimizerState s = a.state();
        assertArrayEquals(new long[] {1, 0}, s.steps());
        assertEquals(List.of("exp_avg", "exp_avg_sq"), List.copyOf(s.buffers().keySet()));
        double[] m = s.buffers().get("exp_avg");
        assertEquals(7, m.length);
        // m = (1 - b1) g with g = 2 c p for the first parameter; zeros for the second
        assertArrayEquals(new double[] {0.1 * 2, 0.1 * -8, 0.1 * 3, 0, 0, 0, 0}, m, 1e-15);
        step(a, 1);
        assertArrayEquals(m, s.buffers().get("exp_avg"), 0.0);
        assertArrayEquals(new long[] {2, 1}, a.state().steps());
        assertTrue(new SGD(params(), 0.1).state().buffers().isEmpty());
        assertEquals(List.of("momentum_buffer"), List.copyOf(new SGD(params(), 0.1, 0.9).state().buffers().keySet()));
    }

    @Test
    void refusesStateThatDoesNotFit() {
        Adam adam = new Adam(params(), 0.05);
        step(adam, 0);
        OptimizerState adamState = adam.state();
        SGD sgd = new SGD(params(), 0.1, 0.9);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> sgd.loadState(adamState));
        assertTrue(e.getMessage().contains("momentum_buffer"), e.getMessage());
        Adam small = new Adam(List.of(Tensor.vector(1.0).requiresGrad_(true)), 0.05);
        e = assertThrows(IllegalArgumentException.class, () -> small.loadState(adamState));
        assertTrue(e.getMessage().contains("2 parameters"), e.getMessage());
        OptimizerState wrongLength = new OptimizerState(new long[] {1, 1},
                Map.of("exp_avg", new double[6], "exp_avg_sq", new double[6]));
        e = assertThrows(IllegalArgumentException.class, () -> adam.loadState(wrongLength));
        assertTrue(e.getMessage().contains("holds 6 values"), e.getMessage());
        // a refused state leaves the optimizer as it was
        assertArrayEquals(new long[] {1, 0}, adam.state().steps());
        assertFalse(Arrays.equals(new double[7], adam.state().buffers().get("exp_avg")));
    }
}
