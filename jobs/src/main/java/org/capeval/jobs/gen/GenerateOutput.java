package org.capeval.jobs.gen;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;
import org.capeval.jobs.JobFailure;
import org.capeval.jobs.Overlap;

/**
 * generate's two output files, committed as score's output is ({@code ScoreOutput}): each is written
 * under a hidden temporary name next to it, and both are renamed into place only once both are
 * complete, so a failed or killed run leaves neither ({@link #close} removes the temporary files and
 * the directories the run created). An existing output is kept unless {@code --overwrite}.
 *
 * <p>A path the run cannot write (a directory, a device, a missing parent that cannot be created,
 * permission denied) is bad input, found before anything is generated; a failure while writing (a
 * full disk) is not, and names the option and the path (through {@link JobFailure#writing}).
 */
final class GenerateOutput implements Closeable {
    /** One output: its option, the path as given, the absolute path and the temporary file beside it. */
    private record Target(String option, Path given, Path path, Path tmp) {
        String name() {
            return option + " " + given;
        }
    }

    private final Target refs;
    private final Target results;
    private final boolean overwrite;
    private final List<Path> tmpFiles = new ArrayList<>(); // created so far
    private final List<Path> createdDirs = new ArrayList<>();
    private boolean committed;

    private GenerateOutput(Path refsPath, Path resultsPath, boolean overwrite) throws IOException {
        this.overwrite = overwrite;
        refs = target("--refs", refsPath);
        results = target("--results", resultsPath);
        // the same file twice (or one inside the other) would lose one output to the other
        Overlap.refuse("--results", resultsPath.toString(), Map.of("--refs", refsPath.toString()), null);
        try {
            create(refs);
            create(results);
        } catch (IOException | RuntimeException e) {
            try {
                close();
            } catch (IOException x) {
                e.addSuppressed(x);
            }
            throw e;
        }
    }

    /**
     * Checks both paths and creates both temporary files (empty), so that a path that cannot be
     * written is refused before any work.
     *
     * @throws IllegalArgumentException for a path that cannot be an output (bad input)
     */
    static GenerateOutput open(Path refs, Path results, boolean overwrite) throws IOException {
        GenerateOutput out = new GenerateOutput(refs, results, overwrite);
        out.atExit = org.capeval.jobs.ExitCleanup.register("capeval-generate-cleanup", out::removeTemporaries);
        return out;
    }

    private org.capeval.jobs.ExitCleanup atExit; // a signal ends the JVM without the run's cleanup

    private Target target(String option, Path given) {
        Path path = given.toAbsolutePath().normalize();
        String name = option + " " + given;
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(name + ": is a directory");
        }
        if (Files.exists(path) && !Files.isRegularFile(path)) { // a device or a pipe is never replaced by a file
            throw new IllegalArgumentException(name + ": not a regular file");
        }
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
            throw new IllegalArgumentException(name + " already exists (use --overwrite to replace it)");
        }
        return new Target(option, given, path, path.resolveSibling("." + path.getFileName() + ".capeval-tmp-" + UUID.randomUUID()));
    }

    /** Creates the target's directory (remembering what it created) and its empty temporary file. */
    private void create(Target t) throws IOException {
        Path dir = t.path().getParent();
        List<Path> missing = new ArrayList<>();
        for (Path d = dir; d != null && !Files.exists(d); d = d.getParent()) {
            missing.add(d);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw refused(t, "cannot create its directory " + dir, e);
        } finally {
            for (Path d : missing) {
                if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                    createdDirs.add(d);
                }
            }
        }
        try {
            tmpFiles.add(Files.createFile(t.tmp()));
        } catch (IOException e) {
            throw refused(t, "cannot create a file in " + dir, e);
        }
    }

    /**
     * Throws the file system's refusal of a path as bad input (permission denied, a parent that is
     * not a directory, a read-only file system); returns any other failure (a full disk), named all
     * the same, for the caller to throw.
     */
    private static IOException refused(Target t, String what, IOException e) {
        String why = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof NoSuchFileException ? "no such file or directory"
                : e instanceof FileAlreadyExistsException ? "not a directory" // createDirectories: a file is in the way
                : e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
                : JobFailure.oneLine(String.valueOf(e.getMessage()));
        boolean bad = e instanceof AccessDeniedException || e instanceof NoSuchFileException || e instanceof FileAlreadyExistsException
                || why.equals("Not a directory") || why.equals("Read-only file system") || why.equals("Operation not permitted");
        if (bad) {
            throw new IllegalArgumentException(t.name() + ": " + what + ": " + why, e);
        }
        return new IOException(t.name() + ": " + what + ": " + why, e);
    }

    /** The annotation file's stream, into its temporary file (gzip-compressed for a .gz name). */
    OutputStream refs() throws IOException {
        return stream(refs);
    }

    /** The results file's stream, into its temporary file (gzip-compressed for a .gz name). */
    OutputStream results() throws IOException {
        return stream(results);
    }

    private static OutputStream stream(Target t) throws IOException {
        OutputStream out = new BufferedOutputStream(new Named(t.name(), Files.newOutputStream(t.tmp())), 1 << 16);
        return t.path().toString().endsWith(".gz") ? new GZIPOutputStream(out, 1 << 16) : out;
    }

    /** Renames both complete files into place (the streams closed). */
    synchronized void commit() throws IOException {
        for (Target t : List.of(refs, results)) {
            if (!overwrite && Files.exists(t.path(), LinkOption.NOFOLLOW_LINKS)) {
                throw new IllegalArgumentException(t.name() + " appeared while the job ran (use --overwrite)");
            }
        }
        move(refs);
        try {
            move(results);
        } catch (IOException | RuntimeException e) {
            JobFailure.cleanUpAfter(e, () -> Files.deleteIfExists(refs.path())); // never one file of the pair without the other
            throw e;
        }
        committed = true;
    }

    private static void move(Target t) throws IOException {
        JobFailure.writing(t.name(), () -> Files.move(t.tmp(), t.path(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING));
    }

    /** Removes what a run that did not commit left: the temporary files and the directories it created. */
    @Override
    public void close() throws IOException {
        org.capeval.jobs.ExitCleanup.cleanUp(atExit, this::removeTemporaries);
    }

    private synchronized void removeTemporaries() throws IOException {
        if (committed) {
            return;
        }
        for (Path tmp : tmpFiles) {
            Files.deleteIfExists(tmp);
        }
        createdDirs.sort(Comparator.comparingInt(Path::getNameCount).reversed()); // children before their parents
        for (Path d : createdDirs) {
            try {
                Files.deleteIfExists(d);
            } catch (IOException e) {
                // not empty any more (something else wrote there meanwhile): kept
            }
        }
    }

    /** A file's stream whose failures name the option and the path, with the file system's own words. */
    private static final class Named extends FilterOutputStream {
        private final String name;

        Named(String name, OutputStream out) {
            super(out);
            this.name = name;
        }

        @Override
        public void write(int b) throws IOException {
            JobFailure.writing(name, () -> {
                out.write(b);
                return null;
            });
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            JobFailure.writing(name, () -> {
                out.write(b, off, len);
                return null;
            });
        }

        @Override
        public void flush() throws IOException {
            JobFailure.writing(name, () -> {
                out.flush();
                return null;
            });
        }

        @Override
        public void close() throws IOException {
            JobFailure.writing(name, () -> {
                out.close();
                return null;
            });
        }
    }
}
