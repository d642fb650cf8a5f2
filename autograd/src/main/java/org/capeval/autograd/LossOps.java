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

    /** softmax ({@code log} false) or log_softmax values along d: float32 as torch's float kernels, others by {@link #normalize}. */
    private static Tensor normalized(Tensor a, int d, boolean log) {
        if (a.dtype() != DType.FLOAT32) return Tensor.make(normalize(a, d, log), a.shapeRef(), PointwiseOps.floatType(a));
        int[] oi = around(a, d);
        return Tensor.makeFloats(FloatSoftmax.forward(a.floatData(), oi[0], oi[1], oi[2], log), a.shapeRef());
    }

    /**
     * The gradient of softmax / log_softmax by torch's float32 kernel when all is float32 of one
     * shape; null otherwise (the caller then uses the differentiable op chain). torch's
     * {@code _softmax_backward_data} / {@code _log_softmax_backward_data} (the float32 cases replay
     * those): an op of its own, so a pass that builds a graph (createGraph) gets the same values as
     * one that does not, and the gradients through it are torch's formulas for that op.
     */
    static Tensor fusedBackward(Tensor g, Tensor y, int d, boolean log) {
        if (y.dtype() != DType.FLOAT32 || g.dtype() != DType.FLOAT32 || !java.util.Arrays.equals(g.shapeRef(), y.shapeRef())) return null;
        int[] oi = around(y, d);
        Tensor out = Tensor.makeFloats(FloatSoftmax.backward(g.floatData(), y.floatData(), oi[0], oi[1], oi[2], log), y.shapeRef());
        OpNode fn = OpNode.begin(log ? "LogSoftmaxBackwardDataBackward0" : "SoftmaxBackwardDataBackward0", g, y);
        if (fn == null) return out;
        SavedTensor sg = fn.save(g), sy = fn.save(y);
        int[] dims = {d};
        return fn.finish(out, gg -> {
            Tensor go = sg.get(), yv = sy.get(), forG = null, forY = null;
            if (log) {
                // the op is gO - exp(y) sum(gO): its transpose in gO, and its slope in y
                if (fn.needs(0)) forG = gg.sub(gg.mul(yv.exp()).sum(dims, true));
                if (fn.needs(1)) forY = go.sum(dims, true).neg().mul(yv.exp()).mul(gg);
            } else {
                // the op is y (gO - sum(gO y)): symmetric in gO, so itself; its slope in y
                if (fn.needs(0)) forG = fusedBackward(gg, yv, d, false);
                if (fn.needs(1)) forY = go.mul(gg).sub(yv.mul(go).sum(dims, true).mul(gg)).sub(go.mul(yv.mul(gg).sum(dims, true)));
            }
            return new Tensor[] {forG, forY};
        });
    }

    static Tensor softmax(Tensor a, int dim) {
        int d = Shape.wrap(dim, a.dim());
        Tensor out = normalized(a, d, false);
        OpNode fn = OpNode.begin("SoftmaxBackward0", a);
        if (fn == null) return out;
        SavedTensor so = fn.save(out);
        int[] dims = {d};
        return fn.finish(out, g -> {
            Tensor y = so.get();
            Tensor fused = fusedBackward(g, y, d, false);
            return new Tensor[] {fused != null ? fused : y.mul(g.sub(g.mul(y).sum(dims, true)))};
        });
    }

    static Tensor logSoftmax(Tensor a, int dim) {
        int d = Shape.wrap(dim, a.dim());
        Tensor out = normalized(a, d, true);
        OpNode fn = OpNode.begin("LogSoftmaxBackward0", a);
        if (fn == null) return out;
        SavedTensor so = fn.save(out);
        int[] dims = {d};
        return fn.finish(out, g -> {
            Tensor fused = fusedBackward(g, so.get(), d, true);
            return new Tensor[] {fused != null ? fused : g.sub(so.get().exp().mul(g.sum(dims, true)))};
        });
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
        for (int i = 0; i < n; i++) {
            int k = (int) t[i];
            if (k < 0 || k >= c) throw new IndexOutOfBoundsException("Target " + k + " is out of bounds.");
            per[i] = -lp[i * c + k];
        }
        DType dt = logProbs.dtype();
        Tensor out;
        if (reduction == Reduction.NONE) {
            out = Tensor.make(per, new int[] {n}, dt);
        } else if (dt == DType.FLOAT32) {
            float total = nllFloatSum(per);
            out = Tensor.makeFloats(new float[] {reduction == Reduction.MEAN ? total / n : total}, new int[0]);
        } else {
            double total = 0;
            for (double v : per) total += v;
            out = Tensor.make(new double[] {reduction == Reduction.MEAN ? total / n : total}, new int[0], dt);
        }
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

    /**
     * The float32 total of nll_loss as torch 1.13's CPU kernel adds it: each value subtracted from the
     * first of eight partial sums, which cascade upwards every 2^p values (p = max(4, ceil(log2 n) / 8)),
     * then the eight added in order.
     */
    private static float nllFloatSum(double[] negated) {
        int levels = 8, n = negated.length;
        int power = Math.max(4, Kernels.ceilLog2(n) / levels), mask = (1 << power) - 1;
        float[] partial = new float[levels];
        for (int b = 0; b < n; b++) {
            partial[0] += (float) negated[b]; // torch subtracts the picked log-probability; negated is exact
            for (int j = 0; j + 1 < levels; j++) {
                if ((b & (mask << (j * power))) != 0) break;
                partial[j + 1] += partial[j];
                partial[j] = 0;
            }
        }
        float total = 0;
        for (float v : partial) total += v;
        return total;
    }

    static Tensor crossEntropy(Tensor logits, Tensor target, Reduction reduction) {
        return nllLoss(logits.logSoftmax(logits.dim() == 1 ? 0 : 1), target, reduction);
    }

    /**
     * Mean squared error; input and target must have the same shape (torch only warns and broadcasts).
     * As torch: the squared differences, reduced by the sum or mean op; the gradient
     * {@code alpha (x - t) g} with alpha = 2 / n (mean) or 2, in the op's dtype.
     */
    static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        if (!java.util.Arrays.equals(input.shapeRef(), target.shapeRef())) {
            throw new AutogradException("Using a target size (" + Shape.str(target.shapeRef()) + ") that is different to the input size ("
                    + Shape.str(input.shapeRef()) + "). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.");
        }
        Tensor sq = GradMode.noGrad(() -> {
            Tensor d = input.sub(target);
            Tensor s = d.mul(d);
            return reduction == Reduction.NONE ? s : reduction == Reduction.MEAN ? s.mean() : s.sum();
        });
        OpNode fn = OpNode.begin("MseLossBackward0", input, target);
        if (fn == null) return sq;
        SavedTensor si = fn.save(input), st = fn.save(target);
        double alpha = reduction == Reduction.MEAN ? 2.0 / input.numel() : 2.0;
        return fn.finish(sq, g -> {
            Tensor d = si.get().sub(st.get()).mul(alpha).mul(g);
            return new Tensor[] {fn.needs(0) ? d : null, fn.needs(1) ? d.neg() : null};
        });
    }
}
