package org.capeval.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Random;
import org.capeval.autograd.nn.Activation;
import org.capeval.autograd.nn.Parameters;
import org.capeval.autograd.nn.Sequential;
import org.capeval.autograd.optim.Adam;
import org.capeval.autograd.optim.Optimizer;
import org.capeval.autograd.optim.SGD;
import org.junit.jupiter.api.Test;

/** nn + optim: an MLP learns a toy problem; flat parameter/gradient vectors round-trip; chunked sum losses add up. */
class TrainingTest {

    /** Two Gaussian blobs per class in 2-D, labels 0..2. */
    private static Tensor[] blobs(Random rng, int n) {
        double[] x = new double[n * 2];
        long[] y = new long[n];
        double[][] centers = {{2, 0}, {-2, 1}, {0, -2}};
        for (int i = 0; i < n; i++) {
            int c = i % 3;
            y[i] = c;
            x[2 * i] = centers[c][0] + 0.5 * rng.nextGaussian();
            x[2 * i + 1] = centers[c][1] + 0.5 * rng.nextGaussian();
        }
        return new Tensor[] {Tensor.of(x, n, 2), Tensor.longs(y, n)};
    }

    private static double train(Optimizer opt, Sequential model, Tensor x, Tensor y, int steps) {
        double loss = 0;
        for (int s = 0; s < steps; s++) {
            opt.zeroGrad();
            Tensor l = Functional.crossEntropy(model.forward(x), y);
            l.backward();
            opt.step();
            loss = l.item();
        }
        return loss;
    }

    @Test
    void sgdMomentumAndAdamFitBlobs() {
        Random rng = new Random(7);
        Tensor[] data = blobs(rng, 90);
        for (int variant = 0; variant < 2; variant++) {
            Sequential model = Sequential.mlp(new Random(1), DType.FLOAT64, Activation.Kind.TANH, 2, 16, 3);
            Optimizer opt = variant == 0 ? new SGD(model.parameters(), 0.1, 0.9) : new Adam(model.parameters(), 0.05);
            double first = Functional.crossEntropy(model.forward(data[0]), data[1]).item();
            double last = train(opt, model, data[0], data[1], 100);
            assertTrue(last < 0.2 * first, "loss " + first + " -> " + last);
            for (Tensor p : model.parameters()) assertTrue(p.isLeaf() && p.requiresGrad());
        }
    }

    @Test
    void float32ModelTrains() {
        Tensor[] data = blobs(new Random(3), 60);
        Sequential model = Sequential.mlp(new Random(2), DType.FLOAT32, Activation.Kind.RELU, 2, 8, 3);
        Tensor x = data[0].to(DType.FLOAT32);
        double last = train(new SGD(model.parameters(), 0.2), model, x, data[1], 100);
        assertTrue(last < 0.3, "loss " + last);
        assertEquals(DType.FLOAT32, model.parameters().get(0).grad().dtype());
    }

    @Test
    void summedChunkGradientsEqualFullBatch() {
        Tensor[] data = blobs(new Random(5), 30);
        Sequential model = Sequential.mlp(new Random(4), DType.FLOAT64, Activation.Kind.RELU, 2, 5, 3);
        Functional.crossEntropy(model.forward(data[0]), data[1], Reduction.SUM).backward();
        double[] full = model.flatGradients();
        model.zeroGrad();
        for (int c = 0; c < 3; c++) {
            Tensor xs = data[0].slice(0, c * 10, c * 10 + 10, 1);
            Tensor ys = data[1].slice(0, c * 10, c * 10 + 10, 1);
            Functional.crossEntropy(model.forward(xs), ys, Reduction.SUM).backward();
        }
        assertArrayEquals(full, model.flatGradients(), 1e-12);
    }

    @Test
    void flatParametersRoundTripAndSerialize() throws Exception {
        Sequential a = Sequential.mlp(new Random(1), DType.FLOAT64, Activation.Kind.RELU, 4, 3, 2);
        Sequential b = Sequential.mlp(new Random(2), DType.FLOAT64, Activation.Kind.RELU, 4, 3, 2);
        assertEquals(4 * 3 + 3 + 3 * 2 + 2, a.numParameters());
        b.loadFlatParameters(a.flatParameters());
        Tensor x = Tensor.randn(new Random(0), 5, 4);
        assertArrayEquals(a.forward(x).toArray(), b.forward(x).toArray(), 0);

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(a);
            out.writeObject(x);
            out.writeObject(x.t().narrow(0, 1, 2)); // a strided view: written as its own values only
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            Sequential c = (Sequential) in.readObject();
            Tensor x2 = (Tensor) in.readObject();
            Tensor view = (Tensor) in.readObject();
            assertArrayEquals(x.t().narrow(0, 1, 2).toArray(), view.toArray(), 0);
            assertEquals(10, view.numel());
            assertTrue(view.isContiguous() && !view.isView());
            assertArrayEquals(a.forward(x).toArray(), c.forward(x2).toArray(), 0);
            Tensor loss = c.forward(x2).sum();
            loss.backward();
            assertEquals(c.numParameters(), c.flatGradients().length);
        }
        Parameters.setGrads(a.parameters(), new double[a.numParameters()]);
        assertEquals(0.0, a.parameters().get(0).grad().sum().item());
    }
}
