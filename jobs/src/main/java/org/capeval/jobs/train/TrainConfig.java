package org.capeval.jobs.train;

import java.io.Serializable;
import java.util.Locale;
import org.capeval.jobs.cli.Cli;
import org.capeval.jobs.cli.JobCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Options of the train job, parsed from its command line. */
@Command(name = "train", header = "Trains a model with the autograd engine, data-parallel on Spark.",
        description = "Synchronous data-parallel training: each step the driver sends out the parameters, every partition "
                + "returns the summed loss and gradient of its rows of the batch, the sums come back through a tree, and the "
                + "optimizer updates the parameters on the driver. Exit status: 0 done, 2 bad arguments or data, 3 diverged.")
public final class TrainConfig implements Serializable, JobCommand {
    private static final long serialVersionUID = 1L;

    @Option(names = "--data", required = true, paramLabel = "PATH[,PATH..]",
            description = "Parquet/JSON (columns features: array<double> or vector, label), LIBSVM or CSV; any Hadoop path; "
                    + "Parquet/JSON paths may carry a label for all their rows: PATH=LABEL")
    public String data;

    @Option(names = "--format", paramLabel = "F", description = "parquet | json | libsvm | csv (default: from the name; .csv, "
            + ".libsvm/.svm/.txt, .json/.jsonl, else parquet)")
    public String format;

    @Option(names = "--features-cols", paramLabel = "COL", split = ",", splitSynopsisLabel = ",",
            description = "Parquet/JSON: build the features from these numeric columns instead of 'features'")
    public java.util.List<String> featureCols;

    @Option(names = "--label-col", paramLabel = "NAME", description = "Parquet/JSON: the label column (default ${DEFAULT-VALUE})")
    public String labelCol = "label";

    @Option(names = "--model", required = true, paramLabel = "SPEC", converter = SpecConverter.class,
            description = "logistic:D | softmax:D-K | mlp:D-H..-K, optional :ce (default) or :mse")
    public ModelSpec model;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "model.json, loss.csv, loss.json, loss.svg, checkpoints/")
    public String out;

    @Option(names = "--epochs", paramLabel = "N", description = "passes over the data (default ${DEFAULT-VALUE})")
    public int epochs = 10;

    @Option(names = "--batch-size", paramLabel = "B", description = "rows per optimizer step; 0 = full batch (default ${DEFAULT-VALUE})")
    public long batchSize = 0;

    @Option(names = "--optimizer", paramLabel = "sgd|adam|lbfgs",
            description = "lbfgs: PyTorch's L-BFGS on the full batch, one iteration per epoch (default ${DEFAULT-VALUE})")
    public String optimizer = "sgd";

    /** --lr as given, or the optimizer's default (0.1; 1 for lbfgs) once validated. */
    public double lr = Double.NaN;

    @Option(names = "--lr", paramLabel = "X",
            description = "learning rate; for lbfgs the first trial step of each iteration (default 0.1; 1 for lbfgs)")
    private void lr(double x) {
        finite("--lr", x);
        lr = x;
    }

    @Option(names = "--line-search", paramLabel = "strong_wolfe|none",
            description = "lbfgs: PyTorch's strong-Wolfe line search, or a fixed step of --lr (default ${DEFAULT-VALUE})")
    public String lineSearch = "strong_wolfe";

    @Option(names = "--history-size", paramLabel = "H", description = "lbfgs: curvature pairs kept (default ${DEFAULT-VALUE})")
    public int historySize = 100;

    @Option(names = "--tolerance-grad", paramLabel = "X",
            description = "lbfgs: stop when the largest gradient component is at most X (default ${DEFAULT-VALUE})")
    public double toleranceGrad = 1e-7;

    @Option(names = "--tolerance-change", paramLabel = "X",
            description = "lbfgs: stop when the slope along the search direction is above -X (torch's tolerance_change; "
                    + "default ${DEFAULT-VALUE})")
    public double toleranceChange = 1e-9;

    @Option(names = "--momentum", paramLabel = "M", description = "SGD momentum (default ${DEFAULT-VALUE})")
    public double momentum = 0;

    @Option(names = "--seed", paramLabel = "S", description = "initial weights and epoch orders (default ${DEFAULT-VALUE})")
    public long seed = 42;

    @Option(names = "--checkpoint-every", paramLabel = "K",
            description = "checkpoint every K steps, and always at the end; 0 = only at the end (default ${DEFAULT-VALUE})")
    public long checkpointEvery = 0;

    @Option(names = "--resume", description = "continue from the last checkpoint in DIR/checkpoints")
    public boolean resume;

    @Option(names = "--tree-depth", paramLabel = "D", description = "depth of the gradient reduction tree (default ${DEFAULT-VALUE})")
    public int treeDepth = 2;

    @Option(names = "--chunk-rows", paramLabel = "R",
            description = "rows per autograd forward/backward on an executor (default ${DEFAULT-VALUE})")
    public int chunkRows = 2048;

    @Option(names = "--partitions", paramLabel = "P", description = "repartition the data into P partitions (default: as read)")
    public int partitions = 0;

    @Option(names = "--csv-header", description = "the CSV's first line is a header (CSV: label first, then the features)")
    public boolean csvHeader;

    /** -1: not given. */
    public long stopAfterSteps = -1;

    @Option(names = "--stop-after-steps", paramLabel = "N", description = "stop after N steps as if killed (to exercise --resume)")
    private void stopAfterSteps(long n) {
        stopAfterSteps = atLeast("--stop-after-steps", n, 0);
    }

    /** Parses and validates the job's arguments; throws IllegalArgumentException naming the bad option. */
    public static TrainConfig parse(String[] args) {
        return Cli.parse("train", args);
    }

    /** {@code --model}: ModelSpec's own message names the option and the part that does not parse. */
    static final class SpecConverter implements CommandLine.ITypeConverter<ModelSpec> {
        @Override
        public ModelSpec convert(String spec) {
            return ModelSpec.parse(spec);
        }
    }

    @Override
    public void validate() {
        atLeast("--epochs", epochs, 1);
        atLeast("--batch-size", batchSize, 0);
        atLeast("--checkpoint-every", checkpointEvery, 0);
        atLeast("--tree-depth", treeDepth, 1);
        atLeast("--chunk-rows", chunkRows, 1);
        atLeast("--partitions", partitions, 0);
        finite("--momentum", momentum);
        optimizer = optimizer.toLowerCase(Locale.ROOT);
        if (!optimizer.equals("sgd") && !optimizer.equals("adam") && !optimizer.equals("lbfgs")) {
            throw new IllegalArgumentException("--optimizer '" + optimizer + "' is not known (expected sgd, adam or lbfgs)");
        }
        if (Double.isNaN(lr)) {
            lr = isLbfgs() ? 1 : 0.1;
        }
        lineSearch = lineSearch.toLowerCase(Locale.ROOT);
        if (!lineSearch.equals("strong_wolfe") && !lineSearch.equals("none")) {
            throw new IllegalArgumentException("--line-search '" + lineSearch + "' is not known (expected strong_wolfe or none)");
        }
        atLeast("--history-size", historySize, 1);
        finite("--tolerance-grad", toleranceGrad);
        finite("--tolerance-change", toleranceChange);
        if (isLbfgs() && batchSize != 0) {
            throw new IllegalArgumentException("--optimizer lbfgs trains on the full batch: leave --batch-size at 0, got " + batchSize);
        }
        if (!(lr > 0)) {
            throw new IllegalArgumentException("--lr must be a positive number, got " + lr);
        }
        if (format == null) {
            String p = sources().get(0).path().toLowerCase(Locale.ROOT);
            format = p.endsWith(".csv") ? "csv"
                    : (p.endsWith(".libsvm") || p.endsWith(".svm") || p.endsWith(".txt")) ? "libsvm"
                    : (p.endsWith(".json") || p.endsWith(".jsonl")) ? "json" : "parquet";
        }
        format = format.toLowerCase(Locale.ROOT);
        if (!java.util.Set.of("parquet", "json", "libsvm", "csv").contains(format)) {
            throw new IllegalArgumentException("--format '" + format + "' is not known (expected parquet, json, libsvm or csv)");
        }
        boolean tabular = format.equals("parquet") || format.equals("json");
        boolean labelled = sources().stream().anyMatch(src -> src.label() != null);
        if (!tabular && (featureCols != null || labelled)) {
            throw new IllegalArgumentException("--features-cols and PATH=LABEL apply to Parquet and JSON data only, not " + format);
        }
        if (featureCols != null && featureCols.size() != model.numFeatures()) {
            throw new IllegalArgumentException("--features-cols names " + featureCols.size() + " columns, but the model "
                    + model + " expects " + model.numFeatures() + " features");
        }
    }

    @Override
    public boolean needsSpark(String master) {
        return true;
    }

    @Override
    public Integer call() throws Exception {
        return TrainJob.execute(this);
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

    private static long atLeast(String opt, long n, long min) {
        if (n < min) {
            throw new IllegalArgumentException(opt + " must be at least " + min + ", got " + n);
        }
        return n;
    }

    private static void finite(String opt, double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException(opt + " '" + d + "' is not a finite number");
        }
    }

    /** The settings a resumed run must share with the run that wrote the checkpoint. */
    String identity() {
        return "model=" + model.canonical() + " optimizer=" + optimizer + " lr=" + lr + " momentum=" + momentum
                + " batchSize=" + batchSize + " seed=" + seed
                + (isLbfgs() ? " lineSearch=" + lineSearch + " historySize=" + historySize + " toleranceGrad=" + toleranceGrad
                        + " toleranceChange=" + toleranceChange : "");
    }

    /** {@code --optimizer lbfgs}: full batch, one L-BFGS iteration per epoch. */
    public boolean isLbfgs() {
        return "lbfgs".equals(optimizer);
    }
}
