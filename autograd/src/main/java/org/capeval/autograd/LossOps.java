package org.capeval.autograd;

/** softmax, log_softmax and the losses (nll / cross-entropy with class indices, MSE). */
final class LossOps {
    private LossOps() {}

    /** [outer, size, inner] around dim; a 0-dim tensor counts as one element. */
    private static int[] around(Tensor a, int d) {
        return a.dim() == 0 ? new int[] {1, 1, 1} : Shape.around(a.shapeRef(), d);
    }

    /** softmax ({@code log} false) or log_softmax ({@code log} true) values along d, shifted by the max for stability. */
    private static double[] normalize(Tensor a, int d, boolean log) {
        int[] oi = around(a, d);
        int outer = oi[0], size = oi[1], inner = oi[2];
        double[] x = a.data(), r = new double[x.length];
        for (int o = 0; o < outer; o++) {
            for (int i = 0; i < inner; i++) {
                int base = o * size * inner + i;
                double m = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < size; k++) m = Math.max(m, x[base + k * inner]);
                double s = 0;
                if (log) {
                    for (int k = 0; k < size; k++) s += Math.exp(x[base + k * inner] - m);
                    double lse = m + Math.log(s);
                    for (int k = 0; k < size; k++) r[base + k * inner] = x[base + k * inner] - lse;
                } else {
                    for (int k = 0; k < size; k++) {
                        double e = Math.exp(x[base + k * inner] - m);
                        r[base + k * inner] = e;
                        s += e;
                    }
                    for (int k = 0; k < size; k++) r[base + k * inner] /= s;
                }
            }
        }
        return r;
    }

    static Tensor softmax(Tensor a, int dim) {
        int d = Shape.wrap(dim, a.dim());
        Tensor out = Tensor.make(normalize(a, d, false), a.shapeRef(), PointwiseOps.floatType(a));
        OpNode fn = OpNode.begin("SoftmaxBackward0", a);
        if (fn == null) return out;
        SavedTensor so = fn.save(out);
        int[] dims = {d};
        return fn.finish(out, g -> {
            Tensor y = so.get();
            return new Tensor[] {y.mul(g.sub(g.mul(y).sum(dims, true)))};
        });
    }

    static Tensor logSoftmax(Tensor a, int dim) {
        int d = Shape.wrap(dim, a.dim());
        Tensor out = Tensor.make(normalize(a, d, true), a.shapeRef(), PointwiseOps.floatType(a));
        OpNode fn = OpNode.begin("LogSoftmaxBackward0", a);
        if (fn == null) return out;
        SavedTensor so = fn.save(out);
        int[] dims = {d};
        return fn.finish(out, g -> new Tensor[] {g.sub(so.get().exp().mul(g.sum(dims, true)))});
    }

    /** Negative log-likelihood of class indices: input (N, C) log-probabilities (or (C) with a 0-dim target). */
    static Tensor nllLoss(Tensor logProbs, Tensor target, Reduction reduction) {
        if (target.dtype() != DType.INT64) {
            String found = target.dtype() == DType.FLOAT32 ? "Float" : "Double";
            throw new AutogradException("expected scalar type Long but found " + found);
        }
        if (logProbs.dim() == 1) {
            if (target.dim() != 0) throw new AutogradException("1D target tensor expected, multi-target not supported");
            Tensor r = nllLoss(logProbs.unsqueeze(0), target.unsqueeze(0), reduction);
            return reduction == Reduction.NONE ? r.squeeze(0) : r;
        }
        if (logProbs.dim() != 2) throw new AutogradException("nll_loss here supports input of shape (N, C) or (C); got " + Shape.str(logProbs.shapeRef()));
        if (target.dim() != 1) throw new AutogradException("1D target tensor expected, multi-target not supported");
        int n = logProbs.shapeRef()[0], c = logProbs.shapeRef()[1];
        if (target.numel() != n) throw new AutogradException("Expected input batch_size (" + n + ") to match target batch_size (" + target.numel() + ").");
        double[] lp = logProbs.data(), t = target.data();
        double[] per = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            int k = (int) t[i];
            if (k < 0 || k >= c) throw new IndexOutOfBoundsException("Target " + k + " is out of bounds.");
            per[i] = -lp[i * c + k];
            total += per[i];
        }
        DType dt = logProbs.dtype();
        Tensor out = reduction == Reduction.NONE ? Tensor.make(per, new int[] {n}, dt)
                : Tensor.make(new double[] {reduction == Reduction.MEAN ? total / n : total}, new int[0], dt);
        OpNode fn = OpNode.begin("NllLossBackward0", logProbs);
        if (fn == null) return out;
        SavedTensor st = fn.save(target);
        int[] shape = logProbs.shapeRef();
        return fn.finish(out, g -> {
            Tensor src = reduction == Reduction.NONE ? g.neg().unsqueeze(1) : g.neg().reshape(1, 1).expand(n, 1);
            if (reduction == Reduction.MEAN) src = src.div(n);
            return new Tensor[] {IndexOps.scatterAdd(shape, 1, st.get().unsqueeze(1), src)};
        });
    }

    static Tensor crossEntropy(Tensor logits, Tensor target, Reduction reduction) {
        return nllLoss(logits.logSoftmax(logits.dim() == 1 ? 0 : 1), target, reduction);
    }

    /** Mean squared error; input and target must have the same shape (torch only warns and broadcasts). */
    static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        if (!java.util.Arrays.equals(input.shapeRef(), target.shapeRef())) {
            throw new AutogradException("Using a target size (" + Shape.str(target.shapeRef()) + ") that is different to the input size ("
                    + Shape.str(input.shapeRef()) + "). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.");
        }
        double[] x = input.data(), y = target.data(), sq = new double[x.length];
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            sq[i] = d * d;
            total += sq[i];
        }
        DType dt = DType.promote(input, target);
        Tensor out = reduction == Reduction.NONE ? Tensor.make(sq, input.shapeRef(), dt)
                : Tensor.make(new double[] {reduction == Reduction.MEAN ? total / x.length : total}, new int[0], dt);
        OpNode fn = OpNode.begin("MseLossBackward0", input, target);
        if (fn == null) return out;
        SavedTensor si = fn.save(input), st = fn.save(target);
        double n = x.length;
        return fn.finish(out, g -> {
            Tensor d = si.get().sub(st.get()).mul(2.0).mul(g);
            if (reduction == Reduction.MEAN) d = d.div(n);
            return new Tensor[] {fn.needs(0) ? d : null, fn.needs(1) ? d.neg() : null};
        });
    }
}
