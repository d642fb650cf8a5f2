package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The autograd-computed loss and gradient against closed forms and finite differences. */
class ModelGradientTest {

    @Test
    void logisticMatchesClosedForm() {
        ModelSpec spec = ModelSpec.parse("logistic:3");
        RowBlock rows = data(spec, 17, 1);
        for (double[] p : new double[][] {new double[4], {0.5, -1, 2, 0.25}}) {
            GradientSum g = sum(spec, 5, rows, p);
            double[] grad = new double[4];
            double loss = 0;
            for (int i = 0; i < rows.size(); i++) {
                double z = p[3];
                for (int j = 0; j < 3; j++) {
                    z += p[j] * rows.features[i * 3 + j];
                }
                double y = rows.labels[i], s = 1 / (1 + Math.exp(-z));
                loss += -(y * Math.log(s) + (1 - y) * Math.log(1 - s));
                for (int j = 0; j < 3; j++) {
                    grad[j] += (s - y) * rows.features[i * 3 + j];
                }
                grad[3] += s - y;
            }
            assertEquals(loss, g.loss, 1e-12);
            assertArrayEquals(grad, g.gradient, 1e-12);
            assertEquals(17, g.count);
        }
    }

    @Test
    void softmaxMatchesClosedForm() {
        ModelSpec spec = ModelSpec.parse("softmax:2-3");
        RowBlock rows = data(spec, 11, 2);
        double[] p = {0.1, -0.2, 0.3, 0.4, -0.5, 0.6, 0.01, 0.02, -0.03};
        GradientSum g = sum(spec, 4, rows, p);
        double[] grad = new double[9];
        double loss = 0;
        for (int i = 0; i < rows.size(); i++) {
            double[] z = new double[3];
            double norm = 0;
            for (int k = 0; k < 3; k++) {
                z[k] = p[6 + k] + p[k * 2] * rows.features[i * 2] + p[k * 2 + 1] * rows.features[i * 2 + 1];
                norm += Math.exp(z[k]);
            }
            int y = (int) rows.labels[i];
            loss += Math.log(norm) - z[y];
            for (int k = 0; k < 3; k++) {
                double d = Math.exp(z[k]) / norm - (k == y ? 1 : 0);
                grad[k * 2] += d * rows.features[i * 2];
                grad[k * 2 + 1] += d * rows.features[i * 2 + 1];
                grad[6 + k] += d;
            }
        }
        assertEquals(loss, g.loss, 1e-12);
        assertArrayEquals(grad, g.gradient, 1e-12);
    }

    @Test
    void everyModelAndLossAgreesWithFiniteDifferences() {
        for (String s : new String[] {"mlp:3-4-2", "mlp:3-5-4-1", "mlp:3-4-1:mse", "logistic:3:mse", "softmax:3-3:mse",
                "mlp:3-4-3:mse"}) {
            ModelSpec spec = ModelSpec.parse(s);
            RowBlock rows = data(spec, 9, 3);
            ModelGradient m = new ModelGradient(spec, 4);
            double[] p = m.initialParams(11);
            if (spec.kind() != ModelSpec.Kind.MLP) {
                SplittableRandom r = new SplittableRandom(4);
                for (int i = 0; i < p.length; i++) {
                    p[i] = r.nextDouble(-1, 1);
                }
            }
            GradientSum g = sum(spec, 4, rows, p);
            for (int i = 0; i < p.length; i++) {
                double h = 1e-6;
                double[] plus = p.clone(), minus = p.clone();
                plus[i] += h;
                minus[i] -= h;
                double fd = (sum(spec, 4, rows, plus).loss - sum(spec, 4, rows, minus).loss) / (2 * h);
                assertEquals(fd, g.gradient[i], 1e-6 * Math.max(1, Math.abs(fd)), s + " parameter " + i);
            }
        }
    }

    @Test
    void chunkSizeChangesOnlyRounding() {
        ModelSpec spec = ModelSpec.parse("mlp:3-6-3");
        RowBlock rows = data(spec, 50, 4);
        double[] p = new ModelGradient(spec, 1).initialParams(3);
        GradientSum one = sum(spec, 1, rows, p);
        for (int chunk : new int[] {7, 50, 512}) {
            GradientSum g = sum(spec, chunk, rows, p);
            assertEquals(one.loss, g.loss, 1e-12);
            assertArrayEquals(one.gradient, g.gradient, 1e-12);
        }
    }

    /**
     * Logistic and softmax regression with cross-entropy take the fused path; it gives the graph's
     * sums (to rounding) for full batches and picked rows, also where logits are large enough
     * that a naive exp overflows.
     */
    @Test
    void fusedLinearCrossEntropyMatchesTheGraph() {
        for (String s : new String[] {"logistic:7", "softmax:7-4"}) {
            ModelSpec spec = ModelSpec.parse(s);
            RowBlock rows = data(spec, 300, 5);
            int[] order = new int[rows.size()];
            for (int i = 0; i < order.length; i++) {
                order[i] = (i * 7 + 3) % order.length;
            }
            SplittableRandom r = new SplittableRandom(6);
            for (double scale : new double[] {0, 1, 200}) {
                double[] p = new double[spec.numParams()];
                for (int i = 0; i < p.length; i++) {
                    p[i] = scale * r.nextDouble(-1, 1);
                }
                for (int[] o : new int[][] {null, order}) {
                    int from = o == null ? 0 : 11, to = o == null ? rows.size() : 250;
                    GradientSum fused = new GradientSum(p.length), graph = new GradientSum(p.length);
                    new ModelGradient(spec, 64).evaluator(p).add(rows, o, from, to, fused);
                    new ModelGradient(spec, 64, false).evaluator(p).add(rows, o, from, to, graph);
                    String what = s + " scale " + scale + (o == null ? " full" : " picked");
                    assertEquals(graph.count, fused.count, what);
                    assertEquals(graph.loss, fused.loss, 1e-12 * Math.max(1, Math.abs(graph.loss)), what);
                    for (int i = 0; i < p.length; i++) {
                        assertEquals(graph.gradient[i], fused.gradient[i], 1e-12 * Math.max(1, Math.abs(graph.gradient[i])), what + " parameter " + i);
                    }
                }
            }
        }
    }

    @Test
    void mlpInitialisationFollowsTheSeed() {
        ModelGradient m = new ModelGradient(ModelSpec.parse("mlp:4-3-2"), 8);
        assertArrayEquals(m.initialParams(5), m.initialParams(5), 0.0);
        double[] p = m.initialParams(5);
        for (int i = 0; i < 15; i++) {
            assertEquals(0, p[i], 0.5); // bound 1/sqrt(4) for the first layer
        }
        assertEquals(false, java.util.Arrays.equals(p, m.initialParams(6)));
    }

    static GradientSum sum(ModelSpec spec, int chunk, RowBlock rows, double[] p) {
        GradientSum g = new GradientSum(p.length);
        new ModelGradient(spec, chunk).evaluator(p).add(rows, null, 0, rows.size(), g);
        return g;
    }

    /** Random rows with labels valid for the spec. */
    static RowBlock data(ModelSpec spec, int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int d = spec.numFeatures();
        RowBlock.Builder b = new RowBlock.Builder(d, n);
        for (int i = 0; i < n; i++) {
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = r.nextGaussian();
            }
            double y = spec.isRegression() ? r.nextGaussian() : r.nextInt(spec.numClasses());
            b.add(i, x, y);
        }
        return b.build();
    }
}
