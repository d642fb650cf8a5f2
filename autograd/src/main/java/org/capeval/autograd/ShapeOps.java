package org.capeval.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shape ops. Results are always fresh contiguous tensors (no aliasing views), so in-place writes
 * to a result never reach its input; values and gradients are those of torch's views.
 */
final class ShapeOps {
    private ShapeOps() {}

    /** Sums a broadcast gradient back to {@code shape}: added leading dims go, stretched size-1 dims are kept. */
    static Tensor sumTo(Tensor g, int[] shape) {
        int[] gs = g.shapeRef();
        if (Arrays.equals(gs, shape)) return g;
        int lead = gs.length - shape.length;
        List<Integer> dims = new ArrayList<>();
        for (int i = 0; i < gs.length; i++) {
            if (i < lead || (shape[i - lead] == 1 && gs[i] != 1)) dims.add(i);
        }
        Tensor r = dims.isEmpty() ? g : g.sum(dims.stream().mapToInt(Integer::intValue).toArray(), true);
        return Arrays.equals(r.shapeRef(), shape) ? r : r.reshape(shape);
    }

    static Tensor clone(Tensor a) {
        Tensor out = Tensor.make(a.data().clone(), a.shapeRef(), a.dtype());
        OpNode fn = OpNode.begin("CloneBackward0", a);
        if (fn == null) return out;
        return fn.finish(out, g -> new Tensor[] {g});
    }

    static Tensor to(Tensor a, DType target) {
        Tensor out = Tensor.make(a.data().clone(), a.shapeRef(), target);
        if (!target.isFloatingPoint()) return out;
        OpNode fn = OpNode.begin("ToCopyBackward0", a);
        if (fn == null) return out;
        DType source = a.dtype();
        return fn.finish(out, g -> new Tensor[] {g.to(source)});
    }

    static Tensor permute(Tensor a, int[] dims) {
        return permute(a, dims, "PermuteBackward0");
    }

    private static Tensor permute(Tensor a, int[] dims, String name) {
        int nd = a.dim();
        if (dims.length != nd) throw new AutogradException("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = " + nd + " is not equal to len(dims) = " + dims.length);
        int[] in = a.shapeRef(), st = Shape.strides(in);
        int[] p = new int[nd], out = new int[nd], ps = new int[nd], inverse = new int[nd];
        boolean[] seen = new boolean[nd];
        for (int i = 0; i < nd; i++) {
            p[i] = Shape.wrap(dims[i], nd);
            if (seen[p[i]]) throw new AutogradException("permute(): duplicate dims are not allowed.");
            seen[p[i]] = true;
            out[i] = in[p[i]];
            ps[i] = st[p[i]];
            inverse[p[i]] = i;
        }
        Tensor result = Tensor.make(Kernels.gather(a.data(), 0, ps, out), out, a.dtype()).markViewOf(a);
        OpNode fn = OpNode.begin(name, a);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {g.permute(inverse)});
    }

    static Tensor transpose(Tensor a, int dim0, int dim1) {
        int nd = a.dim();
        int d0 = Shape.wrap(dim0, nd), d1 = Shape.wrap(dim1, nd);
        int[] p = new int[nd];
        for (int i = 0; i < nd; i++) p[i] = i;
        p[d0] = d1;
        p[d1] = d0;
        Tensor out = GradMode.noGrad(() -> permute(a, p));
        OpNode fn = OpNode.begin("TransposeBackward0", a);
        if (fn == null) return out;
        return fn.finish(out, g -> new Tensor[] {g.transpose(d0, d1)});
    }

    static Tensor t(Tensor a) {
        if (a.dim() > 2) throw new AutogradException("t() expects a tensor with <= 2 dimensions, but self is " + a.dim() + "D");
        Tensor out = a.dim() < 2 ? Tensor.make(a.data().clone(), a.shapeRef(), a.dtype()).markViewOf(a) : GradMode.noGrad(() -> permute(a, new int[] {1, 0}));
        OpNode fn = OpNode.begin("TBackward0", a);
        if (fn == null) return out;
        return fn.finish(out, g -> new Tensor[] {g.t()});
    }

    static int[] inferShape(int[] shape, int numel) {
        int[] r = shape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < r.length; i++) {
            if (r[i] == -1) {
                if (infer >= 0) throw new AutogradException("only one dimension can be inferred");
                infer = i;
            } else if (r[i] < 0) {
                throw new AutogradException("invalid shape dimension " + r[i]);
            } else {
                known *= r[i];
            }
        }
        if (infer >= 0 && known != 0 && numel % known == 0) r[infer] = numel / known;
        if (infer >= 0 && r[infer] == -1 || Shape.numel(r) != numel) {
            throw new AutogradException("shape '" + Shape.str(shape) + "' is invalid for input of size " + numel);
        }
        return r;
    }

    static Tensor reshape(Tensor a, int[] shape, String name) {
        int[] in = a.shapeRef();
        int[] out = inferShape(shape, a.numel());
        Tensor result = Tensor.make(a.data().clone(), out, a.dtype()).markViewOf(a);
        OpNode fn = OpNode.begin(name, a);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {g.reshape(in)});
    }

    static Tensor squeeze(Tensor a, int dim) {
        int[] in = a.shapeRef();
        int d = Shape.wrap(dim, in.length);
        boolean drop = in.length > 0 && in[d] == 1;
        int[] out = drop ? Shape.remove(in, d) : in;
        Tensor result = Tensor.make(a.data().clone(), out, a.dtype()).markViewOf(a);
        OpNode fn = OpNode.begin("SqueezeBackward1", a);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {drop ? g.unsqueeze(d) : g});
    }

    static Tensor squeezeAll(Tensor a) {
        int[] in = a.shapeRef();
        int[] out = Arrays.stream(in).filter(s -> s != 1).toArray();
        Tensor result = Tensor.make(a.data().clone(), out, a.dtype()).markViewOf(a);
        OpNode fn = OpNode.begin("SqueezeBackward0", a);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {g.reshape(in)});
    }

    static Tensor unsqueeze(Tensor a, int dim) {
        int d = Shape.wrap(dim, a.dim() + 1);
        Tensor result = Tensor.make(a.data().clone(), Shape.insert(a.shapeRef(), d, 1), a.dtype()).markViewOf(a);
        OpNode fn = OpNode.begin("UnsqueezeBackward0", a);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {g.squeeze(d)});
    }

    static Tensor expand(Tensor a, int[] sizes) {
        int[] in = a.shapeRef();
        if (sizes.length < in.length) {
            throw new AutogradException("expand(torch.DoubleTensor{" + Shape.str(in) + "}, size=" + Shape.str(sizes) + "): the number of sizes provided (" + sizes.length + ") must be greater or equal to the number of dimensions in the tensor (" + in.length + ")");
        }
        int lead = sizes.length - in.length;
        int[] out = new int[sizes.length];
        int[] st = Shape.strides(in), os = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            if (i < lead) {
                if (sizes[i] < 0) throw new AutogradException("The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension " + i);
                out[i] = sizes[i];
                os[i] = 0;
            } else {
                int s = in[i - lead];
                int want = sizes[i] == -1 ? s : sizes[i];
                if (s != want && s != 1) {
                    throw new AutogradException("The expanded size of the tensor (" + want + ") must match the existing size (" + s + ") at non-singleton dimension " + i + ".  Target sizes: " + Shape.str(sizes) + ".  Tensor sizes: " + Shape.str(in));
                }
                out[i] = want;
                os[i] = s == want ? st[i - lead] : 0;
            }
        }
        Tensor result = Tensor.make(Kernels.gather(a.data(), 0, os, out), out, a.dtype()).markViewOf(a);
        OpNode fn = OpNode.begin("ExpandBackward0", a);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {sumTo(g, in)});
    }
}
