package org.capeval.jobs.leaderboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.capeval.jobs.FaultPoint;
import org.capeval.jobs.InputFiles;
import org.capeval.jobs.JobFailure;
import org.capeval.jobs.Storage;

/**
 * The leaderboard directory on any Hadoop file system (local, HDFS, S3 through s3a), published the
 * way Delta Lake and Iceberg commit: data first, invisible; one small object written last makes it
 * visible; readers start from that object; nothing relies on renaming a directory or on links.
 *
 * <pre>
 * LEADERBOARD/
 *   versions/&lt;UTC stamp&gt;-&lt;night&gt;/  history.parquet/  history.csv  latest.json  index.html
 *   _board/00000000000000000007.json   the pointers: {"version": "versions/...", "night", "published"};
 *                                      the highest complete one is the board (written once each)
 *   index.html  latest.json  history.csv   copies of the current version's files, for static hosting
 *   _lock                              held by a running night (created exclusively)
 *   _cache/                            scored submissions' statistics ({@link StatsCache})
 * </pre>
 *
 * <p>A night: {@link #open} checks the target (nothing but a leaderboard's own entries) and takes
 * the lock by an exclusive create; {@link #newVersion} gives a fresh version directory; the job
 * writes it completely; {@link #publish} writes pointer N+1 (to a hidden name, renamed to its
 * final name without overwrite, so a reader sees it whole or not at all; an object store's PUT is
 * atomic anyway), then replaces each top-level copy whole, then prunes old versions and what
 * killed runs left. {@link #close} releases the lock; a night that did not publish removes
 * everything it created, so a failed run leaves the target exactly as it found it. A driver killed
 * at any point leaves the previous pointer, hence the previous board, readable and complete (the
 * copies at the top are each whole: old or new).
 *
 * <p>The lock is a file: on HDFS the exclusive create is atomic; on an object store it is
 * best-effort (run one night at a time, as a scheduler does). A lock left by a killed driver on
 * this host (its process is gone) is taken over; otherwise the error names it, to delete by hand.
 */
public final class LeaderboardStore implements AutoCloseable {
    /** The fixed-name copies at the top of the board. */
    public static final List<String> COPIES = List.of("index.html", "latest.json", "history.csv");
    /** What a complete version directory holds. */
    public static final List<String> ENTRIES = List.of("index.html", "latest.json", "history.csv", "history.parquet");
    static final int KEEP = 3;
    static final String POINTERS = "_board";
    static final String VERSIONS = "versions";
    static final String LOCK = "_lock";
    private static final String HIDDEN = ".capeval-";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FileSystem fs;
    private final Path root;
    private final String given; // --out as the user typed it: messages name it so, not its qualified URI
    private final Configuration conf;
    /** Directories this run created, outermost first (removed again if it does not publish). */
    private final List<Path> created = new ArrayList<>();
    private final List<Path> ourVersions = new ArrayList<>();
    private boolean published;
    private boolean locked;

    private LeaderboardStore(FileSystem fs, Path root, String given, Configuration conf) {
        this.fs = fs;
        this.root = root;
        this.given = given;
        this.conf = conf;
    }

    /**
     * Checks the target and takes its lock, creating the directory if needed.
     *
     * @param out --out as given: a Hadoop URI or a local path ({@link #location})
     * @throws IOException naming --out as given when the target is not a leaderboard, is locked or unreachable
     */
    public static LeaderboardStore open(String out, Configuration conf) throws IOException {
        Path location = location(out);
        FileSystem fs;
        Path root;
        try {
            fs = fileSystem(location, conf);
            root = fs.makeQualified(location);
        } catch (IOException | RuntimeException e) {
            RuntimeException refused = Storage.failure("--out " + out, e);
            if (refused != null) throw refused;
            throw new IOException("--out " + out + ": cannot reach its file system: " + oneLine(e), e);
        }
        LeaderboardStore store = new LeaderboardStore(fs, root, out, conf);
        try {
            store.checkTarget();
            store.mkdirs(root);
            store.lock();
            return store;
        } catch (IOException | RuntimeException e) {
            store.rollBack();
            throw e;
        }
    }

    /** For tests and local callers. */
    public static LeaderboardStore open(java.nio.file.Path dir) throws IOException {
        return open(dir.toString(), new Configuration());
    }

    /** Where --out points, as {@link InputFiles#hadoopPath} reads every path (a plain one is local). */
    static Path location(String out) {
        return InputFiles.hadoopPath(out);
    }

    /** {@code p}, the root or a path under it, as the user wrote --out (other paths as they are). */
    String shown(Path p) {
        String r = root.toString();
        String s = p.toString();
        if (s.equals(r)) return given;
        return s.startsWith(r + "/") ? given.replaceFirst("/+$", "") + s.substring(r.length()) : s;
    }

    public Path root() {
        return root;
    }

    public FileSystem fs() {
        return fs;
    }

    /** Only a leaderboard's own entries may be there; anything else means --out names the wrong directory. */
    private void checkTarget() throws IOException {
        FileStatus[] entries;
        try {
            FileStatus st = fs.getFileStatus(root);
            if (!st.isDirectory()) throw new IOException("--out " + given + " exists and is not a directory");
            entries = fs.listStatus(root);
        } catch (FileNotFoundException e) {
            return;
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("--out ")) throw e;
            RuntimeException refused = Storage.failure("--out " + given, e);
            if (refused != null) throw refused;
            throw new IOException("--out " + given + ": " + oneLine(e), e);
        }
        boolean board = false;
        for (FileStatus e : entries) board |= e.getPath().getName().equals(POINTERS);
        for (FileStatus e : entries) {
            String name = e.getPath().getName();
            boolean ours = name.equals(POINTERS) || name.equals(VERSIONS) || name.equals(StatsCache.DIR) || name.equals(LOCK) || name.startsWith(LOCK + ".stale-")
                    || name.startsWith(HIDDEN) || (board && COPIES.contains(name));
            if (!ours) {
                throw new IOException("--out " + given + " holds " + name + ", which is not part of a capeval leaderboard; "
                        + "refusing to publish there (is --out the leaderboard directory?)");
            }
        }
    }

    private void mkdirs(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir; p != null && !fs.exists(p); p = p.getParent()) missing.add(0, p);
        if (!missing.isEmpty()) {
            try {
                if (!fs.mkdirs(dir)) throw new IOException("cannot create " + shown(dir));
            } catch (IOException e) {
                throw new IOException("--out " + given + ": cannot create " + shown(dir) + ": " + oneLine(e), e);
            }
            created.addAll(missing);
        }
    }

    private void lock() throws IOException {
        Path lock = new Path(root, LOCK);
        for (int attempt = 0; attempt < 2 && !locked; attempt++) {
            try {
                createLock(lock);
            } catch (FileAlreadyExistsException | org.apache.hadoop.ipc.RemoteException e) {
                if (e instanceof org.apache.hadoop.ipc.RemoteException re
                        && !re.getClassName().equals(FileAlreadyExistsException.class.getName())
                        && !re.getClassName().endsWith("AlreadyBeingCreatedException")) {
                    throw new IOException("--out " + given + ": cannot create " + shown(lock) + ": " + oneLine(e), e);
                }
                if (attempt == 0 && takeOverStaleLock(lock)) continue;
                throw new IOException("another leaderboard run holds " + shown(lock) + " (" + describe(lock)
                        + "); if no run is active, delete it");
            } catch (IOException e) {
                if (fs.exists(lock) && !locked) {
                    if (attempt == 0 && takeOverStaleLock(lock)) continue;
                    throw new IOException("another leaderboard run holds " + shown(lock) + " (" + describe(lock) + "); if no run is active, delete it");
                }
                throw new IOException("--out " + given + ": cannot create " + shown(lock) + ": " + oneLine(e), e);
            }
        }
    }

    /**
     * Creates the lock with its owner, exclusively. Locally: an exclusive create (the owner is in the
     * file as soon as it is written). Elsewhere the owner is written to a hidden file first, which is
     * then renamed to {@code _lock} without overwrite (atomic and exclusive on HDFS), so a driver
     * killed while taking the lock never leaves an empty lock whose owner nobody can tell.
     */
    private void createLock(Path lock) throws IOException {
        byte[] owner = owner().getBytes(StandardCharsets.UTF_8);
        if ("file".equals(root.toUri().getScheme())) {
            write(lock, owner, false);
            locked = true;
            return;
        }
        Path tmp = new Path(root, HIDDEN + LOCK + "." + System.nanoTime());
        write(tmp, owner, false);
        boolean renamed;
        try {
            renamed = fs.rename(tmp, lock);
        } finally {
            if (!fs.exists(lock) || fs.exists(tmp)) fs.delete(tmp, false);
        }
        if (!renamed) throw new FileAlreadyExistsException(lock.toString());
        locked = true;
    }

    private static String owner() throws IOException {
        return JSON.createObjectNode().put("host", host()).put("pid", ProcessHandle.current().pid())
                .put("started", Instant.now().toString()).toString();
    }

    private static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private String describe(Path lock) {
        try (InputStream in = fs.open(lock)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "owner unknown";
        }
    }

    /** A lock whose owner ran on this host and is gone (a killed driver) is moved aside. */
    private boolean takeOverStaleLock(Path lock) throws IOException {
        JsonNode owner;
        try (InputStream in = fs.open(lock)) {
            owner = JSON.readTree(in);
        } catch (IOException e) {
            return false;
        }
        if (owner == null || !host().equals(owner.path("host").asText()) || !owner.has("pid")) return false;
        if (ProcessHandle.of(owner.get("pid").asLong()).map(ProcessHandle::isAlive).orElse(false)) return false;
        Path aside = new Path(root, LOCK + ".stale-" + System.currentTimeMillis());
        if (!fs.rename(lock, aside)) return false; // another run took it over first
        System.err.println("leaderboard: took over the lock of a run that is gone (" + owner + ")");
        fs.delete(aside, false);
        return true;
    }

    /** The published version directory (from the newest complete pointer), or null before the first night. */
    public Path current() throws IOException {
        return current(fs, root);
    }

    /** What readers do: the newest complete pointer's version directory under {@code root}, or null. */
    public static Path current(FileSystem fs, Path root) throws IOException {
        TreeMap<Long, Path> pointers = pointers(fs, root);
        for (Long n : pointers.descendingKeySet()) {
            try (InputStream in = fs.open(pointers.get(n))) {
                JsonNode p = JSON.readTree(in);
                if (p != null && p.hasNonNull("version")) {
                    Path v = new Path(root, p.get("version").asText());
                    if (fs.exists(v)) return v;
                }
            } catch (IOException e) {
                // a pointer that cannot be read is not a published version: look at the one before
            }
        }
        return null;
    }

    /** The board's current version for a URI (readers, tests). */
    public static Path current(String out, Configuration conf) throws IOException {
        Path given = location(out);
        FileSystem fs = fileSystem(given, conf);
        return current(fs, fs.makeQualified(given));
    }

    private static TreeMap<Long, Path> pointers(FileSystem fs, Path root) throws IOException {
        TreeMap<Long, Path> out = new TreeMap<>();
        FileStatus[] all;
        try {
            all = fs.listStatus(new Path(root, POINTERS));
        } catch (FileNotFoundException e) {
            return out;
        }
        for (FileStatus s : all) {
            String name = s.getPath().getName();
            if (name.matches("\\d{20}\\.json")) out.put(Long.parseLong(name.substring(0, 20)), s.getPath());
        }
        return out;
    }

    /** A new, empty version directory to write the next leaderboard into (removed unless published). */
    public Path newVersion(String night) throws IOException {
        Path versions = new Path(root, VERSIONS);
        mkdirs(versions);
        Path dir = new Path(versions, STAMP.format(Instant.now()) + "-" + night);
        if (fs.exists(dir)) dir = new Path(versions, dir.getName() + "-" + System.nanoTime());
        if (!fs.mkdirs(dir)) throw new IOException("cannot create " + shown(dir));
        ourVersions.add(dir);
        return dir;
    }

    /**
     * Makes the complete {@code version} the board: the pointer is written last of the version's
     * data and first of what readers see; then the top-level copies; then old versions are pruned.
     */
    public void publish(Path version, String night) throws IOException {
        for (String e : ENTRIES) {
            if (!fs.exists(new Path(version, e))) throw new IOException("version " + shown(version) + " lacks " + e + "; not publishing");
        }
        TreeMap<Long, Path> pointers = pointers(fs, root);
        long next = pointers.isEmpty() ? 1 : pointers.lastKey() + 1;
        Path dir = new Path(root, POINTERS);
        mkdirs(dir);
        Path pointer = new Path(dir, String.format(Locale.ROOT, "%020d.json", next));
        byte[] body = JSON.createObjectNode().put("version", VERSIONS + "/" + version.getName()).put("night", night)
                .put("published", Instant.now().toString()).toString().getBytes(StandardCharsets.UTF_8);
        if (objectStore()) {
            write(pointer, body, false); // one PUT: the object appears whole
        } else {
            Path tmp = new Path(dir, HIDDEN + pointer.getName() + "." + System.nanoTime());
            write(tmp, body, false);
            FaultPoint.reached("pointer");
            if (!fs.rename(tmp, pointer)) { // never overwrites: a pointer is written once
                fs.delete(tmp, false);
                throw new IOException("cannot publish " + shown(pointer) + " (another run published it?)");
            }
        }
        published = true;
        for (String name : COPIES) {
            if (!name.equals(COPIES.get(0))) FaultPoint.reached("copying");
            replace(new Path(version, name), new Path(root, name));
        }
        prune();
    }

    /** Replaces {@code target} with a copy of {@code source}, whole: readers see the old or the new file. */
    private void replace(Path source, Path target) throws IOException {
        byte[] data;
        try (InputStream in = fs.open(source)) {
            data = in.readAllBytes();
        }
        if (objectStore()) {
            write(target, data, true);
            return;
        }
        Path tmp = new Path(root, HIDDEN + target.getName() + "." + System.nanoTime());
        write(tmp, data, false);
        if ("file".equals(root.toUri().getScheme())) {
            java.nio.file.Files.move(java.nio.file.Path.of(tmp.toUri()), java.nio.file.Path.of(target.toUri()),
                    StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } else {
            FileContext.getFileContext(root.toUri(), conf).rename(tmp, target, Options.Rename.OVERWRITE); // atomic on HDFS
        }
    }

    /** The file system of {@code p}; locally without .crc side files (the board's entries are ours alone). */
    static FileSystem fileSystem(Path p, Configuration conf) throws IOException {
        FileSystem fs = p.getFileSystem(conf);
        return fs instanceof org.apache.hadoop.fs.LocalFileSystem local ? local.getRaw() : fs;
    }

    /**
     * Writes {@code target} so that it is seen whole or not at all: one PUT on an object store,
     * elsewhere a hidden file beside it renamed to its name (a file already there is replaced).
     */
    static void writeWhole(FileSystem fs, Path target, byte[] data) throws IOException {
        if (Storage.isObjectStore(fs)) {
            try (OutputStream o = fs.create(target, true)) {
                o.write(data);
            }
            return;
        }
        Path tmp = new Path(target.getParent(), HIDDEN + target.getName() + "." + System.nanoTime());
        try (OutputStream o = fs.create(tmp, false)) {
            o.write(data);
        }
        if (fs.exists(target)) fs.delete(target, false);
        if (!fs.rename(tmp, target)) {
            fs.delete(tmp, false);
            throw new IOException("cannot rename " + tmp + " to " + target);
        }
    }

    private void write(Path p, byte[] data, boolean overwrite) throws IOException {
        JobFailure.writing(shown(p), () -> {
            try (OutputStream o = fs.create(p, overwrite)) {
                o.write(data);
            }
            return null;
        });
    }

    private boolean objectStore() {
        return Storage.isObjectStoreScheme(root.toUri().getScheme());
    }

    /**
     * Keeps the newest {@link #KEEP} pointers and their versions; removes other versions (older
     * ones, and those killed runs wrote but never published) and hidden leftovers.
     */
    private void prune() throws IOException {
        TreeMap<Long, Path> pointers = pointers(fs, root);
        Set<String> keep = new HashSet<>();
        int kept = 0;
        for (Long n : pointers.descendingKeySet()) {
            Path p = pointers.get(n);
            if (kept < KEEP) {
                try (InputStream in = fs.open(p)) {
                    JsonNode j = JSON.readTree(in);
                    if (j != null && j.hasNonNull("version")) keep.add(new Path(j.get("version").asText()).getName());
                } catch (IOException e) {
                    continue; // unreadable: never counts as a kept version
                }
                kept++;
            } else {
                fs.delete(p, false);
            }
        }
        Path versions = new Path(root, VERSIONS);
        if (fs.exists(versions)) {
            for (FileStatus v : fs.listStatus(versions)) {
                if (!keep.contains(v.getPath().getName())) fs.delete(v.getPath(), true);
            }
        }
        for (Path dir : List.of(root, new Path(root, POINTERS))) {
            for (FileStatus s : fs.listStatus(dir)) {
                String name = s.getPath().getName();
                if (name.startsWith(HIDDEN) || name.startsWith("." + HIDDEN)) fs.delete(s.getPath(), true);
            }
        }
    }

    /** A run that did not publish removes what it created: the target is as it was found. */
    private void rollBack() {
        for (Path v : ourVersions) {
            try {
                fs.delete(v, true);
            } catch (IOException e) {
                JobFailure.err().println("leaderboard: could not remove " + shown(v) + ": " + oneLine(e));
            }
        }
        unlock();
        // innermost first, and only when empty: a run started at the same time may have created the
        // same directories and filled them (it holds the lock and publishes)
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                fs.delete(created.get(i), false);
            } catch (IOException e) {
                // not empty: another run's files are in it
            }
        }
    }

    private void unlock() {
        if (!locked) return;
        try {
            fs.delete(new Path(root, LOCK), false);
            locked = false;
        } catch (IOException e) {
            JobFailure.err().println("leaderboard: could not remove the lock " + shown(new Path(root, LOCK)) + ": " + oneLine(e));
        }
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    @Override
    public void close() {
        if (published) unlock();
        else rollBack();
    }
}
