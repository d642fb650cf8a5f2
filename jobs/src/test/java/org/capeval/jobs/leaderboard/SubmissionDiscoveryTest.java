package org.capeval.jobs.leaderboard;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubmissionDiscoveryTest {
    @TempDir Path dir;

    private void meta(String stem, String json) throws Exception {
        Files.writeString(dir.resolve(stem + ".meta.json"), json);
    }

    private void results(String file) throws Exception {
        Files.writeString(dir.resolve(file), "[]");
    }

    @Test
    void namesMustBeOneSafePathComponent() {
        assertNull(SubmissionNames.problem("team-a model v2 (beam=3)"));
        assertNull(SubmissionNames.problem("<img src=x onerror=alert(1)>"));
        assertNull(SubmissionNames.problem("модель 中文"));
        assertNotNull(SubmissionNames.problem(""));
        assertNotNull(SubmissionNames.problem(".."));
        assertNotNull(SubmissionNames.problem("a..b"));
        assertNotNull(SubmissionNames.problem("../../etc/passwd"));
        assertNotNull(SubmissionNames.problem("a/b"));
        assertNotNull(SubmissionNames.problem("a\\b"));
        assertNotNull(SubmissionNames.problem("<script>alert(1)</script>"));
        assertNotNull(SubmissionNames.problem("tab\there"));
        assertNotNull(SubmissionNames.problem("nul\u0000"));
        assertNotNull(SubmissionNames.problem("line\u2028sep"));
        assertNotNull(SubmissionNames.problem("rtl\u202Eoverride"));
        assertNotNull(SubmissionNames.problem(" padded"));
        assertNotNull(SubmissionNames.problem("x".repeat(SubmissionNames.MAX_LENGTH + 1)));
    }

    @Test
    void aDirectoryPairsMetadataWithResultsAndReportsEveryProblem() throws Exception {
        meta("a", "{\"name\":\"alpha\",\"team\":\"A\",\"date\":\"2026-11-20\"}");
        results("a.json");
        meta("b", "{\"name\":\"beta\",\"team\":\"B\",\"date\":\"2026-11-21\"}");
        results("b.json.gz");
        meta("c", "{\"name\":\"../escape\",\"team\":\"C\",\"date\":\"2026-11-21\"}");
        results("c.json");
        meta("d", "{\"name\":\"delta\",\"team\":\"D\",\"date\":\"21/11/2026\"}");
        results("d.json");
        meta("e", "{\"name\":\"echo\", broken");
        results("e.json");
        results("orphan.json");
        meta("f", "{\"name\":\"foxtrot\",\"team\":\"F\",\"date\":\"2026-11-22\"}");
        meta("g1", "{\"name\":\"golf\",\"team\":\"G\",\"date\":\"2026-11-22\"}");
        results("g1.json");
        meta("g2", "{\"name\":\"golf\",\"team\":\"G2\",\"date\":\"2026-11-23\"}");
        results("g2.json");
        meta("h", "{\"name\":\"hotel\",\"team\":\"H\",\"date\":\"2026-11-22\",\"results\":\"sub/h-results.json\"}");
        Files.createDirectories(dir.resolve("sub"));
        Files.writeString(dir.resolve("sub/h-results.json"), "[]");

        List<Submission> subs = SubmissionDiscovery.discover(dir.toString(), new Configuration());
        assertEquals(List.of("../escape", "alpha", "beta", "delta", "e", "foxtrot", "golf", "golf", "hotel", "orphan"),
                subs.stream().map(Submission::name).toList());
        Submission alpha = subs.get(1);
        assertTrue(alpha.valid());
        assertEquals("A", alpha.team());
        assertEquals("2026-11-20", alpha.date());
        assertTrue(alpha.results().endsWith("/a.json"));
        assertTrue(subs.get(2).valid());
        assertTrue(subs.get(2).results().endsWith("/b.json.gz"));
        assertTrue(subs.get(8).valid());
        assertTrue(subs.get(8).results().endsWith("/sub/h-results.json"));
        assertTrue(subs.get(0).error().contains("invalid name: name contains '..'"), subs.get(0).error());
        assertTrue(subs.get(3).error().contains("\"date\" is not a YYYY-MM-DD date"), subs.get(3).error());
        // as every JSON file's syntax error: line and column, none of Jackson's source placeholders
        assertEquals("e.meta.json: malformed JSON at line 1, column 17: Unexpected character ('b' (code 98)): "
                + "was expecting double-quote to start field name", subs.get(4).error());
        assertTrue(subs.get(5).error().contains("no results file f.json or f.json.gz"), subs.get(5).error());
        for (int i : new int[] {6, 7}) {
            assertTrue(subs.get(i).error().contains("duplicate submission name (submitted 2 times"), subs.get(i).error());
        }
        assertTrue(subs.get(9).error().contains("no metadata file orphan.meta.json"), subs.get(9).error());
    }

    @Test
    void aListFileNamesMetadataFilesRelativeToItself() throws Exception {
        meta("a", "{\"name\":\"alpha\",\"team\":\"A\",\"date\":\"2026-11-20\"}");
        results("a.json");
        Path list = dir.resolve("night.txt");
        Files.writeString(list, "# tonight\n\na.meta.json\nmissing.meta.json\na.json\n");
        List<Submission> subs = SubmissionDiscovery.discover(list.toString(), new Configuration());
        assertEquals(3, subs.size());
        assertEquals("a", subs.get(0).name());
        assertTrue(subs.get(0).error().contains("line 5: expected a .meta.json file"), subs.get(0).error());
        assertEquals("alpha", subs.get(1).name());
        assertTrue(subs.get(1).valid());
        assertTrue(subs.get(2).error().contains("line 4: no such file " + dir.resolve("missing.meta.json")), subs.get(2).error());
    }

    @Test
    void aMissingListEntryIsReportedAtThePathTried() throws Exception {
        Path lists = Files.createDirectories(dir.resolve("lists"));
        Path list = lists.resolve("night.txt");
        Files.writeString(list, "# tonight\nsubs/x.meta.json\n");
        Submission s = SubmissionDiscovery.discover(list.toString(), new Configuration()).get(0);
        String tried = lists.resolve("subs/x.meta.json").toString();
        assertEquals(list + " line 2: no such file " + tried + " (subs/x.meta.json relative to the list file's directory)", s.error());
        assertEquals(tried, s.source());
    }

    @Test
    void aFileThatIsNotAListIsBadInputNamingTheOption() throws Exception {
        Path json = dir.resolve("results.json"); // a results file given as --submissions
        Files.writeString(json, "[{\"image_id\":1,\"caption\":\"two men holding a fish.\"}]");
        Exception e = assertThrows(IllegalArgumentException.class, () -> SubmissionDiscovery.discover(json.toString(), new Configuration()));
        assertEquals("--submissions " + json + ": a JSON file, not a list; expected a directory of submissions (<id>.meta.json + "
                + "<id>.json[.gz]) or a list file (one .meta.json path per line)", e.getMessage());

        Path renamed = dir.resolve("tonight.txt"); // the same content under a list's name
        Files.copy(json, renamed);
        e = assertThrows(IllegalArgumentException.class, () -> SubmissionDiscovery.discover(renamed.toString(), new Configuration()));
        assertTrue(e.getMessage().startsWith("--submissions " + renamed + ": a JSON file, not a list (line 1); expected"), e.getMessage());

        Path garbled = dir.resolve("garbled.txt"); // a line Hadoop cannot take as a path
        Files.writeString(garbled, "# list\na:b c:d.meta.json\n");
        e = assertThrows(IllegalArgumentException.class, () -> SubmissionDiscovery.discover(garbled.toString(), new Configuration()));
        assertTrue(e.getMessage().startsWith("--submissions " + garbled + ": line 2 is not a path; expected a directory"), e.getMessage());
        assertFalse(e.getMessage().contains("Exception"), e.getMessage());
    }

    @Test
    void aDirectoryOrListWithoutSubmissionsIsBadInput() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve("README.txt"), "submissions arrive here");
        String expected = "--submissions " + empty + ": no submission in the directory (expected <id>.meta.json with <id>.json[.gz])";
        Exception e = assertThrows(IllegalArgumentException.class, () -> SubmissionDiscovery.discover(empty.toString(), new Configuration()));
        assertEquals(expected, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, // the check before Spark starts, on a local path
                () -> SubmissionDiscovery.inputs(empty.toString(), null, new SubmissionDiscovery.MetadataFiles()));
        assertEquals(expected, e.getMessage());

        Path list = dir.resolve("night.txt");
        Files.writeString(list, "# nothing tonight\n\n");
        e = assertThrows(IllegalArgumentException.class, () -> SubmissionDiscovery.discover(list.toString(), new Configuration()));
        assertEquals("--submissions " + list + ": the list names no .meta.json file (only blank lines and comments)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SubmissionDiscovery.inputs(list.toString(), new Configuration(), new SubmissionDiscovery.MetadataFiles()));
        assertEquals("--submissions " + list + ": the list names no .meta.json file (only blank lines and comments)", e.getMessage());

        Files.writeString(empty.resolve("orphan.json"), "[]"); // results without metadata: a rejected row on the board, not an empty night
        assertTrue(SubmissionDiscovery.inputs(empty.toString(), null, new SubmissionDiscovery.MetadataFiles()).isEmpty());
        List<Submission> subs = SubmissionDiscovery.discover(empty.toString(), new Configuration());
        assertEquals(1, subs.size());
        assertEquals("no metadata file orphan.meta.json for results file orphan.json", subs.get(0).error());
    }

    @Test
    void aMissingLocationIsAnError() {
        Exception e = assertThrows(IllegalArgumentException.class, // bad input: exit status 2
                () -> SubmissionDiscovery.discover(dir.resolve("nope").toString(), new Configuration()));
        assertTrue(e.getMessage().contains("no such file or directory"));
    }
}
