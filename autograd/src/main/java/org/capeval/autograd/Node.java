package org.capeval.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * A node of the backward graph (torch's {@code grad_fn}): it knows the edges to the nodes of its
 * inputs and the values it saved. The engine only counts dependencies and calls {@link #apply}.
 */
public abstract class Node {
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** Creation order; the engine runs later-created ready nodes first, as torch does. */
    final long sequenceNr = SEQUENCE.getAndIncrement();
    final Edge[] next;
    final List<SavedTensor> saved = new ArrayList<>(2);
    /** Hooks of the non-leaf tensor this node produced; they see (and may replace) its summed gradient. */
    List<UnaryOperator<Tensor>> preHooks;
    /** The non-leaf tensor that asked for retainGrad(), if any. */
    Tensor retained;

    Node(Edge[] next) {
        this.next = next;
    }

    /** torch's class name, e.g. {@code MulBackward0}. */
    public abstract String name();

    /** One edge per tensor input of the op, as torch's {@code next_functions}. */
    public List<Edge> nextFunctions() {
        return Collections.unmodifiableList(Arrays.asList(next));
    }

    /** Gradients for each input given the gradient of this node's output. Entries may be null. */
    abstract Tensor[] apply(Tensor grad);

    /** Frees saved values after a backward pass without retainGraph. */
    void release() {
        for (SavedTensor s : saved) s.free();
    }

    @Override
    public String toString() {
        return "<" + name() + ">";
    }
}
