package org.capeval.autograd.nn;

import java.util.List;
import java.util.Random;
import org.capeval.autograd.DType;
import org.capeval.autograd.Functional;
import org.capeval.autograd.Tensor;

/** {@code y = x W^T + b} with W of shape (out, in), initialised like torch.nn.Linear (uniform in ±1/sqrt(in)). */
public final class Linear extends Module {
    private static final long serialVersionUID = 1L;
    private final Tensor weight;
    private final Tensor bias;

    public Linear(int in, int out, Random rng) {
        this(in, out, true, DType.FLOAT64, rng);
    }

    public Linear(int in, int out, boolean bias, DType dtype, Random rng) {
        double bound = 1.0 / Math.sqrt(in);
        this.weight = Tensor.uniform(rng, -bound, bound, dtype, out, in).requiresGrad_(true);
        this.bias = bias ? Tensor.uniform(rng, -bound, bound, dtype, out).requiresGrad_(true) : null;
    }

    public Tensor weight() {
        return weight;
    }

    public Tensor bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor x) {
        return Functional.linear(x, weight, bias);
    }

    @Override
    public List<Tensor> parameters() {
        return bias == null ? List.of(weight) : List.of(weight, bias);
    }
}
