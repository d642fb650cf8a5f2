package org.capeval.jobs.train;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A parsed model SPEC: {@code KIND:SIZES[:LOSS]}.
 *
 * <ul>
 *   <li>{@code logistic:D} — binary logistic regression on D features, labels 0 or 1;</li>
 *   <li>{@code softmax:D-K} — multinomial logistic regression, K &ge; 2 classes, labels 0..K-1;</li>
 *   <li>{@code mlp:D-H1-..-K} — fully connected net, ReLU between layers; K = 1 with CE is a binary
 *       classifier, K = 1 with MSE a regressor, K &ge; 2 a K-class classifier.</li>
 * </ul>
 * LOSS is {@code ce} (cross-entropy, default) or {@code mse} (squared error summed over outputs:
 * of the probabilities for logistic/softmax, of the raw outputs for an mlp, against the label or
 * its one-hot vector).
 */
public final class ModelSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    public enum Kind { LOGISTIC, SOFTMAX, MLP }

    public enum Loss { CE, MSE }

    private final Kind kind;
    private final int[] layerSizes;
    private final Loss loss;
    private final String text;

    private ModelSpec(Kind kind, int[] layerSizes, Loss loss, String text) {
        this.kind = kind;
        this.layerSizes = layerSizes;
        this.loss = loss;
        this.text = text;
    }

    /** Parses a SPEC; the message of the exception says which part is wrong and what is expected. */
    public static ModelSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw bad(spec, "it is empty");
        }
        String[] parts = spec.trim().split(":", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw bad(spec, "expected KIND:SIZES[:LOSS], e.g. logistic:100, softmax:100-10, mlp:100-64-2:ce");
        }
        Kind kind;
        switch (parts[0].toLowerCase()) {
            case "logistic", "logreg" -> kind = Kind.LOGISTIC;
            case "softmax" -> kind = Kind.SOFTMAX;
            case "mlp" -> kind = Kind.MLP;
            default -> throw bad(spec, "unknown model kind '" + parts[0] + "' (expected logistic, softmax or mlp)");
        }
        List<Integer> sizes = new ArrayList<>();
        String sizesText = parts[1].trim();
        String sizesRule = "sizes are positive integers joined by '-', e.g. logistic:100, mlp:100-64-2";
        if (sizesText.isEmpty()) {
            throw bad(spec, "no sizes after '" + parts[0] + ":' (" + sizesRule + ")");
        }
        java.util.regex.Matcher negative = java.util.regex.Pattern.compile("(?:^|-)\\s*-\\s*(\\d+)").matcher(sizesText);
        if (negative.find()) {
            throw bad(spec, "layer size -" + negative.group(1) + " is negative (" + sizesRule + ")");
        }
        for (String s : sizesText.split("-", -1)) {
            int n;
            if (s.isBlank()) {
                throw bad(spec, "'" + sizesText + "' has an empty layer size (" + sizesRule + ")");
            }
            try {
                n = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw bad(spec, "layer size '" + s.trim() + "' is not " + (s.trim().matches("\\+?\\d+") ? "an integer below 2^31" : "an integer"));
            }
            if (n < 1) {
                throw bad(spec, "layer size " + n + " must be at least 1");
            }
            sizes.add(n);
        }
        Loss loss = Loss.CE;
        if (parts.length == 3) {
            switch (parts[2].toLowerCase()) {
                case "ce", "cross-entropy", "crossentropy" -> loss = Loss.CE;
                case "mse" -> loss = Loss.MSE;
                default -> throw bad(spec, "unknown loss '" + parts[2] + "' (expected ce or mse)");
            }
        }
        int[] layers;
        switch (kind) {
            case LOGISTIC -> {
                if (sizes.size() != 1) {
                    throw bad(spec, "logistic takes one size, the feature count (e.g. logistic:100)");
                }
                layers = new int[] {sizes.get(0), 1};
            }
            case SOFTMAX -> {
                if (sizes.size() != 2 || sizes.get(1) < 2) {
                    throw bad(spec, "softmax takes FEATURES-CLASSES with at least 2 classes (e.g. softmax:100-10)");
                }
                layers = new int[] {sizes.get(0), sizes.get(1)};
            }
            default -> {
                if (sizes.size() < 3) {
                    throw bad(spec, "mlp takes at least FEATURES-HIDDEN-OUTPUTS (e.g. mlp:100-64-2)");
                }
                layers = sizes.stream().mapToInt(Integer::intValue).toArray();
            }
        }
        return new ModelSpec(kind, layers, loss, spec.trim());
    }

    private static IllegalArgumentException bad(String spec, String why) {
        return new IllegalArgumentException("--model '" + spec + "' does not parse: " + why);
    }

    public Kind kind() {
        return kind;
    }

    public Loss loss() {
        return loss;
    }

    /** Layer widths from input to output, e.g. [100, 1] for logistic:100. */
    public int[] layerSizes() {
        return layerSizes.clone();
    }

    public int numFeatures() {
        return layerSizes[0];
    }

    public int numOutputs() {
        return layerSizes[layerSizes.length - 1];
    }

    /** Number of linear layers. */
    public int numLayers() {
        return layerSizes.length - 1;
    }

    /** Total parameter count: per layer, a weight [out x in] (row-major) then a bias [out]. */
    public int numParams() {
        int n = 0;
        for (int l = 0; l < numLayers(); l++) {
            n += layerSizes[l + 1] * layerSizes[l] + layerSizes[l + 1];
        }
        return n;
    }

    /** Offset of layer l's weight in the flat parameter vector; its bias follows the weight. */
    public int weightOffset(int l) {
        int n = 0;
        for (int i = 0; i < l; i++) {
            n += layerSizes[i + 1] * layerSizes[i] + layerSizes[i + 1];
        }
        return n;
    }

    /** True when the label is a real number (regression), false when it is a class index. */
    public boolean isRegression() {
        return kind == Kind.MLP && loss == Loss.MSE && numOutputs() == 1;
    }

    /** Number of classes a label may take (2 for a single-output classifier); 0 for regression. */
    public int numClasses() {
        if (isRegression()) {
            return 0;
        }
        return numOutputs() == 1 ? 2 : numOutputs();
    }

    /** Checks a label against this model; returns null when fine, else why it is not. */
    public String checkLabel(double label) {
        if (!Double.isFinite(label)) {
            return "label " + label + " is not a finite number";
        }
        if (isRegression()) {
            return null;
        }
        int k = numClasses();
        if (label != Math.rint(label) || label < 0 || label >= k) {
            return "label " + label + " is out of range for " + text + " (expected an integer class 0.." + (k - 1) + ")";
        }
        return null;
    }

    @Override
    public String toString() {
        return text;
    }

    /** Canonical form (kind, sizes and loss spelled out), used to check that a resume continues the same model. */
    public String canonical() {
        StringBuilder sb = new StringBuilder(kind.name().toLowerCase()).append(':');
        int[] shown = kind == Kind.LOGISTIC ? Arrays.copyOf(layerSizes, 1) : layerSizes;
        for (int i = 0; i < shown.length; i++) {
            sb.append(i == 0 ? "" : "-").append(shown[i]);
        }
        return sb.append(':').append(loss.name().toLowerCase()).toString();
    }
}
