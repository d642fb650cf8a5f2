package org.capeval.autograd.optim;

import java.util.List;
import org.capeval.autograd.GradMode;
import org.capeval.autograd.Tensor;

/**
 * torch.optim.Adam (no amsgrad): {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
 * {@code p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)}; weight decay adds {@code wd p} to g.
 */
public final class Adam extends Optimizer {
    private final double lr, beta1, beta2, eps, weightDecay;
    private final double[][] m, v;
    private final int[] steps;

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
        this.steps = new int[params.size()];
    }

    @Override
    public void step() {
        GradMode.noGrad(() -> {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                if (p.grad() == null) continue;
                double[] g = p.grad().toArray();
                if (m[i] == null) {
                    m[i] = new double[g.length];
                    v[i] = new double[g.length];
                }
                int t = ++steps[i];
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
        });
    }
}
