package org.capeval.jobs.score;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.parquet.io.LocalOutputFile;
import org.capeval.jobs.InputFiles;
import org.capeval.jobs.JobFailure;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.CocoEvaluator;
import org.capeval.metrics.core.EvalImage;
import org.capeval.metrics.core.EvaluationSet;
import org.capeval.metrics.MetricSuite;
import org.capeval.metrics.Progress;
import org.capeval.metrics.cider.DocumentFrequencies;
import org.capeval.metrics.coco.CocoJson;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.coco.CocoResults;

/**
 * The score job in this JVM, without Spark ({@code --engine local}, and {@code auto} for local
 * inputs that fit the heap): the same library code as the Spark job ({@link CocoEvaluator}, on
 * {@code --threads} threads), the same validation and error messages, the same {@code eval.json}
 * and {@code per_image/} rows, bit for bit. It exists because Spark's start-up and staging cost
 * several times the scoring itself on a set like val2014 (40k images), which one JVM scores in
 * about two seconds.
 *
 * <p>Inputs are read into memory: 1M generated images (583 MB of JSON) peaked at 3.4 GB of live
 * heap, about 6 bytes of heap per input byte, so {@link #fits} limits {@code auto} to inputs up to
 * 1/16 of the maximum heap (a margin of 2.5x). Paths must be local
 * files ({@code file:} URIs or plain paths). Outputs are committed by {@link ScoreOutput}, as the
 * Spark engine's.
 */
final class LocalScore {
    /** {@code auto} runs locally when the inputs total at most maxHeap / this. */
    static final long HEAP_PER_INPUT_BYTE = 16;

    private LocalScore() {}

    /**
     * Why this run cannot use the local engine, or null when it can: SPICE (parsed on executors
     * with its cache), or a path that is not a local file.
     */
    static String unsupported(ScoreOptions o) {
        return o.spice ? "spice runs on Spark" : notLocal(o);
    }

    /** Why not every path of these options is a local file (the first that is not), or null when all are. */
    static String notLocal(ScoreOptions o) {
        for (String p : new String[] {o.refs, o.results, o.out, o.idf, o.saveIdf}) {
            if (p != null && InputFiles.localPath(p) == null) {
                return p + " is not a local file";
            }
        }
        return null;
    }

    /** Whether the inputs are small enough for this JVM's heap (the {@code auto} rule). */
    static boolean fits(ScoreOptions o, long maxHeap) {
        return inputBytes(o) <= maxHeap / HEAP_PER_INPUT_BYTE;
    }

    /** Both inputs' size in bytes; 0 when one is missing (it then fails the same way on either engine: reported from here). */
    static long inputBytes(ScoreOptions o) {
        try {
            return Files.size(InputFiles.localPath(o.refs)) + Files.size(InputFiles.localPath(o.results));
        } catch (IOException e) {
            return 0;
        }
    }

    static ObjectNode run(ScoreOptions o, int threads) throws IOException {
        long jvmStart = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime());
        long runStart = System.nanoTime();
        String why = unsupported(o);
        if (why != null) {
            throw new IllegalArgumentException("--engine local: " + why);
        }
        ScoreInputs.check(o, null);
        // Parquet's writer loads ~1,500 classes (~0.8 s): opened on another thread while this one
        // reads and scores (its schema depends only on the metrics), once the results file is read:
        // the references take longer, and a third thread slowed the reading on two cores.
        List<String> keys = new MetricSuite(o.metrics).keys();
        try (ScoreOutput output = ScoreOutput.local(o)) {
            Path perImage = Path.of(output.tmp().toUri()).resolve("per_image");
            PartWriters openPart = part -> PerImageWriter.open(o.perImageFormat,
                    new LocalOutputFile(perImage.resolve(PerImageWriter.partFile(part, o.perImageFormat))), keys);
            CompletableFuture<PerImageWriter> writer = new CompletableFuture<>();
            java.util.concurrent.Callable<PerImageWriter> openFirst = () -> {
                try {
                    Files.createDirectories(perImage);
                    PerImageWriter w = openPart.open(0);
                    PerImageWriter.warmUp(o.perImageFormat, keys);
                    return w;
                } catch (IOException e) {
                    throw new UncheckedIOException(perImage + ": " + e.getMessage(), e);
                }
            };
            // The opener's thread is started at most once, by whoever claims it first: the results'
            // reader once they are read, the writing if it comes first, or the cleanup below, which
            // then knows that nothing will create files in the output. Everything it needs is
            // allocated here, before the reading can use up the heap: once started, onDaemon
            // completes the writer whatever happens, so the cleanup's wait for it ends.
            java.util.concurrent.atomic.AtomicBoolean openerClaimed = new java.util.concurrent.atomic.AtomicBoolean();
            Runnable startOpener = () -> {
                if (openerClaimed.compareAndSet(false, true)) {
                    onDaemon(writer, "capeval-per-image-open", openFirst);
                }
            };
            try {
                long t0 = System.nanoTime();
                // the two files are parsed at the same time; an error in the references wins, as it
                // would reading them one after the other
                CocoReferences refs;
                CocoResults results;
                try (Progress.Phase reading = Progress.start("reading", "bytes", inputBytes(o))) {
                    CompletableFuture<CocoResults> resultsRead = onDaemon(new CompletableFuture<>(), "capeval-read-results", () -> {
                        CocoResults read = read(o.results, reading, in -> CocoResults.read(in, o.results));
                        startOpener.run();
                        return read;
                    });
                    try {
                        refs = read(o.refs, reading, in -> CocoReferences.read(in, o.refs));
                    } catch (OutOfMemoryError e) {
                        // the results' reader ends first: the report needs a little of the heap it holds
                        awaitQuietly(resultsRead);
                        throw e;
                    }
                    results = join(resultsRead);
                }
                List<EvalImage> inputs = EvaluationSet.of(refs, results);
                DocumentFrequencies idf = null;
                if (o.idf != null) {
                    try (InputStream in = Files.newInputStream(InputFiles.localPath(o.idf))) {
                        idf = DocumentFrequencies.load(in, InputFiles.localPath(o.idf).getFileName().toString());
                    }
                }
                long tRead = System.nanoTime();
                CaptionTokenizer tokenizer = o.pretokenized ? CaptionTokenizer.pretokenized() : CaptionTokenizer.ptb();
                CocoEvaluator.Evaluation ev = new CocoEvaluator(o.metrics, tokenizer, idf).evaluate(inputs, threads);
                ObjectNode eval = ev.evalJson();
                long t1 = System.nanoTime();

                JobFailure.writing("--out " + o.out, () -> {
                    try (Progress.Phase writing = Progress.start("writing", "rows", ev.imageCount())) {
                        writePerImage(ev, Math.max(1, Math.min(threads, ev.imageCount())),
                                part -> {
                                    if (part > 0) {
                                        return openPart.open(part);
                                    }
                                    startOpener.run(); // already started by the reader
                                    return joinWriter(writer);
                                }, writing);
                    }
                    Files.createFile(perImage.resolve(PerImageWriter.SUCCESS));
                    output.writeEvalJson(eval);
                    if (o.pycocoevalcap()) {
                        PycocoevalcapJson.write(output, eval, ev.keys(), java.util.stream.IntStream.range(0, ev.imageCount())
                                .mapToObj(i -> new PycocoevalcapJson.Row(ev.imageId(i), ev.row(i))).iterator());
                    }
                    output.writeIdf(ev.documentFrequencies());
                    output.commit();
                    return null;
                });
                long t2 = System.nanoTime();
                System.err.println("capeval score: local engine: " + ev.imageCount() + " images, "
                        + timeSplit(jvmStart, t0 - runStart, tRead - t0, ev.timings(), t2 - t1));
                return eval;
            } finally { // before the output's cleanup: the writer's thread creates files in it
                try {
                    if (!openerClaimed.compareAndSet(false, true)) { // started: wait for it, then close what it opened
                        // bounded all the same (opening takes ~1 s; the writer is long open when the rows were written)
                        writer.get(WRITER_OPENING_SECONDS, java.util.concurrent.TimeUnit.SECONDS).close(); // no-op when already closed
                    }
                } catch (IOException | RuntimeException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // the run failed before the rows were written, or opening failed: nothing to keep
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** How long a failed run waits for the per-image writer's thread before its output is removed. */
    private static final long WRITER_OPENING_SECONDS = 30;

    /** Opens the writer of one part file. */
    interface PartWriters {
        PerImageWriter open(int part) throws IOException;
    }

    /**
     * Writes the rows into {@code parts} part files of contiguous images, in evaluation order, one
     * thread per part (the first on this thread), as the Spark engine writes one file per core:
     * written on one thread, the rows' Parquet encoding was a tail of ~0.2 s of a 2.4 s val2014 run.
     */
    private static void writePerImage(CocoEvaluator.Evaluation ev, int parts, PartWriters writers, Progress.Phase progress)
            throws IOException {
        int n = ev.imageCount();
        PerImageWriter first = writers.open(0); // first: opening it made the directory
        List<CompletableFuture<Void>> others = new java.util.ArrayList<>();
        for (int g = 1; g < parts; g++) {
            int part = g;
            others.add(onDaemon(new CompletableFuture<>(), "capeval-per-image-" + part, () -> {
                try (PerImageWriter w = writers.open(part)) {
                    writeRows(ev, w, (int) ((long) n * part / parts), (int) ((long) n * (part + 1) / parts), progress);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return null;
            }));
        }
        try (first) {
            writeRows(ev, first, 0, (int) ((long) n / parts), progress);
        } finally { // the other parts' threads end before the output is committed or cleaned up
            for (CompletableFuture<Void> f : others) {
                try {
                    f.join();
                } catch (java.util.concurrent.CompletionException e) {
                    if (e.getCause() instanceof UncheckedIOException u) {
                        throw u.getCause();
                    }
                    throw unwrapped(e);
                }
            }
        }
    }

    private static void writeRows(CocoEvaluator.Evaluation ev, PerImageWriter w, int from, int to, Progress.Phase progress)
            throws IOException {
        for (int i = from; i < to; i++) {
            w.write(ev.imageId(i), ev.row(i));
            progress.add(1);
        }
    }

    /**
     * The run's time split, wall time unless marked: from the JVM's start to this job (start-up and
     * the command line), checking the paths and opening the output (Hadoop's file system), reading
     * both inputs, tokenizing, merging the threads' document frequencies, scoring, writing.
     */
    static String timeSplit(long jvmStartNanos, long setupNanos, long readNanos, CocoEvaluator.Timings t, long writeNanos) {
        StringBuilder metrics = new StringBuilder();
        t.metricThreads().forEach((name, nanos) -> metrics.append(metrics.length() == 0 ? "" : ", ").append(name)
                .append(' ').append(seconds(nanos)));
        return "JVM start " + seconds(jvmStartNanos) + ", checking paths and opening the output " + seconds(setupNanos)
                + ", reading " + seconds(readNanos)
                + ", tokenizing " + seconds(t.tokenizeWall())
                + (t.documentFrequencyThreads() > 0 ? " (counting document frequencies: " + seconds(t.documentFrequencyThreads())
                        + " of thread time)" : "")
                + ", merging " + seconds(t.mergeWall())
                + ", scoring " + seconds(t.scoringWall()) + " (thread time: " + metrics + ")"
                + ", writing " + seconds(writeNanos);
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /**
     * Completes {@code f} with {@code task}'s value, computed on a daemon thread of its own, or with
     * whatever the task throws or kept the thread from starting. CompletableFuture's own async
     * methods can lose an OutOfMemoryError on the way (in starting the thread, or in recording the
     * failure), and the run waiting for the future then never ended.
     */
    static <T> CompletableFuture<T> onDaemon(CompletableFuture<T> f, String name, java.util.concurrent.Callable<T> task) {
        try {
            Thread t = new Thread(() -> {
                try {
                    f.complete(task.call());
                } catch (Throwable e) {
                    fail(f, e);
                }
            }, name);
            t.setDaemon(true);
            // what escapes the task: out of memory in fail() itself, or met as the thread started,
            // before the task ran at all (with a heap far too small, about one run in 100 then
            // waited for a future nobody would complete)
            t.setUncaughtExceptionHandler((thread, e) -> {
                fail(f, e);
                if (!(e instanceof OutOfMemoryError)) {
                    e.printStackTrace();
                }
            });
            t.start();
        } catch (Throwable e) { // no memory for the thread
            fail(f, e);
        }
        return f;
    }

    /**
     * Records {@code e} as {@code f}'s outcome, trying again while there is no memory even for that
     * (a few bytes, which the other threads' failures soon free): a waiter must not wait for ever.
     */
    private static void fail(CompletableFuture<?> f, Throwable e) {
        while (!f.isDone()) {
            try {
                f.completeExceptionally(e);
            } catch (OutOfMemoryError none) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        }
    }

    /** Waits for {@code f} to complete, however it does (for at most a minute: a safety bound, as it does complete). */
    private static void awaitQuietly(CompletableFuture<?> f) {
        try {
            f.get(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
            // its own failure: the caller reports another
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The value, or the task's own exception (a CocoFormatException names the file and record). */
    static <T> T join(CompletableFuture<T> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw unwrapped(e);
        }
    }

    private static PerImageWriter joinWriter(CompletableFuture<PerImageWriter> f) throws IOException {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            throw unwrapped(e);
        }
    }

    /** A task's unchecked exception or error as itself (an OutOfMemoryError gets the job's advice), else {@code e}. */
    private static RuntimeException unwrapped(java.util.concurrent.CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
            return r;
        }
        if (e.getCause() instanceof Error err) {
            throw err;
        }
        return e;
    }

    /** Reads a local .json or .json.gz file with the given reader, closing it after. */
    private static <T> T read(String p, Progress.Phase progress, java.util.function.Function<InputStream, T> reader) {
        try (InputStream in = CocoJson.maybeGunzip(new ReadProgress(Files.newInputStream(InputFiles.localPath(p)), progress))) {
            return reader.apply(in);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new IllegalArgumentException(p + ": no such file");
        } catch (IOException e) {
            throw new UncheckedIOException(p + ": " + e.getMessage(), e);
        }
    }
}
