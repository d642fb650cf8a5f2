package org.capeval.autograd;

/** One entry of {@link Node#nextFunctions()}: the node that receives a gradient (null if none) and its input slot. */
public record Edge(Node function, int inputNr) {
    @Override
    public String toString() {
        return "(" + (function == null ? "None" : function.toString()) + ", " + inputNr + ")";
    }
}
