package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first local {@code score} run after a build also writes the local JVM's class-data-sharing
 * archive, at its exit ({@code submit.sh}: {@code -XX:ArchiveClassesAtExit}); later runs map it.
 * That dump runs JVM code no other test reaches. On Java 17 it once crashed the JVM after the job
 * had finished (SIGSEGV, exit status 134, an {@code hs_err_pid*.log} in the working directory)
 * because two call sites made identical lambda proxies; the run must end as its job does.
 */
class LocalArchiveIT {
    @TempDir Path work;

    @Test
    void theRunThatWritesTheArchiveEndsAsItsJobDoes() throws Exception {
        Path jsa = Submit.PROJECT.resolve("jobs/target/capeval-local.jsa");
        String refs = Submit.PROJECT.resolve("examples/refs.json").toString();
        String results = Submit.PROJECT.resolve("examples/results.json").toString();
        List<Path> crashFilesBefore = crashFiles();

        // a usage error: its two lines and exit status 2; no archive is kept from a run that failed
        Files.deleteIfExists(jsa);
        Submit.Result bad = Submit.run(work.resolve("bad.log"), Duration.ofMinutes(2), "score", "--refs", refs,
                "--results", results, "--out", work.resolve("bad").toString(), "--partitions", "abc");
        assertEquals(2, bad.exit(), bad.log());
        assertEquals(List.of("submit.sh score: --partitions 'abc' is not an integer", "Try 'submit.sh score --help' for more information."),
                bad.log().lines().filter(l -> !l.startsWith("WARNING: Using incubator modules")).toList());
        assertFalse(Files.exists(jsa), "archive kept from a failed run");

        // a scoring run: exit status 0, its output, and the archive in place
        Path first = work.resolve("first");
        Submit.Result ok = Submit.runOk(work.resolve("first.log"), Duration.ofMinutes(2), "score", "--refs", refs,
                "--results", results, "--out", first.toString());
        assertTrue(ok.log().contains("by the local engine"), ok.log());
        assertFalse(ok.log().contains("fatal error"), ok.log());
        assertTrue(Files.size(jsa) > 1 << 20, "archive of " + Files.size(jsa) + " bytes");

        // the next run maps it and gives the same scores
        Path second = work.resolve("second");
        Submit.runOk(work.resolve("second.log"), Duration.ofMinutes(2), "score", "--refs", refs,
                "--results", results, "--out", second.toString());
        assertEquals(Submit.eval(first), Submit.eval(second));
        assertEquals(crashFilesBefore, crashFiles(), "a JVM crashed and left its report in " + Path.of("").toAbsolutePath());
    }

    /** The JVM's crash reports in the working directory the runs inherit. */
    private static List<Path> crashFiles() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("").toAbsolutePath())) {
            return files.filter(p -> p.getFileName().toString().startsWith("hs_err_pid")).sorted().toList();
        }
    }
}
