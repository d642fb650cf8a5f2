package org.capeval.jobs.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.capeval.jobs.InputFiles;
import org.capeval.jobs.JobFailure;
import org.capeval.jobs.Overlap;
import org.capeval.jobs.Storage;
import org.capeval.metrics.cider.DocumentFrequencies;

/**
 * The score job's outputs, committed the same way by both engines: everything is written into a
 * hidden sibling of {@code --out}, which is renamed to {@code --out} once complete
 * ({@code --save-idf} likewise, next to its destination), so a failed or killed run never leaves a
 * partial {@code --out} (on an object store, where a rename copies, eval.json is moved last and
 * marks the output complete). {@link #close} removes what a failed run wrote.
 *
 * <p>The Spark engine goes through Hadoop's {@link FileSystem} ({@link #open}); the local engine,
 * whose paths are all local files ({@link LocalScore#unsupported}), through java.nio
 * ({@link #local}): starting Hadoop's file system for a local path (its configuration, the file
 * system services of ~175 jars) cost ~0.3 s of a 2.5 s val2014 run. Both write the same files,
 * except Hadoop's local checksum files ({@code .eval.json.crc}).
 */
final class ScoreOutput implements Closeable {
    private static final String EVAL_JSON = "eval.json";

    private final Store store;
    private final Path out;
    private final Path tmp;
    private final boolean overwrite;
    private final Store idfStore;
    private final Path idf;
    private final Path idfTmp;
    private final String idfOption; // "--save-idf PATH", as given, for messages
    private final String outOption; // "--out PATH", as given, for messages
    private FileSystem fs; // the local engine's: started by fs() on demand

    private ScoreOutput(Configuration conf, ScoreOptions o) throws IOException {
        Map<String, String> inputs = inputs(o);
        Overlap.refuse("--out", o.out, inputs, conf);
        Path given = InputFiles.hadoopPath(o.out);
        store = conf == null ? Store.LOCAL : Store.hadoop(Storage.at("--out " + o.out, () -> given.getFileSystem(conf)));
        out = store.qualify(o.out); // absolute, so the temporary sibling is well defined
        if (out.getParent() == null) {
            throw new IllegalArgumentException("--out must not be a file system root: " + o.out);
        }
        overwrite = o.overwrite;
        outOption = "--out " + o.out;
        refuseExisting("--out", o.out, store, out);
        String run = newRun();
        tmp = temporary(out, run);
        if (o.saveIdf == null) {
            idfStore = null;
            idf = null;
            idfTmp = null;
            idfOption = null;
        } else {
            idfOption = "--save-idf " + o.saveIdf;
            inputs.put("--out", o.out); // the two outputs must not overlap either: one's commit would replace the other
            Overlap.refuse("--save-idf", o.saveIdf, inputs, conf);
            Path idfGiven = InputFiles.hadoopPath(o.saveIdf);
            idfStore = conf == null ? Store.LOCAL : Store.hadoop(Storage.at(idfOption, () -> idfGiven.getFileSystem(conf)));
            idf = idfStore.qualify(o.saveIdf);
            if (idf.getParent() == null || Storage.at(idfOption, () -> idfStore.isDirectory(idf))) {
                throw new IllegalArgumentException(idfOption + ": is a directory, not a file");
            }
            refuseExisting("--save-idf", o.saveIdf, idfStore, idf);
            idfTmp = temporary(idf, run);
        }
    }

    /** The rule of both outputs: an existing one is replaced only with --overwrite. */
    private void refuseExisting(String option, String givenPath, Store at, Path p) throws IOException {
        if (!overwrite && Storage.at(option + " " + givenPath, () -> at.exists(p))) {
            throw new ScoreJob.OutputExistsException(option + " " + givenPath + " already exists (use --overwrite to replace it)");
        }
    }

    /** The run's inputs by option; an output must not be, contain or lie inside any of them. */
    private static Map<String, String> inputs(ScoreOptions o) {
        Map<String, String> in = new LinkedHashMap<>();
        in.put("--refs", o.refs);
        in.put("--results", o.results);
        in.put("--idf", o.idf);
        in.put("--spice-cache", o.spiceCache);
        in.put("--meteor-data", o.meteorData);
        in.put("--meteor-paraphrase", o.meteorParaphrase);
        in.values().removeIf(java.util.Objects::isNull);
        return in;
    }

    /** A run's name for its temporary places ({@link #temporary}). */
    private static String newRun() {
        return "capeval-tmp-" + UUID.randomUUID();
    }

    /** Where a run writes {@code dest} before its commit: a hidden sibling named after it and the run. */
    private static Path temporary(Path dest, String run) {
        return new Path(dest.getParent(), "." + dest.getName() + "." + run);
    }

    /**
     * The checks of {@link #local}, before Spark starts, when every path is a local file (on Spark
     * the engine checks again, through Hadoop), and a trial of each local output's temporary place
     * ({@link JobFailure#tryCreating}), whatever the inputs, so an output that cannot be created
     * (under /proc, under a regular file) is bad input now, on either engine (Hadoop would report
     * only "Mkdirs failed", exit status 1, and only after the reading). Nothing is left.
     */
    static void check(ScoreOptions o) throws IOException {
        if (LocalScore.notLocal(o) == null) {
            new ScoreOutput(null, o);
        }
        String run = newRun();
        tryLocal("--out", o.out, run);
        if (o.saveIdf != null) { // a directory where the temporary file will be: its directory takes new entries
            tryLocal("--save-idf", o.saveIdf, run);
        }
    }

    /** {@link #check}'s trial of one output, when it is a local file (another store's is not reached before Spark starts). */
    private static void tryLocal(String option, String given, String run) throws IOException {
        InputFiles.nonEmpty(option, given);
        if (InputFiles.localPath(given) == null) {
            return;
        }
        Path dest = Store.LOCAL.qualify(given);
        if (dest.getParent() != null) { // a root is refused by the engine's checks
            JobFailure.tryCreating(option + " " + given, java.nio.file.Path.of(temporary(dest, run).toUri()));
        }
    }

    /**
     * Checks {@code --out} and prepares the temporary names (nothing is created yet), through
     * Hadoop's file systems; an output on another store than the local files, which {@link #check}
     * could not reach, is tried now, before the reading.
     */
    static ScoreOutput open(Configuration conf, ScoreOptions o) throws IOException {
        ScoreOutput output = new ScoreOutput(java.util.Objects.requireNonNull(conf), o);
        tryRemote("--out " + o.out, o.out, output.store, output.tmp);
        if (output.idfTmp != null) {
            tryRemote(output.idfOption, o.saveIdf, output.idfStore, output.idfTmp);
        }
        return output;
    }

    /** {@link #open}'s trial of one output's temporary place, when it is not a local file (those were tried before Spark started). */
    private static void tryRemote(String output, String given, Store store, Path tmp) throws IOException {
        if (InputFiles.localPath(given) == null) {
            JobFailure.tryCreating(output, store.fileSystem(), tmp);
        }
    }

    /** As {@link #open}, for options whose paths are all local files (plain paths or {@code file:} URIs), through java.nio. */
    static ScoreOutput local(ScoreOptions o) throws IOException {
        ScoreOutput output = new ScoreOutput(null, o);
        output.atExit = org.capeval.jobs.ExitCleanup.register("capeval-score-cleanup", output::removeTemporaries);
        return output;
    }

    private org.capeval.jobs.ExitCleanup atExit; // the local engine's: a signal ends the JVM without its cleanup

    /** The temporary directory the run writes into. */
    Path tmp() {
        return tmp;
    }

    /** {@code --out}'s Hadoop file system (for writers that go through Hadoop). */
    FileSystem fs() throws IOException {
        if (fs == null) {
            fs = store.fileSystem() != null ? store.fileSystem() : FileSystem.getLocal(new Configuration());
        }
        return fs;
    }

    /** A new file in the temporary directory, committed with the rest (through the output's own store). */
    OutputStream create(String name) throws IOException {
        return store.create(new Path(tmp, name));
    }

    /** Writes eval.json (pretty-printed, as the original's json.dump with indent). */
    void writeEvalJson(ObjectNode eval) throws IOException {
        try (OutputStream os = create(EVAL_JSON)) {
            os.write(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(eval));
            os.write('\n');
        }
    }

    /** Writes the document frequencies used, when {@code --save-idf} was given and some were used. */
    void writeIdf(DocumentFrequencies df) throws IOException {
        if (idfTmp == null || df == null) {
            return;
        }
        JobFailure.writing(idfOption, () -> {
            try (OutputStream os = idfStore.create(idfTmp)) {
                df.save(os);
            }
            return null;
        });
    }

    /**
     * Moves the finished outputs into place: where a directory rename is atomic (local, HDFS), the
     * temporary directory becomes {@code --out} in one step; on an object store see {@link #commitEntries}.
     */
    synchronized void commit() throws IOException {
        if (idfTmp != null && idfStore.exists(idfTmp)) {
            JobFailure.writing(idfOption, () -> {
                if (idfStore.exists(idf)) {
                    if (!overwrite) {
                        throw new ScoreJob.OutputExistsException(idfOption + " appeared while the job ran (use --overwrite)");
                    }
                    idfStore.delete(idf, false);
                }
                idfStore.rename(idfTmp, idf); // one file: one PUT-copy on an object store, whole or absent
                return null;
            });
        }
        if (store.fileSystem() != null && Storage.isObjectStore(store.fileSystem())) {
            commitEntries(store.fileSystem());
            return;
        }
        if (store.exists(out)) {
            if (!overwrite) {
                throw new ScoreJob.OutputExistsException(outOption + " appeared while the job ran (use --overwrite)");
            }
            store.delete(out, true);
        }
        store.rename(tmp, out);
    }

    /**
     * The commit on an object store, which renames a directory by copying object after object (a
     * reader could see part of it): {@code --out} is filled entry by entry and eval.json, written
     * last, marks it complete, so a reader that finds eval.json finds the whole output. An output
     * replaced with --overwrite loses its eval.json first; a commit that fails removes what it moved.
     */
    private void commitEntries(FileSystem fs) throws IOException {
        Path eval = new Path(out, EVAL_JSON);
        if (fs.exists(out)) {
            if (!overwrite) {
                throw new ScoreJob.OutputExistsException(outOption + " appeared while the job ran (use --overwrite)");
            }
            fs.delete(eval, false);
            fs.delete(out, true);
        }
        try {
            fs.mkdirs(out);
            for (FileStatus entry : fs.listStatus(tmp)) {
                if (!entry.getPath().getName().equals(EVAL_JSON)) {
                    rename(fs, entry.getPath(), new Path(out, entry.getPath().getName()));
                }
            }
            rename(fs, new Path(tmp, EVAL_JSON), eval);
        } catch (IOException | RuntimeException e) {
            JobFailure.cleanUpAfter(e, () -> fs.delete(out, true));
            throw e;
        }
        fs.delete(tmp, true);
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("could not rename " + from + " to " + to);
        }
    }

    /** Removes whatever a failed run left in the temporary places (a no-op after {@link #commit}). */
    @Override
    public void close() throws IOException {
        org.capeval.jobs.ExitCleanup.cleanUp(atExit, this::removeTemporaries);
    }

    private synchronized void removeTemporaries() throws IOException {
        if (store.exists(tmp)) {
            store.delete(tmp, true);
        }
        if (idfTmp != null && idfStore.exists(idfTmp)) {
            idfStore.delete(idfTmp, false);
        }
    }

    /** The few file operations the commit needs, on Hadoop's file system or on local files. */
    private interface Store {
        Path qualify(String p) throws IOException;

        boolean exists(Path p) throws IOException;

        boolean isDirectory(Path p) throws IOException;

        /** A new file (an existing one is an error). */
        OutputStream create(Path p) throws IOException;

        /** Deletes a file, or a directory (a non-empty one only when {@code recursive}), as Hadoop's {@code delete}. */
        void delete(Path p, boolean recursive) throws IOException;

        void rename(Path from, Path to) throws IOException;

        /** The Hadoop file system behind it, or null for local files. */
        FileSystem fileSystem();

        static Store hadoop(FileSystem fs) {
            return new Store() {
                public Path qualify(String p) {
                    return fs.makeQualified(InputFiles.hadoopPath(p));
                }

                public boolean exists(Path p) throws IOException {
                    return fs.exists(p);
                }

                public boolean isDirectory(Path p) throws IOException {
                    try {
                        return fs.getFileStatus(p).isDirectory();
                    } catch (java.io.FileNotFoundException absent) {
                        return false;
                    }
                }

                public OutputStream create(Path p) throws IOException {
                    return fs.create(p, false);
                }

                public void delete(Path p, boolean recursive) throws IOException {
                    fs.delete(p, recursive);
                }

                public void rename(Path from, Path to) throws IOException {
                    ScoreOutput.rename(fs, from, to);
                }

                public FileSystem fileSystem() {
                    return fs;
                }
            };
        }

        /** Plain paths and {@code file:} URIs, as {@link InputFiles#localPath} reads them. */
        Store LOCAL = new Store() {
            public Path qualify(String p) {
                // not from toUri(), which ends an existing directory's URI with '/' (its name would be "")
                return new Path("file", null, InputFiles.localPath(p).toString());
            }

            public boolean exists(Path p) {
                return Files.exists(nio(p));
            }

            public boolean isDirectory(Path p) {
                return Files.isDirectory(nio(p));
            }

            public OutputStream create(Path p) throws IOException {
                java.nio.file.Path file = nio(p);
                Files.createDirectories(file.getParent());
                return new java.io.BufferedOutputStream(Files.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE), 1 << 16);
            }

            public void delete(Path p, boolean recursive) throws IOException {
                java.nio.file.Path root = nio(p);
                if (!recursive || !Files.isDirectory(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(root);
                    return;
                }
                try (java.util.stream.Stream<java.nio.file.Path> all = Files.walk(root)) {
                    for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
                        Files.delete(f); // children before their directory; links are removed, not followed
                    }
                }
            }

            public void rename(Path from, Path to) throws IOException {
                Files.move(nio(from), nio(to), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }

            public FileSystem fileSystem() {
                return null;
            }

            private java.nio.file.Path nio(Path p) {
                return java.nio.file.Path.of(p.toUri());
            }
        };
    }
}
