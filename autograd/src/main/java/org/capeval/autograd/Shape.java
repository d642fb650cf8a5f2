package org.capeval.autograd;

import java.util.Arrays;

/** Shape arithmetic: sizes, strides, broadcasting, dim normalisation. */
final class Shape {
    private Shape() {}

    static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** Row-major (C order) strides. */
    static int[] strides(int[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= shape[i];
        }
        return st;
    }

    /** torch's is_contiguous: row-major strides, ignoring dims of size 1 (and anything when empty). */
    static boolean isContiguous(int[] shape, int[] strides) {
        int expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 0) return true;
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /**
     * Strides viewing a tensor of {@code oldShape}/{@code oldStrides} as {@code newShape} without
     * copying, or null when no such view exists (torch's computeStride).
     */
    static int[] viewStrides(int[] oldShape, int[] oldStrides, int[] newShape) {
        int[] ns = new int[newShape.length];
        if (numel(oldShape) == 0) return strides(newShape);
        int viewD = newShape.length - 1;
        long chunkBase = oldStrides.length == 0 ? 1 : oldStrides[oldStrides.length - 1];
        long tensorNumel = 1, viewNumel = 1;
        for (int d = oldShape.length - 1; d >= 0; d--) {
            tensorNumel *= oldShape[d];
            if (d == 0 || (oldShape[d - 1] != 1 && oldStrides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    ns[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = oldStrides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? ns : null;
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** Python-style dim wrapping: -1 is the last of {@code ndim} dims. */
    static int wrap(int dim, int ndim) {
        int n = Math.max(ndim, 1);
        if (dim < -n || dim >= n) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of [" + (-n) + ", " + (n - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + n : dim;
    }

    static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int ia = a.length - n + i, ib = b.length - n + i;
            int x = ia >= 0 ? a[ia] : 1, y = ib >= 0 ? b[ib] : 1;
            if (x != y && x != 1 && y != 1) {
                throw new AutogradException("The size of tensor a (" + x + ") must match the size of tensor b (" + y + ") at non-singleton dimension " + i);
            }
            out[i] = x == 1 ? y : x;
        }
        return out;
    }

    /** Strides of {@code shape} seen inside the broadcast {@code out} shape (0 where stretched or missing). */
    static int[] broadcastStrides(int[] shape, int[] out) {
        int[] st = strides(shape);
        int[] r = new int[out.length];
        int off = out.length - shape.length;
        for (int i = 0; i < shape.length; i++) {
            r[off + i] = shape[i] == 1 && out[off + i] != 1 ? 0 : st[i];
        }
        return r;
    }

    static int[] remove(int[] shape, int dim) {
        int[] r = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != dim) r[j++] = shape[i];
        return r;
    }

    static int[] insert(int[] shape, int dim, int size) {
        int[] r = new int[shape.length + 1];
        for (int i = 0, j = 0; i < r.length; i++) r[i] = i == dim ? size : shape[j++];
        return r;
    }

    /** [outer, size, inner] decomposition around one dim. */
    static int[] around(int[] shape, int dim) {
        int outer = 1, inner = 1;
        for (int i = 0; i < dim; i++) outer *= shape[i];
        for (int i = dim + 1; i < shape.length; i++) inner *= shape[i];
        return new int[] {outer, shape[dim], inner};
    }
}
