package org.capeval.jobs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.ipc.RemoteException;
import org.capeval.metrics.cider.DocumentFrequencies;
import org.capeval.metrics.coco.CocoFormatException;

/**
 * How every job ends when it fails: one line on stderr and an exit status, never a stack trace as
 * the only message.
 *
 * <ul>
 *   <li>{@value #BAD_INPUT}, bad input: {@code capeval JOB: error: MESSAGE}, the message naming the
 *       option, the path and, where it applies, the record and field. A problem found on an
 *       executor arrives wrapped by Spark; the cause chain is searched for it.</li>
 *   <li>{@value #FAILED}, anything else (a failing file system, a bug):
 *       {@code capeval JOB: failed: EXCEPTION: MESSAGE (stack trace: FILE)}, the stack trace written
 *       to a file in {@code java.io.tmpdir}.</li>
 * </ul>
 * With {@code --verbose} the stack trace follows the line on stderr as well.
 */
public final class JobFailure {
    /** Exit status of a run refused for its input (options, files, records). */
    public static final int BAD_INPUT = 2;
    /** Exit status of a run that failed for another reason. */
    public static final int FAILED = 1;

    private static volatile boolean verbose;

    private JobFailure() {}

    /** {@code --verbose}: print stack traces after the one-line message. */
    public static void verbose(boolean on) {
        verbose = on;
    }

    public static boolean verbose() {
        return verbose;
    }

    private static volatile boolean stopping;
    private static final java.util.concurrent.CountDownLatch ENDED = new java.util.concurrent.CountDownLatch(1);
    /** How long a shutdown waits for the job to clean up and report, before the JVM halts. */
    private static final long STOPPING_SECONDS = 10;

    /**
     * For a Spark job's driver. A signal (SIGTERM, Ctrl-C) starts the JVM's shutdown: Spark's own
     * hook stops the context and every task still running fails. The JVM halted as soon as the
     * hooks had run, often before the job had removed its temporary output or said anything;
     * otherwise its line reported the failure ("Job aborted due to stage failure", with a stack
     * trace file) after some 90 lines of Spark's logs. Now the shutdown waits (at most
     * {@value #STOPPING_SECONDS} s) for the job to clean up and report ({@link #jobEnded}); the log
     * is off from the start of the shutdown (unless {@code --verbose}), and the job's line says that
     * it was stopped ({@link #stoppedLine}). So is stderr: the threads that Spark's stop interrupts
     * print their exceptions there themselves (uncaught in Spark's result getters, Scala's futures
     * rejected by pools shutting down), a few stack traces in most stopped runs; the job's line goes
     * to the stderr of before.
     */
    public static void quietWhenStopped() {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            if (!verbose) {
                stoppedErr = System.err;
                System.setErr(new PrintStream(OutputStream.nullOutputStream()));
                try {
                    org.apache.logging.log4j.core.config.Configurator.setAllLevels(org.apache.logging.log4j.LogManager.ROOT_LOGGER_NAME,
                            org.apache.logging.log4j.Level.OFF);
                } catch (LinkageError | RuntimeException otherLogging) {
                    // a cluster whose Spark logs through something else than log4j 2: its messages show
                }
            }
            try {
                ENDED.await(STOPPING_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "capeval-stopping"));
    }

    /** stderr as it was before a shutdown silenced it, for the job's own lines; null until then. */
    private static volatile PrintStream stoppedErr;

    /** Where the job's own lines go: stderr, also once a signal's shutdown has silenced Spark's prints there. */
    public static PrintStream err() {
        PrintStream before = stoppedErr;
        return before != null ? before : System.err;
    }

    /** The job has ended (reported, cleaned up): a shutdown need not wait for it any more. */
    public static void jobEnded() {
        ENDED.countDown();
    }

    /** The job's line when the JVM is shutting down (a signal) as it fails, or null when it is not. */
    public static String stoppedLine(String job) {
        return stopping ? "capeval " + job + ": stopped: the JVM is shutting down (SIGTERM, Ctrl-C) before the job finished" : null;
    }

    /**
     * A failure whose message is complete for the user but that is not bad input (e.g. running out
     * of memory, with the remedies): exit status {@value #FAILED}, no stack trace file.
     */
    public static final class Reported extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public Reported(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * The bad-input exception in {@code e}'s cause chain (the outermost one), or null: COCO format
     * errors, a document-frequency file that is not one, a missing file, and the jobs' own
     * {@link IllegalArgumentException}s (train's BadInputException among them).
     */
    public static Throwable badInput(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof Reported) {
                return null;
            }
            if (c instanceof CocoFormatException || c instanceof DocumentFrequencies.FormatException
                    || c instanceof IllegalArgumentException || c instanceof FileNotFoundException
                    || c instanceof NoSuchFileException || isPathNotFound(c)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The {@link Reported} failure in {@code e}'s cause chain (the outermost one), or null; before
     * it, {@link #applicationStopped}.
     */
    public static Reported reported(Throwable e) {
        Reported stopped = applicationStopped(e);
        return stopped != null ? stopped : reportedInChain(e);
    }

    /** The outermost {@link Reported} in {@code e}'s cause chain, or null. */
    private static Reported reportedInChain(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof Reported r) {
                return r;
            }
        }
        return null;
    }

    /**
     * Spark having stopped the application under the job (a standalone master that never answered,
     * or one that removed the application), or null. Its log already said why, and Spark's own words
     * for it are a page long ("Cannot call methods on a stopped SparkContext", with the call sites).
     * Whatever the job failed with then is a consequence, even one that looks like bad input (a
     * block file that Spark's stop deleted under a broadcast): so the job's context being stopped
     * ({@link SparkSessions#stoppedUnderTheJob}) counts, not only Spark's messages.
     */
    public static Reported applicationStopped(Throwable e) {
        boolean stopped = SparkSessions.stoppedUnderTheJob();
        for (Throwable c = e; c != null && !stopped; c = c.getCause() == c ? null : c.getCause()) {
            String m = String.valueOf(c.getMessage());
            stopped = m.startsWith("Cannot call methods on a stopped SparkContext") || m.contains("because SparkContext was shut down");
        }
        if (!stopped) {
            return null;
        }
        String master = new org.apache.spark.SparkConf().get("spark.master", "");
        return new Reported((master.isEmpty() ? "" : "--master " + master + ": ")
                + "Spark stopped the application before the job ended; its log above says why", e);
    }

    /** Spark's "[PATH_NOT_FOUND] Path does not exist" (an AnalysisException, checked by name: no compile-time SQL types here). */
    private static boolean isPathNotFound(Throwable c) {
        return c.getClass().getName().equals("org.apache.spark.sql.AnalysisException") && c.getMessage() != null
                && c.getMessage().contains("PATH_NOT_FOUND");
    }

    /** Something a job does to its output: writing, renaming. */
    public interface OutputAction<T> {
        T run() throws Exception;
    }

    /**
     * Runs {@code action}, which writes {@code output}; when the file system fails it (a full disk,
     * a quota, a lost connection: an IOException, Hadoop's FSError for a failed local write, or
     * Spark's exception around either) the failure becomes an IOException whose message names
     * {@code output} and ends with the file system's own words ("No space left on device"), which
     * the cause chain's innermost exception has; a path that cannot be created there (a missing file
     * the file system reports, or a regular file where a directory of the path must be) becomes bad
     * input naming {@code output}. Unchecked exceptions (bad input among them) pass unchanged.
     *
     * @param output the option and the path, e.g. {@code "--out hdfs://nn/board"}
     */
    public static <T> T writing(String output, OutputAction<T> action) throws IOException {
        try {
            return action.run();
        } catch (RuntimeException e) {
            // a store's refusal may come wrapped unchecked (an UncheckedIOException from a stream)
            RuntimeException refused = Storage.failure(output, e);
            throw refused != null ? refused : e;
        } catch (WritingFailed e) { // an inner output's own failure (--save-idf inside --out's commit): named already
            throw e;
        } catch (Exception | FSError e) {
            RuntimeException refused = Storage.failure(output, e); // no credentials, permission denied, unreachable
            if (refused != null) {
                throw refused;
            }
            Throwable bad = badInput(e);
            String cannot = bad != null ? describe(bad) : underAFile(e);
            if (cannot != null) { // a path that cannot be created ("no such file" under /proc, a file in the way): the user's, named by its option
                throw cannotBeWritten(output, cannot, e);
            }
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root.getMessage() == null ? root.toString() : root.getMessage();
            throw new WritingFailed(output + ": writing failed: " + oneLine(why), e);
        }
    }

    /**
     * "F: not a directory" when {@code e} failed on a path under the regular file F, or null:
     * java.nio's "Not a directory" (found by looking at the path, not by the system's words, which
     * depend on the locale) and Hadoop's ParentNotDirectoryException (the first line of its own
     * message, local or remote).
     */
    private static String underAFile(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ParentNotDirectoryException || (c instanceof RemoteException r
                    && r.getClassName().equals(ParentNotDirectoryException.class.getName()))) {
                return Storage.detail(c); // HDFS's message goes on with the NameNode's stack trace
            }
            if (c instanceof FileSystemException f && f.getFile() != null) {
                try {
                    for (Path p = Path.of(f.getFile()).toAbsolutePath().getParent(); p != null; p = p.getParent()) {
                        if (Files.exists(p)) { // the nearest that exists
                            return Files.isDirectory(p) ? null : notADirectory(p);
                        }
                    }
                } catch (java.nio.file.InvalidPathException notAPath) {
                    return null;
                }
            }
        }
        return null;
    }

    /**
     * Tries {@link #writing}'s rule before any work: creates the directory {@code dir} as a run
     * would create it and removes it again with the parents it needed, so an output that cannot be
     * created (under a regular file, under /proc, permission denied) is bad input now rather than
     * after the reading, on any engine; an existing {@code dir} must be a directory. Nothing is left.
     *
     * @param output the option and the path, e.g. {@code "--out out/eval"}
     */
    public static void tryCreating(String output, Path dir) throws IOException {
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw cannotBeWritten(output, notADirectory(dir), null);
            }
            return;
        }
        List<Path> missing = new ArrayList<>(); // innermost first
        for (Path p = dir; p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(p);
        }
        try {
            writing(output, () -> Files.createDirectories(dir));
        } finally {
            for (Path p : missing) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException notEmpty) {
                    // another run's files are in it meanwhile: kept
                }
            }
        }
    }

    /**
     * {@link #tryCreating(String, Path)}'s rule for a directory on a Hadoop file system (HDFS, an
     * object store), found without creating anything: the nearest of {@code dir} and its parents
     * that exists must be a directory, else bad input naming {@code output} and the file in the way
     * (HDFS and s3a would refuse only when the run writes, after the work). A store's refusal is
     * reported as {@link #writing} reports it.
     *
     * @param dir a qualified path
     */
    public static void tryCreating(String output, FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException {
        writing(output, () -> {
            for (org.apache.hadoop.fs.Path p = dir; p != null; p = p.getParent()) {
                FileStatus status;
                try {
                    status = fs.getFileStatus(p);
                } catch (FileNotFoundException absent) {
                    continue;
                }
                if (!status.isDirectory()) {
                    throw cannotBeWritten(output, notADirectory(p), null);
                }
                return null;
            }
            return null;
        });
    }

    /**
     * The trial of an output directory given as {@code option}'s value {@code dir}, as
     * {@link InputFiles#check} checks an input: a local path (plain or {@code file:}) with java.nio
     * before Spark starts ({@code hadoop} null); any other through its Hadoop file system once
     * {@code hadoop} is given.
     */
    public static void tryCreating(String option, String dir, Configuration hadoop) throws IOException {
        String output = option + " " + dir;
        Path local = InputFiles.localPath(dir);
        if (local != null && hadoop == null) {
            tryCreating(output, local);
        } else if (local == null && hadoop != null) {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
            FileSystem fs = Storage.at(output, () -> p.getFileSystem(hadoop));
            tryCreating(output, fs, fs.makeQualified(p));
        }
    }

    /** The bad input of an output that cannot be created, {@code why} saying what is in the way. */
    private static IllegalArgumentException cannotBeWritten(String output, String why, Throwable cause) {
        return new IllegalArgumentException(output + ": cannot be written (" + why + ")", cause);
    }

    private static String notADirectory(Object file) {
        return file + ": not a directory";
    }

    /** A cleanup after a failure: removing what the failed step left. */
    public interface Cleanup {
        void run() throws IOException;
    }

    /**
     * Runs {@code cleanup} after {@code failure}; a cleanup that fails too (on HDFS removing a
     * failed write's file can be refused) is kept with the failure as suppressed, so the failure
     * is still what the job reports.
     */
    public static void cleanUpAfter(Throwable failure, Cleanup cleanup) {
        try {
            cleanup.run();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /** {@link #writing}'s failure, which names its output. */
    private static final class WritingFailed extends IOException {
        private static final long serialVersionUID = 1L;

        WritingFailed(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() { // reported as the IOException it is, not by this private name
            return IOException.class.getName() + ": " + getMessage();
        }
    }

    /** Reports with {@link #describe}'s message for bad input. */
    public static int report(String job, Throwable e) {
        return report(job, e, JobFailure::describe);
    }

    /** A bad-input exception's text: its message; for a missing file, the path and "no such file". */
    public static String describe(Throwable bad) {
        if (bad instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file";
        }
        return bad.getMessage() == null ? bad.toString() : bad.getMessage();
    }

    /**
     * {@link #describe}'s text, a COCO format error's prefixed with the option whose value is the
     * file it was found in (the error names that file as given on the command line).
     *
     * @param optionsAndFiles pairs: an option and its value, e.g. {@code "--refs", refs, "--results", results}
     */
    public static String describe(Throwable bad, String... optionsAndFiles) {
        if (bad instanceof CocoFormatException c) {
            for (int i = 0; i + 1 < optionsAndFiles.length; i += 2) {
                if (c.file() != null && c.file().equals(optionsAndFiles[i + 1])) {
                    return optionsAndFiles[i] + " " + c.getMessage();
                }
            }
        }
        return describe(bad);
    }

    /**
     * Prints the one line for {@code e} on stderr (and its stack trace with --verbose) and returns
     * the exit status.
     *
     * @param job     the job's name, e.g. "score"
     * @param message the line's text for a bad-input exception found by {@link #badInput} (the job
     *                adds the option that names the file)
     */
    public static int report(String job, Throwable e, Function<Throwable, String> message) {
        String stopped = stoppedLine(job);
        if (stopped != null) {
            PrintStream err = err();
            err.println(stopped);
            err.flush();
            return FAILED;
        }
        Reported bySpark = applicationStopped(e); // first: a file Spark removed as it stopped is not bad input
        Throwable bad = bySpark == null ? badInput(e) : null;
        String prefix = "capeval " + job + ": ";
        if (bad != null) {
            System.err.println(prefix + "error: " + oneLine(message.apply(bad)));
            if (verbose) {
                e.printStackTrace();
            }
            System.err.flush();
            return BAD_INPUT;
        }
        Reported reported = bySpark != null ? bySpark : reportedInChain(e);
        if (reported != null) { // a failure, not bad input (exit status 1), whose line says all: no stack trace file
            System.err.println(prefix + "failed: " + oneLine(reported.getMessage()));
        } else {
            String trace = traceFile(job, e);
            System.err.println(prefix + "failed: " + oneLine(e.toString())
                    + (trace == null ? "" : " (stack trace: " + trace + (verbose ? "" : "; --verbose prints it") + ")"));
        }
        if (verbose) {
            e.printStackTrace();
        }
        System.err.flush();
        return FAILED;
    }

    /** Text on one line: line breaks and the indentation around them become one space. */
    public static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    /** Writes the stack trace to {@code java.io.tmpdir/capeval-JOB-TIME-PID.log}; null when that fails. */
    private static String traceFile(String job, Throwable e) {
        try {
            StringWriter s = new StringWriter();
            e.printStackTrace(new PrintWriter(s, true));
            String name = "capeval-" + job + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
                    + "-" + ProcessHandle.current().pid() + ".log";
            Path file = Path.of(System.getProperty("java.io.tmpdir"), name);
            Files.writeString(file, s.toString(), StandardCharsets.UTF_8);
            return file.toString();
        } catch (IOException | RuntimeException x) {
            return null;
        }
    }
}
