package org.capeval.jobs.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.ChecksumException;
import org.capeval.autograd.optim.OptimizerState;
import org.capeval.metrics.coco.CocoJson;

/**
 * Everything needed to continue training exactly: parameters, optimizer state, position (global
 * step, epoch, step within the epoch), the random state and the loss curve so far. The random
 * state is the seed alone: initial weights and each epoch's row order are derived from
 * (seed, epoch) by counter-based functions ({@link IndexPermutation}), so no generator state
 * needs saving.
 *
 * <p>Stored as JSON in {@code DIR/checkpoints/step-NNNNNNNNNN.json}; doubles are written in
 * Java's shortest round-trip form, so reading gives the same bits back. A new checkpoint gets a
 * new name (written via a temporary file and a rename), and older ones are deleted only after
 * it is in place. Format {@value #FORMAT}:
 *
 * <pre>
 * {"format": "capeval-train-checkpoint/2", "identity": "model=... optimizer=... lr=...", "numRows": N,
 *  "step": S, "epoch": E, "stepInEpoch": I, "rng": {"kind": "...", "seed": SEED, "epoch": E},
 *  "params": [flat parameter vector],
 *  "optimizerState": {"steps": [S], "buffers": {"momentum_buffer": [..]}},   (sgd; no buffers without momentum)
 *                    {"steps": [S], "buffers": {"exp_avg": [..], "exp_avg_sq": [..]}},   (adam)
 *                    {"steps": [S], "buffers": {"func_evals": [E], "n_iter": [S], "d": [..], "t": [T],
 *                     "old_dirs": [..], "old_stps": [..], "ro": [..], "H_diag": [H], "prev_flat_grad": [..],
 *                     "prev_loss": [L]}},   (lbfgs; old_dirs/old_stps: the history laid end to end, oldest first)
 *  "lossCurve": [{"step": 0, "epoch": 0, "loss": L, "rows": R}, ...]}
 * </pre>
 *
 * {@code optimizerState} is autograd's {@link OptimizerState} of the optimizer over the one flat
 * parameter tensor (step count, buffers as long as {@code params}; for L-BFGS, whose step is one
 * iteration and whose epoch equals its step, see {@code LBFGS}'s state). Format 1 (before the train job
 * used autograd's optimizers; Adam's state as "m", "v", "t") is not read.
 */
public final class Checkpoint {
    public static final String FORMAT = "capeval-train-checkpoint/2";
    static final String DIR = "checkpoints";
    private static final ObjectMapper JSON = new ObjectMapper();

    public String identity;
    public long numRows;
    public long step;
    public int epoch;
    public long stepInEpoch;
    public long seed;
    public double[] params;
    public OptimizerState optimizerState = new OptimizerState(new long[0], Map.of());
    public LossCurve curve = new LossCurve();

    public String toJson() {
        ObjectNode o = JSON.createObjectNode();
        o.put("format", FORMAT);
        o.put("identity", identity);
        o.put("numRows", numRows);
        o.put("step", step);
        o.put("epoch", epoch);
        o.put("stepInEpoch", stepInEpoch);
        ObjectNode rng = o.putObject("rng");
        rng.put("kind", "counter-based: IndexPermutation(numRows, seed, epoch); weights from seed");
        rng.put("seed", seed);
        rng.put("epoch", epoch);
        putArray(o, "params", params);
        ObjectNode st = o.putObject("optimizerState");
        ArrayNode steps = st.putArray("steps");
        for (long t : optimizerState.steps()) {
            steps.add(t);
        }
        ObjectNode buffers = st.putObject("buffers");
        optimizerState.buffers().forEach((k, v) -> putArray(buffers, k, v));
        ArrayNode pts = o.putArray("lossCurve");
        for (LossCurve.Point p : curve.points()) {
            pts.addObject().put("step", p.step()).put("epoch", p.epoch()).put("loss", p.loss()).put("rows", p.rows());
        }
        return o.toString();
    }

    /**
     * Reads a checkpoint; {@code where} names its file. A damaged file (not JSON, a field missing)
     * is bad input for {@code --resume}: an {@link IllegalArgumentException} in one line naming
     * the file and what is wrong.
     */
    public static Checkpoint fromJson(String text, String where) {
        JsonNode o;
        try {
            o = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw unreadable(where, CocoJson.malformedJson(e), e);
        }
        if (o == null || !o.isObject()) {
            throw unreadable(where, "not a JSON object", null);
        }
        if (!FORMAT.equals(o.path("format").asText())) {
            throw new IllegalArgumentException(where + ": format '" + o.path("format").asText() + "' is not "
                    + FORMAT + " (the one this version reads); train again without it, or into another --out");
        }
        Checkpoint c = new Checkpoint();
        c.identity = need(o.path("identity"), "identity", Kind.TEXT, where).asText();
        c.numRows = need(o.path("numRows"), "numRows", Kind.INTEGER, where).asLong();
        c.step = need(o.path("step"), "step", Kind.INTEGER, where).asLong();
        c.epoch = need(o.path("epoch"), "epoch", Kind.INTEGER, where).asInt();
        c.stepInEpoch = need(o.path("stepInEpoch"), "stepInEpoch", Kind.INTEGER, where).asLong();
        c.seed = need(o.path("rng").path("seed"), "rng.seed", Kind.INTEGER, where).asLong();
        c.params = doubles(o.path("params"), "params", where);
        JsonNode state = o.path("optimizerState");
        JsonNode stepsNode = need(state.path("steps"), "optimizerState.steps", Kind.ARRAY, where);
        long[] steps = new long[stepsNode.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = element(stepsNode, i, "optimizerState.steps", Kind.INTEGER, where).asLong();
        }
        Map<String, double[]> buffers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : need(state.path("buffers"), "optimizerState.buffers", Kind.OBJECT, where).properties()) {
            buffers.put(e.getKey(), doubles(e.getValue(), "optimizerState.buffers." + e.getKey(), where));
        }
        c.optimizerState = new OptimizerState(steps, buffers);
        JsonNode curve = need(o.path("lossCurve"), "lossCurve", Kind.ARRAY, where);
        for (int i = 0; i < curve.size(); i++) {
            JsonNode p = element(curve, i, "lossCurve", Kind.OBJECT, where);
            String at = "lossCurve." + i;
            c.curve.add(new LossCurve.Point(need(p.path("step"), at + ".step", Kind.INTEGER, where).asLong(),
                    need(p.path("epoch"), at + ".epoch", Kind.INTEGER, where).asInt(),
                    need(p.path("loss"), at + ".loss", Kind.NUMBER, where).asDouble(),
                    need(p.path("rows"), at + ".rows", Kind.INTEGER, where).asLong()));
        }
        return c;
    }

    /** What a checkpoint field holds; a number may also be Jackson's "NaN", "Infinity" or "-Infinity" (a diverged run's). */
    private enum Kind {
        TEXT("a string"), INTEGER("an integer"), NUMBER("a number"), ARRAY("an array"), OBJECT("an object");

        private static final java.util.Set<String> NON_FINITE = java.util.Set.of("NaN", "Infinity", "-Infinity");

        final String description;

        Kind(String description) {
            this.description = description;
        }

        boolean holds(JsonNode v) {
            return switch (this) {
                case TEXT -> v.isTextual();
                case INTEGER -> v.isIntegralNumber() && v.canConvertToLong();
                case NUMBER -> v.isNumber() || (v.isTextual() && NON_FINITE.contains(v.asText()));
                case ARRAY -> v.isArray();
                case OBJECT -> v.isObject();
            };
        }
    }

    /** {@code v}, the checkpoint's field {@code field} ("optimizerState.steps"), or a one-line error naming it and what it lacks. */
    private static JsonNode need(JsonNode v, String field, Kind kind, String where) {
        if (v.isMissingNode() || v.isNull()) {
            throw unreadable(where, "missing field \"" + field + "\"", null);
        }
        if (!kind.holds(v)) {
            throw unreadable(where, "field \"" + field + "\" is not " + kind.description, null);
        }
        return v;
    }

    /** Element {@code i} of the array {@code field}, as {@link #need} checks it; its name ("params.3") is made only for the error. */
    private static JsonNode element(JsonNode array, int i, String field, Kind kind, String where) {
        JsonNode v = array.get(i);
        return kind.holds(v) ? v : need(v, field + "." + i, kind, where);
    }

    private static double[] doubles(JsonNode v, String field, String where) {
        JsonNode a = need(v, field, Kind.ARRAY, where);
        double[] d = new double[a.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = element(a, i, field, Kind.NUMBER, where).asDouble();
        }
        return d;
    }

    private static IllegalArgumentException unreadable(String where, String why, Exception cause) {
        return new IllegalArgumentException(where + ": unreadable checkpoint: " + why
                + " (changed or damaged after it was written); train into another --out", cause);
    }

    static void putArray(ObjectNode o, String name, double[] values) {
        ArrayNode a = o.putArray(name);
        for (double v : values) {
            a.add(v);
        }
    }


    static String fileName(long step) {
        return String.format("step-%010d.json", step);
    }

    /** Writes this checkpoint under a new name, then deletes the older ones. */
    public void save(OutputDir out) throws IOException {
        String name = fileName(step);
        out.write(DIR + "/" + name, toJson());
        for (String old : out.list(DIR)) {
            if (!old.equals(name) && old.startsWith("step-") && old.endsWith(".json")) {
                out.delete(DIR + "/" + old);
            }
        }
    }

    /** The newest checkpoint in {@code out}, or null when there is none. */
    public static Checkpoint latest(OutputDir out) throws IOException {
        List<String> names = out.list(DIR);
        for (int i = names.size() - 1; i >= 0; i--) {
            String n = names.get(i);
            if (n.startsWith("step-") && n.endsWith(".json")) {
                String text;
                try {
                    text = out.read(DIR + "/" + n);
                } catch (ChecksumException e) { // Hadoop's local file system keeps a .crc file beside it
                    throw unreadable(out.path(DIR + "/" + n).toString(), "its content does not match its checksum file (." + n + ".crc)", e);
                }
                return fromJson(text, out.path(DIR + "/" + n).toString());
            }
        }
        return null;
    }
}
