package org.capeval.jobs.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Turns a mean gradient into new parameters, on the driver, over flat arrays (MLlib's Updater
 * role). The formulas are PyTorch's {@code torch.optim.SGD} (momentum, dampening 0) and
 * {@code torch.optim.Adam} (bias-corrected, eps outside the square root). The state is exposed as
 * named arrays so a checkpoint can save and restore it exactly.
 */
public abstract class Updater {

    /** Updates {@code params} in place from {@code grad} (mean over the batch). */
    public abstract void step(double[] params, double[] grad);

    /** The optimizer state as named arrays (copies). */
    public abstract Map<String, double[]> state();

    /** Restores state produced by {@link #state()}. */
    public abstract void restore(Map<String, double[]> state);

    public static Updater create(String name, int numParams, double lr, double momentum) {
        return switch (name) {
            case "sgd" -> new Sgd(numParams, lr, momentum);
            case "adam" -> new Adam(numParams, lr, 0.9, 0.999, 1e-8);
            default -> throw new IllegalArgumentException("--optimizer '" + name + "' is not known (expected sgd or adam)");
        };
    }

    static double[] need(Map<String, double[]> state, String key, int length) {
        double[] a = state.get(key);
        if (a == null || a.length != length) {
            throw new IllegalArgumentException("optimizer state '" + key + "' is missing or has the wrong length");
        }
        return a.clone();
    }

    /** p -= lr * b, with b = momentum * b + g (b = g on the first step). */
    public static final class Sgd extends Updater {
        private final double lr;
        private final double momentum;
        private double[] buffer; // null until the first step, as in PyTorch
        private final int numParams;

        public Sgd(int numParams, double lr, double momentum) {
            this.numParams = numParams;
            this.lr = lr;
            this.momentum = momentum;
        }

        @Override
        public void step(double[] params, double[] grad) {
            double[] d = grad;
            if (momentum != 0) {
                if (buffer == null) {
                    buffer = grad.clone();
                } else {
                    for (int i = 0; i < buffer.length; i++) {
                        buffer[i] = momentum * buffer[i] + grad[i];
                    }
                }
                d = buffer;
            }
            for (int i = 0; i < params.length; i++) {
                params[i] -= lr * d[i];
            }
        }

        @Override
        public Map<String, double[]> state() {
            Map<String, double[]> s = new LinkedHashMap<>();
            if (buffer != null) {
                s.put("momentum_buffer", buffer.clone());
            }
            return s;
        }

        @Override
        public void restore(Map<String, double[]> state) {
            buffer = state.containsKey("momentum_buffer") ? need(state, "momentum_buffer", numParams) : null;
        }
    }

    /** Adam: m, v moving averages of g and g^2; p -= lr * m_hat / (sqrt(v_hat) + eps). */
    public static final class Adam extends Updater {
        private final double lr;
        private final double beta1;
        private final double beta2;
        private final double eps;
        private double[] m;
        private double[] v;
        private long t;

        public Adam(int numParams, double lr, double beta1, double beta2, double eps) {
            this.lr = lr;
            this.beta1 = beta1;
            this.beta2 = beta2;
            this.eps = eps;
            this.m = new double[numParams];
            this.v = new double[numParams];
        }

        @Override
        public void step(double[] params, double[] grad) {
            t++;
            double c1 = 1 - Math.pow(beta1, t);
            double c2 = 1 - Math.pow(beta2, t);
            for (int i = 0; i < params.length; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * grad[i];
                v[i] = beta2 * v[i] + (1 - beta2) * grad[i] * grad[i];
                params[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
            }
        }

        @Override
        public Map<String, double[]> state() {
            Map<String, double[]> s = new LinkedHashMap<>();
            s.put("m", m.clone());
            s.put("v", v.clone());
            s.put("t", new double[] {t});
            return s;
        }

        @Override
        public void restore(Map<String, double[]> state) {
            m = need(state, "m", m.length);
            v = need(state, "v", v.length);
            t = (long) need(state, "t", 1)[0];
        }
    }
}
