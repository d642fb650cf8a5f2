package org.capeval.metrics.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * A seeded fuzz test of the COCO readers ({@link CocoJson} through {@link CocoReferences}
 * and {@link CocoResults}), bounded in time. Valid annotation and results files, plain and gzip,
 * are damaged by random truncations, byte flips, byte deletions and insertions, and type swaps of
 * their fields ({@code "caption": 5}, {@code "image_id": "3"}, {@code "images": {}} ...). Every
 * case must end, within its time, in one of two outcomes:
 *
 * <ul>
 *   <li><b>a valid result</b>: the records equal those an independent reading of the same bytes
 *       finds (Jackson's tree model, the COCO rules applied to it); or</li>
 *   <li><b>a clear error</b>: a {@link CocoFormatException} whose message starts with the file
 *       name and names the record ({@code results[12]}, {@code annotations[3]}, {@code images[0]})
 *       whenever it has one.</li>
 * </ul>
 * Any other exception or error (NullPointerException, OutOfMemoryError, StackOverflowError, an
 * I/O exception for bytes in memory) fails the test. The counts are printed; README's Reliability
 * section records them.
 */
class CocoReaderFuzzTest {
    /** Wall-clock budget of each fuzz loop: cases are tried until it is spent or {@link #MAX_CASES} are done. */
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("capeval.fuzz.seconds", 3));
    private static final int MAX_CASES = Integer.getInteger("capeval.fuzz.cases", 20_000);
    private static final long SEED = Long.getLong("capeval.fuzz.seed", 18);
    private static final ObjectMapper TREE = new ObjectMapper();
    private static final Pattern RECORD = Pattern.compile("(images|annotations|results)\\[\\d+]");

    enum Mutation { TRUNCATE, FLIP, DELETE, INSERT, TYPE_SWAP, GZIP_TRUNCATE, GZIP_FLIP }

    enum Outcome { VALID, REJECTED }

    /** A reading: image ids (annotation file only) and (image id, caption) records. */
    record Read(List<Long> images, List<Map.Entry<Long, String>> records) {}

    @Test
    void annotationFilesNeverCrashHangOrMisread() {
        fuzz("refs.json", true, annotations(new Random(SEED)));
    }

    @Test
    void resultsFilesNeverCrashHangOrMisread() {
        fuzz("results.json", false, results(new Random(SEED + 1)));
    }

    private void fuzz(String name, boolean annotations, String valid) {
        byte[] plain = valid.getBytes(StandardCharsets.UTF_8);
        byte[] gz = gzip(plain);
        Random rnd = new Random(SEED ^ name.hashCode());
        Map<String, Integer> counts = new TreeMap<>();
        long end = System.nanoTime() + BUDGET.toNanos();
        int[] cases = {0};
        assertTimeoutPreemptively(BUDGET.plusSeconds(30), () -> {
            while (cases[0] < MAX_CASES && System.nanoTime() < end) {
                Mutation m = Mutation.values()[rnd.nextInt(Mutation.values().length)];
                byte[] input = mutate(m, plain, gz, valid, rnd);
                String file = name + (m == Mutation.GZIP_TRUNCATE || m == Mutation.GZIP_FLIP ? ".gz" : "");
                long t0 = System.nanoTime();
                Outcome o = check(file, annotations, input, m, cases[0]);
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(ms < 2000, "case " + cases[0] + " (" + m + ") took " + ms + " ms");
                counts.merge(m + " " + o, 1, Integer::sum);
                cases[0]++;
            }
        }, () -> "a case hung; counts so far " + counts);
        int valid0 = counts.entrySet().stream().filter(e -> e.getKey().endsWith("VALID")).mapToInt(Map.Entry::getValue).sum();
        System.out.printf("CocoReaderFuzzTest %s: %d cases (seed %d, %s budget): %d valid results, %d clear errors; %s%n", name, cases[0],
                SEED, BUDGET, valid0, cases[0] - valid0, counts);
        assertTrue(cases[0] >= 200, "too few cases in the budget: " + cases[0]);
    }

    /** Reads the damaged bytes; fails the test unless the outcome is a valid result or a clear error. */
    private static Outcome check(String file, boolean annotations, byte[] input, Mutation m, int index) {
        Read ours;
        try {
            ours = read(file, annotations, input);
        } catch (CocoFormatException e) {
            String msg = e.getMessage();
            if (!msg.startsWith(file + ": ")) {
                fail("case " + index + " (" + m + "): the message does not start with the file name: " + msg);
            }
            if (e.record() != null && !RECORD.matcher(e.record()).matches()) {
                fail("case " + index + " (" + m + "): record '" + e.record() + "' is not a record name: " + msg);
            }
            if (msg.contains("\n") && !msg.contains("malformed JSON") && !msg.contains("must be")) {
                fail("case " + index + " (" + m + "): a line break in " + msg);
            }
            return Outcome.REJECTED;
        } catch (Throwable t) {
            throw new AssertionError("case " + index + " (" + m + "): not a clear error but " + t + "\ninput: "
                    + new String(input, 0, Math.min(input.length, 400), StandardCharsets.ISO_8859_1), t);
        }
        Read expected = oracle(annotations, input);
        if (expected == null) {
            fail("case " + index + " (" + m + "): accepted, but the bytes are not a valid COCO file: "
                    + new String(input, StandardCharsets.ISO_8859_1));
        }
        assertEquals(expected, ours, "case " + index + " (" + m + "): a different reading");
        return Outcome.VALID;
    }

    private static Read read(String file, boolean annotations, byte[] input) throws IOException {
        InputStream in = CocoJson.maybeGunzip(new ByteArrayInputStream(input));
        List<Long> images = new ArrayList<>();
        List<Map.Entry<Long, String>> records = new ArrayList<>();
        if (annotations) {
            CocoJson.readAnnotations(in, file, new CocoJson.AnnotationVisitor() {
                @Override
                public void image(long i, long id) {
                    images.add(id);
                }

                @Override
                public void annotation(long i, long id, String caption) {
                    records.add(Map.entry(id, caption));
                }
            });
        } else {
            CocoJson.readResults(in, file, (i, id, caption) -> records.add(Map.entry(id, caption)));
        }
        return new Read(images, records);
    }

    /** The same bytes read by Jackson's tree model with COCO's rules; null when they are not a valid file. */
    private static Read oracle(boolean annotations, byte[] input) {
        JsonNode root;
        try {
            byte[] text = input;
            if (input.length >= 2 && (input[0] & 0xff) == 0x1f && (input[1] & 0xff) == 0x8b) {
                try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(input))) {
                    text = z.readAllBytes();
                }
            }
            root = TREE.readTree(text);
        } catch (IOException e) {
            return null;
        }
        List<Long> images = new ArrayList<>();
        List<Map.Entry<Long, String>> records = new ArrayList<>();
        if (annotations) {
            if (root == null || !root.isObject() || !root.has("images") || !root.has("annotations")) return null;
            JsonNode im = root.get("images");
            if (!im.isArray()) return null;
            for (JsonNode o : im) {
                Long id = o.isObject() ? id(o.get("id")) : null;
                if (id == null) return null;
                images.add(id);
            }
            if (!captions(root.get("annotations"), records)) return null;
        } else {
            if (root == null || !captions(root, records)) return null;
            if (records.isEmpty() && !root.isArray()) return null;
        }
        return new Read(images, records);
    }

    private static boolean captions(JsonNode array, List<Map.Entry<Long, String>> out) {
        if (!array.isArray()) return false;
        for (JsonNode o : array) {
            if (!o.isObject()) return false;
            Long id = id(o.get("image_id"));
            JsonNode c = o.get("caption");
            if (id == null || c == null || !c.isTextual()) return false;
            out.add(Map.entry(id, c.textValue()));
        }
        return true;
    }

    /** An integer, or an integral float below 2^53 (Python's 42.0 == 42); else null. */
    private static Long id(JsonNode n) {
        if (n == null) return null;
        if (n.isIntegralNumber()) return n.canConvertToLong() ? n.longValue() : null;
        if (n.isFloatingPointNumber()) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 0x1p53 ? (long) d : null;
        }
        return null;
    }

    // --- inputs and mutations ---

    private static final String[] WORDS = {"a", "man", "riding", "wave", "on", "top", "of", "surfboard", "dog", "café",
        "naïve", "日本", "😀", "\\\"quoted\\\"", "back\\\\slash", "tab\\t", "new\\nline", "\\u00e9", "K.", "St."};

    private static String caption(Random r) {
        StringBuilder b = new StringBuilder();
        int n = 1 + r.nextInt(9);
        for (int i = 0; i < n; i++) b.append(i == 0 ? "" : " ").append(WORDS[r.nextInt(WORDS.length)]);
        return b.toString();
    }

    static String annotations(Random r) {
        StringBuilder b = new StringBuilder("{\"info\": {\"year\": 2014, \"v\": [1, 2.5, null, true]}, \"images\": [");
        int images = 12;
        for (int i = 0; i < images; i++) {
            b.append(i == 0 ? "" : ", ").append("{\"id\": ").append(100 + i).append(i % 4 == 0 ? ".0" : "")
                    .append(", \"file_name\": \"COCO_").append(i).append(".jpg\"}");
        }
        b.append("],\n \"annotations\": [");
        for (int i = 0; i < images * 3; i++) {
            b.append(i == 0 ? "" : ",\n  ").append("{\"image_id\": ").append(100 + i % images).append(", \"id\": ").append(i)
                    .append(", \"caption\": \"").append(caption(r)).append("\"}");
        }
        return b.append("], \"licenses\": []}\n").toString();
    }

    static String results(Random r) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 24; i++) {
            b.append(i == 0 ? "" : ",\n ").append("{\"image_id\": ").append(100 + i).append(", \"caption\": \"").append(caption(r))
                    .append("\", \"score\": ").append(i * 0.5).append("}");
        }
        return b.append("]").toString();
    }

    /** Values of another type for a type swap. */
    private static final String[] OTHER_VALUES = {"5", "-1", "3.5", "1e400", "99999999999999999999999", "\"3\"", "\"\"", "null", "true",
        "[]", "[1]", "{}", "{\"caption\": \"x\"}", "\"\\ud800\"", "[[[[[[[[]]]]]]]]"};
    private static final Pattern VALUE = Pattern.compile("\"(id|image_id|caption|images|annotations)\": ?(\"(?:[^\"\\\\]|\\\\.)*\"|[-0-9.e]+|\\[|\\{)");

    private static byte[] mutate(Mutation m, byte[] plain, byte[] gz, String text, Random r) {
        switch (m) {
            case TRUNCATE -> {
                return java.util.Arrays.copyOf(plain, r.nextInt(plain.length));
            }
            case FLIP -> {
                byte[] b = plain.clone();
                for (int k = 1 + r.nextInt(4); k > 0; k--) {
                    int i = r.nextInt(b.length);
                    b[i] = r.nextBoolean() ? (byte) (b[i] ^ (1 << r.nextInt(8))) : (byte) r.nextInt(256);
                }
                return b;
            }
            case DELETE -> {
                int i = r.nextInt(plain.length), n = 1 + r.nextInt(Math.min(8, plain.length - i));
                byte[] b = new byte[plain.length - n];
                System.arraycopy(plain, 0, b, 0, i);
                System.arraycopy(plain, i + n, b, i, plain.length - i - n);
                return b;
            }
            case INSERT -> {
                byte[] ins = switch (r.nextInt(4)) {
                    case 0 -> new byte[] {0};
                    case 1 -> "\"".getBytes(StandardCharsets.UTF_8);
                    case 2 -> new byte[] {(byte) 0xC3, (byte) 0x28}; // invalid UTF-8
                    default -> ",{}]}".getBytes(StandardCharsets.UTF_8);
                };
                int i = r.nextInt(plain.length + 1);
                byte[] b = new byte[plain.length + ins.length];
                System.arraycopy(plain, 0, b, 0, i);
                System.arraycopy(ins, 0, b, i, ins.length);
                System.arraycopy(plain, i, b, i + ins.length, plain.length - i);
                return b;
            }
            case TYPE_SWAP -> {
                Matcher mt = VALUE.matcher(text);
                List<int[]> spans = new ArrayList<>();
                while (mt.find()) spans.add(new int[] {mt.start(2), mt.end(2)});
                int[] s = spans.get(r.nextInt(spans.size()));
                String value = text.substring(s[0], s[1]);
                String swapped;
                if (value.equals("[") || value.equals("{")) {
                    int close = matching(text, s[0]); // the whole array or object becomes another value
                    swapped = text.substring(0, s[0]) + OTHER_VALUES[r.nextInt(OTHER_VALUES.length)] + text.substring(close + 1);
                } else {
                    swapped = text.substring(0, s[0]) + OTHER_VALUES[r.nextInt(OTHER_VALUES.length)] + text.substring(s[1]);
                }
                byte[] b = swapped.getBytes(StandardCharsets.UTF_8);
                return r.nextInt(4) == 0 ? gzip(b) : b;
            }
            case GZIP_TRUNCATE -> {
                return java.util.Arrays.copyOf(gz, r.nextInt(gz.length));
            }
            default -> { // GZIP_FLIP
                byte[] b = gz.clone();
                for (int k = 1 + r.nextInt(3); k > 0; k--) {
                    int i = r.nextInt(b.length);
                    b[i] = (byte) (b[i] ^ (1 << r.nextInt(8)));
                }
                return b;
            }
        }
    }

    /** The index of the bracket closing the one at {@code open} (the generated files have no brackets in strings' way: skipped). */
    private static int matching(String s, int open) {
        int depth = 0;
        boolean inString = false;
        for (int i = open; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"') inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '[' || c == '{') {
                depth++;
            } else if ((c == ']' || c == '}') && --depth == 0) {
                return i;
            }
        }
        return s.length() - 1;
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }
}
