package org.capeval.autograd.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.capeval.autograd.Tensor;

/**
 * torch.optim.Adam (no amsgrad): {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
 * {@code p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)}; weight decay adds {@code wd p} to g.
 * State: step counts t, {@code exp_avg} (m) and {@code exp_avg_sq} (v).
 */
public final class Adam extends Optimizer {
    private static final String M = "exp_avg", V = "exp_avg_sq";
    private final double lr, beta1, beta2, eps, weightDecay;
    private double[][] m, v;

    public Adam(List<Tensor> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0);
    }

    public Adam(List<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        super(params);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.m = new double[params.size()][];
        this.v = new double[params.size()][];
    }

    @Override
    protected void update(int i, Tensor p, double[] g, long t) {
        if (m[i] == null) {
            m[i] = new double[g.length];
            v[i] = new double[g.length];
        }
        double[] mi = m[i], vi = v[i];
        double bc1 = 1 - Math.pow(beta1, t), bc2 = 1 - Math.pow(beta2, t);
        double stepSize = lr / bc1, bc2Sqrt = Math.sqrt(bc2);
        p.modifyValues(w -> {
            for (int j = 0; j < g.length; j++) {
                double gj = weightDecay != 0 ? g[j] + weightDecay * w[j] : g[j];
                mi[j] = beta1 * mi[j] + (1 - beta1) * gj;
                vi[j] = beta2 * vi[j] + (1 - beta2) * gj * gj;
                w[j] -= stepSize * mi[j] / (Math.sqrt(vi[j]) / bc2Sqrt + eps);
            }
        });
    }

    @Override
    public OptimizerState state() {
        Map<String, double[]> buffers = new LinkedHashMap<>();
        buffers.put(M, flatten(m));
        buffers.put(V, flatten(v));
        return new OptimizerState(steps, buffers);
    }

    @Override
    public void loadState(OptimizerState state) {
        double[][][] b = load(state, M, V);
        m = b[0];
        v = b[1];
    }
}
