package org.capeval.autograd;

/**
 * exp and log of floats for float32 kernels: computed in double by a short polynomial (relative
 * error below 1e-11, so after rounding to float almost always the correctly rounded value and never
 * more than an ulp away), about twice as fast as {@link Math#exp}/{@link Math#log} on the double.
 * torch's own float versions (vectorized, within an ulp) differ from the correctly rounded value
 * more often than these do. Arguments outside the polynomial's range (overflow, underflow, zero,
 * negative, subnormal, NaN) go to {@link Math}.
 */
final class FloatMath {
    private FloatMath() {}

    private static final double LOG2E = 1.4426950408889634, LN2 = 0.6931471805599453;

    static float exp(float x) {
        if (!(x > -87f && x < 88f)) return (float) Math.exp(x); // results near the float range's ends, and NaN
        // x = k ln2 + r with |r| <= ln2 / 2; exp(r) by its Taylor series to r^9
        double k = Math.rint(x * LOG2E);
        double r = x - k * LN2;
        double p = 1 + r * (1 + r * (1.0 / 2 + r * (1.0 / 6 + r * (1.0 / 24 + r * (1.0 / 120 + r * (1.0 / 720
                + r * (1.0 / 5040 + r * (1.0 / 40320 + r * (1.0 / 362880)))))))));
        return (float) (p * Double.longBitsToDouble(((long) k + 1023) << 52));
    }

    static float log(float x) {
        int bits = Float.floatToRawIntBits(x);
        if (bits < 0x00800000 || bits >= 0x7f800000) return (float) Math.log(x); // zero, subnormal, negative, infinite, NaN
        // x = 2^e m with m in [sqrt(1/2), sqrt(2)); log m = 2 atanh(s), s = (m - 1) / (m + 1), |s| <= 0.172
        int e = (bits >>> 23) - 127, mant = bits & 0x007fffff;
        if (mant > 0x3504f3) { // m >= sqrt(2): halve it
            mant |= 0x3f000000;
            e++;
        } else {
            mant |= 0x3f800000;
        }
        double m = Float.intBitsToFloat(mant);
        double s = (m - 1) / (m + 1), z = s * s;
        double atanh = s * (1 + z * (1.0 / 3 + z * (1.0 / 5 + z * (1.0 / 7 + z * (1.0 / 9 + z * (1.0 / 11 + z * (1.0 / 13)))))));
        return (float) (e * LN2 + 2 * atanh);
    }
}
