package org.capeval.jobs.score;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.capeval.jobs.InputFiles;
import org.capeval.metrics.Progress;
import org.capeval.metrics.coco.CocoJson;
import org.capeval.metrics.core.EvalImage;
import org.capeval.metrics.core.EvaluationSet;
import org.capeval.metrics.core.LookAhead;

/**
 * The Spark engine's reading step. The driver streams both COCO JSON files once with Jackson (one
 * record in memory at a time), judges them with {@link EvaluationSet.Judge} (a few bytes per image:
 * COCO's input errors are found here, before any Spark work), and writes every evaluated caption
 * (on a second thread, in order) into the staging file of the partition that holds its evaluation position (contiguous
 * position ranges, {@link PositionPartitioner}). Each Spark task then reads one file and has its
 * images in evaluation order ({@link #images}) without a shuffle: the profile of the former
 * group-by-image-id and sort shuffles put them at about 40% of a 1M-image run.
 *
 * <p>Staged captions are {@link CaptionRecords} of kind {@code R} or {@code C} (reference or
 * candidate); references keep file order, as COCO's {@code imgToAnns}.
 *
 * <p>The driver also keeps the captions of the first {@link #HEAD_POSITIONS} positions of each
 * partition, so the tokenizer's look-ahead ({@link LookAhead#head}) is known without a pass over
 * the staged files, which read and parsed every caption once more (~7% of a 200k-image run's task
 * time). A partition whose first positions hold too few evaluated images (results missing for
 * them) has no head here; the engine then takes the heads from the files.
 */
final class PositionStaging implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Images per partition when --partitions is not given (about 50,000 reference captions). */
    static final int IMAGES_PER_PARTITION = 10_000;

    /**
     * One partition per {@link #IMAGES_PER_PARTITION} images (at most 4096), rounded up to a multiple
     * of {@code cores}: every wave of tasks then fills the cores. With 21 partitions on 2 cores (200k
     * images) each stage's last task ran alone, one core idle for a task's time.
     */
    static int defaultPartitions(int images, int cores) {
        int c = Math.max(1, cores);
        int waves = (Math.min(4096, images / IMAGES_PER_PARTITION + 1) + c - 1) / c;
        return waves * c;
    }

    /** Positions of each partition whose captions the driver keeps for the look-ahead. */
    static final int HEAD_POSITIONS = 4 * LookAhead.CAPTIONS;

    final String dir;
    final PositionPartitioner partitioner;
    /** Evaluated images before partition p ({@code starts[partitions]}: all of them). */
    final long[] starts;
    /** Each partition's {@link LookAhead#head}, or null when one is not known from the kept captions (driver only). */
    final transient List<LookAhead> heads;

    private PositionStaging(String dir, PositionPartitioner partitioner, long[] starts, List<LookAhead> heads) {
        this.dir = dir;
        this.partitioner = partitioner;
        this.starts = starts;
        this.heads = heads;
    }

    int partitions() {
        return partitioner.numPartitions();
    }

    long images() {
        return starts[starts.length - 1];
    }

    private static Path file(String dir, int p) {
        return new Path(dir, String.format("part-%05d", p));
    }

    /**
     * Stages the inputs into {@code dir}.
     *
     * @param partitions --partitions, or 0 for {@link #defaultPartitions}
     * @throws org.capeval.metrics.coco.CocoFormatException for COCO's first input error
     */
    static PositionStaging stage(Configuration hadoop, String refsFile, String resultsFile, Path dir, int partitions, int cores)
            throws IOException {
        FileSystem fs = dir.getFileSystem(hadoop);
        Path refsIn = InputFiles.hadoopPath(refsFile);
        Path resultsIn = InputFiles.hadoopPath(resultsFile);
        FileSystem refsFs = refsIn.getFileSystem(hadoop);
        FileSystem resultsFs = resultsIn.getFileSystem(hadoop);
        long bytes = refsFs.getFileStatus(refsIn).getLen() + resultsFs.getFileStatus(resultsIn).getLen();
        Writers w = new Writers(fs, dir, partitions, cores);
        try (Progress.Phase reading = Progress.start("reading", "bytes", bytes)) {
            try (InputStream in = CocoJson.maybeGunzip(new ReadProgress(refsFs.open(refsIn), reading))) {
                CocoJson.readAnnotations(in, refsFile, new CocoJson.AnnotationVisitor() {
                    @Override
                    public void image(long index, long imageId) {
                        w.judge.image(imageId);
                    }

                    @Override
                    public void annotation(long index, long imageId, String caption) {
                        w.reference(imageId, caption);
                    }
                });
            }
            w.routePending();
            try (InputStream in = CocoJson.maybeGunzip(new ReadProgress(resultsFs.open(resultsIn), reading))) {
                CocoJson.readResults(in, resultsFile, (index, imageId, caption) -> {
                    int pos = w.judge.result(index, imageId);
                    if (pos >= 0) {
                        w.write(pos, 'C', imageId, caption);
                    }
                });
            }
        } finally {
            w.close();
        }
        EvaluationSet.Problem problem = w.judge.firstProblem();
        if (problem != null) {
            throw problem.toException(resultsFile, refsFile);
        }
        long[] candidates = w.candidates();
        long[] starts = new long[w.partitions() + 1];
        for (int p = 0; p < w.partitions(); p++) {
            starts[p + 1] = starts[p] + candidates[p];
        }
        return new PositionStaging(dir.toString(), w.partitioner, starts, w.heads());
    }

    /** Partition p's evaluated images, in evaluation order (on an executor). */
    List<EvalImage> images(Configuration hadoop, int p) throws IOException {
        int lo = (int) partitioner.lo(p);
        int size = (int) (partitioner.lo(p + 1) - lo);
        String[] candidates = new String[size];
        long[] ids = new long[size];
        List<List<String>> refs = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            refs.add(null);
        }
        Path file = file(dir, p);
        FileSystem fs = file.getFileSystem(hadoop);
        if (fs.exists(file)) {
            try (CaptionRecords.Reader r = new CaptionRecords.Reader(fs.open(file))) {
                while (r.next()) {
                    int at = r.position - lo;
                    ids[at] = r.imageId;
                    if (r.kind == 'C') {
                        candidates[at] = r.caption;
                    } else {
                        if (refs.get(at) == null) {
                            refs.set(at, new ArrayList<>(5));
                        }
                        refs.get(at).add(r.caption);
                    }
                }
            }
        }
        List<EvalImage> out = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            if (candidates[i] != null) { // the judge saw its references
                out.add(new EvalImage(lo + i, ids[i], candidates[i], refs.get(i).toArray(new String[0])));
            }
        }
        return out;
    }

    /**
     * The judge and the partition files, opened once the number of images (hence the position
     * ranges) is known. The driver thread parses and judges; a second thread ({@link Sink}) encodes
     * and writes the staged records and keeps the heads, in the order the judge passed them
     * (one bounded queue, one consumer), so the files are the same as written on one thread. The
     * profile at 1M images put these writes at about a third of the driver's staging time, with
     * the 2 cores otherwise idle.
     */
    private static final class Writers {
        final EvaluationSet.Judge judge = new EvaluationSet.Judge(1 << 16);
        private final FileSystem fs;
        private final Path dir;
        private final int requested;
        private final int cores;
        PositionPartitioner partitioner;
        private Sink sink;
        private CaptionRecords.Writer pending; // references met before the images array (key order is free in JSON)
        private final Path pendingPath;

        Writers(FileSystem fs, Path dir, int requested, int cores) {
            this.fs = fs;
            this.dir = dir;
            this.requested = requested;
            this.cores = cores;
            pendingPath = new Path(dir, "pending-references");
        }

        int partitions() {
            open();
            return partitioner.numPartitions();
        }

        long[] candidates() throws IOException {
            open();
            return sink.finish().candidates;
        }

        private void open() {
            if (sink != null) {
                return;
            }
            int images = judge.images();
            // never more partitions than images: an empty partition is a task, a file and a table for nothing
            int parts = requested > 0 ? Math.min(requested, Math.max(1, images)) : defaultPartitions(images, cores);
            partitioner = new PositionPartitioner(parts, images);
            sink = new Sink(fs, dir, partitioner);
        }

        void reference(long imageId, String caption) {
            if (sink == null && pending == null && judge.images() == 0) {
                pending = writer(fs, pendingPath); // no image listed yet: "annotations" comes first in this file
            }
            if (pending != null) {
                record(pending, 'R', 0, imageId, caption);
                return;
            }
            open();
            int pos = judge.reference(imageId);
            if (pos >= 0) {
                write(pos, 'R', imageId, caption);
            }
        }

        /** Routes the references met before the images, now that the images are known. */
        void routePending() throws IOException {
            if (pending == null) {
                return;
            }
            pending.close();
            pending = null;
            if (judge.images() == 0) { // no image listed at all: every reference is of an unlisted image
                fs.delete(pendingPath, false);
                return;
            }
            try (CaptionRecords.Reader r = new CaptionRecords.Reader(fs.open(pendingPath))) {
                while (r.next()) {
                    reference(r.imageId, r.caption);
                }
            }
            fs.delete(pendingPath, false);
        }

        void write(int pos, char kind, long imageId, String caption) {
            open();
            sink.add(pos, kind, imageId, caption);
        }

        List<LookAhead> heads() throws IOException {
            open();
            return sink.finish().heads();
        }

        /** Stops the writing thread (after the records passed so far) and closes every file; the first failure is thrown. */
        void close() throws IOException {
            IOException first = null;
            if (sink != null) {
                try {
                    sink.finish();
                } catch (IOException e) {
                    first = e;
                }
            }
            if (pending != null) {
                try {
                    pending.close();
                } catch (IOException e) {
                    first = first == null ? e : first;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    /** The staged records of the judged captions, written on a thread of their own. */
    private static final class Sink implements Runnable {
        private static final int BATCH = 4096;
        private static final Batch END = new Batch(0);

        /** Judged captions in the judge's order: a batch, not a queue entry per caption (hand-off cost). */
        private static final class Batch {
            final int[] pos;
            final char[] kind;
            final long[] ids;
            final String[] captions;
            int n;

            Batch(int size) {
                pos = new int[size];
                kind = new char[size];
                ids = new long[size];
                captions = new String[size];
            }
        }

        private final FileSystem fs;
        private final Path dir;
        private final PositionPartitioner partitioner;
        private final CaptionRecords.Writer[] out;
        final long[] candidates;
        /** Per partition, the captions of its first HEAD_POSITIONS positions: [at] = {candidate, references...}. */
        private final List<List<String>>[] kept;
        private final java.util.concurrent.BlockingQueue<Batch> queue = new java.util.concurrent.ArrayBlockingQueue<>(8);
        private final Thread thread;
        private volatile Throwable failed;
        private Batch current = new Batch(BATCH);
        private boolean finished;

        @SuppressWarnings("unchecked")
        Sink(FileSystem fs, Path dir, PositionPartitioner partitioner) {
            this.fs = fs;
            this.dir = dir;
            this.partitioner = partitioner;
            out = new CaptionRecords.Writer[partitioner.numPartitions()];
            candidates = new long[out.length];
            @SuppressWarnings({"unchecked", "rawtypes"}) // an array of a generic type is made from the raw one
            List<List<String>>[] lists = new List[out.length];
            kept = lists;
            thread = new Thread(this, "capeval-staging-writer");
            thread.setDaemon(true);
            thread.start();
        }

        /** On the judging thread. */
        void add(int pos, char kind, long imageId, String caption) {
            Batch b = current;
            b.pos[b.n] = pos;
            b.kind[b.n] = kind;
            b.ids[b.n] = imageId;
            b.captions[b.n] = caption;
            if (++b.n == BATCH) {
                hand(b);
                current = new Batch(BATCH);
            }
        }

        private void hand(Batch b) {
            rethrow();
            try {
                queue.put(b);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UncheckedIOException(new java.io.InterruptedIOException("staging interrupted"));
            }
        }

        private void rethrow() {
            Throwable t = failed;
            if (t instanceof UncheckedIOException u) {
                throw u;
            } else if (t instanceof RuntimeException r) {
                throw r;
            } else if (t instanceof Error e) {
                throw e;
            } else if (t != null) {
                throw new IllegalStateException(t);
            }
        }

        /** On the judging thread: writes what was passed, closes the files, rethrows the writing thread's failure. Idempotent. */
        Sink finish() throws IOException {
            if (!finished) {
                finished = true;
                boolean interrupted = false;
                // never blocks for good: the writing thread takes every batch, discarding them after a failure
                for (Batch b : current.n > 0 ? List.of(current, END) : List.of(END)) {
                    while (true) {
                        try {
                            queue.put(b);
                            break;
                        } catch (InterruptedException e) {
                            interrupted = true; // the files must be closed before the directory can go
                        }
                    }
                }
                while (true) {
                    try {
                        thread.join();
                        break;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    }
                }
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failed instanceof UncheckedIOException u) {
                throw u.getCause();
            }
            rethrow();
            return this;
        }

        @Override
        public void run() {
            try {
                for (Batch b = queue.take(); b != END; b = queue.take()) {
                    if (failed == null) {
                        for (int i = 0; i < b.n; i++) {
                            write(b.pos[i], b.kind[i], b.ids[i], b.captions[i]);
                        }
                    }
                }
            } catch (Throwable t) {
                failed = t;
                drain();
            } finally {
                close();
            }
        }

        /** After a failure: takes the judging thread's batches until the end (it never blocks on a full queue). */
        private void drain() {
            try {
                while (queue.take() != END) {
                    // discarded
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void close() {
            for (CaptionRecords.Writer b : out) {
                if (b != null) {
                    try {
                        b.close();
                    } catch (IOException | RuntimeException e) {
                        if (failed == null) {
                            failed = e instanceof IOException io ? new UncheckedIOException(io) : e;
                        }
                    }
                }
            }
        }

        private void write(int pos, char kind, long imageId, String caption) {
            int p = partitioner.getPartition(pos);
            if (out[p] == null) {
                out[p] = writer(fs, file(dir.toString(), p));
            }
            if (kind == 'C') {
                candidates[p]++;
            }
            keep(p, (int) (pos - partitioner.lo(p)), kind, caption);
            record(out[p], kind, pos, imageId, caption);
        }

        private void keep(int p, int at, char kind, String caption) {
            if (at >= HEAD_POSITIONS) {
                return;
            }
            if (kept[p] == null) {
                kept[p] = new ArrayList<>(HEAD_POSITIONS);
                for (int i = 0; i < HEAD_POSITIONS; i++) {
                    kept[p].add(null);
                }
            }
            List<String> image = kept[p].get(at);
            if (image == null) {
                image = new ArrayList<>(6);
                image.add(null); // the candidate's place
                kept[p].set(at, image);
            }
            if (kind == 'C') {
                image.set(0, caption);
            } else {
                image.add(caption);
            }
        }

        /**
         * Each partition's head from the kept captions, in evaluation order (references in file
         * order, as the staged files give them); null for a partition when its kept positions hold
         * fewer than {@link LookAhead#CAPTIONS} evaluated images and are not the whole partition.
         */
        List<LookAhead> heads() {
            List<LookAhead> heads = new ArrayList<>(out.length);
            for (int p = 0; p < out.length; p++) {
                List<EvalImage> first = new ArrayList<>();
                long lo = partitioner.lo(p);
                int size = (int) Math.min(HEAD_POSITIONS, partitioner.lo(p + 1) - lo);
                for (int at = 0; kept[p] != null && at < size; at++) {
                    List<String> image = kept[p].get(at);
                    if (image != null && image.get(0) != null) { // evaluated: it has a result
                        first.add(new EvalImage(lo + at, 0, image.get(0), image.subList(1, image.size()).toArray(new String[0])));
                    }
                }
                boolean whole = partitioner.lo(p + 1) - lo <= HEAD_POSITIONS;
                heads.add(whole || first.size() >= LookAhead.CAPTIONS ? LookAhead.head(first.iterator()) : null);
            }
            return heads;
        }
    }

    private static CaptionRecords.Writer writer(FileSystem fs, Path p) {
        try {
            return new CaptionRecords.Writer(fs.create(p, false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void record(CaptionRecords.Writer w, char kind, int pos, long imageId, String caption) {
        try {
            w.write(kind, pos, imageId, caption);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
