package org.capeval.autograd.optim;

import java.util.List;
import java.util.Map;
import org.capeval.autograd.Tensor;

/**
 * torch.optim.SGD: {@code d = g + wd p}; with momentum {@code buf = m buf + (1 - dampening) d}
 * (the first step takes {@code buf = d}), {@code d = nesterov ? d + m buf : buf}; {@code p -= lr d}.
 * State: step counts and, with momentum, {@code momentum_buffer}.
 */
public final class SGD extends Optimizer {
    private static final String BUFFER = "momentum_buffer";
    private final double lr, momentum, dampening, weightDecay;
    private final boolean nesterov;
    private double[][] buffers;
    /** Momentum buffers of float32 parameters, in float32 as torch keeps them (their {@code buffers} entry stays null). */
    private float[][] floatBuffers;

    public SGD(List<Tensor> params, double lr) {
        this(params, lr, 0, 0, 0, false);
    }

    public SGD(List<Tensor> params, double lr, double momentum) {
        this(params, lr, momentum, 0, 0, false);
    }

    public SGD(List<Tensor> params, double lr, double momentum, double dampening, double weightDecay, boolean nesterov) {
        super(params);
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
        this.lr = lr;
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        this.buffers = new double[params.size()][];
        this.floatBuffers = new float[params.size()][];
    }

    /**
     * torch's float32 ops in order: {@code d = g + wd p}, {@code buf = buf * m + (1 - dampening) d},
     * {@code p = p + (-lr) d}, each "x + alpha y" one fused multiply-add as torch's CPU kernel computes it.
     */
    @Override
    protected void updateFloats(int i, Tensor p, float[] g, long t) {
        float wd = (float) weightDecay, m = (float) momentum, keep = (float) (1 - dampening), step = (float) -lr;
        p.modifyFloatValues(w -> {
            float[] buf = floatBuffers[i];
            boolean first = momentum != 0 && buf == null;
            if (first) floatBuffers[i] = buf = new float[g.length];
            for (int j = 0; j < g.length; j++) {
                float d = weightDecay != 0 ? Math.fma(wd, w[j], g[j]) : g[j];
                if (momentum != 0) {
                    float b = first ? d : Math.fma(keep, d, buf[j] * m);
                    buf[j] = b;
                    d = nesterov ? Math.fma(m, b, d) : b;
                }
                w[j] = Math.fma(step, d, w[j]);
            }
        });
    }

    @Override
    protected void update(int i, Tensor p, double[] g, long t) {
        // one pass per parameter (the large ones do not fit in cache); per element the same operations as torch's
        p.modifyValues(w -> {
            double[] buf = buffers[i];
            boolean first = momentum != 0 && buf == null;
            if (first) buffers[i] = buf = new double[g.length];
            for (int j = 0; j < g.length; j++) {
                double d = weightDecay != 0 ? g[j] + weightDecay * w[j] : g[j];
                if (momentum != 0) {
                    double b = first ? d : momentum * buf[j] + (1 - dampening) * d;
                    buf[j] = b;
                    d = nesterov ? d + momentum * b : b;
                }
                w[j] -= lr * d;
            }
        });
    }

    @Override
    public OptimizerState state() {
        return new OptimizerState(steps, momentum != 0 ? Map.of(BUFFER, flatten(widened(buffers, floatBuffers))) : Map.of());
    }

    @Override
    public void loadState(OptimizerState state) {
        if (momentum != 0) {
            buffers = load(state, BUFFER)[0];
            floatBuffers = narrowFloat32(buffers);
        } else {
            load(state);
        }
    }
}
