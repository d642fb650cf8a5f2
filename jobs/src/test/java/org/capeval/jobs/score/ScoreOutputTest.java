package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The output commit both engines share refuses, before any work and with or without --overwrite,
 * an output that is, contains or lies inside an input, and leaves the inputs untouched.
 */
class ScoreOutputTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        ScoreJobTest.start();
    }

    @AfterAll
    static void stop() {
        ScoreJobTest.stop();
    }

    @Test
    void anOutputOverAnInputIsRefusedOnBothEngines() throws IOException {
        Path inputs = Files.createDirectories(dir.resolve("inputs"));
        Path refs = Files.writeString(inputs.resolve("refs.json"), ScoreJobTest.REFS, StandardCharsets.UTF_8);
        Path results = Files.writeString(inputs.resolve("results.json"), ScoreJobTest.RESULTS, StandardCharsets.UTF_8);
        byte[] refsBytes = Files.readAllBytes(refs);
        byte[] resultsBytes = Files.readAllBytes(results);
        // the output is an input, contains one, lies inside one (a file's "child"), and --save-idf over an input
        List<List<String>> cases = List.of(
                List.of("--out", refs.toString(), "--overwrite"),
                List.of("--out", "file:" + results, "--overwrite"),
                List.of("--out", inputs.toString(), "--overwrite"),
                List.of("--out", refs.resolve("sub").toString()),
                List.of("--out", dir.resolve("ok").toString(), "--save-idf", refs.toString()));
        for (List<String> extra : cases) {
            for (String engine : List.of("local", "spark")) {
                String[] args = Stream.concat(Stream.of("--refs", refs.toString(), "--results", results.toString(), "--engine", engine),
                        extra.stream()).toArray(String[]::new);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(engine, args), extra + " " + engine);
                assertTrue(e.getMessage().contains("must not be, contain or lie inside an input"), e.getMessage());
                assertTrue(e.getMessage().startsWith(extra.contains("--save-idf") ? "--save-idf " : "--out "), e.getMessage());
                assertArrayEquals(refsBytes, Files.readAllBytes(refs), "refs untouched");
                assertArrayEquals(resultsBytes, Files.readAllBytes(results), "results untouched");
                try (Stream<Path> left = Files.list(inputs)) {
                    assertEquals(2, left.count(), "nothing written next to the inputs");
                }
            }
        }
    }

    private static void run(String engine, String[] args) throws IOException {
        if (engine.equals("local")) {
            LocalScore.run(ScoreOptions.parse(args), 2);
        } else {
            ScoreJob.run(ScoreJobTest.spark, args);
        }
    }
}
