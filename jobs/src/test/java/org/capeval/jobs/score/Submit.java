package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs {@code submit.sh} (the packaged jobs jar, as users run it) for the integration tests. */
final class Submit {
    static final Path PROJECT = Path.of(System.getProperty("capeval.projectDir", "..")).toAbsolutePath().normalize();
    static final ObjectMapper JSON = new ObjectMapper();

    private Submit() {}

    record Result(int exit, String log) {}

    /** Starts {@code submit.sh args...}, stdout and stderr into {@code log}. The process is the driver JVM. */
    static Process start(Path log, List<String> args) throws IOException {
        return start(log, args, Map.of());
    }

    /** The same with more environment variables for submit.sh. */
    static Process start(Path log, List<String> args, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(PROJECT.resolve("submit.sh").toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("CAPEVAL_NO_BUILD", "1");
        pb.environment().putAll(env);
        return pb.start();
    }

    static Result run(Path log, Duration timeout, String... args) throws IOException, InterruptedException {
        return run(log, timeout, Map.of(), args);
    }

    static Result run(Path log, Duration timeout, Map<String, String> env, String... args) throws IOException, InterruptedException {
        Process p = start(log, List.of(args), env);
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail("submit.sh " + String.join(" ", args) + " did not finish in " + timeout + "; log:\n" + tail(log));
        }
        return new Result(p.exitValue(), Files.readString(log));
    }

    static Result runOk(Path log, Duration timeout, String... args) throws IOException, InterruptedException {
        Result r = run(log, timeout, args);
        if (r.exit() != 0) fail("submit.sh " + String.join(" ", args) + " exited " + r.exit() + "; log:\n" + tail(log));
        return r;
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** DIR/eval.json. */
    static JsonNode eval(Path dir) throws IOException {
        return JSON.readTree(dir.resolve("eval.json").toFile());
    }

    /** DIR/per_image written with --per-image-format json: image_id -> row. */
    static Map<Long, JsonNode> perImage(Path dir) throws IOException {
        Map<Long, JsonNode> rows = new TreeMap<>();
        try (Stream<Path> parts = Files.list(dir.resolve("per_image"))) {
            for (Path part : parts.filter(p -> p.getFileName().toString().startsWith("part-")).sorted().toList()) {
                try (Stream<String> lines = Files.lines(part)) {
                    lines.filter(l -> !l.isBlank()).forEach(l -> {
                        try {
                            JsonNode row = JSON.readTree(l);
                            if (rows.put(row.get("image_id").asLong(), row) != null) fail("image " + row.get("image_id") + " twice in " + dir);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    });
                }
            }
        }
        return rows;
    }
}
