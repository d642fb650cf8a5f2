package org.capeval.autograd;

/** The node of a requires-grad leaf: adds the incoming gradient into {@code leaf.grad()}. One per leaf. */
public final class AccumulateGrad extends Node {
    private final Tensor variable;

    AccumulateGrad(Tensor variable) {
        super(new Edge[0]);
        this.variable = variable;
    }

    public Tensor variable() {
        return variable;
    }

    @Override
    public String name() {
        return "AccumulateGrad";
    }

    @Override
    Tensor[] apply(Tensor grad) {
        return new Tensor[0];
    }

    /**
     * Runs the leaf's hooks on the incoming gradient, then adds the result into .grad (in place unless
     * createGraph). {@code owned}: nothing but the engine holds {@code incoming}, so a leaf without
     * hooks (which could keep it) may take it as its first .grad instead of a copy, as torch does.
     * Returns whether {@code incoming} is dead now (owned, and added into .grad rather than taken).
     */
    boolean accumulate(Tensor incoming, boolean createGraph, boolean owned) {
        boolean hooked = variable.hasHooks();
        Tensor.accumulateInto(variable, variable.runHooks(incoming), createGraph, owned && !hooked);
        return owned && !hooked && !createGraph && variable.grad != incoming;
    }
}
