package org.capeval.jobs.train;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded fuzz test of train's input checks, bounded in time: the row parsers
 * ({@link RowParser#csv}, {@link RowParser#libsvm}) on damaged lines, and the driver's format
 * sniffing of --data files ({@link DataSources#mismatch}) on damaged Parquet, JSON-lines and CSV
 * bytes. Every case ends in a valid result (a row the model can take: the model's feature count,
 * finite features, a label in range; or "fits the format") or a clear error (a
 * {@link BadInputException} of one line that starts with the record and names the field; a
 * sniffing message) — never another exception, never a hang. Counts are printed; README's
 * Reliability section records them.
 */
class TrainInputFuzzTest {
    private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("capeval.fuzz.seconds", 3));
    private static final long SEED = Long.getLong("capeval.fuzz.seed", 18);

    @TempDir
    Path tmp;

    private static final String[] INSERTS = {",", ":", " ", "  ", "\t", "NaN", "-Infinity", "1e999", "-", "+", "\u0000", "#", "0x1p3",
        "１", "1_000", "\"1\"", "true", "99999999999", "-0", "1:", ":1", "\u00a0", "\r"};

    @Test
    void rowParsersGiveAValidRowOrAClearError() {
        Map<String, Integer> counts = new TreeMap<>();
        Random rnd = new Random(SEED);
        ModelSpec[] specs = {ModelSpec.parse("softmax:3-4"), ModelSpec.parse("logistic:5"), ModelSpec.parse("mlp:4-3-1:mse")};
        long end = System.nanoTime() + BUDGET.toNanos();
        int[] cases = {0};
        assertTimeoutPreemptively(BUDGET.plusSeconds(30), () -> {
            while (System.nanoTime() < end) {
                ModelSpec spec = specs[rnd.nextInt(specs.length)];
                RowParser parser = new RowParser(spec);
                boolean csv = rnd.nextBoolean();
                String line = mutate(validLine(spec, csv, rnd), rnd);
                String where = "data." + (csv ? "csv" : "libsvm") + " (line at byte " + cases[0] + ")";
                String outcome;
                try {
                    RowParser.Row r = csv ? parser.csv(line, where) : parser.libsvm(line, where);
                    if (r == null) {
                        assertTrue(line.strip().isEmpty() || line.strip().startsWith("#"), () -> "skipped a data line: " + line);
                        outcome = "skipped (blank or comment)";
                    } else {
                        assertTrue(r.features().length == spec.numFeatures(), () -> "wrong feature count for " + line);
                        assertTrue(Arrays.stream(r.features()).allMatch(Double::isFinite), () -> "non-finite feature from " + line);
                        assertTrue(spec.checkLabel(r.label()) == null, () -> "bad label from " + line);
                        outcome = "valid row";
                    }
                } catch (BadInputException e) {
                    String m = e.getMessage();
                    if (!m.startsWith(where + ": ") || !m.matches("(?s).*(label|feature|field|features).*")) {
                        fail("unclear error for '" + line + "': " + m);
                    }
                    outcome = "clear error";
                } catch (Throwable t) {
                    throw new AssertionError("'" + line + "' (" + spec + (csv ? " csv" : " libsvm") + "): " + t, t);
                }
                counts.merge(outcome, 1, Integer::sum);
                cases[0]++;
            }
        });
        System.out.printf("TrainInputFuzzTest rows: %d cases (seed %d, %s budget): %s%n", cases[0], SEED, BUDGET, counts);
        assertTrue(cases[0] >= 1000, "too few cases: " + cases[0]);
    }

    @Test
    void formatSniffingNeverFailsOnDamagedFiles() throws IOException {
        FileSystem fs = FileSystem.getLocal(new Configuration());
        Map<String, byte[]> valid = Map.of(
                "parquet", parquetLike(),
                "json", "{\"features\": [1.0, 2.0], \"label\": 1}\n{\"features\": [0.5, 0.1], \"label\": 0}\n".getBytes(StandardCharsets.UTF_8),
                "csv", "1,0.5,0.25\n0,0.1,0.2\n".getBytes(StandardCharsets.UTF_8),
                "libsvm", "1 1:0.5 2:0.25\n0 2:0.2\n".getBytes(StandardCharsets.UTF_8));
        String[] formats = {"parquet", "json", "csv", "libsvm"};
        Map<String, Integer> counts = new TreeMap<>();
        Random rnd = new Random(SEED + 7);
        long end = System.nanoTime() + BUDGET.toNanos();
        int cases = 0;
        Path file = tmp.resolve("data.bin");
        while (System.nanoTime() < end) {
            String source = formats[rnd.nextInt(formats.length)];
            String format = rnd.nextInt(3) == 0 ? formats[rnd.nextInt(formats.length)] : source; // some files of another format
            byte[] b = valid.get(source);
            b = switch (rnd.nextInt(3)) {
                case 0 -> Arrays.copyOf(b, rnd.nextInt(b.length + 1));
                case 1 -> flip(b, rnd);
                default -> b;
            };
            Files.write(file, b);
            String why;
            try {
                why = DataSources.mismatch(fs, fs.getFileStatus(new org.apache.hadoop.fs.Path(file.toUri())), format);
            } catch (Throwable t) {
                throw new AssertionError(format + " sniffing of damaged " + source + " bytes " + Arrays.toString(b) + ": " + t, t);
            }
            if (why != null) {
                assertTrue(!why.isBlank() && !why.contains("\n"), why);
            }
            counts.merge((source.equals(format) ? "same format" : "other format") + ", " + (why == null ? "accepted" : "refused"), 1,
                    Integer::sum);
            cases++;
        }
        System.out.printf("TrainInputFuzzTest files: %d cases (seed %d, %s budget): %s%n", cases, SEED, BUDGET, counts);
        assertTrue(cases >= 100, "too few cases: " + cases);
        Files.write(file, valid.get("parquet"));
        org.apache.hadoop.fs.FileStatus st = fs.getFileStatus(new org.apache.hadoop.fs.Path(file.toUri()));
        assertTrue(DataSources.mismatch(fs, st, "parquet") == null);
        assertTrue(DataSources.mismatch(fs, st, "json").contains("a Parquet file"));
        assertTrue(DataSources.mismatch(fs, st, "csv").contains("a Parquet file"));
    }

    /** The bytes a Parquet sniff looks at: the magic at both ends, anything between. */
    private static byte[] parquetLike() {
        byte[] b = new byte[64];
        new Random(1).nextBytes(b);
        System.arraycopy("PAR1".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 4);
        System.arraycopy("PAR1".getBytes(StandardCharsets.US_ASCII), 0, b, 60, 4);
        return b;
    }

    private static byte[] flip(byte[] b, Random r) {
        byte[] c = b.clone();
        if (c.length > 0) {
            for (int k = 1 + r.nextInt(3); k > 0; k--) {
                int i = r.nextInt(c.length);
                c[i] = (byte) r.nextInt(256);
            }
        }
        return c;
    }

    private static String validLine(ModelSpec spec, boolean csv, Random r) {
        int d = spec.numFeatures();
        String label = spec.isRegression() ? String.valueOf(r.nextGaussian()) : String.valueOf(r.nextInt(spec.numClasses()));
        StringBuilder b = new StringBuilder(label);
        for (int j = 0; j < d; j++) {
            double v = r.nextInt(5) == 0 ? 0 : r.nextGaussian() * 10;
            if (csv) {
                b.append(r.nextInt(4) == 0 ? ", " : ",").append(v);
            } else if (v != 0) {
                b.append(' ').append(j + 1).append(':').append(v);
            }
        }
        return b.toString();
    }

    private static String mutate(String line, Random r) {
        switch (r.nextInt(6)) {
            case 0 -> {
                return line.substring(0, r.nextInt(line.length() + 1)); // truncation
            }
            case 1 -> { // a character replaced by any character
                char[] c = line.toCharArray();
                c[r.nextInt(c.length)] = (char) (r.nextBoolean() ? 32 + r.nextInt(95) : r.nextInt(0x3000));
                return new String(c);
            }
            case 2 -> { // deletion
                int i = r.nextInt(line.length()), n = 1 + r.nextInt(Math.min(4, line.length() - i));
                return line.substring(0, i) + line.substring(i + n);
            }
            case 3 -> { // insertion
                int i = r.nextInt(line.length() + 1);
                return line.substring(0, i) + INSERTS[r.nextInt(INSERTS.length)] + line.substring(i);
            }
            case 4 -> { // type swap: one numeric field becomes another kind of value
                String[] parts = line.split("((?<=[ ,:])|(?=[ ,:]))");
                int[] numeric = java.util.stream.IntStream.range(0, parts.length).filter(k -> parts[k].matches("-?[0-9.Ee-]+")).toArray();
                if (numeric.length > 0) {
                    parts[numeric[r.nextInt(numeric.length)]] = INSERTS[r.nextInt(INSERTS.length)];
                }
                return String.join("", parts);
            }
            default -> {
                return line; // unchanged: the valid result must come out
            }
        }
    }
}
