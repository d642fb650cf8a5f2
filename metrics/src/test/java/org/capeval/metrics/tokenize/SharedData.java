package org.capeval.metrics.tokenize;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Assumptions;

/** Access to ../shared for tests: skipped when absent, a failure when CAPEVAL_REQUIRE_SHARED=1. */
final class SharedData {
    private SharedData() {}

    static final ObjectMapper JSON = new ObjectMapper();

    /** The shared directory, or abort (skip) / fail the calling test when it is missing. */
    static Path dir() {
        String prop = System.getProperty("capeval.shared");
        Path d = prop == null ? null : Path.of(prop);
        if (d == null || !Files.isDirectory(d)) {
            String msg = "shared data directory not found (system property capeval.shared = " + prop + ")";
            if ("1".equals(System.getenv("CAPEVAL_REQUIRE_SHARED"))) {
                fail(msg + " and CAPEVAL_REQUIRE_SHARED=1");
            }
            Assumptions.abort(msg + ": skipping");
        }
        return d;
    }

    /** Reads {@code base} or, when only that exists, {@code base + ".gz"}; null if neither exists. */
    static JsonNode readJson(Path base) {
        Path gz = base.resolveSibling(base.getFileName() + ".gz");
        Path p = Files.exists(base) ? base : Files.exists(gz) ? gz : null;
        if (p == null) {
            return null;
        }
        try (InputStream raw = Files.newInputStream(p);
                InputStream in = p.toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + p, e);
        }
    }

    /**
     * All val2014 captions: the 4-6 references of every image from codalab_reference_answer.json.gz
     * (file order), then the held-out caption of every image from codalab_submission_answer.json.gz.
     */
    static List<String> val2014Captions(Path shared) {
        Path data = shared.resolve("data/coco-val2014");
        JsonNode refs = readJson(data.resolve("codalab_reference_answer.json.gz"));
        JsonNode held = readJson(data.resolve("codalab_submission_answer.json.gz"));
        if (refs == null || held == null) {
            fail("val2014 caption files missing under " + data);
        }
        List<String> out = new ArrayList<>(210_000);
        for (Iterator<Map.Entry<String, JsonNode>> it = refs.fields(); it.hasNext(); ) {
            for (JsonNode group : it.next().getValue()) {
                for (JsonNode c : group) {
                    out.add(c.textValue());
                }
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = held.fields(); it.hasNext(); ) {
            out.add(it.next().getValue().textValue());
        }
        return out;
    }
}
