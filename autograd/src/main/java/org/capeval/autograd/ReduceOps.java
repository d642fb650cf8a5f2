package org.capeval.autograd;

/** Reductions: sum, mean, max, argmax, each with its backward. */
final class ReduceOps {
    private ReduceOps() {}

    /** Flags of the reduced dims; null or empty {@code dims} means all. */
    private static boolean[] flags(int[] dims, int nd) {
        boolean[] r = new boolean[nd];
        if (dims == null || dims.length == 0) {
            java.util.Arrays.fill(r, true);
            return r;
        }
        for (int d : dims) {
            int w = Shape.wrap(d, nd);
            if (nd == 0) continue;
            if (r[w]) throw new AutogradException("dim " + w + " appears multiple times in the list of dims");
            r[w] = true;
        }
        return r;
    }

    private static int[] reducedShape(int[] in, boolean[] reduce, boolean keepdim) {
        int n = 0;
        for (int d = 0; d < in.length; d++) if (!reduce[d] || keepdim) n++;
        int[] out = new int[n];
        for (int d = 0, j = 0; d < in.length; d++) {
            if (!reduce[d]) out[j++] = in[d];
            else if (keepdim) out[j++] = 1;
        }
        return out;
    }

    private static int[] keptShape(int[] in, boolean[] reduce) {
        return reducedShape(in, reduce, true);
    }

    static Tensor sum(Tensor a, int[] dims, boolean keepdim) {
        int[] in = a.shapeRef();
        boolean[] reduce = flags(dims, in.length);
        int[] out = dims == null ? new int[0] : reducedShape(in, reduce, keepdim);
        Tensor result = a.dtype() == DType.FLOAT32 ? Tensor.makeFloats(Kernels.sum(a.floatData(), in, reduce), out)
                : Tensor.make(Kernels.sum(a.data(), in, reduce), out, a.dtype());
        OpNode fn = OpNode.begin(dims == null ? "SumBackward0" : "SumBackward1", a);
        if (fn == null) return result;
        int[] kept = keptShape(in, reduce);
        return fn.finish(result, g -> new Tensor[] {g.reshape(kept).expand(in)});
    }

    static Tensor mean(Tensor a, int[] dims, boolean keepdim) {
        int[] in = a.shapeRef();
        boolean[] reduce = flags(dims, in.length);
        int[] out = dims == null ? new int[0] : reducedShape(in, reduce, keepdim);
        int count = 1;
        for (int d = 0; d < in.length; d++) if (reduce[d]) count *= in[d];
        Tensor result;
        if (a.dtype() == DType.FLOAT32) {
            // torch's CPU mean: the float sum, then divided in float
            float[] s = Kernels.sum(a.floatData(), in, reduce);
            for (int i = 0; i < s.length; i++) s[i] /= count;
            result = Tensor.makeFloats(s, out);
        } else {
            double[] s = Kernels.sum(a.data(), in, reduce);
            for (int i = 0; i < s.length; i++) s[i] /= count;
            result = Tensor.make(s, out, PointwiseOps.floatType(a));
        }
        OpNode fn = OpNode.begin(dims == null ? "MeanBackward0" : "MeanBackward1", a);
        if (fn == null) return result;
        int[] kept = keptShape(in, reduce);
        double n = count;
        return fn.finish(result, g -> new Tensor[] {g.reshape(kept).expand(in).div(n)});
    }

    /** Full max; ties share the gradient evenly (torch's MaxBackward1). */
    static Tensor max(Tensor a) {
        double[] x = a.data();
        if (x.length == 0) throw new AutogradException("max(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) if (v > m || Double.isNaN(v)) m = v;
        Tensor result = Tensor.make(new double[] {m}, new int[0], a.dtype());
        OpNode fn = OpNode.begin("MaxBackward1", a);
        if (fn == null) return result;
        SavedTensor sa = fn.save(a), so = fn.save(result);
        return fn.finish(result, g -> {
            double[] v = sa.get().data();
            double best = so.get().item();
            double[] mask = new double[v.length];
            int ties = 0;
            for (int i = 0; i < v.length; i++) if (v[i] == best) ties++;
            for (int i = 0; i < v.length; i++) mask[i] = v[i] == best ? 1.0 / ties : 0.0;
            return new Tensor[] {g.mul(Tensor.make(mask, sa.get().shapeRef(), a.dtype()))};
        });
    }

    /** Values and int64 indices of the maximum along dim (first index on ties). */
    private static Tensor[] maxAlong(Tensor a, int d, boolean keepdim) {
        int[] in = a.shapeRef();
        int[] oi = Shape.around(in, d);
        int outer = oi[0], size = oi[1], inner = oi[2];
        if (size == 0) throw new AutogradException("max(): Expected reduction dim " + d + " to have non-zero size.");
        double[] x = a.data();
        double[] vals = new double[outer * inner], idx = new double[outer * inner];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * size * inner + i;
                double best = x[base];
                int bi = 0;
                for (int k = 1; k < size; k++) {
                    double v = x[base + k * inner];
                    if (v > best || (Double.isNaN(v) && !Double.isNaN(best))) {
                        best = v;
                        bi = k;
                    }
                }
                vals[o * inner + i] = best;
                idx[o * inner + i] = bi;
            }
        }
        boolean[] reduce = new boolean[in.length];
        reduce[d] = true;
        int[] out = reducedShape(in, reduce, keepdim);
        return new Tensor[] {Tensor.make(vals, out, a.dtype()), Tensor.make(idx, out.clone(), DType.INT64)};
    }

    /** {@code max(dim, keepdim).values}: the gradient goes to the returned index (torch's MaxBackward0). */
    static Tensor max(Tensor a, int dim, boolean keepdim) {
        int d = Shape.wrap(dim, a.dim());
        if (a.dim() == 0) return a.clone();
        Tensor[] vi = maxAlong(a, d, keepdim);
        OpNode fn = OpNode.begin("MaxBackward0", a);
        if (fn == null) return vi[0];
        SavedTensor si = fn.save(vi[1]);
        int[] in = a.shapeRef();
        return fn.finish(vi[0], g -> {
            Tensor index = keepdim ? si.get() : si.get().unsqueeze(d);
            Tensor gk = keepdim ? g : g.unsqueeze(d);
            return new Tensor[] {IndexOps.scatterAdd(in, d, index, gk)};
        });
    }

    /** Never requires grad. */
    static Tensor argmax(Tensor a, Integer dim, boolean keepdim) {
        if (dim == null) {
            double[] x = a.data();
            int bi = 0;
            for (int i = 1; i < x.length; i++) if (x[i] > x[bi]) bi = i;
            return Tensor.make(new double[] {bi}, keepdim ? ones(a.dim()) : new int[0], DType.INT64);
        }
        int d = Shape.wrap(dim, a.dim());
        if (a.dim() == 0) return Tensor.make(new double[] {0}, new int[0], DType.INT64);
        return maxAlong(a, d, keepdim)[1];
    }

    private static int[] ones(int n) {
        int[] r = new int[n];
        java.util.Arrays.fill(r, 1);
        return r;
    }

    /** The 2-norm of all elements; its gradient at the zero vector is 0 (torch special-cases it). */
    static Tensor norm(Tensor a) {
        Tensor out;
        if (a.dtype() == DType.FLOAT32) {
            out = Tensor.makeFloats(new float[] {floatNorm(a.floatData())}, new int[0]);
        } else {
            double ss = 0;
            for (double v : a.data()) ss += v * v;
            out = Tensor.make(new double[] {Math.sqrt(ss)}, new int[0], PointwiseOps.floatType(a));
        }
        OpNode fn = OpNode.begin("NormBackward1", a);
        if (fn == null) return out;
        SavedTensor sa = fn.save(a), so = fn.save(out);
        return fn.finish(out, g -> {
            Tensor x = sa.get(), n = so.get();
            if (n.item() == 0) return new Tensor[] {g.mul(Tensor.zerosLike(x))};
            return new Tensor[] {g.mul(x.div(n))}; // torch: grad * (self / norm)
        });
    }

    /**
     * The float32 2-norm as torch 1.13's CPU kernel computes it (its vectorized path for a norm over
     * contiguous values): eight lane sums of squares by fused multiply-adds over the whole groups of
     * eight, the lanes added in order, then the leftover squares one by one, the square root in float.
     */
    private static float floatNorm(float[] x) {
        float[] lane = new float[8];
        int whole = x.length - x.length % 8;
        for (int k = 0; k < whole; k++) lane[k % 8] = Math.fma(x[k], x[k], lane[k % 8]);
        float s = lane[0];
        for (int j = 1; j < 8; j++) s += lane[j];
        for (int k = whole; k < x.length; k++) s += x[k] * x[k];
        return (float) Math.sqrt(s);
    }

    /**
     * log(sum(exp(x))) along dim, computed stably as torch: shifted by the max, an infinite max
     * counting as 0 (so a row of -inf gives -inf and one holding +inf gives +inf, not NaN).
     */
    static Tensor logsumexp(Tensor a, int dim, boolean keepdim) {
        int[] in = a.shapeRef();
        int d = Shape.wrap(dim, in.length);
        Tensor result = GradMode.noGrad(() -> {
            Tensor max = a.dim() == 0 ? a : a.max(d, true);
            Tensor m = Tensor.make(Kernels.map(max.data(), v -> Double.isInfinite(v) ? 0 : v), max.shapeRef(), max.dtype());
            Tensor shifted = a.sub(m).exp().sum(new int[] {d}, true).log().add(m);
            return keepdim || a.dim() == 0 ? shifted : shifted.squeeze(d);
        });
        Tensor out = Tensor.make(result.toArray(), result.shape(), PointwiseOps.floatType(a));
        OpNode fn = OpNode.begin("LogsumexpBackward0", a);
        if (fn == null) return out;
        SavedTensor sa = fn.save(a), so = fn.save(out);
        return fn.finish(out, g -> {
            Tensor r = so.get(), gk = g;
            if (!keepdim && a.dim() > 0) {
                r = r.unsqueeze(d);
                gk = g.unsqueeze(d);
            }
            return new Tensor[] {gk.mul(sa.get().sub(r).exp())};
        });
    }
}
