package org.capeval.metrics;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Locates the shared reference data (system property capeval.shared, set by the parent pom). When
 * it is absent the calling test is skipped, unless CAPEVAL_REQUIRE_SHARED=1 (CI), where it fails.
 */
public final class SharedData {
    private SharedData() {}

    /** The caption cases folder: -Dcapeval.cases=DIR if given, else ../shared/cases/caption. */
    public static Path captionCases() {
        String explicit = System.getProperty("capeval.cases");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!Files.isDirectory(p)) {
                fail("-Dcapeval.cases=" + explicit + " is not a directory");
            }
            return p;
        }
        return require("cases/caption");
    }

    /** A path under the shared folder; skips (or fails under CAPEVAL_REQUIRE_SHARED=1) when absent. */
    public static Path require(String relative) {
        String shared = System.getProperty("capeval.shared");
        Path p = shared == null ? null : Path.of(shared).resolve(relative);
        if (p == null || !Files.exists(p)) {
            String msg = "shared reference data not found (" + (p == null ? "system property capeval.shared unset" : p)
                    + "); these parity tests need ../shared next to the checkout";
            if ("1".equals(System.getenv("CAPEVAL_REQUIRE_SHARED"))) {
                fail(msg + " and CAPEVAL_REQUIRE_SHARED=1");
            }
            Assumptions.abort(msg + " — skipped");
        }
        return p;
    }
}
