package org.capeval.autograd.optim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.capeval.autograd.DType;
import org.capeval.autograd.GradMode;
import org.capeval.autograd.Tensor;
import org.capeval.autograd.nn.Parameters;

/**
 * Updates parameters from their .grad. Parameters whose .grad is null are skipped, as in torch.
 * {@link #state()} and {@link #loadState} carry the step counts and buffers over, so an optimizer
 * built afresh continues with the same bits (torch's state_dict / load_state_dict).
 */
public abstract class Optimizer {
    protected final List<Tensor> params;
    /** Steps taken per parameter (a step with a null .grad does not count); buffers exist from the first. */
    protected final long[] steps;

    protected Optimizer(List<Tensor> params) {
        this.params = new ArrayList<>(params);
        this.steps = new long[params.size()];
    }

    public List<Tensor> parameters() {
        return params;
    }

    /**
     * One update, done without recording (parameters stay requires-grad leaves): each parameter with
     * a .grad counts a step and is updated by {@link #update}.
     */
    public void step() {
        GradMode.noGrad(() -> {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                if (p.grad() == null) continue;
                long t = ++steps[i];
                int index = i;
                if (p.dtype() == DType.FLOAT32) p.grad().readFloatValues(g -> updateFloats(index, p, g, t));
                else p.grad().readValues(g -> update(index, p, g, t));
            }
        });
    }

    /**
     * Updates parameter {@code i} from {@code g}, its .grad's values (not a copy: read them, do not
     * change or keep the array); {@code t} counts its steps, this one included.
     */
    protected abstract void update(int i, Tensor p, double[] g, long t);

    /**
     * {@link #update} for a float32 parameter, {@code g} its .grad's floats (read only). This default
     * computes in double and rounds once; an optimizer that keeps float32 state computes in float32
     * as torch does.
     */
    protected void updateFloats(int i, Tensor p, float[] g, long t) {
        double[] d = new double[g.length];
        for (int j = 0; j < d.length; j++) d[j] = g[j];
        update(i, p, d, t);
    }

    /** A copy of the state: step counts and flat buffers (see {@link OptimizerState}). */
    public abstract OptimizerState state();

    /**
     * Replaces the state by a copy of {@code state}, taken from an optimizer of the same kind and
     * settings over parameters of the same sizes; the parameters' values are not touched.
     */
    public abstract void loadState(OptimizerState state);

    /** Sets every .grad to null (torch 2.x default; tells "no gradient" apart from a zero one). */
    public void zeroGrad() {
        zeroGrad(true);
    }

    /** {@code setToNull=false} fills existing grads with zeros in place (torch 1.13's default). */
    public void zeroGrad(boolean setToNull) {
        Parameters.zeroGrad(params, setToNull);
    }

    /**
     * Per-parameter buffers as doubles: those of float32 parameters (held in {@code floats}, their
     * {@code doubles} entry null) widened, exactly; for {@link #flatten}.
     */
    protected static double[][] widened(double[][] doubles, float[][] floats) {
        double[][] all = doubles.clone();
        for (int i = 0; i < all.length; i++) {
            if (floats[i] == null) continue;
            all[i] = new double[floats[i].length];
            for (int j = 0; j < all[i].length; j++) all[i][j] = floats[i][j];
        }
        return all;
    }

    /**
     * The float buffers of loaded per-parameter buffers ({@link #load}): float32 parameters' entries
     * moved out of {@code doubles} (set to null there) as floats, others null.
     */
    protected final float[][] narrowFloat32(double[][] doubles) {
        float[][] floats = new float[doubles.length][];
        for (int i = 0; i < doubles.length; i++) {
            if (doubles[i] == null || params.get(i).dtype() != DType.FLOAT32) continue;
            floats[i] = new float[doubles[i].length];
            for (int j = 0; j < floats[i].length; j++) floats[i][j] = (float) doubles[i][j];
            doubles[i] = null;
        }
        return floats;
    }

    /** Per-parameter buffers laid end to end, zeros where a buffer does not exist yet. */
    protected final double[] flatten(double[][] perParam) {
        double[] flat = new double[totalNumel()];
        int at = 0;
        for (int i = 0; i < params.size(); i++) {
            int n = params.get(i).numel();
            if (perParam[i] != null) System.arraycopy(perParam[i], 0, flat, at, n);
            at += n;
        }
        return flat;
    }

    /**
     * Checks {@code state} against these parameters and the expected buffer names, copies its step
     * counts in, and returns each named buffer cut back into per-parameter arrays (null where the
     * parameter has taken no step).
     */
    protected final double[][][] load(OptimizerState state, String... names) {
        if (state.steps().length != params.size()) {
            throw new IllegalArgumentException("optimizer state is for " + state.steps().length + " parameters, this optimizer has " + params.size());
        }
        if (!state.buffers().keySet().equals(Set.of(names))) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " state holds buffers " + Set.of(names) + ", got " + state.buffers().keySet());
        }
        for (long t : state.steps()) if (t < 0) throw new IllegalArgumentException("optimizer state has a negative step count");
        int total = totalNumel();
        double[][][] out = new double[names.length][params.size()][];
        for (int k = 0; k < names.length; k++) {
            double[] flat = state.buffer(names[k], total);
            int at = 0;
            for (int i = 0; i < params.size(); i++) {
                int n = params.get(i).numel();
                if (state.steps()[i] > 0) out[k][i] = Arrays.copyOfRange(flat, at, at + n);
                at += n;
            }
        }
        System.arraycopy(state.steps(), 0, steps, 0, steps.length);
        return out;
    }

    private int totalNumel() {
        int total = 0;
        for (Tensor p : params) total = Math.addExact(total, p.numel());
        return total;
    }
}
