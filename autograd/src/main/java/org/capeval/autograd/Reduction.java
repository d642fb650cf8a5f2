package org.capeval.autograd;

/** How a loss reduces its per-element values, as torch's {@code reduction=} argument. */
public enum Reduction {
    MEAN, SUM, NONE;

    /** Parses torch's spelling ("mean", "sum", "none"). */
    public static Reduction of(String name) {
        switch (name) {
            case "mean": return MEAN;
            case "sum": return SUM;
            case "none": return NONE;
            default: throw new IllegalArgumentException(name + " is not a valid value for reduction");
        }
    }
}
