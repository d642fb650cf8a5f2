package org.capeval.jobs.gen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.capeval.jobs.cli.CliTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code submit.sh generate} as the launcher runs it, on real files: bad output paths, an existing or
 * overlapping output, absurd sizes and a full disk end in one line with exit status 2 (1 for the
 * full disk), and leave the directory as it was.
 */
class GenerateCommandTest {
    @TempDir Path dir;

    /** The generate job run as the launcher runs it (CliTest's runner). */
    static CliTest.Run run(String... args) {
        return CliTest.run(Stream.concat(Stream.of("generate"), Stream.of(args)).toArray(String[]::new));
    }

    /** Every file and directory under {@code root}: relative path to content (directories: empty). */
    static Map<String, String> tree(Path root) throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                m.put(root.relativize(p).toString(), Files.isRegularFile(p) ? Files.readString(p) : "");
            }
        }
        return m;
    }

    /** One line {@code capeval generate: error: ...} containing {@code parts}, exit status 2, nothing written. */
    void assertBadInput(Map<String, String> before, CliTest.Run r, String... parts) throws IOException {
        assertEquals(2, r.status(), r.errLines().toString());
        assertEquals(1, r.errLines().size(), r.errLines().toString());
        String line = r.errLines().get(0);
        assertTrue(line.startsWith("capeval generate: error: "), line);
        for (String p : parts) {
            assertTrue(line.contains(p), line + " should contain " + p);
        }
        assertEquals(before, tree(dir), "nothing written, nothing changed");
    }

    @Test
    void writesBothFiles() throws IOException {
        Path refs = dir.resolve("new/sub/r.json");
        Path results = dir.resolve("c.json.gz");
        CliTest.Run r = run("--images", "7", "--refs", refs.toString(), "--results", results.toString(), "--seed", "3");
        assertEquals(0, r.status(), r.errLines().toString());
        assertTrue(r.errLines().get(0).startsWith("generate: 7 images x 5 references"), r.errLines().toString());
        Path expectRefs = dir.resolve("expected-r.json");
        Path expectResults = dir.resolve("expected-c.json.gz");
        new CaptionGenerator(3).write(7, 5, expectRefs, expectResults);
        assertArrayEquals(Files.readAllBytes(expectRefs), Files.readAllBytes(refs));
        assertArrayEquals(Files.readAllBytes(expectResults), Files.readAllBytes(results));
        try (Stream<Path> all = Files.walk(dir)) {
            assertEquals(List.of(), all.filter(p -> p.getFileName().toString().contains("capeval-tmp")).toList(), "no temporary file left");
        }
    }

    @Test
    void aDirectoryOrAParentThatIsAFileIsBadInput() throws IOException {
        Files.writeString(dir.resolve("file"), "not a directory");
        Files.createDirectory(dir.resolve("d"));
        Map<String, String> before = tree(dir);
        String refs = dir.resolve("r.json").toString();
        assertBadInput(before, run("--images", "3", "--refs", dir.resolve("d").toString(), "--results", refs),
                "--refs " + dir.resolve("d") + ": is a directory");
        assertBadInput(before, run("--images", "3", "--refs", refs, "--results", dir.resolve("file/s.json").toString()),
                "--results " + dir.resolve("file/s.json") + ": cannot create its directory " + dir.resolve("file") + ": not a directory");
        // a missing parent that cannot be created: what it had created for --refs is removed again
        assertBadInput(before, run("--images", "3", "--refs", dir.resolve("x/y/r.json").toString(), "--results",
                dir.resolve("file/z/s.json").toString()), "--results " + dir.resolve("file/z/s.json"));
    }

    @Test
    void aDeviceIsNeverReplaced() throws IOException {
        assumeTrue(Files.exists(Path.of("/dev/null")));
        Map<String, String> before = tree(dir);
        assertBadInput(before, run("--images", "3", "--refs", "/dev/null", "--results", dir.resolve("s.json").toString(), "--overwrite"),
                "--refs /dev/null: not a regular file");
    }

    @Test
    void anUnwritableDirectoryIsBadInput() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        if (!"root".equals(System.getProperty("user.name"))) {
            Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
            try {
                Map<String, String> before = tree(dir);
                assertBadInput(before, run("--images", "3", "--refs", dir.resolve("r.json").toString(), "--results",
                        ro.resolve("s.json").toString()), "--results " + ro.resolve("s.json"), "permission denied");
            } finally {
                Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            return;
        }
        // root writes into a read-only directory: a read-only file system, mounted by the test, refuses it
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", ro.toString()).redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes()).trim();
        assumeTrue(mount.waitFor() == 0, () -> "skipped: cannot mount a read-only tmpfs as root: " + said);
        try {
            Map<String, String> before = tree(dir);
            assertBadInput(before, run("--images", "3", "--refs", dir.resolve("r.json").toString(), "--results",
                    ro.resolve("s.json").toString()), "--results " + ro.resolve("s.json"), "Read-only file system");
        } finally {
            Process umount = new ProcessBuilder("umount", ro.toString()).redirectErrorStream(true).start();
            umount.getInputStream().readAllBytes();
            assertEquals(0, umount.waitFor(), "umount " + ro);
        }
    }

    @Test
    void theSamePathTwiceIsBadInput() throws IOException {
        Map<String, String> before = tree(dir);
        String same = dir.resolve("x.json").toString();
        assertBadInput(before, run("--images", "3", "--refs", same, "--results", dir.resolve(".").resolve("x.json").toString()),
                "overlaps --refs " + same);
        Files.writeString(dir.resolve("x.json"), "kept");
        Files.createSymbolicLink(dir.resolve("link.json"), dir.resolve("x.json"));
        before = tree(dir);
        assertBadInput(before, run("--images", "3", "--refs", same, "--results", dir.resolve("link.json").toString(), "--overwrite"),
                "overlaps --refs " + same);
    }

    @Test
    void anExistingOutputIsKeptUnlessOverwrite() throws IOException {
        Path refs = Files.writeString(dir.resolve("r.json"), "old refs");
        Path results = Files.writeString(dir.resolve("c.json"), "old results");
        Files.setPosixFilePermissions(results, PosixFilePermissions.fromString("r--r--r--"));
        Map<String, String> before = tree(dir);
        assertBadInput(before, run("--images", "3", "--refs", refs.toString(), "--results", dir.resolve("new.json").toString()),
                "--refs " + refs + " already exists (use --overwrite to replace it)");
        assertBadInput(before, run("--images", "3", "--refs", dir.resolve("new.json").toString(), "--results", results.toString()),
                "--results " + results + " already exists (use --overwrite to replace it)");

        CliTest.Run r = run("--images", "3", "--refs", refs.toString(), "--results", results.toString(), "--overwrite");
        assertEquals(0, r.status(), r.errLines().toString());
        assertTrue(Files.readString(refs).startsWith("{\"info\""));
        assertTrue(Files.readString(results).startsWith("["));
    }

    @Test
    void anAbsurdNumberOfImagesIsAUsageError() throws IOException {
        Map<String, String> before = tree(dir);
        CliTest.Run r = run("--images", "99999999999", "--refs", dir.resolve("r.json").toString(), "--results", dir.resolve("c.json").toString());
        assertEquals(2, r.status());
        assertEquals(List.of("submit.sh generate: --images must be between 1 and " + Integer.MAX_VALUE + ", got 99999999999",
                "Try 'submit.sh generate --help' for more information."), r.errLines());
        assertEquals(before, tree(dir));
    }

    @Test
    void helpListsTheExitStatusesAndOverwrite() {
        CliTest.Run r = run("--help");
        assertEquals(0, r.status());
        String help = r.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("Exit status: 0 done, 2 bad input"), help);
        assertTrue(help.contains("1 any other failure"), help);
        assertTrue(help.contains("--overwrite"), help);
    }

    /**
     * A full disk while writing: a 256 KB tmpfs mounted by the test (as root; skipped elsewhere).
     * One line naming the output and the file system's words, exit status 1, nothing left behind.
     */
    @Test
    void aFullDiskFailsInOneLineLeavingNothing() throws Exception {
        Path disk = Files.createDirectory(dir.resolve("disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", disk.toString()).redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes()).trim();
        assumeTrue(mount.waitFor() == 0, () -> "skipped: cannot mount a tmpfs (needs root or CAP_SYS_ADMIN): " + said);
        try {
            // new directories for both outputs, sharing a new parent: all of them are removed again
            Path refs = disk.resolve("a/b/r.json");
            CliTest.Run r = run("--images", "20000", "--refs", refs.toString(), "--results", disk.resolve("a/c/s.json").toString());
            assertEquals(1, r.status(), r.errLines().toString());
            assertEquals(1, r.errLines().size(), r.errLines().toString());
            String line = r.errLines().get(0);
            // whichever file the disk fills under is named (the larger, --refs, as a rule)
            assertTrue(line.startsWith("capeval generate: failed: ") && line.contains(disk + "/")
                    && line.contains(": writing failed: No space left on device"), line);
            // the stack-trace file the line names holds the failure (and is removed: it is in java.io.tmpdir)
            int at = line.indexOf("(stack trace: ");
            assertTrue(at >= 0, line);
            Path trace = Path.of(line.substring(at + "(stack trace: ".length(), line.indexOf(';', at)));
            try {
                assertTrue(Files.readString(trace).contains("No space left on device"), trace::toString);
            } finally {
                Files.deleteIfExists(trace);
            }
            try (Stream<Path> left = Files.list(disk)) {
                assertEquals(List.of(), left.toList(), "no output, no temporary file, no directory left");
            }
        } finally {
            Process umount = new ProcessBuilder("umount", disk.toString()).redirectErrorStream(true).start();
            umount.getInputStream().readAllBytes();
            assertEquals(0, umount.waitFor(), "umount " + disk);
        }
    }
}
