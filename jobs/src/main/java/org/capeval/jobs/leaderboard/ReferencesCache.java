package org.capeval.jobs.leaderboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.capeval.jobs.leaderboard.PartitionScorer.RefImage;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.Signature;

/**
 * The leaderboard's tokenized references, kept beside the statistics cache so a night whose
 * references and tokenizer did not change reads them instead of parsing and tokenizing the
 * annotation file again (on val2014, 162,150 captions: most of a night with few new files).
 *
 * <pre>
 * LEADERBOARD/_cache/refs-&lt;key&gt;/   key = SHA-256 of (format, capeval version, tokenizer signature, SHA-256 of REFS)
 *   part-&lt;i&gt;.bin     the images [lo, hi) of one partition in evaluation order: header (magic, lo, hi), then per image
 *                    its id and tokenized references; the SHA-256 of all that last
 *   refs.json        written last: the key's parts, the image count, each part's range, size and SHA-256;
 *                    a second line holds the SHA-256 of the first
 * </pre>
 *
 * <p>Trusted only when {@code refs.json} is whole (checksum), names this key and image count, its
 * parts cover the positions 0..images-1 contiguously, and every part file has the recorded size and
 * SHA-256 (checked on the driver before any task reads it; a task checks its part's content again
 * as it decodes it). Anything else is a miss: the references are tokenized from REFS and the entry
 * is rewritten. The strings are those tokenization produced, so everything computed from them
 * (document frequencies, scores) is what a night without the cache computes.
 */
public final class ReferencesCache implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Entry directories start with this (statistics entries are bare SHA-256 keys). */
    static final String PREFIX = "refs-";
    static final String FORMAT = "capeval-tokenized-references/1";
    static final String ENTRY = "refs.json";
    private static final byte[] MAGIC = FORMAT.getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String dir;
    private final String key;
    private final String refsSha;

    /**
     * @param cacheRoot the board's cache directory (a Hadoop URI)
     * @param refsSha   SHA-256 of the references file
     */
    public ReferencesCache(String cacheRoot, CaptionTokenizer tokenizer, String refsSha) {
        this.key = StatsCache.sha256(String.join("\n", FORMAT, "capeval:" + Signature.version(), tokenizer.signature(), refsSha)
                .getBytes(StandardCharsets.UTF_8));
        this.dir = new Path(cacheRoot, PREFIX + key).toString();
        this.refsSha = refsSha;
    }

    /** The entry's directory name inside the cache. */
    public String name() {
        return PREFIX + key;
    }

    /** One part file: the images [lo, hi), its size and SHA-256. A plain class, not a record: Spark ships it with Kryo. */
    public static final class Part implements Serializable {
        private static final long serialVersionUID = 1L;
        private final int index;
        private final int lo;
        private final int hi;
        private final long bytes;
        private final String sha;

        Part(int index, int lo, int hi, long bytes, String sha) {
            this.index = index;
            this.lo = lo;
            this.hi = hi;
            this.bytes = bytes;
            this.sha = sha;
        }

        public int index() { return index; }

        public int lo() { return lo; }

        public int hi() { return hi; }

        public long bytes() { return bytes; }

        public String sha() { return sha; }
    }

    /** What a look-up found: the parts (null when absent or not trusted) and why it was not trusted (null if it was, or was absent). */
    public record Found(List<Part> parts, int images, String why) {}

    /** Looks the entry up and checks it whole; never trusts an entry that fails a check. */
    public Found find(Configuration conf) {
        Path d = new Path(dir);
        try {
            FileSystem fs = LeaderboardStore.fileSystem(d, conf);
            byte[] raw;
            try (InputStream in = fs.open(new Path(d, ENTRY))) {
                raw = in.readAllBytes();
            } catch (FileNotFoundException e) {
                return new Found(null, 0, null);
            }
            String[] lines = new String(raw, StandardCharsets.UTF_8).split("\n", -1);
            if (lines.length != 3 || !lines[2].isEmpty() || !StatsCache.sha256(lines[0].getBytes(StandardCharsets.UTF_8)).equals(lines[1])) {
                throw new IOException(ENTRY + " is damaged (checksum)");
            }
            JsonNode j = JSON.readTree(lines[0]);
            int images = j.path("images").asInt(-1);
            if (!FORMAT.equals(j.path("format").asText()) || !key.equals(j.path("key").asText())
                    || !refsSha.equals(j.path("references_sha256").asText()) || images <= 0 || !j.path("parts").isArray()) {
                throw new IOException(ENTRY + " does not describe this key");
            }
            List<Part> parts = new ArrayList<>();
            int at = 0;
            for (JsonNode p : j.path("parts")) {
                Part part = new Part(parts.size(), p.path("lo").asInt(-1), p.path("hi").asInt(-1), p.path("bytes").asLong(-1), p.path("sha256").asText());
                if (part.lo() != at || part.hi() < part.lo()) throw new IOException(ENTRY + ": part " + part.index() + " does not start at image " + at);
                at = part.hi();
                Path file = partPath(part.index());
                byte[] content;
                try (InputStream in = fs.open(file)) {
                    content = in.readAllBytes();
                }
                if (content.length != part.bytes() || !StatsCache.sha256(content).equals(part.sha())) {
                    throw new IOException(file.getName() + " is damaged (size or checksum)");
                }
                parts.add(part);
            }
            if (at != images || parts.isEmpty()) throw new IOException(ENTRY + ": the parts cover " + at + " of " + images + " images");
            return new Found(parts, images, null);
        } catch (IOException | RuntimeException ex) {
            return new Found(null, 0, "tokenized references " + d + " not usable: " + LeaderboardStore.oneLine(ex));
        }
    }

    private Path partPath(int index) {
        return new Path(dir, "part-" + index + ".bin");
    }

    /** Reads one part (in a task); fails when its content is not what the driver checked. */
    public Iterator<RefImage> read(Part part) throws IOException {
        Path file = partPath(part.index());
        FileSystem fs = LeaderboardStore.fileSystem(file, org.capeval.jobs.Storage.hadoopConf());
        byte[] content;
        try (InputStream in = fs.open(file)) {
            content = in.readAllBytes();
        }
        if (content.length != part.bytes() || !StatsCache.sha256(content).equals(part.sha())) {
            throw new IOException(file + ": changed while the night ran (size or checksum)");
        }
        List<RefImage> out = new ArrayList<>(part.hi() - part.lo());
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(content, 0, content.length - 32))) {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC) || in.readInt() != part.lo() || in.readInt() != part.hi()) throw new IOException(file + ": wrong header");
            for (int pos = part.lo(); pos < part.hi(); pos++) {
                long id = in.readLong();
                String[] refs = new String[in.readInt()];
                for (int r = 0; r < refs.length; r++) {
                    byte[] b = new byte[in.readInt()];
                    in.readFully(b);
                    refs[r] = new String(b, StandardCharsets.UTF_8);
                }
                out.add(new RefImage(pos, id, refs));
            }
            if (in.read() != -1) throw new IOException(file + ": data after the last image");
        } catch (EOFException | NegativeArraySizeException e) {
            throw new IOException(file + ": truncated", e);
        }
        return out.iterator();
    }

    /** Writes one partition's tokenized images (positions [lo, hi), in order) as part {@code index} (in a task). */
    public Part write(int index, int lo, int hi, Iterator<RefImage> images) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(buf);
        out.write(MAGIC);
        out.writeInt(lo);
        out.writeInt(hi);
        int pos = lo;
        while (images.hasNext()) {
            RefImage r = images.next();
            if (r.pos() != pos++) throw new IllegalStateException("internal: image " + r.pos() + " where " + (pos - 1) + " was expected");
            out.writeLong(r.imageId());
            out.writeInt(r.tokenizedRefs().length);
            for (String s : r.tokenizedRefs()) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                out.writeInt(b.length);
                out.write(b);
            }
        }
        if (pos != hi) throw new IllegalStateException("internal: part " + index + " has images up to " + pos + ", not " + hi);
        out.flush();
        out.write(digest(buf.toByteArray()));
        byte[] content = buf.toByteArray();
        Path file = partPath(index);
        LeaderboardStore.writeWhole(LeaderboardStore.fileSystem(file, org.capeval.jobs.Storage.hadoopConf()), file, content);
        return new Part(index, lo, hi, content.length, StatsCache.sha256(content));
    }

    /** Starts an entry: removes what an earlier (untrusted) one left. Before the parts are written. */
    public void clear(Configuration conf) throws IOException {
        Path d = new Path(dir);
        FileSystem fs = LeaderboardStore.fileSystem(d, conf);
        if (fs.exists(d)) fs.delete(d, true);
        if (!fs.mkdirs(d)) throw new IOException("cannot create " + d);
    }

    /** Completes the entry: {@code refs.json}, written last and whole. */
    public void commit(Configuration conf, int images, List<Part> parts) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("format", FORMAT).put("key", key).put("references_sha256", refsSha).put("images", images);
        ArrayNode a = body.putArray("parts");
        for (Part p : parts) a.addObject().put("lo", p.lo()).put("hi", p.hi()).put("bytes", p.bytes()).put("sha256", p.sha());
        String text = JSON.writeValueAsString(body);
        String entry = text + "\n" + StatsCache.sha256(text.getBytes(StandardCharsets.UTF_8)) + "\n";
        Path d = new Path(dir);
        LeaderboardStore.writeWhole(LeaderboardStore.fileSystem(d, conf), new Path(d, ENTRY), entry.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] digest(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
