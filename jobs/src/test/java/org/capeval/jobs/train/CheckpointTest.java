package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.capeval.autograd.optim.OptimizerState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsEveryBit() throws Exception {
        Checkpoint c = new Checkpoint();
        c.identity = "x";
        c.numRows = 10;
        c.step = 3;
        c.epoch = 1;
        c.stepInEpoch = 2;
        c.seed = -5;
        c.params = new double[] {0.1, -0.0, Double.MIN_VALUE, 1 / 3.0, 1e300, Math.PI * 1e-17};
        c.optimizerState = new OptimizerState(new long[] {3, Long.MAX_VALUE},
                Map.of("exp_avg", new double[] {Math.E, -2.5e-310}, "exp_avg_sq", new double[] {1e-320, 0.1}));
        c.curve.add(new LossCurve.Point(0, 0, 0.6931471805599453, 10));
        Checkpoint back = Checkpoint.fromJson(c.toJson(), "test");
        for (int i = 0; i < c.params.length; i++) {
            assertEquals(Double.doubleToRawLongBits(c.params[i]), Double.doubleToRawLongBits(back.params[i]));
        }
        assertArrayEquals(c.optimizerState.steps(), back.optimizerState.steps());
        assertEquals(c.optimizerState.buffers().keySet(), back.optimizerState.buffers().keySet());
        for (String k : c.optimizerState.buffers().keySet()) {
            assertArrayEquals(c.optimizerState.buffers().get(k), back.optimizerState.buffers().get(k), 0.0, k);
        }
        assertEquals(c.curve.points(), back.curve.points());
        assertEquals(2, back.stepInEpoch);
        assertEquals(-5, back.seed);
    }

    @Test
    void refusesAnOlderFormatSayingWhich() {
        Checkpoint c = new Checkpoint();
        c.identity = "x";
        c.params = new double[] {1};
        String v1 = c.toJson().replace(Checkpoint.FORMAT, "capeval-train-checkpoint/1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromJson(v1, "old.json"));
        assertTrue(e.getMessage().startsWith("old.json: format 'capeval-train-checkpoint/1' is not capeval-train-checkpoint/2"),
                e.getMessage());
    }

    @Test
    void aDivergedRunsCheckpointReadsBack() {
        Checkpoint c = new Checkpoint();
        c.identity = "x";
        c.params = new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 2.5};
        c.curve.add(new LossCurve.Point(3, 0, Double.NaN, 10));
        Checkpoint back = Checkpoint.fromJson(c.toJson(), "x.json");
        assertArrayEquals(c.params, back.params);
        assertTrue(Double.isNaN(back.curve.points().get(0).loss()), back.curve.toCsv());
        assertEquals(10, back.curve.points().get(0).rows());
    }

    @Test
    void aDamagedCheckpointIsOneLineNamingTheFileAndWhatIsWrong() throws Exception {
        Checkpoint c = new Checkpoint();
        c.identity = "x";
        c.step = 7;
        c.params = new double[] {1};
        String json = c.toJson();
        String[][] cases = {
            {json.substring(0, 60), "x.json: unreadable checkpoint: malformed JSON at line 1, column 61: Unexpected end-of-input"},
            {json.replace("\"seed\"", "\"sead\""), "x.json: unreadable checkpoint: missing field \"rng.seed\""},
            {"[]", "x.json: unreadable checkpoint: not a JSON object"},
            {json.replace("\"params\":[1.0]", "\"params\":{\"a\":1}"), "x.json: unreadable checkpoint: field \"params\" is not an array"},
            {json.replace("\"params\":[1.0]", "\"params\":[\"x\"]"), "x.json: unreadable checkpoint: field \"params.0\" is not a number"},
            {json.replace("\"step\":7", "\"step\":\"7\""), "x.json: unreadable checkpoint: field \"step\" is not an integer"},
            {json.replace("\"step\":7", "\"step\":7.5"), "x.json: unreadable checkpoint: field \"step\" is not an integer"},
            {json.replace("\"params\":[1.0]", "\"params\":[null]"), "x.json: unreadable checkpoint: missing field \"params.0\""},
            {json.replace("\"lossCurve\":[]", "\"lossCurve\":[3]"), "x.json: unreadable checkpoint: field \"lossCurve.0\" is not an object"},
        };
        for (String[] k : cases) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.fromJson(k[0], "x.json"));
            assertTrue(e.getMessage().startsWith(k[1]), e.getMessage());
            assertTrue(!e.getMessage().contains("\n") && !e.getMessage().contains("Source") && !e.getMessage().contains("jackson"), e.getMessage());
        }

        // changed after it was written: Hadoop's local file system finds it by the .crc file beside it
        OutputDir out = new OutputDir(dir.toString(), new Configuration());
        c.save(out);
        Path file = dir.resolve("checkpoints").resolve("step-0000000007.json");
        Files.writeString(file, json.replace("\"step\":7", "\"step\":8"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.latest(out));
        assertTrue(e.getMessage().contains("step-0000000007.json: unreadable checkpoint: its content does not match its checksum file"), e.getMessage());
        assertEquals(json.replace("\"step\":7", "\"step\":8"), Files.readString(file)); // never modified
    }

    @Test
    void keepsOnlyTheNewestAndLeavesNoTemporaries() throws Exception {
        OutputDir out = new OutputDir(dir.toString(), new Configuration());
        assertNull(Checkpoint.latest(out));
        for (long step : new long[] {5, 10, 15}) {
            Checkpoint c = new Checkpoint();
            c.identity = "x";
            c.step = step;
            c.params = new double[] {step};
            c.save(out);
        }
        assertEquals(15, Checkpoint.latest(out).step);
        try (Stream<Path> files = Files.list(dir.resolve("checkpoints"))) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> !n.endsWith(".crc")).sorted().collect(Collectors.toList());
            assertEquals(List.of("step-0000000015.json"), names);
        }
    }

    @Test
    void aFailedWriteIsReportedAsItselfWhenItsCleanupFailsToo() {
        // as on HDFS, where removing the temporary file of a write that failed can be refused as well
        Configuration conf = new Configuration();
        conf.setClass("fs.failing.impl", FailingFileSystem.class, org.apache.hadoop.fs.FileSystem.class);
        conf.setBoolean("fs.failing.impl.disable.cache", true);
        IOException e = assertThrows(IOException.class,
                () -> new OutputDir("failing://" + dir.toAbsolutePath(), conf).write("model.json", "{}"));
        assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
        assertEquals("Permission denied", e.getCause().getSuppressed()[0].getMessage(), "the cleanup's failure is kept, not reported");
    }

    /** Local files where every write fails (a full disk) and every delete is refused. */
    public static final class FailingFileSystem extends org.apache.hadoop.fs.RawLocalFileSystem {
        @Override
        public java.net.URI getUri() {
            return java.net.URI.create("failing:///");
        }

        @Override
        public org.apache.hadoop.fs.FSDataOutputStream create(org.apache.hadoop.fs.Path f, boolean overwrite, int bufferSize,
                short replication, long blockSize, org.apache.hadoop.util.Progressable progress) throws IOException {
            throw new IOException("No space left on device");
        }

        @Override
        public boolean delete(org.apache.hadoop.fs.Path p, boolean recursive) throws IOException {
            throw new org.apache.hadoop.security.AccessControlException("Permission denied");
        }
    }
}
