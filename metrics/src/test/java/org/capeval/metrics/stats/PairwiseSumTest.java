package org.capeval.metrics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PairwiseSumTest {
    @Test
    void reproducesNumpyRounding() {
        // numpy: np.sum([1e16] + [1.0] * 7) == 1.0000000000000006e16 (8 accumulators: the ones pair up
        // before meeting 1e16), while np.sum([1e16, 1.0, 1.0]) == 1e16 (fewer than 8: left to right,
        // each 1 is rounded away); a left-to-right sum of the first gives 1e16.
        double[] eight = {1e16, 1, 1, 1, 1, 1, 1, 1};
        assertEquals(1.0000000000000006e16, PairwiseSum.sum(eight, 0, 8));
        assertEquals(1e16, PairwiseSum.sum(new double[] {1e16, 1, 1}, 0, 3));
        double sequential = 0;
        for (double v : eight) {
            sequential += v;
        }
        assertEquals(1e16, sequential);
        assertEquals(10.05, PairwiseSum.mean(range(200)), 0.0); // np.mean of 0.1 * (1..200) is 10.05
    }

    static double[] range(int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = 0.1 * (i + 1);
        }
        return a;
    }

    @Test
    void partitionedSumIsBitIdentical() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + rnd.nextInt(trial < 200 ? 600 : 20000);
            double[] a = new double[n];
            for (int i = 0; i < n; i++) {
                a[i] = rnd.nextDouble() * Math.pow(10, rnd.nextInt(12) - 6);
            }
            // random cuts, some partitions empty
            List<PairwiseSum.Partial> parts = new ArrayList<>();
            int start = 0;
            while (start < n) {
                int len = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(Math.max(1, n / (1 + rnd.nextInt(8))));
                len = Math.min(len, n - start);
                double[] chunk = java.util.Arrays.copyOfRange(a, start, start + len);
                parts.add(PairwiseSum.partial(n, start, chunk));
                start += len;
            }
            java.util.Collections.shuffle(parts, rnd);
            assertEquals(Double.doubleToLongBits(PairwiseSum.sum(a, 0, n)), Double.doubleToLongBits(PairwiseSum.sum(n, parts)),
                    "n = " + n);
        }
    }
}
