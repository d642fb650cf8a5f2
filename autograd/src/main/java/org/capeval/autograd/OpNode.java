package org.capeval.autograd;

/**
 * The node every op builds: a name plus a backward closure written next to the op's forward.
 * Usage inside an op: {@code OpNode fn = OpNode.begin("MulBackward0", a, b); if (fn == null) return out;}
 * then save what backward needs and {@code return fn.finish(out, g -> ...)}.
 */
final class OpNode extends Node {
    interface Backward {
        Tensor[] apply(Tensor grad);
    }

    private final String name;
    private Backward backward;

    private OpNode(String name, Edge[] next) {
        super(next);
        this.name = name;
    }

    /** Null when nothing is recorded (grad mode off, or no input requires grad). */
    static OpNode begin(String name, Tensor... inputs) {
        if (!GradMode.isEnabled()) return null;
        boolean any = false;
        for (Tensor t : inputs) any |= t.requiresGrad();
        if (!any) return null;
        Edge[] next = new Edge[inputs.length];
        for (int i = 0; i < inputs.length; i++) next[i] = new Edge(inputs[i].gradNode(), 0);
        return new OpNode(name, next);
    }

    /** A node whatever the grad mode (a view's regenerated grad_fn, torch's CopySlices). */
    static OpNode always(String name, Tensor... inputs) {
        Edge[] next = new Edge[inputs.length];
        for (int i = 0; i < inputs.length; i++) next[i] = new Edge(inputs[i].gradNode(), 0);
        return new OpNode(name, next);
    }

    /** Whether input i gets a gradient (so backward may skip computing the others). */
    boolean needs(int i) {
        return next[i].function() != null;
    }

    SavedTensor save(Tensor t) {
        SavedTensor s = new SavedTensor(t);
        saved.add(s);
        return s;
    }

    Tensor finish(Tensor out, Backward backward) {
        this.backward = backward;
        out.setGradFn(this);
        return out;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    Tensor[] apply(Tensor grad) {
        return backward.apply(grad);
    }
}
