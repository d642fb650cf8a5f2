package org.capeval.jobs.train;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.capeval.autograd.Functional;
import org.capeval.autograd.Reduction;
import org.capeval.autograd.Tensor;

/**
 * Loss and gradient of a {@link ModelSpec} over rows, computed with the autograd engine (MLlib's
 * Gradient role, but per mini-batch tensor rather than per row): rows are copied into a chunk of
 * at most {@code chunkRows} rows, one forward/backward runs over the chunk, and the chunk's
 * summed loss and parameter gradients are added into a {@link GradientSum}. So the graph costs
 * are paid per chunk, not per row.
 *
 * <p>Model: per layer {@code h = x W^T + b} (W is [out x in], as in torch.nn.Linear), ReLU
 * between layers. Losses, summed over rows: softmax cross-entropy for K &ge; 2 outputs; for one
 * output, binary cross-entropy of sigmoid(z), computed as the 2-class softmax of [0, z] so it is
 * exact and stable for any z; squared error as documented on {@link ModelSpec}. Logistic and
 * softmax regression with cross-entropy (no hidden layer) take {@link LinearCrossEntropy}, the
 * same sums fused by hand: their full-batch pass is the one L-BFGS repeats.
 */
public final class ModelGradient implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ModelSpec spec;
    private final int chunkRows;

    private final boolean fuse;

    public ModelGradient(ModelSpec spec, int chunkRows) {
        this(spec, chunkRows, true);
    }

    /** {@code fuse} false: every model through the autograd graph (tests compare the two paths). */
    ModelGradient(ModelSpec spec, int chunkRows, boolean fuse) {
        this.spec = spec;
        this.chunkRows = chunkRows;
        this.fuse = fuse;
    }

    public ModelSpec spec() {
        return spec;
    }

    /**
     * Initial parameters: zeros for logistic and softmax regression (a convex problem, as MLlib
     * starts); for an mlp, torch.nn.Linear's default range U(-1/sqrt(in), 1/sqrt(in)) for weights
     * and biases, drawn from SplittableRandom(seed) layer by layer.
     */
    public double[] initialParams(long seed) {
        double[] p = new double[spec.numParams()];
        if (spec.kind() != ModelSpec.Kind.MLP) {
            return p;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] sizes = spec.layerSizes();
        for (int l = 0; l < spec.numLayers(); l++) {
            double bound = 1 / Math.sqrt(sizes[l]);
            int off = spec.weightOffset(l), n = sizes[l + 1] * sizes[l] + sizes[l + 1];
            for (int i = 0; i < n; i++) {
                p[off + i] = rng.nextDouble(-bound, bound);
            }
        }
        return p;
    }

    /** An evaluator at fixed parameters; it owns reusable buffers, so use one per thread. */
    public Evaluator evaluator(double[] params) {
        return new Evaluator(params);
    }

    /** Forward/backward over chunks of rows at fixed parameters. */
    public final class Evaluator {
        private final Tensor[] weights;
        private final Tensor[] biases;
        private final double[] xBuf;
        private final double[] yBuf;
        /** Set for models with no hidden layer and cross-entropy loss: they skip the graph. */
        private final LinearCrossEntropy fused;

        Evaluator(double[] params) {
            if (params.length != spec.numParams()) {
                throw new IllegalArgumentException(params.length + " parameters given, " + spec + " has " + spec.numParams());
            }
            if (fuse && spec.numLayers() == 1 && spec.loss() == ModelSpec.Loss.CE) {
                fused = new LinearCrossEntropy(params, spec.numFeatures(), spec.numOutputs(), chunkRows);
                weights = null;
                biases = null;
                xBuf = null;
                yBuf = null;
                return;
            }
            fused = null;
            int[] sizes = spec.layerSizes();
            weights = new Tensor[spec.numLayers()];
            biases = new Tensor[spec.numLayers()];
            for (int l = 0; l < weights.length; l++) {
                int in = sizes[l], out = sizes[l + 1], off = spec.weightOffset(l);
                weights[l] = Tensor.of(Arrays.copyOfRange(params, off, off + out * in), out, in).requiresGrad_();
                biases[l] = Tensor.of(Arrays.copyOfRange(params, off + out * in, off + out * in + out), out).requiresGrad_();
            }
            xBuf = new double[chunkRows * spec.numFeatures()];
            yBuf = new double[chunkRows];
        }

        /**
         * Adds loss and gradient of rows {@code order[from..to)} of {@code block} (rows
         * {@code from..to} when {@code order} is null) into {@code sum}.
         */
        public void add(RowBlock block, int[] order, int from, int to, GradientSum sum) {
            if (fused != null) {
                fused.add(block, order, from, to, sum);
                return;
            }
            int d = block.numFeatures;
            for (int start = from; start < to; start += chunkRows) {
                int n = Math.min(chunkRows, to - start);
                for (int i = 0; i < n; i++) {
                    int r = order == null ? start + i : order[start + i];
                    System.arraycopy(block.features, r * d, xBuf, i * d, d);
                    yBuf[i] = block.labels[r];
                }
                // wrapped, not copied: the chunk's graph is gone before the buffer is refilled
                double[] x = n == chunkRows ? xBuf : Arrays.copyOf(xBuf, n * d);
                sum.loss += chunk(Tensor.wrap(x, n, d), Arrays.copyOf(yBuf, n), n);
                sum.count += n;
                addGradients(sum.gradient);
            }
        }

        /** Forward and backward over one chunk; returns the chunk's summed loss. */
        private double chunk(Tensor x, double[] y, int n) {
            Tensor h = x;
            for (int l = 0; l < weights.length; l++) {
                h = Functional.linear(h, weights[l], biases[l]);
                if (l + 1 < weights.length) {
                    h = h.relu();
                }
            }
            Tensor loss = spec.loss() == ModelSpec.Loss.CE ? crossEntropy(h, y, n) : squaredError(h, y, n);
            loss.backward();
            return loss.item();
        }

        private Tensor crossEntropy(Tensor h, double[] y, int n) {
            Tensor logits = h;
            if (spec.numOutputs() == 1) { // sigmoid(z) is the second class of softmax([0, z])
                logits = Tensor.cat(List.of(Tensor.zeros(n, 1), h), 1);
            }
            long[] cls = new long[n];
            for (int i = 0; i < n; i++) {
                cls[i] = (long) y[i];
            }
            return Functional.crossEntropy(logits, Tensor.longs(cls, n), Reduction.SUM);
        }

        private Tensor squaredError(Tensor h, double[] y, int n) {
            int k = spec.numOutputs();
            Tensor pred = switch (spec.kind()) {
                case LOGISTIC -> h.sigmoid();
                case SOFTMAX -> h.softmax(1);
                case MLP -> h;
            };
            double[] target;
            if (k == 1) {
                target = y;
            } else {
                target = new double[n * k];
                for (int i = 0; i < n; i++) {
                    target[i * k + (int) y[i]] = 1;
                }
            }
            return Functional.mseLoss(pred, Tensor.of(target, n, k), Reduction.SUM);
        }

        /** Adds the parameters' accumulated gradients into {@code g} and clears them. */
        private void addGradients(double[] g) {
            for (int l = 0; l < weights.length; l++) {
                int off = spec.weightOffset(l);
                off = drain(weights[l], g, off);
                drain(biases[l], g, off);
            }
        }

        private int drain(Tensor p, double[] g, int off) {
            Tensor grad = p.grad();
            if (grad != null) {
                double[] v = grad.toArray();
                for (int i = 0; i < v.length; i++) {
                    g[off + i] += v[i];
                }
                grad.zero_();
            }
            return off + p.numel();
        }
    }
}
