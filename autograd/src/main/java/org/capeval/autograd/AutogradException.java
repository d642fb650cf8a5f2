package org.capeval.autograd;

/** What torch raises as {@code RuntimeError}; messages follow torch 1.13's texts. */
public class AutogradException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public AutogradException(String message) {
        super(message);
    }

    static final String GRAPH_FREED = "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.";
    static final String IMPLICIT_NONSCALAR = "grad can be implicitly created only for scalar outputs";
    static final String INPUT_UNUSED = "One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.";
    static final String INPUT_NO_GRAD = "One of the differentiated Tensors does not require grad";
    static final String LEAF_INPLACE = "a leaf Variable that requires grad is being used in an in-place operation.";
    static final String VIEW_OF_LEAF_INPLACE = "a view of a leaf Variable that requires grad is being used in an in-place operation.";
    static final String NONLEAF_REQUIRES_GRAD = "you can only change requires_grad flags of leaf variables. If you want to use a computed variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach().";
}
