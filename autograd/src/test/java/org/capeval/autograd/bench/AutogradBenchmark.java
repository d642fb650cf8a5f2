package org.capeval.autograd.bench;

import java.util.List;
import java.util.Random;
import org.capeval.autograd.DType;
import org.capeval.autograd.Functional;
import org.capeval.autograd.Tensor;
import org.capeval.autograd.nn.Activation;
import org.capeval.autograd.nn.Sequential;
import org.capeval.autograd.optim.SGD;

/**
 * The three workloads, timed with warm-up and the median of repeated runs (a plain harness:
 * JMH is not among the project's dependencies). Run after {@code mvn -pl autograd test-compile}:
 * {@code bench/autograd-vs-torch.sh}, which runs it side by side with {@code bench/autograd_torch.py}.
 */
public final class AutogradBenchmark {
    private AutogradBenchmark() {}

    interface Body {
        void run();
    }

    /** The fastest of the timed runs of the last {@link #medianMillis} call (less sensitive to other load). */
    private static double lastMin;

    static double medianMillis(Body body, int warmup, int runs) {
        for (int i = 0; i < warmup; i++) body.run();
        double[] t = new double[runs];
        for (int i = 0; i < runs; i++) {
            long s = System.nanoTime();
            body.run();
            t[i] = (System.nanoTime() - s) / 1e6;
        }
        java.util.Arrays.sort(t);
        lastMin = t[0];
        return t[runs / 2];
    }

    static double mlpStep(DType dtype) {
        Random rng = new Random(1);
        Sequential model = Sequential.mlp(rng, dtype, Activation.Kind.RELU, 784, 256, 10);
        SGD opt = new SGD(model.parameters(), 0.01, 0.9);
        Tensor x = Tensor.uniform(rng, 0, 1, dtype, 128, 784);
        long[] y = new long[128];
        for (int i = 0; i < y.length; i++) y[i] = rng.nextInt(10);
        Tensor target = Tensor.longs(y, 128);
        return medianMillis(() -> {
            opt.zeroGrad();
            Functional.crossEntropy(model.forward(x), target).backward();
            opt.step();
        }, 300, 201); // the JVM needs ~150 steps to finish compiling the hot paths; torch gets the same warm-up
    }

    /** Sum-loss logistic regression gradient over 1,000,000 x 100 rows in chunks of 10,000. */
    static double logisticPass(DType dtype) {
        int rows = 1_000_000, d = 100, chunk = 10_000;
        Random rng = new Random(2);
        double[][] xs = new double[rows / chunk][];
        double[][] ys = new double[rows / chunk][];
        for (int c = 0; c < xs.length; c++) {
            xs[c] = new double[chunk * d];
            ys[c] = new double[chunk];
            for (int i = 0; i < xs[c].length; i++) xs[c][i] = rng.nextGaussian();
            for (int i = 0; i < chunk; i++) ys[c][i] = rng.nextBoolean() ? 1 : 0;
        }
        Tensor[] xs32 = new Tensor[xs.length], ys32 = new Tensor[xs.length];
        if (dtype != DType.FLOAT64) {
            for (int c = 0; c < xs.length; c++) {
                xs32[c] = Tensor.of(xs[c], new int[] {chunk, d}, dtype);
                ys32[c] = Tensor.of(ys[c], new int[] {chunk, 1}, dtype);
                xs[c] = null;
            }
        }
        Tensor w = Tensor.uniform(rng, -0.1, 0.1, dtype, 1, d).requiresGrad_(true);
        Tensor b = Tensor.zeros(dtype, 1).requiresGrad_(true);
        return medianMillis(() -> {
            w.setGrad(null);
            b.setGrad(null);
            for (int c = 0; c < xs.length; c++) {
                Tensor x = dtype == DType.FLOAT64 ? Tensor.wrap(xs[c], chunk, d) : xs32[c];
                Tensor y = dtype == DType.FLOAT64 ? Tensor.wrap(ys[c], chunk, 1) : ys32[c];
                Tensor p = Functional.linear(x, w, b).sigmoid();
                // binary cross-entropy written with basic ops, summed over the chunk
                Tensor loss = y.mul(p.log()).add(y.rsub(1).mul(p.rsub(1).log())).sum().neg();
                loss.backward();
            }
        }, 3, 7);
    }

    /** Eight elementwise ops over 10^6 float64 elements, forward and backward. */
    static double elementwise() {
        Random rng = new Random(3);
        Tensor a = Tensor.uniform(rng, 0.5, 1.5, DType.FLOAT64, 1000, 1000).requiresGrad_(true);
        Tensor b = Tensor.uniform(rng, 0.5, 1.5, DType.FLOAT64, 1000, 1000).requiresGrad_(true);
        return medianMillis(() -> {
            a.setGrad(null);
            b.setGrad(null);
            Tensor r = a.mul(b).add(a).exp().sub(b).tanh().mul(a).sigmoid().div(b);
            r.sum().backward();
        }, 30, 21);
    }

    private static final java.util.Map<String, java.util.function.DoubleSupplier> WORKLOADS = new java.util.LinkedHashMap<>();
    static {
        WORKLOADS.put("mlp-f64", () -> mlpStep(DType.FLOAT64));
        WORKLOADS.put("mlp-f32", () -> mlpStep(DType.FLOAT32));
        WORKLOADS.put("logistic-f64", () -> logisticPass(DType.FLOAT64));
        WORKLOADS.put("logistic-f32", () -> logisticPass(DType.FLOAT32));
        WORKLOADS.put("elementwise-f64", AutogradBenchmark::elementwise);
    }

    /** Prints "name median-ms min-ms" for the named workloads (all by default), as bench/autograd_torch.py does. */
    public static void main(String[] args) {
        List<String> names = args.length > 0 ? List.of(args) : List.copyOf(WORKLOADS.keySet());
        System.err.println("[capeval] BLAS " + dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getSimpleName()
                + ", java " + System.getProperty("java.version"));
        for (String n : names) {
            java.util.function.DoubleSupplier w = WORKLOADS.get(n);
            if (w == null) throw new IllegalArgumentException("unknown workload " + n + "; known: " + WORKLOADS.keySet());
            double median = w.getAsDouble();
            System.out.printf(java.util.Locale.ROOT, "%s %.3f %.3f%n", n, median, lastMin);
        }
    }
}
