package org.capeval.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Runs a backward pass. It knows nothing of ops: it counts each node's dependencies, calls nodes in
 * torch's order (among ready nodes AccumulateGrad first, then the latest created), sums the
 * gradients arriving at each node and frees saved values unless the graph is kept. As in torch, a
 * pass that fails part-way keeps what it already wrote into .grad (leaves whose AccumulateGrad ran,
 * retained tensors whose node ran); in the common failures (freed graph, version mismatch at the
 * first saved value) nothing has been written yet.
 */
final class Engine {
    private Engine() {}

    /** Checks the roots and builds the seeds, with torch's messages and in torch's order. */
    static Tensor[] seeds(Tensor[] roots, Tensor[] gradients) {
        Tensor[] seeds = new Tensor[roots.length];
        for (int i = 0; i < roots.length; i++) {
            Tensor root = roots[i];
            Tensor g = gradients == null ? null : gradients[i];
            if (g == null) {
                if (root.requiresGrad() && root.numel() != 1) throw new AutogradException(AutogradException.IMPLICIT_NONSCALAR);
                seeds[i] = Tensor.full(1.0, root.dtype(), root.shape());
            } else {
                if (!Arrays.equals(g.shape(), root.shape())) {
                    throw new AutogradException("Mismatch in shape: grad_output[" + i + "] has a shape of " + torchSize(g.shape())
                            + " and output[" + i + "] has a shape of " + torchSize(root.shape()) + ".");
                }
                seeds[i] = g.dtype() == root.dtype() ? g : GradMode.noGrad(() -> g.detach().to(root.dtype()));
            }
        }
        for (int i = 0; i < roots.length; i++) {
            if (!roots[i].requiresGrad()) {
                throw new AutogradException("element " + i + " of tensors does not require grad and does not have a grad_fn");
            }
        }
        return seeds;
    }

    static String torchSize(int[] shape) {
        return "torch.Size(" + Shape.str(shape) + ")";
    }

    /**
     * {@code accumulate}: backward, adding into the .grad of every reached leaf (or, when
     * {@code inputs} is given, only of those tensors) and of retained tensors; returns null.
     * Otherwise autograd.grad: returns the gradient for each input and touches no .grad except
     * retained ones.
     */
    static Tensor[] run(Tensor[] roots, Tensor[] seeds, boolean keepGraph, boolean createGraph, Tensor[] inputs, boolean allowUnused,
                        boolean accumulate) {
        Node[] rootNodes = new Node[roots.length];
        for (int i = 0; i < roots.length; i++) rootNodes[i] = roots[i].gradNode();

        Map<Node, List<Integer>> captures = new IdentityHashMap<>();
        if (inputs != null) {
            for (int i = 0; i < inputs.length; i++) {
                if (!inputs[i].requiresGrad()) throw new AutogradException(AutogradException.INPUT_NO_GRAD);
                captures.computeIfAbsent(inputs[i].gradNode(), k -> new ArrayList<>()).add(i);
            }
        }

        List<Node> order = topologicalOrder(rootNodes);
        // In grad() mode only nodes on a path to an input run (torch prunes the rest too).
        Map<Node, Boolean> needed = new IdentityHashMap<>();
        for (int k = order.size() - 1; k >= 0; k--) {
            Node n = order.get(k);
            boolean need = inputs == null || captures.containsKey(n);
            for (Edge e : n.next) if (e.function() != null && needed.get(e.function())) need = true;
            needed.put(n, need);
        }

        Map<Node, Tensor> buffers = new IdentityHashMap<>();
        // gradients only the engine holds (made by an op's backward or by summing): a leaf may take one as its .grad without a copy
        Set<Tensor> owned = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int i = 0; i < roots.length; i++) buffers.merge(rootNodes[i], seeds[i], Engine::sum);
        Tensor[] captured = inputs == null ? null : new Tensor[inputs.length];

        try (GradMode.Scope mode = GradMode.set(createGraph)) {
            for (Node n : order) {
                Tensor g = buffers.remove(n);
                boolean gOwned = g != null && owned.remove(g);
                if (g == null || !needed.get(n)) continue;
                // grad() captures what arrives at an input's node, before that tensor's hooks (torch 1.13)
                List<Integer> slots = captures.get(n);
                if (slots != null) {
                    if (!accumulate) for (int s : slots) captured[s] = g;
                    else if (!(n instanceof AccumulateGrad)) Tensor.accumulateInto(inputs[slots.get(0)], g, createGraph);
                }
                if (n instanceof AccumulateGrad) {
                    if (accumulate && ((AccumulateGrad) n).accumulate(g, createGraph, gOwned) && slots == null) g.recycle();
                    continue;
                }
                boolean anyChildNeeded = false;
                for (Edge e : n.next) if (e.function() != null && needed.get(e.function())) anyChildNeeded = true;
                if (!anyChildNeeded) continue;
                if (n.preHooks != null) {
                    for (UnaryOperator<Tensor> h : n.preHooks) {
                        Tensor r = h.apply(g);
                        if (r != null) g = Tensor.checkHookResult(g, r);
                    }
                }
                if (n.retained != null) Tensor.accumulateInto(n.retained, g, createGraph);
                Tensor[] grads = n.apply(g);
                if (!keepGraph) n.release();
                // the incoming gradient is dead unless passed on, kept by a hook, or handed to the caller
                boolean gDead = gOwned && !createGraph && n.preHooks == null && slots == null;
                for (Tensor r : grads) if (r == g) gDead = false;
                for (int i = 0; i < n.next.length; i++) {
                    Node child = n.next[i].function();
                    if (child == null || grads[i] == null) continue;
                    Tensor before = buffers.get(child);
                    if (before == null) {
                        buffers.put(child, grads[i]);
                        if (n instanceof OpNode && isFresh(grads, i, g)) owned.add(grads[i]);
                    } else if (!createGraph && owned.contains(before) && before.dtype() == grads[i].dtype()
                            && Arrays.equals(before.shapeRef(), grads[i].shapeRef())) {
                        before.addInPlaceRaw(grads[i]); // the same sums as a.add(b), into a buffer only the engine holds
                        if (n instanceof OpNode && isFresh(grads, i, g)) grads[i].recycle();
                    } else {
                        owned.remove(before);
                        Tensor summed = sum(before, grads[i]);
                        buffers.put(child, summed);
                        owned.add(summed);
                    }
                }
                if (gDead) g.recycle();
            }
        }

        if (accumulate) return null;
        for (int i = 0; i < inputs.length; i++) {
            if (captured[i] == null && !allowUnused) throw new AutogradException(AutogradException.INPUT_UNUSED);
        }
        return captured;
    }

    /** An op's backward made grads[i] itself: it is not the incoming gradient passed on, nor shared with another input. */
    private static boolean isFresh(Tensor[] grads, int i, Tensor incoming) {
        if (grads[i] == incoming || !grads[i].exclusive()) return false; // a view shares its array with other tensors
        for (int j = 0; j < grads.length; j++) if (j != i && grads[j] == grads[i]) return false;
        return true;
    }

    private static Tensor sum(Tensor a, Tensor b) {
        return a.add(b);
    }

    /** Kahn's algorithm over the nodes reachable from the roots: a node runs once all its consumers have. */
    private static List<Node> topologicalOrder(Node[] roots) {
        Map<Node, Integer> dependencies = new IdentityHashMap<>();
        List<Node> stack = new ArrayList<>();
        for (Node r : roots) {
            if (!dependencies.containsKey(r)) {
                dependencies.put(r, 0);
                stack.add(r);
            }
        }
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            for (Edge e : n.next) {
                Node f = e.function();
                if (f == null) continue;
                Integer d = dependencies.get(f);
                if (d == null) stack.add(f);
                dependencies.put(f, d == null ? 1 : d + 1);
            }
        }
        // torch gives AccumulateGrad the highest priority: leaves accumulate as soon as they are ready
        PriorityQueue<Node> ready = new PriorityQueue<>((x, y) -> x instanceof AccumulateGrad != y instanceof AccumulateGrad
                ? (x instanceof AccumulateGrad ? -1 : 1) : Long.compare(y.sequenceNr, x.sequenceNr));
        for (Map.Entry<Node, Integer> e : dependencies.entrySet()) if (e.getValue() == 0) ready.add(e.getKey());
        List<Node> order = new ArrayList<>(dependencies.size());
        while (!ready.isEmpty()) {
            Node n = ready.poll();
            order.add(n);
            for (Edge e : n.next) {
                Node f = e.function();
                if (f == null) continue;
                int d = dependencies.merge(f, -1, Integer::sum);
                if (d == 0) ready.add(f);
            }
        }
        return order;
    }
}
