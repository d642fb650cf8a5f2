package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.capeval.autograd.optim.OptimizerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without Spark: the checkpoint carries autograd's optimizer state, so a run stopped and resumed
 * ends with the same bits as an uninterrupted one, for each optimizer, and a mangled state is refused.
 */
class TrainerResumeTest {
    @TempDir
    Path tmp;

    private Trainer.Result run(String data, String out, String... args) throws IOException {
        List<String> a = new ArrayList<>(List.of("--data", data, "--model", "mlp:4-5-3", "--epochs", "3",
                "--batch-size", "40", "--checkpoint-every", "3", "--out", out));
        a.addAll(List.of(args));
        TrainConfig cfg = TrainConfig.parse(a.toArray(String[]::new));
        RowParser parser = new RowParser(cfg.model);
        RowBlock.Builder b = new RowBlock.Builder(cfg.model.numFeatures(), Integer.MAX_VALUE);
        long i = 0;
        for (String line : Files.readAllLines(Path.of(data))) {
            RowParser.Row r = parser.csv(line, data);
            if (r != null) {
                b.add(i++, r.features(), r.label());
            }
        }
        ModelGradient model = new ModelGradient(cfg.model, cfg.chunkRows);
        return new Trainer(cfg, model, new OutputDir(out, new Configuration()), s -> {})
                .train(new LocalGradientSource(b.build(), model, cfg.batchSize, cfg.seed));
    }

    @Test
    void stoppedAndResumedEqualsUninterrupted() throws Exception {
        String data = SparkTrainTest.writeCsv(tmp.resolve("d.csv"), 200, 4, 3, 21).toString();
        String[][] optimizers = {{"--optimizer", "sgd", "--lr", "0.2", "--momentum", "0.9"},
            {"--optimizer", "adam", "--lr", "0.02"}, {"--optimizer", "sgd", "--lr", "0.3"}};
        for (String[] opt : optimizers) {
            String name = String.join(" ", opt);
            String a = tmp.resolve("a" + name.hashCode()).toString(), b = tmp.resolve("b" + name.hashCode()).toString();
            Trainer.Result whole = run(data, a, opt);
            List<String> cut = new ArrayList<>(List.of(opt));
            cut.addAll(List.of("--stop-after-steps", "7"));
            assertTrue(run(data, b, cut.toArray(String[]::new)).stoppedEarly(), name);
            Checkpoint c = Checkpoint.latest(new OutputDir(b, new Configuration()));
            assertEquals(6, c.step, name);
            assertArrayEquals(new long[] {6}, c.optimizerState.steps(), name);
            assertEquals(name.contains("momentum") ? 1 : name.contains("adam") ? 2 : 0, c.optimizerState.buffers().size(), name);
            c.optimizerState.buffers().values().forEach(v -> assertEquals(c.params.length, v.length, name));

            List<String> resume = new ArrayList<>(List.of(opt));
            resume.add("--resume");
            Trainer.Result resumed = run(data, b, resume.toArray(String[]::new));
            assertEquals(whole.steps(), resumed.steps(), name);
            assertArrayEquals(whole.params(), resumed.params(), 0.0, name);
            assertEquals(whole.curve().points(), resumed.curve().points(), name);
        }
    }

    @Test
    void refusesACheckpointWhoseOptimizerStateDoesNotFit() throws Exception {
        String data = SparkTrainTest.writeCsv(tmp.resolve("d.csv"), 120, 4, 3, 5).toString();
        String out = tmp.resolve("o").toString();
        run(data, out, "--optimizer", "adam", "--lr", "0.02", "--stop-after-steps", "4");
        OutputDir dir = new OutputDir(out, new Configuration());
        Checkpoint c = Checkpoint.latest(dir);
        c.optimizerState = new OptimizerState(c.optimizerState.steps(), Map.of("exp_avg", new double[c.params.length]));
        c.save(dir);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> run(data, out, "--optimizer", "adam", "--lr", "0.02", "--resume"));
        assertTrue(e.getMessage().startsWith("--resume: the checkpoint of step 3 has an unusable optimizer state: "), e.getMessage());
        assertTrue(e.getMessage().contains("exp_avg_sq"), e.getMessage());
        assertFalse(Files.exists(Path.of(out, "model.json")));
    }
}
