package org.capeval.autograd;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Differential conformance against PyTorch: every case of
 * {@code ../shared/cases/autograd/public-cases.json} (or the file named by
 * {@code -Dcapeval.autograd.cases=FILE}), one dynamic test per case id. The same runner also
 * replays our own hand-written cases in src/test/resources, which need no ../shared.
 */
class ConformanceTest {
    /** grad_fn names differing from torch's: informational (the format says so), printed once at the end. */
    private static final List<String> GRAD_FN_NOTES = java.util.Collections.synchronizedList(new ArrayList<>());

    @org.junit.jupiter.api.AfterAll
    static void reportGradFnNames() {
        if (GRAD_FN_NOTES.isEmpty()) return;
        System.out.println("[autograd conformance] " + GRAD_FN_NOTES.size() + " grad_fn names differ from torch's (informational):");
        GRAD_FN_NOTES.stream().limit(20).forEach(n -> System.out.println("  " + n));
    }

    private static Stream<DynamicTest> cases(JsonNode root, String source) {
        if (!"autograd-oracle-cases".equals(root.path("format").asText())) {
            fail(source + ": format is '" + root.path("format").asText() + "', expected 'autograd-oracle-cases'");
        }
        JsonNode tol = root.path("default_tolerance");
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            String id = c.get("id").asText();
            tests.add(DynamicTest.dynamicTest(id, () -> {
                CaseRunner runner = new CaseRunner(c, tol.isMissingNode() ? c.get("tolerance") : tol);
                try {
                    runner.run();
                } finally {
                    GRAD_FN_NOTES.addAll(runner.gradFnMismatches());
                }
            }));
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> torchCases() throws IOException {
        String explicit = System.getProperty("capeval.autograd.cases");
        File file;
        if (explicit != null && !explicit.isBlank()) {
            file = new File(explicit);
            if (!file.isFile()) fail("capeval.autograd.cases=" + explicit + " is not a readable file");
        } else {
            String shared = System.getProperty("capeval.shared", "../shared");
            file = new File(shared, "cases/autograd/public-cases.json");
            if (!file.isFile()) {
                String msg = "PyTorch conformance cases not found at " + file.getAbsolutePath() + " (../shared is absent)";
                if ("1".equals(System.getenv("CAPEVAL_REQUIRE_SHARED"))) fail(msg + " and CAPEVAL_REQUIRE_SHARED=1");
                // a dynamic test that aborts, so the skip and its reason show in the test report
                return Stream.of(DynamicTest.dynamicTest("public-cases.json", () -> Assumptions.abort(msg + "; skipping")));
            }
        }
        return cases(new ObjectMapper().readTree(file), file.getPath());
    }

    /** torch.optim.LBFGS's iterates, closure losses and state (autograd/tools/torch_lbfgs_cases.py); needs no ../shared. */
    @TestFactory
    Stream<DynamicTest> lbfgsCases() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/autograd/lbfgs-cases.json")) {
            assertTrue(in != null, "lbfgs-cases.json missing from test resources");
            return cases(new ObjectMapper().readTree(in), "lbfgs-cases.json");
        }
    }

    /** Views sharing storage, writes through them, their gradients and errors (autograd/tools/torch_view_cases.py); needs no ../shared. */
    @TestFactory
    Stream<DynamicTest> viewCases() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/autograd/view-cases.json")) {
            assertTrue(in != null, "view-cases.json missing from test resources");
            return cases(new ObjectMapper().readTree(in), "view-cases.json");
        }
    }

    /** Float32 arithmetic, sums, functions and losses with their gradients (autograd/tools/torch_float32_cases.py), each case at its own tolerance. */
    @TestFactory
    Stream<DynamicTest> float32Cases() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/autograd/float32-cases.json")) {
            assertTrue(in != null, "float32-cases.json missing from test resources");
            return cases(new ObjectMapper().readTree(in), "float32-cases.json");
        }
    }

    @TestFactory
    Stream<DynamicTest> handWrittenCases() throws IOException {
        try (InputStream in = getClass().getResourceAsStream("/autograd/hand-cases.json")) {
            assertTrue(in != null, "hand-cases.json missing from test resources");
            return cases(new ObjectMapper().readTree(in), "hand-cases.json");
        }
    }
}
