package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Updater formulas against values worked out by hand from torch.optim's documented update rules. */
class UpdaterTest {

    @Test
    void sgdWithMomentum() {
        Updater u = new Updater.Sgd(1, 0.1, 0.9);
        double[] p = {1.0};
        u.step(p, new double[] {2.0}); // buf = 2, p = 1 - 0.2
        assertEquals(0.8, p[0], 1e-15);
        u.step(p, new double[] {1.0}); // buf = 0.9*2 + 1 = 2.8, p = 0.8 - 0.28
        assertEquals(0.52, p[0], 1e-15);
    }

    @Test
    void adamFirstStepsMoveByAboutLr() {
        Updater u = new Updater.Adam(2, 0.01, 0.9, 0.999, 1e-8);
        double[] p = {0.0, 0.0};
        u.step(p, new double[] {3.0, -0.5});
        // after bias correction m_hat = g, v_hat = g^2: each coordinate moves by lr * g / (|g| + eps)
        assertEquals(-0.01 * 3 / (3 + 1e-8), p[0], 1e-15);
        assertEquals(0.01 * 0.5 / (0.5 + 1e-8), p[1], 1e-15);
        u.step(p, new double[] {1.0, -0.5});
        double m = 0.9 * 0.1 * 3 + 0.1 * 1, v = 0.999 * 0.001 * 9 + 0.001 * 1;
        double mh = m / (1 - 0.81), vh = v / (1 - 0.999 * 0.999);
        assertEquals(-0.01 * 3 / (3 + 1e-8) - 0.01 * mh / (Math.sqrt(vh) + 1e-8), p[0], 1e-15);
    }

    @Test
    void stateRestoresExactly() {
        for (String name : new String[] {"sgd", "adam"}) {
            Updater a = Updater.create(name, 3, 0.05, 0.5);
            double[] pa = {1, 2, 3};
            double[][] grads = {{0.3, -1, 2}, {0.1, 0.2, -0.7}, {-1.5, 0.25, 0.125}, {2, 2, 2}};
            a.step(pa, grads[0]);
            a.step(pa, grads[1]);
            Map<String, double[]> saved = a.state();
            double[] pb = pa.clone();
            Updater b = Updater.create(name, 3, 0.05, 0.5);
            b.restore(saved);
            for (int i = 2; i < 4; i++) {
                a.step(pa, grads[i]);
                b.step(pb, grads[i]);
            }
            assertArrayEquals(pa, pb, 0.0, name);
        }
    }
}
