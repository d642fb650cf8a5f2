package org.capeval.autograd;

import java.util.ArrayList;
import java.util.List;

/**
 * Joining and indexing: cat, stack, slice, select (views of their input, as torch's), narrow,
 * index_select, gather, plus the scatter-style ops their backwards need (each of which has the
 * forward op as its own backward).
 */
final class IndexOps {
    private IndexOps() {}

    private static void checkIndex(Tensor index, String op) {
        if (index.dtype() != DType.INT64) throw new AutogradException(op + "(): Expected dtype int64 for index");
    }

    static Tensor cat(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new AutogradException("torch.cat(): expected a non-empty list of Tensors");
        Tensor first = tensors.get(0);
        int nd = first.dim();
        if (nd == 0) throw new AutogradException("zero-dimensional tensor (at position 0) cannot be concatenated");
        int d = Shape.wrap(dim, nd);
        int[] out = first.shape();
        out[d] = 0;
        DType dtype = first.dtype();
        for (int t = 0; t < tensors.size(); t++) {
            int[] s = tensors.get(t).shapeRef();
            if (s.length != nd) throw new AutogradException("Tensors must have same number of dimensions: got " + nd + " and " + s.length);
            for (int k = 0; k < nd; k++) {
                if (k != d && s[k] != out[k]) {
                    throw new AutogradException("Sizes of tensors must match except in dimension " + d + ". Expected size " + out[k] + " but got size " + s[k] + " for tensor number " + t + " in the list.");
                }
            }
            out[d] += s[d];
            dtype = DType.promote(Tensor.zeros(dtype, 1), Tensor.zeros(tensors.get(t).dtype(), 1));
        }
        int[] oi = Shape.around(out, d);
        int outer = oi[0], inner = oi[2];
        double[] r = new double[Shape.numel(out)];
        int[] sizes = new int[tensors.size()];
        int offset = 0;
        for (int t = 0; t < tensors.size(); t++) {
            Tensor x = tensors.get(t);
            int block = x.shapeRef()[d] * inner;
            sizes[t] = x.shapeRef()[d];
            double[] src = x.data();
            for (int o = 0; o < outer; o++) System.arraycopy(src, o * block, r, o * out[d] * inner + offset * inner, block);
            offset += sizes[t];
        }
        Tensor result = Tensor.make(r, out, dtype);
        OpNode fn = OpNode.begin("CatBackward0", tensors.toArray(new Tensor[0]));
        if (fn == null) return result;
        return fn.finish(result, g -> {
            Tensor[] grads = new Tensor[sizes.length];
            int off = 0;
            for (int t = 0; t < sizes.length; t++) {
                if (fn.needs(t)) grads[t] = g.slice(d, off, off + sizes[t], 1);
                off += sizes[t];
            }
            return grads;
        });
    }

    static Tensor stack(List<Tensor> tensors, int dim) {
        if (tensors.isEmpty()) throw new AutogradException("stack expects a non-empty TensorList");
        int d = Shape.wrap(dim, tensors.get(0).dim() + 1);
        int[] s0 = tensors.get(0).shapeRef();
        for (int t = 1; t < tensors.size(); t++) {
            if (!java.util.Arrays.equals(tensors.get(t).shapeRef(), s0)) {
                throw new AutogradException("stack expects each tensor to be equal size, but got " + Shape.str(s0) + " at entry 0 and " + Shape.str(tensors.get(t).shapeRef()) + " at entry " + t);
            }
        }
        Tensor result = GradMode.noGrad(() -> {
            List<Tensor> parts = new ArrayList<>();
            for (Tensor t : tensors) parts.add(t.unsqueeze(d));
            return cat(parts, d);
        });
        OpNode fn = OpNode.begin("StackBackward0", tensors.toArray(new Tensor[0]));
        if (fn == null) return result;
        int n = tensors.size();
        return fn.finish(result, g -> {
            Tensor[] grads = new Tensor[n];
            for (int t = 0; t < n; t++) if (fn.needs(t)) grads[t] = g.select(d, t);
            return grads;
        });
    }

    static Tensor slice(Tensor a, int dim, int start, int end, int step) {
        return slice(a, dim, start, end, step, "SliceBackward0");
    }

    /** {@code node}: the grad_fn name torch gives this view (split's pieces are slices). */
    private static Tensor slice(Tensor a, int dim, int start, int end, int step, String node) {
        int[] in = a.shapeRef();
        int d = Shape.wrap(dim, in.length);
        if (step <= 0) throw new AutogradException("slice step must be positive");
        int size = in[d];
        int s = start < 0 ? Math.max(start + size, 0) : Math.min(start, size);
        int e = end < 0 ? Math.max(end + size, 0) : Math.min(end, size);
        if (e < s) e = s;
        int[] out = in.clone();
        out[d] = (e - s + step - 1) / step;
        int[] st = a.stridesRef(), os = st.clone();
        os[d] = st[d] * step;
        Tensor result = a.viewAs(out, os, a.offset() + s * st[d]);
        OpNode fn = OpNode.begin(node, a);
        if (fn == null) return result;
        int fs = s, fe = e;
        return fn.finish(result, g -> new Tensor[] {sliceScatter(g, in, d, fs, fe, step)});
    }

    /** torch.narrow: {@code length} entries from {@code start} along dim, a view (torch's SliceBackward0). */
    static Tensor narrow(Tensor a, int dim, int start, int length) {
        if (a.dim() == 0) throw new AutogradException("narrow() cannot be applied to a 0-dim tensor.");
        int d = Shape.wrap(dim, a.dim());
        int size = a.shapeRef()[d];
        int s = start == size ? start : Shape.wrap(start, size); // torch wraps start like a dim
        if (length < 0 || s > size - length) throw new AutogradException("start (" + s + ") + length (" + length + ") exceeds dimension size (" + size + ").");
        return slice(a, d, s, s + length, 1);
    }

    /** Zeros of {@code shape} with {@code src} placed at {@code [start:end:step]} along dim (slice's backward). */
    static Tensor sliceScatter(Tensor src, int[] shape, int d, int start, int end, int step) {
        double[] r = new double[Shape.numel(shape)];
        int[] st = Shape.strides(shape), os = st.clone();
        os[d] = st[d] * step;
        Kernels.scatterAdd(r, start * st[d], os, src.shapeRef(), src.data());
        Tensor result = Tensor.make(r, shape, src.dtype());
        OpNode fn = OpNode.begin("SliceBackwardBackward0", src);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {g.slice(d, start, end, step)});
    }

    static Tensor select(Tensor a, int dim, int index) {
        return select(a, dim, index, "SelectBackward0");
    }

    private static Tensor select(Tensor a, int dim, int index, String node) {
        int[] in = a.shapeRef();
        if (in.length == 0) throw new AutogradException("select() cannot be applied to a 0-dim tensor.");
        int d = Shape.wrap(dim, in.length);
        if (index < -in[d] || index >= in[d]) {
            throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size " + Shape.str(in) + " at dimension " + d);
        }
        int i = index < 0 ? index + in[d] : index;
        int[] st = a.stridesRef();
        Tensor result = a.viewAs(Shape.remove(in, d), Shape.remove(st, d), a.offset() + i * st[d]);
        OpNode fn = OpNode.begin(node, a);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {sliceScatter(g.unsqueeze(d), in, d, i, i + 1, 1)});
    }

    /**
     * torch.unbind: the entries along dim as views of {@code a} (selects), which torch makes with one
     * multi-output node and so refuses in-place writes on while they require grad.
     */
    static List<Tensor> unbind(Tensor a, int dim) {
        if (a.dim() == 0) throw new AutogradException("Dimension specified as " + dim + " but tensor has no dimensions");
        int d = Shape.wrap(dim, a.dim());
        List<Tensor> pieces = new ArrayList<>();
        for (int i = 0; i < a.shapeRef()[d]; i++) pieces.add(select(a, d, i, "UnbindBackward0").markMultiOutput("UnbindBackward0", i));
        return pieces;
    }

    /** torch.split with a size: pieces of {@code size} entries along dim (the last may be shorter), views as {@link #unbind}'s. */
    static List<Tensor> split(Tensor a, int size, int dim) {
        if (a.dim() == 0) throw new AutogradException("split expects at least a 1-dimensional tensor");
        int d = Shape.wrap(dim, a.dim()), n = a.shapeRef()[d];
        if (size < 0) throw new AutogradException("split expects split_size be non-negative, but got split_size=" + size);
        if (size == 0 && n != 0) throw new AutogradException("split_size can only be 0 if dimension size is 0, but got dimension size of " + n);
        int count = size == 0 ? 1 : Math.max((n + size - 1) / size, 1);
        int[] sizes = new int[count];
        for (int k = 0; k < count; k++) sizes[k] = Math.min(size, n - k * size);
        return pieces(a, d, sizes, "SplitBackward0");
    }

    /** torch.split with a list of sizes (split_with_sizes): they must add up to the dim's size. */
    static List<Tensor> split(Tensor a, int[] sizes, int dim) {
        if (a.dim() == 0) throw new AutogradException("split expects at least a 1-dimensional tensor");
        int d = Shape.wrap(dim, a.dim()), n = a.shapeRef()[d], total = 0;
        for (int s : sizes) {
            if (s < 0) throw new AutogradException("split_with_sizes expects split_sizes have only non-negative entries, but got split_sizes=" + java.util.Arrays.toString(sizes));
            total += s;
        }
        if (total != n) {
            throw new AutogradException("split_with_sizes expects split_sizes to sum exactly to " + n + " (input tensor's size at dimension " + d
                    + "), but got split_sizes=" + java.util.Arrays.toString(sizes));
        }
        return pieces(a, d, sizes, "SplitWithSizesBackward0");
    }

    private static List<Tensor> pieces(Tensor a, int d, int[] sizes, String node) {
        List<Tensor> pieces = new ArrayList<>();
        int start = 0;
        for (int k = 0; k < sizes.length; k++) {
            pieces.add(slice(a, d, start, start + sizes[k], 1, node).markMultiOutput(node, k));
            start += sizes[k];
        }
        return pieces;
    }

    static Tensor indexSelect(Tensor a, int dim, Tensor index) {
        checkIndex(index, "index_select");
        if (index.dim() > 1) throw new AutogradException("index_select(): Index is supposed to be a vector");
        int[] in = a.shapeRef();
        int d = Shape.wrap(dim, in.length);
        int[] oi = in.length == 0 ? new int[] {1, 1, 1} : Shape.around(in, d);
        int outer = oi[0], size = oi[1], inner = oi[2];
        double[] idx = index.data();
        int[] out = in.length == 0 ? new int[0] : in.clone();
        if (in.length > 0) out[d] = idx.length;
        double[] x = a.data(), r = new double[Shape.numel(out)];
        for (int k = 0; k < idx.length; k++) {
            int j = (int) idx[k];
            if (j < 0 || j >= size) throw new IndexOutOfBoundsException("index out of range in self");
        }
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < idx.length; k++) {
                System.arraycopy(x, (o * size + (int) idx[k]) * inner, r, (o * idx.length + k) * inner, inner);
            }
        }
        Tensor result = Tensor.make(r, out, a.dtype());
        OpNode fn = OpNode.begin("IndexSelectBackward0", a);
        if (fn == null) return result;
        SavedTensor si = fn.save(index);
        return fn.finish(result, g -> new Tensor[] {indexAdd(in, d, si.get(), g)});
    }

    /** Zeros of {@code shape} plus {@code src} added at the given indices along dim (index_select's backward). */
    static Tensor indexAdd(int[] shape, int d, Tensor index, Tensor src) {
        int[] oi = shape.length == 0 ? new int[] {1, 1, 1} : Shape.around(shape, d);
        int outer = oi[0], size = oi[1], inner = oi[2];
        double[] idx = index.data(), s = src.data(), r = new double[Shape.numel(shape)];
        DType dt = src.dtype();
        for (int o = 0; o < outer; o++) {
            for (int k = 0; k < idx.length; k++) {
                int to = (o * size + (int) idx[k]) * inner, from = (o * idx.length + k) * inner;
                // each add rounded to the dtype: repeated indices add as torch's index_add_ does, in float for float32
                for (int i = 0; i < inner; i++) r[to + i] = dt.round(r[to + i] + s[from + i]);
            }
        }
        Tensor result = Tensor.make(r, shape, src.dtype());
        OpNode fn = OpNode.begin("IndexAddBackward0", src);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {g.indexSelect(d, index)});
    }

    /** Flat offsets into a tensor of {@code shape} for every position of {@code index}, replacing coordinate d by the index value. */
    private static int[] gatherOffsets(int[] shape, int d, Tensor index, String op) {
        int[] is = index.shapeRef();
        if (is.length != shape.length) throw new AutogradException("Index tensor must have the same number of dimensions as input tensor");
        for (int k = 0; k < is.length; k++) {
            if (k != d && is[k] > shape[k]) {
                throw new AutogradException("Size does not match at dimension " + k + " expected index " + Shape.str(is) + " to be smaller than self " + Shape.str(shape) + " apart from dimension " + d);
            }
        }
        int[] st = Shape.strides(shape);
        double[] idx = index.data();
        int[] offsets = new int[idx.length];
        int nd = is.length;
        int[] pos = new int[nd];
        for (int p = 0; p < idx.length; p++) {
            int j = (int) idx[p];
            if (j < 0 || j >= shape[d]) throw new IndexOutOfBoundsException("index " + j + " is out of bounds for dimension " + d + " with size " + shape[d]);
            int off = 0;
            for (int k = 0; k < nd; k++) off += (k == d ? j : pos[k]) * st[k];
            offsets[p] = off;
            for (int k = nd - 1; k >= 0; k--) {
                if (++pos[k] < is[k]) break;
                pos[k] = 0;
            }
        }
        return offsets;
    }

    static Tensor gather(Tensor a, int dim, Tensor index) {
        checkIndex(index, "gather");
        int[] in = a.shapeRef();
        int d = Shape.wrap(dim, in.length);
        int[] offsets = gatherOffsets(in, d, index, "gather");
        double[] x = a.data(), r = new double[offsets.length];
        for (int p = 0; p < r.length; p++) r[p] = x[offsets[p]];
        Tensor result = Tensor.make(r, index.shape(), a.dtype());
        OpNode fn = OpNode.begin("GatherBackward0", a);
        if (fn == null) return result;
        SavedTensor si = fn.save(index);
        return fn.finish(result, g -> new Tensor[] {scatterAdd(in, d, si.get(), g)});
    }

    /** Zeros of {@code shape} with {@code src} added at the gathered positions (gather's backward). */
    static Tensor scatterAdd(int[] shape, int d, Tensor index, Tensor src) {
        int[] offsets = gatherOffsets(shape, d, index, "scatter_add");
        double[] s = src.data(), r = new double[Shape.numel(shape)];
        DType dt = src.dtype();
        for (int p = 0; p < offsets.length; p++) r[offsets[p]] = dt.round(r[offsets[p]] + s[p]); // as indexAdd
        Tensor result = Tensor.make(r, shape, src.dtype());
        OpNode fn = OpNode.begin("ScatterAddBackward0", src);
        if (fn == null) return result;
        return fn.finish(result, g -> new Tensor[] {g.gather(d, index)});
    }
}
