package org.capeval.jobs.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;

/**
 * Writes a finished run to the output directory: {@code model.json} (the SPEC, the layers'
 * weights and biases, the flat parameter vector and the training settings), the loss curve as
 * {@code loss.csv} and {@code loss.json}, and {@code loss.svg}. Each file is written atomically.
 */
public final class TrainOutputs {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private TrainOutputs() {}

    public static void write(OutputDir out, TrainConfig cfg, Trainer.Result r, long numRows, double seconds)
            throws IOException {
        out.write("model.json", modelJson(cfg, r, numRows, seconds));
        writeCurve(out, cfg, r.curve());
    }

    /** The loss curve files alone (also written when a run diverges, to show how it got there). */
    public static void writeCurve(OutputDir out, TrainConfig cfg, LossCurve curve) throws IOException {
        out.write("loss.csv", curve.toCsv());
        ArrayNode a = JSON.createArrayNode();
        for (LossCurve.Point p : curve.points()) {
            ObjectNode o = a.addObject();
            o.put("step", p.step()).put("epoch", p.epoch()).put("loss", p.loss()).put("rows", p.rows());
        }
        out.write("loss.json", JSON.writeValueAsString(a));
        out.write("loss.svg", curve.toSvg("training loss: " + cfg.model + ", " + cfg.optimizer + " lr=" + cfg.lr
                + (cfg.isLbfgs() ? ", " + cfg.lineSearch : "")
                + (cfg.batchSize > 0 ? ", batch " + cfg.batchSize : ", full batch")));
    }

    static String modelJson(TrainConfig cfg, Trainer.Result r, long numRows, double seconds) throws IOException {
        ModelSpec spec = cfg.model;
        ObjectNode o = JSON.createObjectNode();
        o.put("format", "capeval-train-model/1");
        o.put("model", spec.toString());
        o.put("canonical", spec.canonical());
        o.put("activation", (spec.numLayers() > 1 ? "relu between layers; " : "") + "output: "
                + (spec.isRegression() ? "identity" : spec.numOutputs() == 1 ? "sigmoid" : "softmax"));
        ArrayNode layers = o.putArray("layers");
        int[] sizes = spec.layerSizes();
        double[] p = r.params();
        for (int l = 0; l < spec.numLayers(); l++) {
            int in = sizes[l], outN = sizes[l + 1], off = spec.weightOffset(l);
            ObjectNode layer = layers.addObject();
            layer.put("in", in).put("out", outN);
            ArrayNode w = layer.putArray("weight"); // [out][in], like torch.nn.Linear
            for (int i = 0; i < outN; i++) {
                ArrayNode row = w.addArray();
                for (int j = 0; j < in; j++) {
                    row.add(p[off + i * in + j]);
                }
            }
            Checkpoint.putArray(layer, "bias", Arrays.copyOfRange(p, off + outN * in, off + outN * in + outN));
        }
        Checkpoint.putArray(o, "params", p);
        ObjectNode t = o.putObject("training");
        t.put("data", cfg.data).put("rows", numRows).put("optimizer", cfg.optimizer).put("lr", cfg.lr)
                .put("momentum", cfg.momentum).put("epochs", cfg.epochs).put("batchSize", cfg.batchSize)
                .put("seed", cfg.seed).put("steps", r.steps()).put("finalLoss", r.finalLoss())
                .put("seconds", seconds);
        if (cfg.isLbfgs()) {
            t.put("lineSearch", cfg.lineSearch).put("historySize", cfg.historySize).put("toleranceGrad", cfg.toleranceGrad)
                    .put("toleranceChange", cfg.toleranceChange);
        }
        return JSON.writeValueAsString(o);
    }
}
