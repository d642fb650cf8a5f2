package org.capeval.autograd.nn;

import java.io.Serializable;
import java.util.List;
import org.capeval.autograd.Tensor;

/** A layer or model: a forward function plus its parameters (requires-grad leaves), in a fixed order. */
public abstract class Module implements Serializable {
    private static final long serialVersionUID = 1L;

    public abstract Tensor forward(Tensor x);

    /** Parameters in a fixed order (the order of the flat vectors below). */
    public List<Tensor> parameters() {
        return List.of();
    }

    /** Drops every parameter's .grad (null), the cheap reset; see {@link Parameters#zeroGrad}. */
    public void zeroGrad() {
        Parameters.zeroGrad(parameters(), true);
    }

    public int numParameters() {
        return Parameters.count(parameters());
    }

    /** All parameter values in one flat array (to broadcast to Spark executors). */
    public double[] flatParameters() {
        return Parameters.flatten(parameters());
    }

    /** Copies a flat array from {@link #flatParameters()} back into the parameters (in place, no graph). */
    public void loadFlatParameters(double[] values) {
        Parameters.load(parameters(), values);
    }

    /** All parameter gradients in one flat array (zeros where .grad is null), to sum across tasks. */
    public double[] flatGradients() {
        return Parameters.flattenGrads(parameters());
    }
}
