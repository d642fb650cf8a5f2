package org.capeval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Progress lines with a 50 ms interval into a captured sink: their text, counts and timing. */
class ProgressTest {
    private static final long INTERVAL = TimeUnit.MILLISECONDS.toNanos(50);
    private static final Pattern PERIODIC = Pattern.compile(
            "capeval: scoring: ([0-9,]+) / 400 images \\((\\d+)%\\) after [0-9,]+(?:\\.\\d)? s, [0-9.,]+ images/s");

    @Test
    void linesCarryTheCountTotalPercentageAndRate() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Progress.Phase p = Progress.start("scoring", "images", 400, INTERVAL, lines::add);
        p.add(100);
        p.add(20);
        // ticks before the adds may show 0; the first line showing 120 must come within a few intervals
        String line = awaitLine(lines, "120 / 400");
        Matcher m = PERIODIC.matcher(line);
        assertTrue(m.matches(), line);
        assertEquals("30", m.group(2));

        // 4 threads adding at once: LongAdder loses nothing
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            Thread t = new Thread(() -> {
                for (int i = 0; i < 10_000; i++) {
                    p.add(1);
                }
            });
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(40_120, p.count());
        awaitLine(lines, "40,120 / 400 images (10030%)"); // more than the total is shown as it is
        p.close();
        String last = null;
        for (String l; (l = lines.poll()) != null; ) {
            last = l;
        }
        assertTrue(last != null && last.matches("capeval: scoring: done, 40,120 images in [0-9,]+(?:\\.\\d)? s, [0-9.,]+ images/s"),
                String.valueOf(last));
        p.close(); // idempotent: no second closing line
        assertNull(lines.poll(4 * 50, TimeUnit.MILLISECONDS), "a line after close()");
    }

    @Test
    void withoutTotalNoPercentage() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (Progress.Phase p = Progress.start("reading", "captions", -1, INTERVAL, lines::add)) {
            p.add(5);
            String line = awaitLine(lines, "reading: 5 ");
            assertTrue(line.matches("capeval: reading: 5 captions after [0-9,]+(?:\\.\\d)? s, [0-9.]+ captions/s"), line);
        }
    }

    @Test
    void shortPhasePrintsNothing() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        try (Progress.Phase p = Progress.start("writing", "rows", 10, TimeUnit.SECONDS.toNanos(10), lines::add)) {
            p.add(10);
        }
        try (Progress.Phase p = Progress.start("off", "rows", 10, 0, lines::add)) { // interval 0: lines off
            p.add(3);
            Thread.sleep(100);
            assertEquals(3, p.count());
        }
        assertNull(lines.poll(100, TimeUnit.MILLISECONDS));
    }

    @Test
    void format() {
        long tenSeconds = TimeUnit.SECONDS.toNanos(10);
        assertEquals("scoring: 120,000 / 400,000 images (30%) after 10 s, 12,000 images/s",
                Progress.format("scoring", "images", 120_000, 400_000, tenSeconds));
        assertEquals("SPICE parsing: 37 captions after 2.5 s, 14.8 captions/s",
                Progress.format("SPICE parsing", "captions", 37, -1, 2_500_000_000L));
        assertEquals("empty: 0 / 0 images after 10 s, 0.0 images/s", Progress.format("empty", "images", 0, 0, tenSeconds));
        assertEquals("scoring: done, 400,000 images in 34 s, 11,765 images/s",
                Progress.formatDone("scoring", "images", 400_000, TimeUnit.SECONDS.toNanos(34)));
    }

    @Test
    void intervalFromSystemProperty() {
        String saved = System.getProperty(Progress.INTERVAL_PROPERTY);
        try {
            System.clearProperty(Progress.INTERVAL_PROPERTY);
            assertEquals(TimeUnit.SECONDS.toNanos(10), Progress.intervalNanos());
            System.setProperty(Progress.INTERVAL_PROPERTY, "0.5");
            assertEquals(TimeUnit.MILLISECONDS.toNanos(500), Progress.intervalNanos());
            System.setProperty(Progress.INTERVAL_PROPERTY, "0");
            assertEquals(0, Progress.intervalNanos());
            for (String bad : new String[] {"ten", "-1", "NaN"}) {
                System.setProperty(Progress.INTERVAL_PROPERTY, bad);
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, Progress::intervalNanos);
                assertTrue(e.getMessage().startsWith("-Dcapeval.progress.interval=" + bad + ": expected seconds"), e.getMessage());
            }
        } finally {
            if (saved == null) {
                System.clearProperty(Progress.INTERVAL_PROPERTY);
            } else {
                System.setProperty(Progress.INTERVAL_PROPERTY, saved);
            }
        }
    }

    /** The first line containing {@code text}, within 5 s; every line before it must be well formed. */
    private static String awaitLine(BlockingQueue<String> lines, String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.contains(text)) {
                return line;
            }
            assertTrue(line == null || line.startsWith("capeval: "), line);
        }
        throw new AssertionError("no progress line with \"" + text + "\" within 5 s");
    }
}
