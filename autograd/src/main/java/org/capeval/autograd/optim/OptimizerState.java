package org.capeval.autograd.optim;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What an optimizer carries from one step to the next, flat, for checkpoints: how many steps each
 * parameter has taken, and named buffers (torch's state_dict names: {@code momentum_buffer},
 * {@code exp_avg}, {@code exp_avg_sq}), each the concatenation over the parameters in order, with
 * zeros for a parameter that has taken no step yet. The arrays are copied in; treat them as read-only.
 */
public record OptimizerState(long[] steps, Map<String, double[]> buffers) implements Serializable {

    public OptimizerState {
        steps = steps.clone();
        Map<String, double[]> copy = new LinkedHashMap<>();
        buffers.forEach((name, values) -> copy.put(name, values.clone()));
        buffers = Collections.unmodifiableMap(copy);
    }

    /** The buffer {@code name}, checked to hold {@code length} values. */
    double[] buffer(String name, int length) {
        double[] b = buffers.get(name);
        if (b == null) throw new IllegalArgumentException("optimizer state has no '" + name + "' buffer (it has " + buffers.keySet() + ")");
        if (b.length != length) {
            throw new IllegalArgumentException("optimizer state '" + name + "' holds " + b.length + " values, the parameters " + length);
        }
        return b;
    }
}
