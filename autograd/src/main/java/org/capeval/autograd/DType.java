package org.capeval.autograd;

/** Element types. FLOAT32 values are floats, whether an op computes them in float (most) or in double and rounds once. */
public enum DType {
    FLOAT32("torch.float32", "torch.FloatTensor", true),
    FLOAT64("torch.float64", "torch.DoubleTensor", true),
    INT64("torch.int64", "torch.LongTensor", false);

    private final String torchName;
    private final String legacyName;
    private final boolean floating;

    DType(String torchName, String legacyName, boolean floating) {
        this.torchName = torchName;
        this.legacyName = legacyName;
        this.floating = floating;
    }

    public boolean isFloatingPoint() {
        return floating;
    }

    /** PyTorch's dtype name, e.g. {@code torch.float64}. */
    public String torchName() {
        return torchName;
    }

    /** The legacy type name torch uses in version-counter errors, e.g. {@code torch.DoubleTensor}. */
    String legacyName() {
        return legacyName;
    }

    /** Rounds every value in place to what this dtype can hold. */
    void roundAll(double[] d) {
        if (this == FLOAT32) {
            for (int i = 0; i < d.length; i++) d[i] = (float) d[i];
        } else if (this == INT64) {
            for (int i = 0; i < d.length; i++) d[i] = (double) (long) d[i];
        }
    }

    /** Rounds a value to what this dtype can hold. */
    double round(double v) {
        switch (this) {
            case FLOAT32: return (float) v;
            case INT64: return (double) (long) v;
            default: return v;
        }
    }

    /**
     * Result type of a binary op, following torch: floats beat ints, the wider float wins, but a
     * 0-dim tensor does not promote a dimensioned tensor of the same category.
     */
    static DType promote(Tensor a, Tensor b) {
        DType x = a.dtype(), y = b.dtype();
        if (x == y) return x;
        if (x.floating == y.floating) {
            boolean a0 = a.dim() == 0, b0 = b.dim() == 0;
            if (a0 && !b0) return y;
            if (b0 && !a0) return x;
            return x == FLOAT64 || y == FLOAT64 ? FLOAT64 : x;
        }
        return x.floating ? x : y;
    }
}
