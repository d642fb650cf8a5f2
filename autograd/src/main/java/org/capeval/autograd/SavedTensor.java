package org.capeval.autograd;

/** A value an op keeps for its backward, with the version it had then (torch's SavedVariable). */
final class SavedTensor {
    private Tensor value;
    private final int version;

    SavedTensor(Tensor value) {
        this.value = value;
        this.version = value.version();
    }

    Tensor get() {
        Tensor v = value;
        if (v == null) throw new AutogradException(AutogradException.GRAPH_FREED);
        if (v.version() != version) {
            String what = v.gradFn() != null ? ", which is output 0 of " + v.gradFn().name() + "," : "";
            throw new AutogradException("one of the variables needed for gradient computation has been modified by an inplace operation: ["
                    + v.dtype().legacyName() + " " + Shape.str(v.shape()) + "]" + what + " is at version " + v.version()
                    + "; expected version " + version + " instead. Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True).");
        }
        return v;
    }

    void free() {
        value = null;
    }
}
