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
