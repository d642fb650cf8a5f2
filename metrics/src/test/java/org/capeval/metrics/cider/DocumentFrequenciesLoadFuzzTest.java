package org.capeval.metrics.cider;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * {@code --idf FILE} given something that is not what {@code --save-idf} wrote. A saved
 * table is damaged at random (seeded, bounded in time): truncated or flipped gzip bytes, and
 * truncated, flipped or overwritten content re-compressed (so the damage gets past gzip's CRC to
 * the table's own sizes and ids). Every case loads a usable table or throws
 * {@link DocumentFrequencies.FormatException} naming the file; never another exception, an
 * out-of-memory allocation from a corrupt size, or a hang.
 */
class DocumentFrequenciesLoadFuzzTest {
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("capeval.fuzz.seconds", 3));
    private static final long SEED = Long.getLong("capeval.fuzz.seed", 18);

    @Test
    void damagedTablesLoadOrFailClearly() throws IOException {
        DocumentFrequencies df = new DocumentFrequencies("refs");
        Random words = new Random(SEED);
        for (int i = 0; i < 40; i++) {
            String[] refs = new String[3];
            for (int k = 0; k < refs.length; k++) {
                StringBuilder b = new StringBuilder();
                for (int w = 0; w < 6; w++) b.append(w == 0 ? "" : " ").append("w").append(words.nextInt(30));
                refs[k] = b.toString();
            }
            df.addReferences(refs);
        }
        ByteArrayOutputStream saved = new ByteArrayOutputStream();
        df.save(saved);
        byte[] gz = saved.toByteArray();
        byte[] raw;
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            raw = in.readAllBytes();
        }
        Random rnd = new Random(SEED + 3);
        Map<String, Integer> counts = new TreeMap<>();
        long end = System.nanoTime() + BUDGET.toNanos();
        int[] cases = {0};
        assertTimeoutPreemptively(BUDGET.plusSeconds(30), () -> {
            while (System.nanoTime() < end) {
                int kind = rnd.nextInt(5);
                byte[] b = switch (kind) {
                    case 0 -> Arrays.copyOf(gz, rnd.nextInt(gz.length));
                    case 1 -> flip(gz, rnd);
                    case 2 -> gzip(Arrays.copyOf(raw, rnd.nextInt(raw.length)));
                    case 3 -> gzip(flip(raw, rnd));
                    default -> { // a 4-byte size or id overwritten with an extreme value
                        byte[] c = raw.clone();
                        int at = rnd.nextInt(c.length - 4);
                        int v = new int[] {-1, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 30, 0}[rnd.nextInt(5)];
                        c[at] = (byte) (v >>> 24);
                        c[at + 1] = (byte) (v >>> 16);
                        c[at + 2] = (byte) (v >>> 8);
                        c[at + 3] = (byte) v;
                        yield gzip(c);
                    }
                };
                String outcome;
                try {
                    DocumentFrequencies loaded = DocumentFrequencies.load(new ByteArrayInputStream(b), "x.idf");
                    loaded.asMap(); // every id resolves to a word
                    outcome = "loaded";
                } catch (DocumentFrequencies.FormatException e) {
                    assertTrue(e.getMessage().startsWith("x.idf: ") && !e.getMessage().contains("\n"), e.getMessage());
                    outcome = "clear error";
                } catch (Throwable t) {
                    throw new AssertionError("damage kind " + kind + ": " + t, t);
                }
                counts.merge(outcome, 1, Integer::sum);
                cases[0]++;
            }
        });
        System.out.printf("DocumentFrequenciesLoadFuzzTest: %d cases (seed %d, %s budget): %s%n", cases[0], SEED, BUDGET, counts);
        assertTrue(cases[0] >= 100, "too few cases: " + cases[0]);
    }

    private static byte[] flip(byte[] b, Random r) {
        byte[] c = b.clone();
        for (int k = 1 + r.nextInt(3); k > 0; k--) {
            int i = r.nextInt(c.length);
            c[i] = (byte) (c[i] ^ (1 << r.nextInt(8)));
        }
        return c;
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }
}
