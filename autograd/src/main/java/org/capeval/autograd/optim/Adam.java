package org.capeval.autograd.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.capeval.autograd.Tensor;

/**
 * torch.optim.Adam (no amsgrad): {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
 * {@code p -= lr/(1-b1^t) * m / (sqrt(v)/sqrt(1-b2^t) + eps)}; weight decay adds {@code wd p} to g.
 * State: step counts t, {@code exp_avg} (m) and {@code exp_avg_sq} (v); those of float32
 * parameters are float32 and updated in float32, as torch.
 */
public final class Adam extends Optimizer {
    private static final String M = "exp_avg", V = "exp_avg_sq";
    private final double lr, beta1, beta2, eps, weightDecay;
    private double[][] m, v;
    /** m and v of float32 parameters (their {@code m}, {@code v} entries stay null). */
    private float[][] mf, vf;

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
        this.mf = new float[params.size()][];
        this.vf = new float[params.size()][];
    }

    /**
     * torch's single-tensor Adam on float32 tensors, element by element: {@code g + wd p},
     * {@code m * b1 + (1-b1) g} and {@code v * b2 + ((1-b2) g) g} each one fused multiply-add as
     * torch's CPU kernels compute them, {@code sqrt(v) / sqrt(1-b2^t) + eps}, then
     * {@code p + (-lr/(1-b1^t) m) / denom}; the Python-side scalars rounded to float.
     */
    @Override
    protected void updateFloats(int i, Tensor p, float[] g, long t) {
        if (mf[i] == null) {
            mf[i] = new float[g.length];
            vf[i] = new float[g.length];
        }
        float[] mi = mf[i], vi = vf[i];
        float b1 = (float) beta1, b2 = (float) beta2, keep1 = (float) (1 - beta1), keep2 = (float) (1 - beta2);
        float wd = (float) weightDecay, e = (float) eps;
        float step = (float) -(lr / (1 - Math.pow(beta1, t))), bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, t));
        p.modifyFloatValues(w -> {
            for (int j = 0; j < g.length; j++) {
                float d = weightDecay != 0 ? Math.fma(wd, w[j], g[j]) : g[j];
                mi[j] = Math.fma(keep1, d, mi[j] * b1);
                vi[j] = Math.fma(keep2 * d, d, vi[j] * b2);
                w[j] += step * mi[j] / ((float) Math.sqrt(vi[j]) / bc2Sqrt + e);
            }
        });
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
        buffers.put(M, flatten(widened(m, mf)));
        buffers.put(V, flatten(widened(v, vf)));
        return new OptimizerState(steps, buffers);
    }

    @Override
    public void loadState(OptimizerState state) {
        double[][][] b = load(state, M, V);
        m = b[0];
        v = b[1];
        mf = narrowFloat32(m);
        vf = narrowFloat32(v);
    }
}
