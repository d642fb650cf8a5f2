package org.capeval.jobs.leaderboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.capeval.jobs.DoubleRowsParquet;
import org.capeval.jobs.Storage;
import org.capeval.metrics.MetricSuite;
import org.capeval.metrics.core.ImageStatistics;
import org.capeval.metrics.core.PartialScores;
import org.capeval.metrics.significance.BootstrapSums;
import org.capeval.metrics.significance.SuiteStatistic;

/**
 * The leaderboard's cache of scored submissions, beside the board on its Hadoop file system: per
 * results file, its per-image sufficient statistics and their reductions, keyed by everything that
 * changes them, so a night scores only new or changed files.
 *
 * <pre>
 * LEADERBOARD/_cache/&lt;key&gt;/           key = SHA-256 of (format, signature, SHA-256 of REFS, SHA-256 of the results file)
 *   images.parquet                     one row per image in evaluation order: pos, the suite's statistics s0.., one score per key
 *   bootstrap-&lt;seed&gt;-&lt;samples&gt;.bin      the bootstrap sums of that plan (header, sums, SHA-256 of both)
 *   entry.json                         written last: the key's parts, columns, images.parquet's size and SHA-256,
 *                                      the summed statistics and score-column sums; a second line holds the
 *                                      SHA-256 of the first
 * </pre>
 *
 * <p>An entry is trusted only when {@code entry.json} is whole (its checksum), names the same key,
 * columns and image count, and {@code images.parquet} has the recorded size; a bootstrap file only
 * when its checksum and plan match. {@code entry.json} is written last and whole (a hidden name
 * renamed, or one object-store PUT), so a night killed while writing leaves an entry that is not
 * trusted: it is rescored and rewritten. A missing or damaged bootstrap file of a good entry is
 * recomputed from {@code images.parquet} (after checking its SHA-256 and rows), without rescoring.
 * The reductions are {@link ImageStatistics#reduce}, one fixed order per submission, so the numbers
 * of a reused entry are those of a fresh scoring bit for bit.
 */
public final class StatsCache implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The cache directory's name inside the board. */
    public static final String DIR = "_cache";
    /** Changes whenever the layout or the reductions change: every old entry is then a miss. */
    static final String FORMAT = "capeval-leaderboard-cache/1";
    static final String IMAGES = "images.parquet";
    static final String ENTRY = "entry.json";
    private static final String HIDDEN = ".capeval-";
    private static final byte[] BOOTSTRAP_MAGIC = "capeval-bootstrap-sums/1".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String root;
    private final MetricSuite suite;
    private final String signature;
    private final String refsSha;
    private final int images;
    private final long seed;
    private final int samples;

    /**
     * @param root      the cache directory (a Hadoop URI)
     * @param signature the night's metric signature ({@code Scoring.signature}): metrics, tokenizer, version
     * @param refsSha   SHA-256 of the references file
     * @param images    images of the references
     * @param samples   bootstrap samples (0: none)
     */
    public StatsCache(String root, MetricSuite suite, String signature, String refsSha, int images, long seed, int samples) {
        this.root = root;
        this.suite = suite;
        this.signature = signature;
        this.refsSha = refsSha;
        this.images = images;
        this.seed = seed;
        this.samples = samples;
    }

    /** The key of a results file with this content hash. */
    public String key(String resultsSha) {
        return sha256(String.join("\n", FORMAT, signature, refsSha, resultsSha).getBytes(StandardCharsets.UTF_8));
    }

    /** What a look-up found: reusable state, or why the entry must be (re)scored, or that only its bootstrap is missing. */
    public static final class Found implements Serializable {
        private static final long serialVersionUID = 1L;
        final PartialScores scores;
        final boolean needsBootstrap;
        final String why;

        Found(PartialScores scores, boolean needsBootstrap, String why) {
            this.scores = scores;
            this.needsBootstrap = needsBootstrap;
            this.why = why;
        }

        /** The reusable state (without bootstrap sums when {@link #needsBootstrap()}), or null. */
        public PartialScores scores() { return scores; }

        public boolean needsBootstrap() { return needsBootstrap; }

        /** Why nothing could be reused: null when there was no entry (or it was reused), else what was wrong with it. */
        public String why() { return why; }
    }

    /** Looks up {@code key}; never trusts an entry that fails a check (the result says what failed). */
    public Found find(String key) {
        Path dir = new Path(root, key);
        try {
            FileSystem fs = LeaderboardStore.fileSystem(dir, Storage.hadoopConf());
            Entry e = readEntry(fs, dir, key);
            if (e == null) return new Found(null, false, null);
            BootstrapSums boot = null;
            if (samples > 0) {
                boot = readBootstrap(fs, dir);
                if (boot == null) return new Found(PartialScores.whole(suite, images, e.stats, e.sums, null), true, null);
            }
            return new Found(PartialScores.whole(suite, images, e.stats, e.sums, boot), false, null);
        } catch (IOException | RuntimeException ex) {
            return new Found(null, false, "cache entry " + dir + " not usable: " + LeaderboardStore.oneLine(ex));
        }
    }

    /**
     * Recomputes the bootstrap sums of a good entry from its per-image statistics (checked against
     * the entry) and stores them; null when the statistics fail a check (then the entry is rescored).
     *
     * @param counts {@code BootstrapDraws.counts(0, images)} of this plan
     */
    public PartialScores completeBootstrap(String key, byte[] counts) throws IOException {
        Path dir = new Path(root, key);
        FileSystem fs = LeaderboardStore.fileSystem(dir, Storage.hadoopConf());
        Entry e;
        ImageStatistics st;
        try {
            e = readEntry(fs, dir, key);
            if (e == null) return null;
            st = readImages(fs, dir, e);
        } catch (IOException | RuntimeException ex) {
            return null;
        }
        PartialScores p = st.reduce(suite, counts, samples);
        if (!Arrays.equals(p.stats(), e.stats) || !Arrays.equals(p.columnSums(), e.sums)) return null;
        writeBootstrap(fs, dir, p.bootstrap());
        return p;
    }

    /** Reduces a freshly scored submission's statistics, stores them as entry {@code key}, returns the state. */
    public PartialScores store(String key, ImageStatistics st, byte[] counts) throws IOException {
        if (st.images() != images) throw new IllegalStateException("internal: " + st.images() + " of " + images + " images scored");
        PartialScores p = st.reduce(suite, samples > 0 ? counts : null, samples);
        Path dir = new Path(root, key);
        FileSystem fs = LeaderboardStore.fileSystem(dir, Storage.hadoopConf());
        if (fs.exists(dir)) fs.delete(dir, true); // an entry that was not trusted: replaced whole
        if (!fs.mkdirs(dir)) throw new IOException("cannot create " + dir);
        byte[] parquet = parquet(st);
        try (OutputStream o = fs.create(new Path(dir, IMAGES), true)) {
            o.write(parquet);
        }
        if (samples > 0) writeBootstrap(fs, dir, p.bootstrap());
        ObjectNode body = JSON.createObjectNode();
        body.put("format", FORMAT).put("key", key).put("signature", signature).put("references_sha256", refsSha);
        body.put("images", images);
        ArrayNode cols = body.putArray("columns");
        columns().forEach(cols::add);
        body.putObject(IMAGES).put("bytes", parquet.length).put("sha256", sha256(parquet));
        ArrayNode stats = body.putArray("stats");
        for (double v : p.stats()) stats.add(Double.toHexString(v)); // hexadecimal: exact, NaN included
        ArrayNode sums = body.putArray("column_sums");
        for (double v : p.columnSums()) sums.add(Double.toHexString(v));
        String text = JSON.writeValueAsString(body);
        String entry = text + "\n" + sha256(text.getBytes(StandardCharsets.UTF_8)) + "\n";
        LeaderboardStore.writeWhole(fs, new Path(dir, ENTRY), entry.getBytes(StandardCharsets.UTF_8));
        return p;
    }

    /** Removes every entry but {@code keep} (and what killed runs left): the cache holds what the board shows. */
    public static void retain(FileSystem fs, Path cache, Set<String> keep) throws IOException {
        FileStatus[] all;
        try {
            all = fs.listStatus(cache);
        } catch (FileNotFoundException e) {
            return;
        }
        for (FileStatus s : all) if (!keep.contains(s.getPath().getName())) fs.delete(s.getPath(), true);
    }

    /** The Parquet columns after {@code pos}: the suite's statistics s0.., then the keys. */
    List<String> columns() {
        List<String> c = new ArrayList<>();
        for (int i = 0; i < suite.statsSize(); i++) c.add("s" + i);
        c.addAll(suite.keys());
        return c;
    }

    private record Entry(double[] stats, double[] sums, long bytes, String sha) {}

    /** The entry's summary, or null when there is none; throws when it exists but fails a check. */
    private Entry readEntry(FileSystem fs, Path dir, String key) throws IOException {
        byte[] raw;
        try (InputStream in = fs.open(new Path(dir, ENTRY))) {
            raw = in.readAllBytes();
        } catch (FileNotFoundException e) {
            return null;
        }
        String[] lines = new String(raw, StandardCharsets.UTF_8).split("\n", -1);
        if (lines.length != 3 || !lines[2].isEmpty() || !sha256(lines[0].getBytes(StandardCharsets.UTF_8)).equals(lines[1])) {
            throw new IOException(ENTRY + " is damaged (checksum)");
        }
        JsonNode j = JSON.readTree(lines[0]);
        if (!FORMAT.equals(j.path("format").asText()) || !key.equals(j.path("key").asText())
                || j.path("images").asInt(-1) != images || !columns().equals(texts(j.path("columns")))) {
            throw new IOException(ENTRY + " does not describe this key");
        }
        double[] stats = doubles(j.path("stats"), suite.statsSize());
        double[] sums = doubles(j.path("column_sums"), suite.keys().size());
        long bytes = j.path(IMAGES).path("bytes").asLong(-1);
        long actual = fs.getFileStatus(new Path(dir, IMAGES)).getLen();
        if (actual != bytes) throw new IOException(IMAGES + " has " + actual + " bytes, the entry says " + bytes);
        return new Entry(stats, sums, bytes, j.path(IMAGES).path("sha256").asText());
    }

    private static List<String> texts(JsonNode a) {
        List<String> out = new ArrayList<>();
        a.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static double[] doubles(JsonNode a, int size) throws IOException {
        if (!a.isArray() || a.size() != size) throw new IOException(ENTRY + ": expected " + size + " numbers");
        double[] out = new double[size];
        for (int i = 0; i < size; i++) out[i] = Double.parseDouble(a.get(i).asText());
        return out;
    }

    private String bootstrapName() {
        return "bootstrap-" + seed + "-" + samples + ".bin";
    }

    private void writeBootstrap(FileSystem fs, Path dir, BootstrapSums sums) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.write(BOOTSTRAP_MAGIC);
        out.writeLong(seed);
        out.writeInt(samples);
        out.writeInt(images);
        out.writeInt(sums.dim());
        for (double v : sums.values()) out.writeLong(Double.doubleToRawLongBits(v));
        out.flush();
        byte[] digest = digest().digest(buf.toByteArray());
        out.write(digest);
        out.flush();
        LeaderboardStore.writeWhole(fs, new Path(dir, bootstrapName()), buf.toByteArray());
    }

    /** The plan's sums, or null when the file is missing or fails a check. */
    private BootstrapSums readBootstrap(FileSystem fs, Path dir) {
        int dim = SuiteStatistic.dim(suite);
        MessageDigest md = digest();
        try (DataInputStream in = new DataInputStream(new DigestInputStream(fs.open(new Path(dir, bootstrapName())), md))) {
            byte[] magic = new byte[BOOTSTRAP_MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, BOOTSTRAP_MAGIC) || in.readLong() != seed || in.readInt() != samples || in.readInt() != images
                    || in.readInt() != dim) {
                return null;
            }
            double[] v = new double[samples * dim];
            for (int i = 0; i < v.length; i++) v[i] = Double.longBitsToDouble(in.readLong());
            byte[] expected = md.digest(); // of everything before the stored checksum
            byte[] stored = new byte[expected.length];
            in.readFully(stored);
            if (!Arrays.equals(expected, stored) || in.read() != -1) return null;
            return BootstrapSums.of(samples, dim, v);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private ImageStatistics readImages(FileSystem fs, Path dir, Entry e) throws IOException {
        Path p = new Path(dir, IMAGES);
        byte[] raw;
        try (InputStream in = fs.open(p)) {
            raw = in.readAllBytes();
        }
        if (raw.length != e.bytes || !sha256(raw).equals(e.sha)) throw new IOException(IMAGES + " is damaged (checksum)");
        List<String> cols = columns();
        int width = cols.size();
        double[] values = new double[images * width];
        int rows = 0;
        try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), p).withConf(fs.getConf()).build()) {
            for (Group g; (g = r.read()) != null; rows++) {
                if (rows >= images || g.getInteger("pos", 0) != rows) throw new IOException(IMAGES + ": row " + rows + " out of order");
                for (int c = 0; c < width; c++) values[rows * width + c] = g.getDouble(cols.get(c), 0);
            }
        }
        if (rows != images) throw new IOException(IMAGES + " has " + rows + " rows, expected " + images);
        return new ImageStatistics(suite, values);
    }

    private byte[] parquet(ImageStatistics st) throws IOException {
        List<String> cols = columns();
        Types.MessageTypeBuilder b = Types.buildMessage();
        b.required(PrimitiveTypeName.INT32).named("pos");
        for (String c : cols) b.required(PrimitiveTypeName.DOUBLE).named(c);
        MessageType schema = b.named("image_statistics");
        ByteArrayOutputStream buf = new ByteArrayOutputStream(); // in memory: its checksum is known before it goes to the file system
        double[] v = st.values();
        int width = cols.size();
        try (ParquetWriter<DoubleRowsParquet.Row> w = new DoubleRowsParquet(DoubleRowsParquet.streaming(buf), schema, java.util.Map.of())
                .withCompressionCodec(CompressionCodecName.SNAPPY).withConf(new Configuration()).build()) {
            for (int i = 0; i < st.images(); i++) w.write(new DoubleRowsParquet.Row(i, v, i * width));
        }
        return buf.toByteArray();
    }

    /** SHA-256 of a file's bytes, hexadecimal. */
    public static String sha256(FileSystem fs, Path p) throws IOException {
        MessageDigest md = digest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = fs.open(p)) {
            for (int r; (r = in.read(buf)) > 0; ) md.update(buf, 0, r);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
