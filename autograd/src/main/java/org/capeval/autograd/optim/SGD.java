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
        return new OptimizerState(steps, momentum != 0 ? Map.of(BUFFER, flatten(buffers)) : Map.of());
    }

    @Override
    public void loadState(OptimizerState state) {
        if (momentum != 0) {
            buffers = load(state, BUFFER)[0];
        } else {
            load(state);
        }
    }
}
