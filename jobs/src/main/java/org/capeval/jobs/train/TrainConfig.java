package org.capeval.jobs.train;

import java.io.Serializable;
import java.util.Locale;

/** Options of the train job, parsed from its command line. */
public final class TrainConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String USAGE = String.join("\n",
            "usage: submit.sh train --data PATH --model SPEC --out DIR [options]",
            "  --data PATH[,PATH..]    Parquet/JSON (columns features: array<double> or vector, label), LIBSVM or CSV;",
            "                          any Hadoop path; Parquet/JSON paths may carry a label for all their rows: PATH=LABEL",
            "  --format F              parquet | json | libsvm | csv (default: from the name; .csv, .libsvm/.svm/.txt,",
            "                          .json/.jsonl, else parquet)",
            "  --features-cols A,B,..  Parquet/JSON: build the features from these numeric columns instead of 'features'",
            "  --label-col NAME        Parquet/JSON: the label column (default label)",
            "  --model SPEC            logistic:D | softmax:D-K | mlp:D-H..-K, optional :ce (default) or :mse",
            "  --out DIR               model.json, loss.csv, loss.json, loss.svg, checkpoints/",
            "  --epochs N              passes over the data (default 10)",
            "  --batch-size B          rows per optimizer step; 0 = full batch (default 0)",
            "  --optimizer sgd|adam    (default sgd)",
            "  --lr X                  learning rate (default 0.1)",
            "  --momentum M            SGD momentum (default 0)",
            "  --seed S                initial weights and epoch orders (default 42)",
            "  --checkpoint-every K    checkpoint every K steps, and always at the end; 0 = only at the end (default 0)",
            "  --resume                continue from the last checkpoint in DIR/checkpoints",
            "  --tree-depth D          depth of the gradient reduction tree (default 2)",
            "  --chunk-rows R          rows per autograd forward/backward on an executor (default 512)",
            "  --partitions P          repartition the data into P partitions (default: as read)",
            "  --csv-header            the CSV's first line is a header (CSV: label first, then the features)",
            "  --stop-after-steps N    stop after N steps as if killed (to exercise --resume)");

    public String data;
    public String format;
    public java.util.List<String> featureCols;
    public String labelCol = "label";
    public ModelSpec model;
    public String out;
    public int epochs = 10;
    public long batchSize = 0;
    public String optimizer = "sgd";
    public double lr = 0.1;
    public double momentum = 0;
    public long seed = 42;
    public long checkpointEvery = 0;
    public boolean resume;
    public int treeDepth = 2;
    public int chunkRows = 512;
    public int partitions = 0;
    public boolean csvHeader;
    public long stopAfterSteps = -1;

    /** Parses the job's arguments; throws IllegalArgumentException naming the bad option. */
    public static TrainConfig parse(String[] args) {
        TrainConfig c = new TrainConfig();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--resume" -> c.resume = true;
                case "--csv-header" -> c.csvHeader = true;
                default -> {
                    if (!a.startsWith("--")) {
                        throw new IllegalArgumentException("unexpected argument '" + a + "'");
                    }
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    String v = args[++i];
                    switch (a) {
                        case "--data" -> c.data = v;
                        case "--format" -> c.format = v.toLowerCase(Locale.ROOT);
                        case "--features-cols" -> c.featureCols = java.util.List.of(v.split(","));
                        case "--label-col" -> c.labelCol = v;
                        case "--model" -> c.model = ModelSpec.parse(v);
                        case "--out" -> c.out = v;
                        case "--epochs" -> c.epochs = (int) positive(a, v, 1);
                        case "--batch-size" -> c.batchSize = positive(a, v, 0);
                        case "--optimizer" -> c.optimizer = v.toLowerCase(Locale.ROOT);
                        case "--lr" -> c.lr = real(a, v);
                        case "--momentum" -> c.momentum = real(a, v);
                        case "--seed" -> c.seed = integer(a, v);
                        case "--checkpoint-every" -> c.checkpointEvery = positive(a, v, 0);
                        case "--tree-depth" -> c.treeDepth = (int) positive(a, v, 1);
                        case "--chunk-rows" -> c.chunkRows = (int) positive(a, v, 1);
                        case "--partitions" -> c.partitions = (int) positive(a, v, 0);
                        case "--stop-after-steps" -> c.stopAfterSteps = positive(a, v, 0);
                        default -> throw new IllegalArgumentException("unknown option " + a);
                    }
                }
            }
        }
        if (c.data == null) {
            throw new IllegalArgumentException("--data is required");
        }
        if (c.model == null) {
            throw new IllegalArgumentException("--model is required");
        }
        if (c.out == null) {
            throw new IllegalArgumentException("--out is required");
        }
        if (!c.optimizer.equals("sgd") && !c.optimizer.equals("adam")) {
            throw new IllegalArgumentException("--optimizer '" + c.optimizer + "' is not known (expected sgd or adam)");
        }
        if (!(c.lr > 0)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + c.lr);
        }
        if (c.format == null) {
            String p = c.sources().get(0).path().toLowerCase(Locale.ROOT);
            c.format = p.endsWith(".csv") ? "csv"
                    : (p.endsWith(".libsvm") || p.endsWith(".svm") || p.endsWith(".txt")) ? "libsvm"
                    : (p.endsWith(".json") || p.endsWith(".jsonl")) ? "json" : "parquet";
        }
        if (!java.util.Set.of("parquet", "json", "libsvm", "csv").contains(c.format)) {
            throw new IllegalArgumentException("--format '" + c.format + "' is not known (expected parquet, json, libsvm or csv)");
        }
        boolean tabular = c.format.equals("parquet") || c.format.equals("json");
        boolean labelled = c.sources().stream().anyMatch(src -> src.label() != null);
        if (!tabular && (c.featureCols != null || labelled)) {
            throw new IllegalArgumentException("--features-cols and PATH=LABEL apply to Parquet and JSON data only, not " + c.format);
        }
        if (c.featureCols != null && c.featureCols.size() != c.model.numFeatures()) {
            throw new IllegalArgumentException("--features-cols names " + c.featureCols.size() + " columns, but the model "
                    + c.model + " expects " + c.model.numFeatures() + " features");
        }
        return c;
    }

    /** One entry of --data: a path, and the label of all its rows when given as PATH=LABEL. */
    public record Source(String path, Double label) implements Serializable {}

    /**
     * The entries of --data, in order. {@code PATH=LABEL} is recognised when the text after the
     * last '=' is a number (so a Hive-style directory "x=3" must be given with a trailing '/').
     */
    public java.util.List<Source> sources() {
        java.util.List<Source> out = new java.util.ArrayList<>();
        for (String e : data.split(",")) {
            int eq = e.lastIndexOf('=');
            Double label = null;
            if (eq > 0) {
                try {
                    label = Double.parseDouble(e.substring(eq + 1));
                } catch (NumberFormatException notALabel) {
                    label = null;
                }
            }
            out.add(label == null ? new Source(e, null) : new Source(e.substring(0, eq), label));
        }
        return out;
    }

    private static long integer(String opt, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " '" + v + "' is not an integer");
        }
    }

    private static long positive(String opt, String v, long min) {
        long n = integer(opt, v);
        if (n < min) {
            throw new IllegalArgumentException(opt + " must be at least " + min + ", got " + n);
        }
        return n;
    }

    private static double real(String opt, String v) {
        try {
            double d = Double.parseDouble(v);
            if (!Double.isFinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(opt + " '" + v + "' is not a finite number");
        }
    }

    /** The settings a resumed run must share with the run that wrote the checkpoint. */
    String identity() {
        return "model=" + model.canonical() + " optimizer=" + optimizer + " lr=" + lr + " momentum=" + momentum
                + " batchSize=" + batchSize + " seed=" + seed;
    }
}
