package org.capeval.autograd.nn;

import org.capeval.autograd.Tensor;

/** A parameter-free elementwise layer. */
public final class Activation extends Module {
    private static final long serialVersionUID = 1L;

    public enum Kind { RELU, TANH, SIGMOID }

    private final Kind kind;

    public Activation(Kind kind) {
        this.kind = kind;
    }

    public static Activation relu() {
        return new Activation(Kind.RELU);
    }

    public static Activation tanh() {
        return new Activation(Kind.TANH);
    }

    public static Activation sigmoid() {
        return new Activation(Kind.SIGMOID);
    }

    public Kind kind() {
        return kind;
    }

    @Override
    public Tensor forward(Tensor x) {
        switch (kind) {
            case RELU: return x.relu();
            case TANH: return x.tanh();
            default: return x.sigmoid();
        }
    }
}
