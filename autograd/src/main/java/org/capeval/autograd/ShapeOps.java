package org.capeval.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shape ops. The view ops (permute, transpose, t, view, reshape when the strides allow, squeeze,
 * unsqueeze, expand) return views sharing their input's storage, as torch's: in-place writes
 * through either side are seen by the other, and a write through a view rebases the base's history.
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
        int nd = a.dim();
        if (dims.length != nd) throw new AutogradException("permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = " + nd + " is not equal to len(dims) = " + dims.length);
        int[] p = new int[nd], inverse = new int[nd];
        boolean[] seen = new boolean[nd];
        for (int i = 0; i < nd; i++) {
            p[i] = Shape.wrap(dims[i], nd);
            if (seen[p[i]]) throw new AutogradException("permute(): duplicate dims are not allowed.");
            seen[p[i]] = true;
            inverse[p[i]] = i;
        }
        Tensor result = permuted(a, p);
        OpNode fn = OpNode.begin("PermuteBackward0", a);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {g.permute(inverse)});
    }

    /** A view of {@code a} with its dims in the order {@code p} (no copy). */
    private static Tensor permuted(Tensor a, int[] p) {
        int[] in = a.shapeRef(), st = a.stridesRef();
        int[] out = new int[p.length], ps = new int[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = in[p[i]];
            ps[i] = st[p[i]];
        }
        return a.viewAs(out, ps, a.offset());
    }

    static Tensor transpose(Tensor a, int dim0, int dim1) {
        int nd = a.dim();
        int d0 = Shape.wrap(dim0, nd), d1 = Shape.wrap(dim1, nd);
        int[] p = new int[nd];
        for (int i = 0; i < nd; i++) p[i] = i;
        p[d0] = d1;
        p[d1] = d0;
        Tensor out = permuted(a, p);
        OpNode fn = OpNode.begin("TransposeBackward0", a);
        if (fn == null) return out;
        return fn.finish(out, g -> new Tensor[] {g.transpose(d0, d1)});
    }

    static Tensor t(Tensor a) {
        if (a.dim() > 2) throw new AutogradException("t() expects a tensor with <= 2 dimensions, but self is " + a.dim() + "D");
        Tensor out = a.dim() < 2 ? a.viewAs(a.shapeRef(), a.stridesRef(), a.offset()) : permuted(a, new int[] {1, 0});
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

    /** reshape/flatten: a view when the strides allow one (always for contiguous input), else a contiguous copy, as torch's. */
    static Tensor reshape(Tensor a, int[] shape, String name) {
        int[] in = a.shapeRef();
        int[] out = inferShape(shape, a.numel());
        int[] st = Shape.viewStrides(in, a.stridesRef(), out);
        Tensor result;
        if (st != null) {
            result = a.viewAs(out, st, a.offset());
        } else {
            result = Tensor.make(a.data().clone(), out, a.dtype());
            name = "UnsafeViewBackward0"; // torch: _unsafe_view of a contiguous clone
        }
        OpNode fn = OpNode.begin(name, a);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {g.reshape(in)});
    }

    /** torch's view: never copies, so it refuses shapes the strides cannot express. */
    static Tensor view(Tensor a, int[] shape) {
        int[] out = inferShape(shape, a.numel());
        if (Shape.viewStrides(a.shapeRef(), a.stridesRef(), out) == null) {
            throw new AutogradException("view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
        }
        return reshape(a, shape, "ViewBackward0");
    }

    static Tensor squeeze(Tensor a, int dim) {
        int[] in = a.shapeRef();
        int d = Shape.wrap(dim, in.length);
        boolean drop = in.length > 0 && in[d] == 1;
        Tensor result = drop ? a.viewAs(Shape.remove(in, d), Shape.remove(a.stridesRef(), d), a.offset()) : a.viewAs(in, a.stridesRef(), a.offset());
        OpNode fn = OpNode.begin("SqueezeBackward1", a);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {drop ? g.unsqueeze(d) : g});
    }

    static Tensor squeezeAll(Tensor a) {
        int[] in = a.shapeRef(), st = a.stridesRef();
        int kept = 0;
        for (int s : in) if (s != 1) kept++;
        int[] out = new int[kept], os = new int[kept];
        for (int i = 0, j = 0; i < in.length; i++) {
            if (in[i] == 1) continue;
            out[j] = in[i];
            os[j++] = st[i];
        }
        Tensor result = a.viewAs(out, os, a.offset());
        OpNode fn = OpNode.begin("SqueezeBackward0", a);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {g.reshape(in)});
    }

    static Tensor unsqueeze(Tensor a, int dim) {
        int[] in = a.shapeRef(), st = a.stridesRef();
        int d = Shape.wrap(dim, a.dim() + 1);
        int stride = d >= in.length ? 1 : in[d] * st[d]; // torch's choice for the new dim
        Tensor result = a.viewAs(Shape.insert(in, d, 1), Shape.insert(st, d, stride), a.offset());
        OpNode fn = OpNode.begin("UnsqueezeBackward0", a);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {g.squeeze(d)});
    }

    /**
     * The element indices of {@code view} within {@code base}'s row-major values (both over one
     * storage): where a write through the view lands, for the base's gradient.
     */
    static int[] indicesIn(Tensor base, Tensor view) {
        int[] pos = view.positions();
        if (base.isContiguous()) {
            int o = base.offset();
            for (int i = 0; i < pos.length; i++) pos[i] -= o;
            return pos;
        }
        int[] bp = base.positions();
        int max = 0;
        for (int p : bp) max = Math.max(max, p);
        int[] inverse = new int[max + 1];
        for (int i = 0; i < bp.length; i++) inverse[bp[i]] = i;
        for (int i = 0; i < pos.length; i++) pos[i] = inverse[pos[i]];
        return pos;
    }

    /** {@code src}'s row-major values at {@code idx}, shaped {@code shape} (torch's as_strided on a contiguous tensor). */
    static Tensor takeAt(Tensor src, int[] idx, int[] shape) {
        double[] x = src.data(), r = new double[idx.length];
        for (int i = 0; i < idx.length; i++) r[i] = x[idx[i]];
        Tensor result = Tensor.make(r, shape, src.dtype());
        OpNode fn = OpNode.begin("AsStridedBackward0", src);
        if (fn == null) return result;
        int[] in = src.shapeRef();
        return fn.finish(result, g -> new Tensor[] {putAt(g, idx, in)});
    }

    /** Zeros of {@code shape} with {@code src}'s values added at {@code idx} (takeAt's backward). */
    static Tensor putAt(Tensor src, int[] idx, int[] shape) {
        double[] s = src.data(), r = new double[Shape.numel(shape)];
        DType dt = src.dtype();
        for (int i = 0; i < idx.length; i++) r[idx[i]] = dt.round(r[idx[i]] + s[i]); // float adds for float32, as IndexOps.indexAdd
        Tensor result = Tensor.make(r, shape, src.dtype());
        OpNode fn = OpNode.begin("AsStridedScatterBackward0", src);
        if (fn == null) return result;
        int[] in = src.shapeRef();
        return fn.finish(result, g -> new Tensor[] {takeAt(g, idx, in)});
    }

    /** Gives {@code view} a grad_fn from {@code base}'s current history (torch's regenerated AsStridedBackward0). */
    static void regenerateView(Tensor base, Tensor view) {
        OpNode fn = OpNode.always("AsStridedBackward0", base);
        int[] in = base.shapeRef();
        int[] idx = indicesIn(base, view);
        fn.finish(view, g -> new Tensor[] {putAt(g, idx, in)});
    }

    /**
     * After {@code view} of {@code base} was overwritten in place by {@code r}: the base's history
     * becomes torch's CopySlices, the old base's gradient outside the view and {@code r}'s inside.
     */
    static void copySlices(Tensor base, Tensor view, Tensor r) {
        OpNode fn = OpNode.always("CopySlices", base, r);
        int[] in = base.shapeRef(), vs = view.shape();
        int[] idx = indicesIn(base, view);
        fn.finish(base, g -> {
            Tensor outside = null;
            if (fn.needs(0)) {
                double[] mask = new double[base.numel()];
                java.util.Arrays.fill(mask, 1);
                for (int i : idx) mask[i] = 0;
                outside = g.mul(Tensor.make(mask, in, g.dtype()));
            }
            return new Tensor[] {outside, fn.needs(1) ? takeAt(g, idx, vs) : null};
        });
    }

    static Tensor expand(Tensor a, int[] sizes) {
        int[] in = a.shapeRef();
        if (sizes.length < in.length) {
            throw new AutogradException("expand(torch.DoubleTensor{" + Shape.str(in) + "}, size=" + Shape.str(sizes) + "): the number of sizes provided (" + sizes.length + ") must be greater or equal to the number of dimensions in the tensor (" + in.length + ")");
        }
        int lead = sizes.length - in.length;
        int[] out = new int[sizes.length];
        int[] st = a.stridesRef(), os = new int[sizes.length];
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
        Tensor result = a.viewAs(out, os, a.offset());
        OpNode fn = OpNode.begin("ExpandBackward0", a);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {sumTo(g, in)});
    }
}
