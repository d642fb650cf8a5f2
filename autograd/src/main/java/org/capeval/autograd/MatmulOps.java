package org.capeval.autograd;

/** Matrix products: mm, torch.matmul's cases (dot, mv, batched with broadcast batch dims) and a fused linear layer. */
final class MatmulOps {
    private MatmulOps() {}

    private static AutogradException shapeError(int n1, int k1, int k2, int m2) {
        return new AutogradException("mat1 and mat2 shapes cannot be multiplied (" + n1 + "x" + k1 + " and " + k2 + "x" + m2 + ")");
    }

    static Tensor mm(Tensor a, Tensor b) {
        if (a.dim() != 2) throw new AutogradException("self must be a matrix");
        if (b.dim() != 2) throw new AutogradException("mat2 must be a matrix");
        int n = a.shapeRef()[0], k = a.shapeRef()[1], k2 = b.shapeRef()[0], m = b.shapeRef()[1];
        if (k != k2) throw shapeError(n, k, k2, m);
        Tensor out = product(a, b, false, false);
        OpNode fn = OpNode.begin("MmBackward0", a, b);
        if (fn == null) return out;
        SavedTensor sa = fn.needs(1) ? fn.save(a) : null;
        SavedTensor sb = fn.needs(0) ? fn.save(b) : null;
        return fn.finish(out, g -> {
            if (!GradMode.isEnabled()) {
                // no graph to build: multiply by the transposes in place instead of copying them
                return new Tensor[] {sb == null ? null : product(g, sb.get(), false, true), sa == null ? null : product(sa.get(), g, true, false)};
            }
            return new Tensor[] {sb == null ? null : g.mm(sb.get().t()), sa == null ? null : sa.get().t().mm(g)};
        });
    }

    /** op(a) @ op(b) for 2-D tensors, without recording. */
    private static Tensor product(Tensor a, Tensor b, boolean transA, boolean transB) {
        int[] as = a.shapeRef(), bs = b.shapeRef();
        int n = transA ? as[1] : as[0], k = transA ? as[0] : as[1], m = transB ? bs[0] : bs[1];
        return product(a, b, transA, transB, n, m, k, new int[] {n, m}, null);
    }

    /**
     * op(a) @ op(b) as a new tensor of {@code shape} (n x m values), without recording; {@code bias}
     * (m values, or null) is added to every row. Float32 products compute in float, large ones by the
     * BLAS's sgemm/sgemv, small ones in torch's order ({@link Gemm#sgemmTorchOrder}), with the bias as
     * the initial C as torch's addmm does.
     */
    private static Tensor product(Tensor a, Tensor b, boolean transA, boolean transB, int n, int m, int k, int[] shape, Tensor bias) {
        // a view that is a row-major matrix or the transpose of one (t(), a narrow along dim 0) goes to BLAS as it lies in its storage
        int la = layout(a), lb = layout(b);
        boolean inA = la != COPY, inB = lb != COPY;
        boolean ta = transA ^ (la == TRANSPOSED), tb = transB ^ (lb == TRANSPOSED);
        int ao = inA ? a.offset() : 0, bo = inB ? b.offset() : 0;
        boolean blas = Gemm.singlePrecision(a, b, n, m, k);
        if ((blas || Gemm.torchOrderFloat(a, b, n, m, k)) && (bias == null || bias.dtype() == DType.FLOAT32)) {
            float[] c = new float[n * m];
            if (bias != null) {
                float[] row = bias.floatData();
                for (int i = 0; i < n; i++) System.arraycopy(row, 0, c, i * m, m);
            }
            float[] av = inA ? a.storageFloats() : a.floatData(), bv = inB ? b.storageFloats() : b.floatData();
            if (blas) {
                Gemm.sgemm(ta, tb, n, m, k, av, ao, bv, bo, c, 0);
            } else { // below BLAS's size: in the order of the sgemm torch calls
                Gemm.sgemmTorchOrder(ta, tb, n, m, k, av, ao, bv, bo, c, 0);
            }
            return Tensor.makeFloats(c, shape);
        }
        double[] c = new double[n * m];
        Gemm.gemm(ta, tb, n, m, k, inA ? a.storageDoubles() : a.data(), ao, inB ? b.storageDoubles() : b.data(), bo, c, 0);
        DType dt = DType.promote(a, b);
        if (bias != null) {
            double[] row = bias.data();
            for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) c[i * m + j] += row[j];
            dt = DType.promote(Tensor.zeros(dt, 1), bias);
        }
        return Tensor.make(c, shape, dt);
    }

    private static final int COPY = 0, ROW_MAJOR = 1, TRANSPOSED = 2;

    /**
     * How a product operand lies in its storage: ROW_MAJOR (contiguous from its offset), TRANSPOSED
     * (a 2-D transpose of a contiguous matrix: BLAS reads it with the other transpose flag) or COPY
     * (read through {@link Tensor#data()}).
     */
    private static int layout(Tensor t) {
        if (t.plain()) return ROW_MAJOR;
        if (t.isContiguous()) return ROW_MAJOR;
        if (t.dim() == 2) {
            int[] s = t.shapeRef(), st = t.stridesRef();
            if ((s[0] == 1 || st[0] == 1) && (s[1] == 1 || st[1] == s[0])) return TRANSPOSED;
        }
        return COPY;
    }

    static Tensor matmul(Tensor a, Tensor b) {
        int da = a.dim(), db = b.dim();
        if (da == 0 || db == 0) throw new AutogradException("both arguments to matmul need to be at least 1D, but they are " + da + "D and " + db + "D");
        if (da == 1 && db == 1) return dot(a, b);
        if (da == 2 && db == 1) return mv(a, b);
        if (da == 1 && db == 2) return a.unsqueeze(0).mm(b).squeeze(0);
        if (da == 2 && db == 2) return mm(a, b);
        Tensor a2 = da == 1 ? a.unsqueeze(0) : a;
        Tensor b2 = db == 1 ? b.unsqueeze(1) : b;
        // torch folds (..., n, k) @ (k, m) into one mm (so its shape error, its values and its gradients are one mm's)
        boolean folds = da >= 3 && db <= 2;
        Tensor r;
        if (folds && a2.shapeRef()[da - 1] == b2.shapeRef()[0]) {
            int[] as = a2.shapeRef();
            int[] out = as.clone();
            out[da - 1] = b2.shapeRef()[1];
            r = ShapeOps.reshape(a2.reshape(-1, as[da - 1]).mm(b2), out, "UnsafeViewBackward0");
        } else {
            r = batched(a2, b2, folds);
        }
        if (da == 1) r = r.squeeze(-2);
        if (db == 1) r = r.squeeze(-1);
        return r;
    }

    static Tensor dot(Tensor a, Tensor b) {
        int n = a.numel();
        if (n != b.numel()) {
            throw new AutogradException("inconsistent tensor size, expected tensor [" + n + "] and src [" + b.numel() + "] to have the same number of elements, but got " + n + " and " + b.numel() + " elements respectively");
        }
        Tensor out;
        if (a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32) {
            out = Tensor.makeFloats(new float[] {Gemm.sdotTorchOrder(a.floatData(), b.floatData(), n)}, new int[0]);
        } else {
            double s = 0;
            double[] x = a.data(), y = b.data();
            for (int i = 0; i < n; i++) s += x[i] * y[i];
            out = Tensor.make(new double[] {s}, new int[0], DType.promote(a, b));
        }
        OpNode fn = OpNode.begin("DotBackward0", a, b);
        if (fn == null) return out;
        SavedTensor sa = fn.needs(1) ? fn.save(a) : null;
        SavedTensor sb = fn.needs(0) ? fn.save(b) : null;
        return fn.finish(out, g -> new Tensor[] {
            sb == null ? null : g.mul(sb.get()),
            sa == null ? null : g.mul(sa.get())});
    }

    static Tensor mv(Tensor a, Tensor v) {
        int n = a.shapeRef()[0], k = a.shapeRef()[1];
        if (v.numel() != k) throw new AutogradException("size mismatch, got " + n + ", " + n + "x" + k + "," + v.numel());
        Tensor out = Gemm.torchOrderFloat(a, v, n, 1, k) ? floatMv(a, v) : product(a, v, false, false, n, 1, k, new int[] {n}, null);
        OpNode fn = OpNode.begin("MvBackward0", a, v);
        if (fn == null) return out;
        SavedTensor sa = fn.needs(1) ? fn.save(a) : null;
        SavedTensor sv = fn.needs(0) ? fn.save(v) : null;
        return fn.finish(out, g -> new Tensor[] {
            sv == null ? null : g.unsqueeze(1).mul(sv.get().unsqueeze(0)),
            sa == null ? null : sa.get().t().matmul(g)});
    }

    /**
     * A float32 matrix-vector product as torch 1.13's mv picks the sgemv call: "N" on the matrix's
     * storage when its rows are 1 apart (a transposed matrix), else "T" when its columns are (a
     * row-major one, or a copy of other views), each in OpenBLAS's order ({@link Gemm#sgemvNTorchOrder},
     * {@link Gemm#sgemvTTorchOrder}). The vector is read densely.
     */
    private static Tensor floatMv(Tensor a, Tensor v) {
        int rows = a.shapeRef()[0], cols = a.shapeRef()[1];
        int[] st = a.stridesRef();
        float[] x = v.floatData(), y = new float[rows];
        if (st[0] == 1 && (cols == 1 || st[1] >= Math.max(1, rows))) {
            Gemm.sgemvNTorchOrder(a.storageFloats(), a.offset(), st[1], rows, cols, x, y);
        } else if (st[1] == 1 && (rows == 1 || st[0] >= Math.max(1, cols))) {
            Gemm.sgemvTTorchOrder(a.storageFloats(), a.offset(), st[0], cols, rows, x, y);
        } else {
            Gemm.sgemvTTorchOrder(a.floatData(), 0, cols, cols, rows, x, y);
        }
        return Tensor.makeFloats(y, new int[] {rows});
    }

    /** (..., n, k) @ (..., k, m) with broadcast batch dims; torch reports UnsafeViewBackward0 for it. */
    static Tensor batched(Tensor a, Tensor b, boolean folds) {
        int[] as = a.shapeRef(), bs = b.shapeRef();
        int n = as[as.length - 2], k = as[as.length - 1], k2 = bs[bs.length - 2], m = bs[bs.length - 1];
        if (k != k2 && folds) throw shapeError(Shape.numel(as) / k, k, k2, m);
        int[] ab = java.util.Arrays.copyOf(as, as.length - 2), bb = java.util.Arrays.copyOf(bs, bs.length - 2);
        int[] batch = Shape.broadcast(ab, bb);
        if (k != k2) {
            int nb = Shape.numel(batch);
            throw new AutogradException("Expected size for first two dimensions of batch2 tensor to be: [" + nb + ", " + k + "] but got: [" + nb + ", " + k2 + "].");
        }
        int[] sa = Shape.broadcastStrides(ab, batch), sb = Shape.broadcastStrides(bb, batch);
        int nb = Shape.numel(batch);
        int[] out = java.util.Arrays.copyOf(batch, batch.length + 2);
        out[batch.length] = n;
        out[batch.length + 1] = m;
        boolean f32 = a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32;
        int[] idx = new int[batch.length];
        double[] x = f32 ? null : a.data(), y = f32 ? null : b.data(), c = f32 ? null : new double[nb * n * m];
        float[] xf = f32 ? a.floatData() : null, yf = f32 ? b.floatData() : null, cf = f32 ? new float[nb * n * m] : null;
        for (int i = 0; i < nb; i++) {
            int oa = 0, ob = 0, rem = i;
            for (int d = batch.length - 1; d >= 0; d--) {
                idx[d] = rem % batch[d];
                rem /= batch[d];
                oa += idx[d] * sa[d];
                ob += idx[d] * sb[d];
            }
            if (f32) floatBmm(xf, oa * n * k, yf, ob * k * m, cf, i * n * m, n, k, m);
            else Kernels.mm(x, oa * n * k, y, ob * k * m, c, i * n * m, n, k, m);
        }
        Tensor result = f32 ? Tensor.makeFloats(cf, out) : Tensor.make(c, out, DType.promote(a, b));
        OpNode fn = OpNode.begin("UnsafeViewBackward0", a, b);
        if (fn == null) return result;
        SavedTensor s1 = fn.needs(1) ? fn.save(a) : null;
        SavedTensor s2 = fn.needs(0) ? fn.save(b) : null;
        return fn.finish(result, g -> new Tensor[] {
            s2 == null ? null : ShapeOps.sumTo(g.matmul(s2.get().transpose(-1, -2)), as),
            s1 == null ? null : ShapeOps.sumTo(s1.get().transpose(-1, -2).matmul(g), bs)});
    }

    /**
     * One float32 product of a batch as torch 1.13's bmm computes it: under 400 multiply-adds a plain
     * loop (each sum from 0 adding the rounded products along k, no fused multiply-add), otherwise one
     * sgemm per batch (here {@link Gemm#sgemmTorchOrder}, or the BLAS's sgemm when large).
     */
    private static void floatBmm(float[] a, int ao, float[] b, int bo, float[] c, int co, int n, int k, int m) {
        if ((long) n * k * m < 400) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    float s = 0;
                    for (int p = 0; p < k; p++) s += a[ao + i * k + p] * b[bo + p * m + j];
                    c[co + i * m + j] = s;
                }
            }
        } else if ((long) n * k * m < Gemm.BLAS_MIN_WORK || Gemm.blas() == null) {
            Gemm.sgemmTorchOrder(false, false, n, m, k, a, ao, b, bo, c, co);
        } else {
            Gemm.sgemm(false, false, n, m, k, a, ao, b, bo, c, co);
        }
    }

    /** {@code x @ w^T + b} for x (N, in), w (out, in), b (out) or null, without materialising w^T. */
    static Tensor linear(Tensor x, Tensor w, Tensor b) {
        if (x.dim() != 2 || w.dim() != 2) {
            Tensor y = x.matmul(w.t());
            return b == null ? y : y.add(b);
        }
        int n = x.shapeRef()[0], k = x.shapeRef()[1], m = w.shapeRef()[0];
        if (w.shapeRef()[1] != k) throw shapeError(n, k, w.shapeRef()[1], m);
        if (b != null && b.numel() != m) throw new AutogradException("bias has " + b.numel() + " elements, expected " + m);
        Tensor out = product(x, w, false, true, n, m, k, new int[] {n, m}, b);
        OpNode fn = b == null ? OpNode.begin("MmBackward0", x, w) : OpNode.begin("AddmmBackward0", x, w, b);
        if (fn == null) return out;
        SavedTensor sx = fn.needs(1) ? fn.save(x) : null;
        SavedTensor sw = fn.needs(0) ? fn.save(w) : null;
        return fn.finish(out, g -> {
            Tensor[] r = new Tensor[b == null ? 2 : 3];
            if (sw != null) r[0] = g.mm(sw.get());
            if (sx != null) r[1] = GradMode.isEnabled() ? g.t().mm(sx.get()) : product(g, sx.get(), true, false);
            if (b != null && fn.needs(2)) r[2] = g.sum(0);
            return r;
        });
    }
}
