package org.capeval.autograd;

import java.util.List;

/** Entry points of torch.autograd: {@code backward} over several roots and the functional {@code grad}. */
public final class Autograd {
    private static volatile boolean warnedCreateGraph;

    private Autograd() {}

    /**
     * Accumulates d(sum of roots)/d(leaf) into every reachable leaf's .grad. {@code gradients}
     * (or any entry) may be null for the implicit seed 1 of a one-element root.
     */
    public static void backward(Tensor[] roots, Tensor[] gradients, boolean retainGraph, boolean createGraph) {
        Tensor[] seeds = Engine.seeds(roots, gradients);
        if (createGraph && !warnedCreateGraph) {
            warnedCreateGraph = true;
            System.err.println("UserWarning: Using backward() with create_graph=True will create a reference cycle between the parameter and its gradient which can cause a memory leak. We recommend using autograd.grad when creating the graph to avoid this. If you have to use this function, make sure to reset the .grad fields of your parameters to None after use to break the cycle and avoid the leak.");
        }
        Engine.run(roots, seeds, retainGraph || createGraph, createGraph, null, false, true);
    }

    /** backward(..., inputs=...): accumulates only into the .grad of the listed tensors. */
    public static void backward(Tensor[] roots, Tensor[] gradients, boolean retainGraph, boolean createGraph, Tensor[] inputs) {
        if (inputs == null || inputs.length == 0) {
            backward(roots, gradients, retainGraph, createGraph);
            return;
        }
        Tensor[] seeds = Engine.seeds(roots, gradients);
        Engine.run(roots, seeds, retainGraph || createGraph, createGraph, inputs, false, true);
    }

    /** {@code torch.autograd.grad(outputs, inputs)} with implicit seeds and the graph freed afterwards. */
    public static Tensor[] grad(Tensor output, Tensor... inputs) {
        return grad(new Tensor[] {output}, inputs, null, false, null, false);
    }

    /**
     * Gradients of the outputs w.r.t. each input, without touching any .grad. {@code retainGraph}
     * null means "same as createGraph". An input the graph does not reach gives null with
     * {@code allowUnused}, else an error.
     */
    public static Tensor[] grad(Tensor[] outputs, Tensor[] inputs, Tensor[] gradOutputs, boolean createGraph, Boolean retainGraph, boolean allowUnused) {
        Tensor[] seeds = Engine.seeds(outputs, gradOutputs);
        boolean keep = retainGraph == null ? createGraph : retainGraph;
        return Engine.run(outputs, seeds, keep, createGraph, inputs, allowUnused, false);
    }

    public static Tensor[] grad(List<Tensor> outputs, List<Tensor> inputs, List<Tensor> gradOutputs, boolean createGraph, Boolean retainGraph, boolean allowUnused) {
        return grad(outputs.toArray(new Tensor[0]), inputs.toArray(new Tensor[0]),
                gradOutputs == null ? null : gradOutputs.toArray(new Tensor[0]), createGraph, retainGraph, allowUnused);
    }
}
