package org.capeval.autograd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** FloatMath's exp and log against Math's on the double, rounded to float: never more than an ulp away, almost always equal. */
class FloatMathTest {

    @Test
    void withinAnUlpOfTheRoundedDoubleResultOverAllFloats() {
        long checked = 0, differ = 0;
        // every 4099th bit pattern: all exponents, both signs, subnormals, infinities and NaNs
        for (long bits = 0; bits <= 0xffffffffL; bits += 4099) {
            float x = Float.intBitsToFloat((int) bits);
            differ += compare("exp", x, (float) Math.exp(x), FloatMath.exp(x));
            differ += compare("log", x, (float) Math.log(x), FloatMath.log(x));
            checked += 2;
        }
        assertTrue(differ * 100_000 < checked, differ + " of " + checked + " results differ from the rounded double result");
    }

    @Test
    void specialValuesAsMath() {
        float[] xs = {0f, -0f, Float.MIN_VALUE, -1f, 1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            88.72f, 88.73f, -87.5f, -103.9f, -104f, 1e-30f, Float.MAX_VALUE};
        for (float x : xs) {
            assertEquals((float) Math.exp(x), FloatMath.exp(x), "exp(" + x + ")");
            assertEquals((float) Math.log(x), FloatMath.log(x), "log(" + x + ")");
        }
    }

    private static int compare(String f, float x, float expected, float actual) {
        if (Float.floatToIntBits(expected) == Float.floatToIntBits(actual)) return 0;
        assertTrue(Math.abs((double) actual - expected) <= Math.ulp(expected), f + "(" + x + ") = " + actual + ", the rounded double result is " + expected);
        return 1;
    }
}
