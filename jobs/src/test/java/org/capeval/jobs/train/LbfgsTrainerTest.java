package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.capeval.autograd.Tensor;
import org.capeval.autograd.optim.LBFGS;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --optimizer lbfgs} without Spark: N epochs are N iterations of autograd's LBFGS on the
 * full-batch objective (the same iterates as one {@code step} of N iterations), the point an
 * iteration ends at is not evaluated twice, and a run stopped and resumed from a checkpoint ends
 * with the same bits as an uninterrupted one.
 */
class LbfgsTrainerTest {
    @TempDir
    Path tmp;

    /** Counts the passes over the data. */
    private static final class CountingSource implements GradientSource {
        final LocalGradientSource inner;
        long passes;

        CountingSource(LocalGradientSource inner) {
            this.inner = inner;
        }

        public long numRows() {
            return inner.numRows();
        }

        public void startEpoch(int e) {
            inner.startEpoch(e);
        }

        public GradientSum batch(double[] p, long step) {
            passes++;
            return inner.batch(p, step);
        }

        public GradientSum all(double[] p) {
            passes++;
            return inner.all(p);
        }
    }

    private static TrainConfig config(String data, String out, String... args) {
        List<String> a = new ArrayList<>(List.of("--data", data, "--out", out, "--optimizer", "lbfgs"));
        a.addAll(List.of(args));
        return TrainConfig.parse(a.toArray(String[]::new));
    }

    private static CountingSource source(TrainConfig cfg, ModelGradient model) throws IOException {
        return new CountingSource(new LocalGradientSource(SparkTrainTest.rowsInFileOrder(cfg), model, 0, cfg.seed));
    }

    private Trainer.Result run(TrainConfig cfg, CountingSource[] used) throws IOException {
        ModelGradient model = new ModelGradient(cfg.model, cfg.chunkRows);
        CountingSource src = source(cfg, model);
        if (used != null) {
            used[0] = src;
        }
        OutputDir out = cfg.checkpointEvery > 0 || cfg.resume ? new OutputDir(cfg.out, new Configuration()) : null;
        return new Trainer(cfg, model, out, s -> {}).train(src);
    }

    @Test
    void epochsAreIterationsOfOneLbfgsStep() throws Exception {
        String data = SparkTrainTest.writeCsv(tmp.resolve("d.csv"), 300, 4, 3, 8).toString();
        for (String ls : new String[] {"strong_wolfe", "none"}) {
            for (String spec : new String[] {"softmax:4-3", "mlp:4-6-3"}) {
                String what = spec + " " + ls;
                TrainConfig cfg = config(data, tmp.resolve("o").toString(), "--model", spec, "--epochs", "15", "--line-search", ls,
                        "--lr", ls.equals("none") ? "0.5" : "1", "--history-size", "5");
                CountingSource[] used = new CountingSource[1];
                Trainer.Result r = run(cfg, used);
                assertEquals(15, r.steps(), what);
                assertEquals(15, r.curve().size(), what);

                // the same problem, one LBFGS.step of 15 iterations (max_eval out of the way), straight on the rows
                ModelGradient model = new ModelGradient(cfg.model, cfg.chunkRows);
                CountingSource direct = source(cfg, model);
                double[] p = model.initialParams(cfg.seed);
                Tensor w = Tensor.wrap(p, p.length).requiresGrad_(true);
                LBFGS lbfgs = new LBFGS(List.of(w), cfg.lr, 15, 1_000_000, 1e-7, 1e-9, 5, ls.equals("none") ? null : LBFGS.STRONG_WOLFE);
                List<Double> evaluations = new ArrayList<>();
                lbfgs.step(() -> {
                    GradientSum g = direct.all(p);
                    w.setGrad(Tensor.wrap(g.meanGradient(), p.length));
                    evaluations.add(g.meanLoss());
                    return Tensor.scalar(g.meanLoss());
                });
                assertArrayEquals(p, r.params(), 0.0, what);
                // the trainer's passes: this step's evaluations, plus the final loss at the end, nothing twice
                long trainerEvaluations = lbfgs.funcEvals();
                assertEquals(trainerEvaluations + (ls.equals("none") ? 1 : 0), used[0].passes, what);
                assertTrue(r.finalLoss() < r.curve().points().get(0).loss(), what);
                assertEquals(r.curve().points().get(0).loss(), evaluations.get(0), 0.0, what);
            }
        }
    }

    @Test
    void stoppedAndResumedEqualsUninterrupted() throws Exception {
        String data = SparkTrainTest.writeCsv(tmp.resolve("d.csv"), 200, 4, 3, 21).toString();
        String[][] settings = {{"--model", "mlp:4-5-3"}, {"--model", "softmax:4-3", "--line-search", "none", "--lr", "0.3"},
            {"--model", "mlp:4-5-3", "--history-size", "3"}};
        int n = 0;
        for (String[] s : settings) {
            String what = String.join(" ", s);
            String a = tmp.resolve("a" + n).toString(), b = tmp.resolve("b" + n++).toString();
            List<String> common = new ArrayList<>(List.of(s));
            common.addAll(List.of("--epochs", "12", "--checkpoint-every", "4"));
            Trainer.Result whole = run(config(data, a, common.toArray(String[]::new)), null);
            assertEquals(12, whole.steps(), what);

            List<String> cut = new ArrayList<>(common);
            cut.addAll(List.of("--stop-after-steps", "6"));
            assertTrue(run(config(data, b, cut.toArray(String[]::new)), null).stoppedEarly(), what);
            Checkpoint c = Checkpoint.fromJson(Checkpoint.latest(new OutputDir(b, new Configuration())).toJson(), "again");
            assertEquals(4, c.step, what);
            assertArrayEquals(new long[] {4}, c.optimizerState.steps(), what);
            assertEquals(c.params.length, c.optimizerState.buffers().get("d").length, what);
            int history = c.optimizerState.buffers().get("ro").length;
            assertTrue(history >= 1 && history <= 3, what + ": " + history);
            assertEquals(history * c.params.length, c.optimizerState.buffers().get("old_dirs").length, what);

            List<String> resume = new ArrayList<>(common);
            resume.add("--resume");
            Trainer.Result resumed = run(config(data, b, resume.toArray(String[]::new)), null);
            assertEquals(whole.steps(), resumed.steps(), what);
            assertArrayEquals(whole.params(), resumed.params(), 0.0, what);
            assertEquals(whole.curve().points(), resumed.curve().points(), what);
            assertEquals(whole.finalLoss(), resumed.finalLoss(), 0.0, what);

            // another line search or history is another run
            List<String> other = new ArrayList<>(resume);
            other.addAll(List.of("--tolerance-grad", "1e-5"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> run(config(data, b, other.toArray(String[]::new)), null));
            assertTrue(e.getMessage().contains("different run"), e.getMessage());
        }
    }

    @Test
    void stopsWhenConverged() throws Exception {
        String data = SparkTrainTest.writeCsv(tmp.resolve("d.csv"), 100, 3, 2, 4).toString();
        Trainer.Result r = run(config(data, tmp.resolve("o").toString(), "--model", "logistic:3", "--epochs", "500",
                "--tolerance-grad", "1e-6"), null);
        assertTrue(r.steps() < 100, "steps " + r.steps());
        assertEquals(r.steps(), r.curve().size());
    }

    @Test
    void optionsAreChecked() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> config("d.csv", "o", "--model", "logistic:3", "--batch-size", "10"));
        assertTrue(e.getMessage().contains("full batch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> config("d.csv", "o", "--model", "logistic:3", "--line-search", "armijo"));
        assertTrue(e.getMessage().contains("strong_wolfe or none"), e.getMessage());
        assertEquals(1.0, config("d.csv", "o", "--model", "logistic:3").lr, 0.0);
        assertEquals(0.1, TrainConfig.parse(new String[] {"--data", "d.csv", "--out", "o", "--model", "logistic:3"}).lr, 0.0);
        assertEquals(0.25, config("d.csv", "o", "--model", "logistic:3", "--lr", "0.25").lr, 0.0);
    }
}
