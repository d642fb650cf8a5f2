package org.capeval.jobs.score;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.util.HadoopOutputFile;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.capeval.jobs.InputFiles;
import org.capeval.jobs.JobFailure;
import org.capeval.jobs.SparkProgress;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.ScoringContext;
import org.capeval.metrics.cider.DocumentFrequencies;
import org.capeval.metrics.core.EvalImage;
import org.capeval.metrics.core.EvaluationSet;
import org.capeval.metrics.core.LookAhead;
import org.capeval.metrics.core.PartialScores;
import org.capeval.metrics.core.RangeScorer;
import org.capeval.metrics.core.Scoring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The score job's Spark engine: the scoring core ({@link Scoring}) run over partitions. The driver
 * streams the JSON inputs once, judges them ({@link org.capeval.metrics.core.EvaluationSet.Judge})
 * and stages each caption in the file of the partition holding its evaluation position
 * ({@link PositionStaging}), so each task reads its images in evaluation order without a shuffle;
 * each partition is a range tokenized with the next partitions' first captions as look-ahead;
 * document frequencies are counted per partition and merged (on the driver while they are few);
 * each partition is scored by a {@link RangeScorer} into a {@link PartialScores} (merged on the
 * driver as tasks finish, without a shuffle stage: never a value per image; any merge order gives
 * the same bits) and its per-image rows, which each task writes to a part file ({@link #writePerImage}).
 */
final class SparkScore {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class); // the job's name in the log, whichever engine

    /** The score job's classes Spark ships, for Kryo's registration. */
    static final Class<?>[] KRYO_CLASSES = {EvalImage.class, TokenizedRange.class, ScoredRange.class,
        PartialScores.class, String[].class, double[].class, double[][].class, long[].class};

    private SparkScore() {}

    /** Runs the job on {@code sc}; {@code spark}, its Spark SQL session, is needed with SPICE only (may be null without). */
    static ObjectNode run(JavaSparkContext sc, SparkSession spark, ScoreOptions o) throws IOException {
        if (o.spice && spark == null) {
            throw new IllegalStateException("SPICE needs a SparkSession");
        }
        Configuration hadoop = sc.hadoopConfiguration();
        ScoreInputs.check(o, hadoop); // every input exists and is a file, before any work
        List<JavaRDD<?>> cached = new ArrayList<>();
        boolean done = false;
        try (ScoreOutput output = ScoreOutput.open(hadoop, o)) {
            long start = System.nanoTime();
            ObjectNode eval = score(spark, sc, o, output, cached);
            JobFailure.writing("--out " + o.out, () -> {
                output.commit();
                return null;
            });
            done = true;
            double seconds = (System.nanoTime() - start) / 1e9;
            long n = eval.get("n_images").asLong();
            LOG.info(String.format("done: %d images scored in %.1f s (%.0f images/s), output %s", n, seconds, n / seconds, o.out));
            return eval;
        } finally {
            // After a success, blocking: the context is usually stopped next, and blocks still being
            // removed then made the block manager warn once per partition (19-40 lines at 1M). Not
            // after a failure: a signal's shutdown may be stopping the context, and a blocking call
            // would wait for its RPC timeout instead of letting the job report.
            boolean blocking = done && !sc.sc().isStopped();
            for (JavaRDD<?> rdd : cached) {
                rdd.unpersist(blocking);
            }
        }
    }

    private static ObjectNode score(SparkSession spark, JavaSparkContext sc, ScoreOptions o, ScoreOutput output, List<JavaRDD<?>> cached)
            throws IOException {
        Configuration hadoop = sc.hadoopConfiguration();
        CaptionTokenizer tokenizer = o.pretokenized ? CaptionTokenizer.pretokenized() : CaptionTokenizer.ptb();
        Scoring scoring = new Scoring(o.metrics, tokenizer, loadIdf(o, hadoop));

        // read and judge: the driver streams the inputs into one staging file per partition of evaluation positions
        Path staging = new Path(output.tmp(), "_staging");
        PositionStaging staged = JobFailure.writing("--out " + o.out + " (staging the inputs in its temporary directory)",
                () -> PositionStaging.stage(hadoop, o.refs, o.results, staging, o.partitions, sc.defaultParallelism()));
        int parts = staged.partitions();
        long[] starts = staged.starts;
        long n = staged.images();
        LOG.info("read {} evaluated images into {} partitions", n, parts);
        // once per executor, not in every task's closure (a Configuration serializes to tens of KB)
        Broadcast<SerializableConfiguration> conf = sc.broadcast(new SerializableConfiguration(hadoop));
        JavaRDD<EvalImage> sorted = sc.parallelize(java.util.stream.IntStream.range(0, parts).boxed().toList(), parts)
                .mapPartitionsWithIndex((p, it) -> staged.images(conf.value().value(), p).iterator(), true);

        // tokenize: each partition is a range of the tokenizer runs, with the next ranges' look-ahead
        List<LookAhead> heads = staged.heads;
        if (heads.contains(null)) { // results missing for a partition's first images: its head is in its file
            try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "ordering", "images", n, null)) {
                heads = sorted.mapPartitions(it -> List.of(LookAhead.head(it)).iterator()).collect();
            }
        }
        LookAhead[] next = LookAhead.following(heads);
        JavaRDD<TokenizedRange> tokenized = sorted.mapPartitionsWithIndex((p, it) -> {
            List<EvalImage> range = new ArrayList<>();
            it.forEachRemaining(range::add);
            return List.of(new TokenizedRange(range, next[p].tokenize(tokenizer, range))).iterator();
        }, true).persist(StorageLevel.DISK_ONLY()); // read by 2-3 passes; the page cache keeps them fast
        cached.add(tokenized);

        // document frequencies: counted per partition, merged (DocumentFrequencyTables), settled, broadcast
        DocumentFrequencies counted = null;
        if (scoring.countsDocumentFrequencies()) {
            try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "tokenizing, document frequencies", "images", n, null)) {
                counted = DocumentFrequencyTables.merge(
                        tokenized.mapPartitions(it -> List.of(Scoring.countDocumentFrequencies(() -> TokenizedRange.tokens(it))).iterator()));
            }
        }
        DocumentFrequencies df = scoring.documentFrequencies(counted);
        if (df != null) {
            LOG.info("document frequencies: {} n-grams over {} documents ({})", df.size(), df.documents(), df.source());
        }
        Broadcast<ScoringContext> context = sc.broadcast(Scoring.context(df));

        // score: one range scorer per partition; the driver merges the partial states as tasks finish
        JavaRDD<ScoredRange> scored = tokenized.mapPartitionsWithIndex((p, it) -> {
            RangeScorer scorer = scoring.rangeScorer(context.value(), n, starts[p], (int) (starts[p + 1] - starts[p]));
            ScoredRange range = new ScoredRange((int) (starts[p + 1] - starts[p]), scoring.suite().keys().size());
            for (int i = 0; it.hasNext(); ) { // one tokenized range per partition
                TokenizedRange tokens = it.next();
                for (int j = 0; j < tokens.size(); j++, i++) {
                    ImageTokens image = tokens.tokens(j);
                    range.imageIds[i] = image.imageId();
                    scorer.score(starts[p] + i, image, range.rows[i]);
                }
            }
            range.partial = scorer.finish();
            return List.of(range).iterator();
        }, true).persist(StorageLevel.DISK_ONLY());
        cached.add(scored);
        PartialScores all;
        try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "scoring", "images", n, null)) {
            all = scored.map(r -> r.partial).reduce(PartialScores::merge);
        }
        String signature = o.spice ? SpiceStage.signature(scoring.signature(df)) : scoring.signature(df);
        ObjectNode eval = scoring.evalJson(all, signature);
        SpiceStage spice = o.spice ? SpiceStage.run(spark, tokenized.flatMap(r -> {
            List<EvalImage> images = new ArrayList<>(r.size());
            for (int i = 0; i < r.size(); i++) {
                images.add(r.image(i));
            }
            return images.iterator();
        }), o.spiceCache == null ? null : InputFiles.hadoopPath(o.spiceCache).toString()) : null;
        if (spice != null) {
            spice.addTo(eval);
        }

        // write into the temporary directory
        List<String> keys = scoring.suite().keys();
        Path perImage = new Path(output.tmp(), "per_image");
        boolean reread = spice != null && o.pycocoevalcap(); // written, then streamed into pycocoevalcap.json
        Dataset<Row> joined = spice == null ? null : spice.join(perImageTable(spark, scored, keys));
        Dataset<Row> written = reread ? joined.persist(StorageLevel.DISK_ONLY()) : joined;
        JobFailure.writing("--out " + o.out, () -> {
            try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "writing", "rows", n, null)) {
                if (written == null) {
                    writePerImage(scored, conf, keys, o.perImageFormat, output.fs(), perImage, sc.defaultParallelism());
                } else if (o.perImageFormat.equals("json")) {
                    written.write().json(perImage.toString());
                } else {
                    written.write().parquet(perImage.toString());
                }
            }
            output.writeEvalJson(eval);
            if (o.pycocoevalcap()) { // the rows come to the driver one partition at a time
                PycocoevalcapJson.write(output, eval, keys, spice == null
                        ? PycocoevalcapJson.rows(scored.toLocalIterator(), r -> r.imageIds, r -> r.rows)
                        : SpiceStage.pycocoevalcapRows(written, keys));
            }
            output.writeIdf(df);
            return output.fs().delete(staging, true);
        });
        if (reread) {
            written.unpersist(false);
        }
        LOG.info("scored {} images: {}", n, eval.get("eval"));
        return eval;
    }

    /**
     * Writes {@code dir} ({@code per_image/}) without Spark SQL: one part file per group of
     * contiguous partitions (one group per core: a task per scoring partition, each opening a writer
     * and committing a file, cost 11 s of an 84 s run at 1M images), written by the group's task
     * with {@link PerImageWriter} through Hadoop's file system, in evaluation order. A task attempt
     * writes under its own name in a hidden directory next to {@code dir}; the driver renames the
     * one file each group's successful attempt reported to the group's part name and deletes the
     * rest, so a failed, retried or speculative attempt never leaves a torn or second copy in
     * {@code dir} (a speculative attempt still running when the job ends could recreate the hidden
     * directory, never a file in {@code dir}). Spark SQL's writer did the same with its commit
     * protocol, but planning the query and loading Catalyst cost 3.5-6 s before the first row.
     */
    static void writePerImage(JavaRDD<ScoredRange> scored, Broadcast<SerializableConfiguration> conf, List<String> keys, String format,
            FileSystem fs, Path dir, int parallelism) throws IOException {
        String attempts = new Path(dir.getParent(), "_" + dir.getName() + "_attempts").toString();
        List<String> columns = new ArrayList<>(keys);
        int files = Math.max(1, Math.min(scored.getNumPartitions(), parallelism));
        JavaRDD<ScoredRange> grouped = scored.rdd().coalesce(files, false, scala.Option.apply(new ContiguousCoalescer()), null).toJavaRDD();
        List<String> written = grouped.mapPartitionsWithIndex((g, it) -> {
            Path file = new Path(attempts, PerImageWriter.partFile(g, format) + ".attempt-" + TaskContext.get().taskAttemptId());
            try (PerImageWriter w = PerImageWriter.open(format, HadoopOutputFile.fromPath(file, conf.value().value()), columns)) {
                while (it.hasNext()) {
                    ScoredRange r = it.next();
                    for (int i = 0; i < r.imageIds.length; i++) {
                        w.write(r.imageIds[i], r.rows[i]);
                    }
                }
            }
            return List.of(file.toString()).iterator();
        }, true).collect(); // one file per group, in group order: the successful attempts'
        fs.mkdirs(dir);
        for (int g = 0; g < written.size(); g++) {
            Path to = new Path(dir, PerImageWriter.partFile(g, format));
            if (!fs.rename(new Path(written.get(g)), to)) {
                throw new IOException("could not rename " + written.get(g) + " to " + to);
            }
        }
        fs.delete(new Path(attempts), true);
        fs.create(new Path(dir, PerImageWriter.SUCCESS), false).close();
    }

    /** The per-image rows as a Spark SQL table, for the join with SPICE's values. */
    private static Dataset<Row> perImageTable(SparkSession spark, JavaRDD<ScoredRange> scored, List<String> keys) {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("image_id", DataTypes.LongType, false));
        for (String k : keys) {
            fields.add(DataTypes.createStructField(k, DataTypes.DoubleType, false));
        }
        return spark.createDataFrame(scored.flatMap(r -> r.rows().iterator()), new StructType(fields.toArray(new StructField[0])));
    }

    /** Groups contiguous partitions, in order: the coalesced RDD keeps its parent's order. */
    static final class ContiguousCoalescer implements org.apache.spark.rdd.PartitionCoalescer, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public org.apache.spark.rdd.PartitionGroup[] coalesce(int maxPartitions, org.apache.spark.rdd.RDD<?> parent) {
            org.apache.spark.Partition[] parts = parent.partitions();
            int groups = Math.max(1, Math.min(maxPartitions, parts.length));
            org.apache.spark.rdd.PartitionGroup[] out = new org.apache.spark.rdd.PartitionGroup[groups];
            for (int g = 0; g < groups; g++) {
                out[g] = new org.apache.spark.rdd.PartitionGroup(scala.Option.empty());
                for (long i = (long) parts.length * g / groups; i < (long) parts.length * (g + 1) / groups; i++) {
                    out[g].partitions().addOne(parts[(int) i]);
                }
            }
            return out;
        }
    }

    /** One partition's scored images: ids and per-image rows in evaluation order, and its partial state. */
    static final class ScoredRange implements Serializable {
        private static final long serialVersionUID = 1L;
        final long[] imageIds;
        final double[][] rows;
        PartialScores partial;

        ScoredRange(int size, int keys) {
            imageIds = new long[size];
            rows = new double[size][keys];
        }

        List<Row> rows() {
            List<Row> out = new ArrayList<>(imageIds.length);
            for (int i = 0; i < imageIds.length; i++) {
                Object[] v = new Object[rows[i].length + 1];
                v[0] = imageIds[i];
                for (int k = 0; k < rows[i].length; k++) {
                    v[k + 1] = rows[i][k];
                }
                out.add(RowFactory.create(v));
            }
            return out;
        }
    }

    private static DocumentFrequencies loadIdf(ScoreOptions o, Configuration hadoop) throws IOException {
        if (o.idf == null) {
            return null;
        }
        Path idf = InputFiles.hadoopPath(o.idf);
        try (InputStream in = idf.getFileSystem(hadoop).open(idf)) {
            return DocumentFrequencies.load(in, idf.getName());
        }
    }
}
