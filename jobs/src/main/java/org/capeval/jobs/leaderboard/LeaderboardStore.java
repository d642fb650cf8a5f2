package org.capeval.jobs.leaderboard;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The on-disk leaderboard (a local, POSIX directory) with an atomic switch between versions:
 *
 * <pre>
 * LEADERBOARD_DIR/
 *   versions/&lt;version&gt;/  history.parquet/  history.csv  latest.json  index.html
 *   current -> versions/&lt;version&gt;        (symbolic link, replaced by an atomic rename)
 *   index.html, latest.json, history.csv, history.parquet -> current/...   (fixed links)
 * </pre>
 *
 * A run writes a complete new version directory, then renames a fresh link over {@code current}:
 * readers see either the old or the new leaderboard, never a mix, and a run killed before the
 * rename leaves the old one in place (its half-written version is removed by the next run). Old
 * versions are pruned, keeping the last {@link #KEEP}. A lock file keeps two runs apart.
 */
public final class LeaderboardStore implements AutoCloseable {
    public static final List<String> ENTRIES = List.of("index.html", "latest.json", "history.csv", "history.parquet");
    static final int KEEP = 3;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path root;
    private final FileChannel lockChannel;
    private final FileLock lock;

    /** Opens (creating if needed) the leaderboard directory and takes its lock. */
    public LeaderboardStore(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        Files.createDirectories(this.root.resolve("versions"));
        for (String e : ENTRIES) {
            Path p = this.root.resolve(e);
            if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && !Files.isSymbolicLink(p)) {
                throw new IOException(p + " exists and is not a leaderboard link; refusing to replace it (is --out a leaderboard directory?)");
            }
        }
        lockChannel = FileChannel.open(this.root.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock taken;
        try {
            taken = lockChannel.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            taken = null; // held by this JVM
        }
        lock = taken;
        if (lock == null) {
            lockChannel.close();
            throw new IOException("another leaderboard run holds " + this.root.resolve(".lock"));
        }
    }

    public Path root() { return root; }

    /** The version directory {@code current} points to, or null before the first run. */
    public Path current() throws IOException {
        Path link = root.resolve("current");
        if (!Files.isSymbolicLink(link)) return null;
        Path target = root.resolve(Files.readSymbolicLink(link)).normalize();
        return Files.isDirectory(target) ? target : null;
    }

    /** A new, empty version directory to write the next leaderboard into. */
    public Path newVersion(String night) throws IOException {
        Path dir = root.resolve("versions").resolve(STAMP.format(Instant.now()) + "-" + night);
        try {
            return Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            return Files.createDirectory(root.resolve("versions").resolve(dir.getFileName() + "-" + System.nanoTime()));
        }
    }

    /** Makes {@code version} (complete) the current leaderboard, atomically, then prunes old versions. */
    public void publish(Path version) throws IOException {
        for (String e : ENTRIES) {
            if (!Files.exists(version.resolve(e))) throw new IOException("version " + version + " lacks " + e + "; not publishing");
        }
        Path tmp = root.resolve(".current-" + System.nanoTime());
        Files.createSymbolicLink(tmp, root.relativize(version));
        try {
            Files.move(tmp, root.resolve("current"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException ex) {
            Files.deleteIfExists(tmp);
            throw new IOException("the file system of " + root + " cannot rename atomically; the leaderboard needs a local POSIX directory", ex);
        }
        for (String e : ENTRIES) {
            Path link = root.resolve(e);
            if (!Files.isSymbolicLink(link)) Files.createSymbolicLink(link, Path.of("current", e));
        }
        prune(version);
    }

    /** Removes versions other than the newest {@link #KEEP} (the current one always stays), and stray links. */
    private void prune(Path keep) throws IOException {
        List<Path> versions = new ArrayList<>();
        try (Stream<Path> s = Files.list(root.resolve("versions"))) {
            s.filter(Files::isDirectory).forEach(versions::add);
        }
        versions.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        for (int i = 0; i < versions.size(); i++) {
            Path v = versions.get(i);
            if (i >= KEEP && !v.equals(keep)) deleteTree(v);
        }
        try (Stream<Path> s = Files.list(root)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".current-")).toList()) Files.deleteIfExists(p);
        }
    }

    /** Removes version directories that were never published and are not current (left by killed runs). */
    public void removeIncomplete() throws IOException {
        Path cur = current();
        try (Stream<Path> s = Files.list(root.resolve("versions"))) {
            for (Path v : s.filter(Files::isDirectory).toList()) {
                if (!v.equals(cur) && !Files.exists(v.resolve(".complete"))) deleteTree(v);
            }
        }
    }

    /** Marks a version as fully written (so pruning of unpublished versions spares it). */
    public static void markComplete(Path version) throws IOException {
        Files.writeString(version.resolve(".complete"), "");
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    @Override
    public void close() throws IOException {
        lock.release();
        lockChannel.close();
    }
}
