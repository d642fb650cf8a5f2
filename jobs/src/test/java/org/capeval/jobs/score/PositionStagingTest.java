package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntPredicate;
import org.apache.hadoop.conf.Configuration;
import org.capeval.metrics.core.EvalImage;
import org.capeval.metrics.core.LookAhead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The look-ahead heads the driver keeps while staging equal the heads read back from the staged
 * files (what the engine's former pass over the files computed), and are left unknown exactly when
 * the kept positions cannot tell them.
 */
class PositionStagingTest {
    @TempDir
    Path tmp;

    /** 300 images in 3 partitions of 100 positions; results only for images where {@code hasResult}. */
    private PositionStaging stage(String name, boolean annotationsFirst, IntPredicate hasResult) throws IOException {
        return stage(name, annotationsFirst, hasResult, 3);
    }

    private PositionStaging stage(String name, boolean annotationsFirst, IntPredicate hasResult, int partitions) throws IOException {
        StringBuilder images = new StringBuilder();
        StringBuilder annotations = new StringBuilder();
        StringBuilder results = new StringBuilder("[");
        for (int i = 0; i < 300; i++) {
            long id = 1000 + (i * 7919L) % 300; // ids not in position order
            images.append(i == 0 ? "" : ",").append("{\"id\":").append(id).append('}');
            for (int r = 0; r < 1 + i % 3; r++) { // 1 to 3 references
                annotations.append(annotations.length() == 0 ? "" : ",")
                        .append("{\"image_id\":").append(id).append(",\"caption\":\"Ref ").append(r).append(" of ").append(i).append(" K.\"}");
            }
            if (hasResult.test(i)) {
                results.append(results.length() == 1 ? "" : ",").append("{\"image_id\":").append(id)
                        .append(",\"caption\":\"candidate ").append(i).append("\"}");
            }
        }
        String refs = annotationsFirst
                ? "{\"annotations\":[" + annotations + "],\"images\":[" + images + "]}"
                : "{\"images\":[" + images + "],\"annotations\":[" + annotations + "]}";
        Path refsFile = Files.writeString(tmp.resolve(name + "-refs.json"), refs, StandardCharsets.UTF_8);
        Path resultsFile = Files.writeString(tmp.resolve(name + "-results.json"), results + "]", StandardCharsets.UTF_8);
        return PositionStaging.stage(new Configuration(), refsFile.toString(), resultsFile.toString(),
                new org.apache.hadoop.fs.Path(tmp.resolve(name + "-staging").toUri()), partitions, 1);
    }

    private static void assertHeadFromFile(PositionStaging staged, int p) throws IOException {
        List<EvalImage> images = staged.images(new Configuration(), p);
        LookAhead fromFile = LookAhead.head(images.iterator());
        LookAhead kept = staged.heads.get(p);
        assertNotNull(kept, "partition " + p);
        assertArrayEquals(fromFile.references(), kept.references(), "references of the head of partition " + p);
        assertArrayEquals(fromFile.candidates(), kept.candidates(), "candidates of the head of partition " + p);
        assertEquals(LookAhead.CAPTIONS, kept.candidates().length, "partition " + p + " has enough images for a full head");
    }

    @Test
    void keptHeadsEqualTheStagedFiles() throws IOException {
        for (boolean annotationsFirst : new boolean[] {false, true}) { // references routed directly, or after the images
            PositionStaging all = stage("all" + annotationsFirst, annotationsFirst, i -> true);
            for (int p = 0; p < 3; p++) {
                assertHeadFromFile(all, p);
            }
            // results missing for some of partition 1's first positions: still 8 evaluated among the kept ones
            PositionStaging gaps = stage("gaps" + annotationsFirst, annotationsFirst, i -> i < 100 || i >= 118 || i % 5 == 0);
            for (int p = 0; p < 3; p++) {
                assertHeadFromFile(gaps, p);
            }
        }
    }

    @Test
    void headUnknownWhenTheKeptPositionsHoldTooFewResults() throws IOException {
        // partition 1 = positions 100..199; none of its first HEAD_POSITIONS has a result
        PositionStaging staged = stage("missing", false, i -> i < 100 || i >= 100 + PositionStaging.HEAD_POSITIONS + 5);
        assertHeadFromFile(staged, 0);
        assertNull(staged.heads.get(1), "partition 1's head must come from its file");
        assertHeadFromFile(staged, 2);
    }

    @Test
    void neverMorePartitionsThanImages() throws IOException {
        PositionStaging staged = stage("many", false, i -> true, 100_000); // 300 images
        assertEquals(300, staged.partitions());
        assertEquals(300, staged.images());
        for (int p = 0; p < 300; p += 37) {
            assertEquals(1, staged.images(new Configuration(), p).size(), "partition " + p);
        }
    }

    @Test
    void defaultPartitionsFillEveryWaveOfTasks() {
        assertEquals(2, PositionStaging.defaultPartitions(200, 2));
        assertEquals(6, PositionStaging.defaultPartitions(40_504, 2)); // 5 rounded up
        assertEquals(22, PositionStaging.defaultPartitions(200_000, 2)); // 21 rounded up
        assertEquals(102, PositionStaging.defaultPartitions(1_000_000, 2));
        assertEquals(21, PositionStaging.defaultPartitions(200_000, 1));
        assertEquals(64, PositionStaging.defaultPartitions(200_000, 64)); // never fewer than the cores
        assertEquals(4096, PositionStaging.defaultPartitions(100_000_000, 8)); // capped
        assertEquals(1, PositionStaging.defaultPartitions(0, 0));
    }

    /** The writing thread's failure reaches the caller as the failure, and the thread is gone (no hang, no leak). */
    @Test
    void aWriteFailureOnTheWritingThreadIsThrown() throws IOException {
        Files.writeString(tmp.resolve("blocked-staging"), "a file where the staging directory goes");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> stage("blocked", false, i -> true));
        assertNotNull(e.getMessage());
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            org.junit.jupiter.api.Assertions.assertFalse(t.getName().equals("capeval-staging-writer") && t.isAlive(), "writing thread still alive");
        }
    }
}
