package org.capeval.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KernelsTest {

    /** The exp-based tanh stays within a few ulps of fdlibm's on every scale, and keeps its special values. */
    @Test
    void tanhIsWithinAFewUlpsOfStrictMath() {
        Random r = new Random(1);
        double worst = 0;
        for (int i = 0; i < 400_000; i++) {
            double x = Math.scalb(r.nextGaussian(), r.nextInt(40) - 30);
            double e = StrictMath.tanh(x), g = Kernels.tanh(x);
            worst = Math.max(worst, Math.abs(g - e) / Math.ulp(e));
        }
        assertTrue(worst <= 6, "worst error " + worst + " ulps");
        double[] special = {0.0, -0.0, 0.55, -0.55, 1e-300, Double.MIN_VALUE, 30, -30, 1e300, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double x : special) assertEquals(StrictMath.tanh(x), Kernels.tanh(x), 2 * Math.ulp(StrictMath.tanh(x)), "tanh(" + x + ")");
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(Kernels.tanh(-0.0)));
        assertTrue(Double.isNaN(Kernels.tanh(Double.NaN)));
    }
}
