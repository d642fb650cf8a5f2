package org.capeval.jobs.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.capeval.jobs.InputFiles;

/**
 * Train's {@code --data} checked on the driver before Spark reads it: every path (or glob) names
 * something, and each data file's first and last bytes fit {@code --format} (Parquet's magic
 * number at both ends; JSON lines starting with '{' or '['; CSV and LIBSVM text that is not
 * Parquet). A mismatch is one {@link BadInputException} naming --data, the file and what it looks
 * like, instead of an executor failing inside Spark's reader with a stack trace.
 */
final class DataSources {
    /** Files sniffed per --data entry: the check stays cheap on a directory of many parts. */
    private static final int MAX_FILES_CHECKED = 1000;
    private static final byte[] PARQUET_MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

    private DataSources() {}

    static void check(Configuration hadoop, TrainConfig cfg) {
        try {
            for (TrainConfig.Source src : cfg.sources()) {
                checkPath(hadoop, src.path(), cfg.format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("--data " + cfg.data + ": " + e.getMessage(), e);
        }
    }

    private static void checkPath(Configuration hadoop, String given, String format) throws IOException {
        Path path = InputFiles.hadoopPath(given);
        FileSystem fs = path.getFileSystem(hadoop);
        FileStatus[] matched = fs.globStatus(path);
        if (matched == null || matched.length == 0) {
            throw new BadInputException("--data " + given + ": no such file or directory");
        }
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus m : matched) {
            collect(fs, m, files);
        }
        if (files.isEmpty()) {
            throw new BadInputException("--data " + given + ": a directory without data files");
        }
        for (FileStatus f : files) {
            String why = mismatch(fs, f, format);
            if (why != null) {
                String name = InputFiles.shown(f.getPath());
                boolean same = matched.length == 1 && matched[0].isFile();
                throw new BadInputException("--data " + given + ": " + (same ? "" : name + ": ") + why);
            }
        }
    }

    /** The data files under a status, as Spark's readers see them (names starting with '_' or '.' are not data). */
    private static void collect(FileSystem fs, FileStatus s, List<FileStatus> out) throws IOException {
        if (out.size() >= MAX_FILES_CHECKED) {
            return;
        }
        String name = s.getPath().getName();
        if (name.startsWith("_") || name.startsWith(".")) {
            return;
        }
        if (s.isFile()) {
            out.add(s);
            return;
        }
        for (FileStatus child : fs.listStatus(s.getPath())) {
            collect(fs, child, out);
        }
    }

    /** Why the file's bytes do not fit the format, or null when they may. */
    static String mismatch(FileSystem fs, FileStatus f, String format) throws IOException {
        long len = f.getLen();
        String lower = f.getPath().getName().toLowerCase(Locale.ROOT);
        boolean compressedName = lower.endsWith(".gz") || lower.endsWith(".bz2") || lower.endsWith(".deflate")
                || lower.endsWith(".zst") || lower.endsWith(".lz4") || lower.endsWith(".snappy");
        byte[] head = new byte[(int) Math.min(len, 512)];
        byte[] tail = new byte[(int) Math.min(len, 4)];
        try (FSDataInputStream in = fs.open(f.getPath())) {
            in.readFully(0, head);
            in.readFully(len - tail.length, tail);
        }
        boolean parquetHead = startsWith(head, PARQUET_MAGIC);
        boolean parquetTail = tail.length == 4 && startsWith(tail, PARQUET_MAGIC);
        switch (format) {
            case "parquet" -> {
                if (len == 0) {
                    return "an empty file, not Parquet";
                }
                if (parquetHead && parquetTail && len >= 12) {
                    return null;
                }
                if (parquetHead) {
                    return "a truncated or corrupt Parquet file (no footer: it does not end with PAR1)";
                }
                return "not a Parquet file (" + looksLike(head) + "); give the right --format";
            }
            case "json" -> {
                if (parquetHead) {
                    return "a Parquet file, not JSON lines; use --format parquet";
                }
                if (compressedName || len == 0) {
                    return null;
                }
                int first = firstNonSpace(head);
                if (first >= 0 && head[first] != '{' && head[first] != '[') {
                    return "not JSON lines (" + looksLike(head) + "); give the right --format";
                }
                return null;
            }
            default -> { // csv, libsvm: text
                if (parquetHead) {
                    return "a Parquet file, not " + format.toUpperCase(Locale.ROOT) + " text; use --format parquet";
                }
                if (!compressedName && isGzip(head)) {
                    return "gzip-compressed data in a file without a .gz name (Hadoop decompresses by name): rename it to .gz";
                }
                if (!compressedName && binary(head)) {
                    return "binary data, not " + format.toUpperCase(Locale.ROOT) + " text";
                }
                return null;
            }
        }
    }

    /** A short guess at what the bytes are, for the messages. */
    private static String looksLike(byte[] head) {
        if (head.length == 0) {
            return "it is empty";
        }
        if (isGzip(head)) {
            return "it is gzip-compressed";
        }
        if (binary(head)) {
            return "it is binary";
        }
        int first = firstNonSpace(head);
        if (first >= 0 && (head[first] == '{' || head[first] == '[')) {
            return "it looks like JSON: --format json";
        }
        return "it looks like text: CSV or LIBSVM, --format csv or libsvm";
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean isGzip(byte[] b) {
        return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }

    /** NUL or other C0 control bytes than tab, CR, LF, FF: not text. */
    private static boolean binary(byte[] b) {
        for (byte x : b) {
            if (x >= 0 && x < 0x20 && x != '\t' && x != '\n' && x != '\r' && x != '\f') {
                return true;
            }
        }
        return false;
    }

    private static int firstNonSpace(byte[] b) {
        int i = 0;
        if (b.length >= 3 && (b[0] & 0xff) == 0xEF && (b[1] & 0xff) == 0xBB && (b[2] & 0xff) == 0xBF) {
            i = 3; // UTF-8 BOM
        }
        for (; i < b.length; i++) {
            if (!Character.isWhitespace(b[i])) {
                return i;
            }
        }
        return -1;
    }
}
