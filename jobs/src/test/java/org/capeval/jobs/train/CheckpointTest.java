package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
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
        c.optimizerState.put("m", new double[] {Math.E, -2.5e-310});
        c.curve.add(new LossCurve.Point(0, 0, 0.6931471805599453, 10));
        Checkpoint back = Checkpoint.fromJson(c.toJson(), "test");
        for (int i = 0; i < c.params.length; i++) {
            assertEquals(Double.doubleToRawLongBits(c.params[i]), Double.doubleToRawLongBits(back.params[i]));
        }
        assertArrayEquals(c.optimizerState.get("m"), back.optimizerState.get("m"), 0.0);
        assertEquals(c.curve.points(), back.curve.points());
        assertEquals(2, back.stepInEpoch);
        assertEquals(-5, back.seed);
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
}
