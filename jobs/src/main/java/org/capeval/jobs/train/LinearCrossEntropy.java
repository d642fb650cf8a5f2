package org.capeval.jobs.train;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Loss and gradient of a model with no hidden layer and cross-entropy loss (logistic and softmax
 * regression), fused by hand instead of through the autograd graph, because it is the full-batch
 * L-BFGS pass over every row: per chunk one product for the logits straight from the block's
 * array (rows are copied only when a mini-batch order picks them), one loop for softmax,
 * log-loss and the logits' gradient (one exp per logit), and one product for the weight
 * gradient. The chunks and the order of every sum are those of the autograd path, so both give
 * the same totals up to rounding (ModelGradientTest checks them against each other and closed
 * forms). One output means binary cross-entropy of sigmoid(z), the 2-class softmax of [0, z].
 */
final class LinearCrossEntropy {
    private final int d;
    private final int k;
    private final int chunkRows;
    private final double[] w; // [k x d], as the parameters hold it
    private final double[] b;
    private final double[] xBuf;
    private final double[] z; // logits, then their gradient: [chunkRows x k]
    private final double[] gw;
    private final double[] gb;
    private final BLAS blas = BLAS.getInstance();

    LinearCrossEntropy(double[] params, int numFeatures, int numOutputs, int chunkRows) {
        this.d = numFeatures;
        this.k = numOutputs;
        this.chunkRows = chunkRows;
        this.w = java.util.Arrays.copyOfRange(params, 0, k * d);
        this.b = java.util.Arrays.copyOfRange(params, k * d, k * d + k);
        this.xBuf = new double[chunkRows * d];
        this.z = new double[chunkRows * k];
        this.gw = new double[k * d];
        this.gb = new double[k];
    }

    /** As {@link ModelGradient.Evaluator#add}; the gradient's layout is the spec's (weights, then biases). */
    void add(RowBlock block, int[] order, int from, int to, GradientSum sum) {
        double[] g = sum.gradient;
        for (int start = from; start < to; start += chunkRows) {
            int n = Math.min(chunkRows, to - start);
            double[] x = block.features;
            int xo = start * d;
            if (order != null) {
                for (int i = 0; i < n; i++) {
                    System.arraycopy(block.features, order[start + i] * d, xBuf, i * d, d);
                }
                x = xBuf;
                xo = 0;
            }
            for (int i = 0; i < n; i++) {
                System.arraycopy(b, 0, z, i * k, k);
            }
            // row-major [n x d] is column-major [d x n]: z^T[k x n] += W[k x d] x^T
            if (k == 1) {
                blas.dgemv("T", d, n, 1.0, x, xo, d, w, 0, 1, 1.0, z, 0, 1);
            } else {
                blas.dgemm("T", "N", k, n, d, 1.0, w, 0, d, x, xo, d, 1.0, z, 0, k);
            }
            double loss = 0;
            java.util.Arrays.fill(gb, 0);
            for (int i = 0; i < n; i++) {
                int r = order == null ? start + i : order[start + i];
                int y = (int) block.labels[r];
                loss += k == 1 ? binary(i, y) : softmax(i, y);
                for (int c = 0; c < k; c++) {
                    gb[c] += z[i * k + c];
                }
            }
            // gradient of W: [d x k] column-major = x^T[d x n] G[n x k]
            if (k == 1) {
                blas.dgemv("N", d, n, 1.0, x, xo, d, z, 0, 1, 0.0, gw, 0, 1);
            } else {
                blas.dgemm("N", "T", d, k, n, 1.0, x, xo, d, z, 0, k, 0.0, gw, 0, d);
            }
            sum.loss += loss;
            sum.count += n;
            for (int j = 0; j < gw.length; j++) {
                g[j] += gw[j];
            }
            for (int c = 0; c < k; c++) {
                g[gw.length + c] += gb[c];
            }
        }
    }

    /** Row i's loss -log softmax(z)[y] = log sum exp(z - max) + max - z[y]; leaves softmax(z) - onehot(y) in z. */
    private double softmax(int i, int y) {
        int o = i * k;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            max = Math.max(max, z[o + c]);
        }
        double zy = z[o + y], s = 0;
        for (int c = 0; c < k; c++) {
            double e = Math.exp(z[o + c] - max);
            z[o + c] = e;
            s += e;
        }
        for (int c = 0; c < k; c++) {
            z[o + c] /= s;
        }
        z[o + y] -= 1;
        return Math.log(s) + max - zy;
    }

    /** Row i's loss log(1 + e^z) - y z, stable for any z; leaves sigmoid(z) - y in z. */
    private double binary(int i, int y) {
        double v = z[i], e = Math.exp(-Math.abs(v));
        z[i] = (v >= 0 ? 1 / (1 + e) : e / (1 + e)) - y;
        return Math.max(v, 0) + Math.log1p(e) - y * v;
    }
}
