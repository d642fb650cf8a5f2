package org.capeval.jobs.score;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapred.FileInputFormat;
import org.apache.hadoop.mapred.JobConf;
import org.apache.hadoop.mapred.TextInputFormat;
import org.apache.spark.api.java.JavaPairRDD;
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
import org.capeval.jobs.SparkProgress;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.ScoringContext;
import org.capeval.metrics.cider.DocumentFrequencies;
import org.capeval.metrics.coco.CocoFormatException;
import org.capeval.metrics.core.EvalImage;
import org.capeval.metrics.core.EvaluationSet;
import org.capeval.metrics.core.LookAhead;
import org.capeval.metrics.core.PartialScores;
import org.capeval.metrics.core.RangeScorer;
import org.capeval.metrics.core.Scoring;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * The score job's Spark engine: the scoring core ({@link Scoring}) run over partitions. The driver
 * stages the JSON inputs as line files ({@link JsonStaging}); Spark groups results and references
 * by image id and judges each image with {@link EvaluationSet#check} (the first problem, in COCO's
 * order, is the error); the images are sorted into evaluation order and cut into partitions, each
 * a range tokenized with the next partitions' first captions as look-ahead; document frequencies
 * are counted per partition and tree-reduced; each partition is scored by a {@link RangeScorer}
 * into a {@link PartialScores} (tree-reduced on the driver: never a value per image) and its
 * per-image rows, which are written with Spark's writers.
 */
final class SparkScore {
    private static final Logger LOG = LoggerFactory.getLogger(SparkScore.class);

    /** The score job's classes Spark ships, for Kryo's registration. */
    static final Class<?>[] KRYO_CLASSES = {EvalImage.class, EvaluationSet.Problem.class, Judged.class, ScoredRange.class,
        PartialScores.class, String[].class, double[].class, double[][].class, long[].class};

    private SparkScore() {}

    static ObjectNode run(SparkSession spark, ScoreOptions o) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hadoop = sc.hadoopConfiguration();
        ScoreInputs.check(o, hadoop); // every input exists and is a file, before any work
        List<JavaRDD<?>> cached = new ArrayList<>();
        try (ScoreOutput output = ScoreOutput.open(hadoop, o)) {
            long start = System.nanoTime();
            ObjectNode eval = score(spark, sc, o, output, cached);
            output.commit();
            double seconds = (System.nanoTime() - start) / 1e9;
            long n = eval.get("n_images").asLong();
            LOG.info(String.format("done: %d images scored in %.1f s (%.0f images/s), output %s", n, seconds, n / seconds, o.out));
            return eval;
        } finally {
            for (JavaRDD<?> rdd : cached) {
                rdd.unpersist(false);
            }
        }
    }

    private static ObjectNode score(SparkSession spark, JavaSparkContext sc, ScoreOptions o, ScoreOutput output, List<JavaRDD<?>> cached)
            throws IOException {
        Configuration hadoop = sc.hadoopConfiguration();
        CaptionTokenizer tokenizer = o.pretokenized ? CaptionTokenizer.pretokenized() : CaptionTokenizer.ptb();
        Scoring scoring = new Scoring(o.metrics, tokenizer, loadIdf(o, hadoop));

        // read: stream the JSON inputs into line files (driver memory: one record)
        Path staging = new Path(output.tmp(), "_staging");
        JsonStaging staged = JsonStaging.stage(hadoop, o.refs, o.results, staging);
        int parts = o.partitions > 0 ? o.partitions
                : (int) Math.max(sc.defaultParallelism(), Math.min(4096, staged.annotations / 50_000 + 1));
        LOG.info("read {} images, {} reference captions, {} results; {} partitions", staged.images, staged.annotations, staged.results, parts);
        if (staged.results == 0) {
            throw CocoFormatException.noResults(o.results);
        }

        // the evaluation set: group by image id, judge each image, order as COCO does
        JavaPairRDD<Long, Long> images = lines(sc, staged.imagesPath, parts)
                .mapToPair(l -> new Tuple2<>(CaptionLines.field(l, 1), CaptionLines.field(l, 0)))
                .reduceByKey(Math::min); // a repeated id keeps its first position, as COCO's dict
        JavaPairRDD<Long, Tuple2<Long, String>> results = captions(sc, staged.resultsPath, parts);
        JavaPairRDD<Long, Tuple2<Long, String>> refs = captions(sc, staged.refsPath, parts);
        JavaRDD<Judged> judged = images.cogroup(results, refs, parts)
                .flatMap(g -> Judged.of(g._1(), g._2()._1(), g._2()._2(), g._2()._3()).iterator())
                .persist(StorageLevel.DISK_ONLY()); // read twice; on disk so tokenizing keeps the heap
        cached.add(judged);
        List<EvaluationSet.Problem> problems;
        try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "checking", "images", -1, null)) {
            problems = judged.filter(j -> j.problem != null).map(j -> j.problem).takeOrdered(1, EvaluationSet.Problem.ORDER);
        }
        if (!problems.isEmpty()) {
            throw problems.get(0).toException(o.results, o.refs);
        }
        JavaRDD<EvalImage> sorted = judged.filter(j -> j.image != null)
                .mapToPair(j -> new Tuple2<>(j.image.position(), j.image))
                .repartitionAndSortWithinPartitions(new PositionPartitioner(parts, staged.images)) // no sampling pass
                .values()
                .persist(StorageLevel.DISK_ONLY());
        cached.add(sorted);

        // tokenize: each partition is a range of the tokenizer runs, with the next ranges' look-ahead;
        // the same pass counts each partition's images (where its range of evaluation indexes starts)
        List<Tuple2<LookAhead, Long>> heads;
        try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "ordering", "images", -1, null)) {
            heads = sorted.mapPartitions(it -> {
            long[] count = {0};
            java.util.Iterator<EvalImage> counting = new java.util.Iterator<>() {
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public EvalImage next() {
                    count[0]++;
                    return it.next();
                }
            };
            LookAhead head = LookAhead.head(counting);
            while (counting.hasNext()) {
                counting.next();
            }
            return List.of(new Tuple2<>(head, count[0])).iterator();
            }).collect();
        }
        LookAhead[] next = LookAhead.following(heads.stream().map(Tuple2::_1).toList());
        long[] starts = new long[heads.size() + 1];
        for (int p = 0; p < heads.size(); p++) {
            starts[p + 1] = starts[p] + heads.get(p)._2();
        }
        long n = starts[heads.size()];
        JavaRDD<EvalImage> tokenized = sorted.mapPartitionsWithIndex((p, it) -> {
            List<EvalImage> range = new ArrayList<>();
            it.forEachRemaining(range::add);
            List<ImageTokens> toks = next[p].tokenize(tokenizer, range);
            List<EvalImage> out = new ArrayList<>(range.size());
            for (int i = 0; i < range.size(); i++) {
                ImageTokens t = toks.get(i);
                out.add(new EvalImage(range.get(i).position(), t.imageId(), t.candidate(), t.references()));
            }
            return out.iterator();
        }, true).persist(StorageLevel.DISK_ONLY()); // read by 2-3 passes; the page cache keeps them fast
        cached.add(tokenized);

        // document frequencies: counted per partition, tree-reduced, settled, broadcast
        DocumentFrequencies counted = null;
        if (scoring.countsDocumentFrequencies()) {
            try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "tokenizing, document frequencies", "images", n, null)) {
                counted = tokenized.mapPartitions(it -> List.of(Scoring.countDocumentFrequencies(() -> tokens(it))).iterator())
                        .treeReduce(DocumentFrequencies::merge);
            }
        }
        DocumentFrequencies df = scoring.documentFrequencies(counted);
        if (df != null) {
            LOG.info("document frequencies: {} n-grams over {} documents ({})", df.size(), df.documents(), df.source());
        }
        Broadcast<ScoringContext> context = sc.broadcast(Scoring.context(df));

        // score: one range scorer per partition; the driver tree-reduces the partial states
        JavaRDD<ScoredRange> scored = tokenized.mapPartitionsWithIndex((p, it) -> {
            RangeScorer scorer = scoring.rangeScorer(context.value(), n, starts[p], (int) (starts[p + 1] - starts[p]));
            ScoredRange range = new ScoredRange((int) (starts[p + 1] - starts[p]), scoring.suite().keys().size());
            for (int i = 0; it.hasNext(); i++) {
                EvalImage image = it.next();
                range.imageIds[i] = image.imageId();
                scorer.score(starts[p] + i, new ImageTokens(image.imageId(), image.candidate(), image.references()), range.rows[i]);
            }
            range.partial = scorer.finish();
            return List.of(range).iterator();
        }, true).persist(StorageLevel.DISK_ONLY());
        cached.add(scored);
        PartialScores all;
        try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "scoring", "images", n, null)) {
            all = scored.map(r -> r.partial).treeReduce(PartialScores::merge);
        }
        judged.unpersist(false); // scored is materialized: the earlier forms are no longer needed
        sorted.unpersist(false);
        String signature = scoring.signature(df);
        ObjectNode eval = scoring.evalJson(all, signature);
        SpiceStage spice = o.spice ? SpiceStage.run(spark, tokenized, o.spiceCache) : null;
        if (spice != null) {
            spice.addTo(eval);
        }

        // write into the temporary directory
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("image_id", DataTypes.LongType, false));
        for (String k : scoring.suite().keys()) {
            fields.add(DataTypes.createStructField(k, DataTypes.DoubleType, false));
        }
        JavaRDD<Row> rows = scored.flatMap(r -> r.rows().iterator());
        Dataset<Row> perImageRows = spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0])));
        var writer = (spice == null ? perImageRows : spice.join(perImageRows)).write();
        String perImage = new Path(output.tmp(), "per_image").toString();
        try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "writing", "rows", n, null)) {
            if (o.perImageFormat.equals("json")) {
                writer.json(perImage);
            } else {
                writer.parquet(perImage);
            }
        }
        output.writeEvalJson(eval);
        if (o.pycocoevalcap()) { // the rows come to the driver one partition at a time
            PycocoevalcapJson.write(output, eval, scoring.suite().keys(),
                    PycocoevalcapJson.rows(scored.toLocalIterator(), r -> r.imageIds, r -> r.rows));
        }
        output.writeIdf(df);
        output.fs().delete(staging, true);
        LOG.info("scored {} images: {}", n, eval.get("eval"));
        return eval;
    }

    private static java.util.Iterator<ImageTokens> tokens(java.util.Iterator<EvalImage> it) {
        return new java.util.Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public ImageTokens next() {
                EvalImage image = it.next();
                return new ImageTokens(image.imageId(), image.candidate(), image.references());
            }
        };
    }

    /** One image id's group after the join, judged: an image to evaluate, a problem, or neither. */
    static final class Judged implements Serializable {
        private static final long serialVersionUID = 1L;
        EvalImage image;
        EvaluationSet.Problem problem;

        static List<Judged> of(long imageId, Iterable<Long> positions, Iterable<Tuple2<Long, String>> results,
                Iterable<Tuple2<Long, String>> refs) {
            List<Tuple2<Long, String>> res = sortedByIndex(results);
            if (res.isEmpty()) {
                return List.of(); // not evaluated
            }
            long position = -1;
            for (long p : positions) {
                position = p;
            }
            List<Tuple2<Long, String>> rs = sortedByIndex(refs); // file order, as COCO's imgToAnns
            Judged j = new Judged();
            j.problem = EvaluationSet.check(imageId, position, res.stream().mapToLong(Tuple2::_1).toArray(), !rs.isEmpty());
            if (j.problem == null) {
                j.image = new EvalImage(position, imageId, res.get(0)._2(), rs.stream().map(Tuple2::_2).toArray(String[]::new));
            }
            return List.of(j);
        }

        private static List<Tuple2<Long, String>> sortedByIndex(Iterable<Tuple2<Long, String>> records) {
            List<Tuple2<Long, String>> out = new ArrayList<>();
            records.forEach(out::add);
            out.sort(java.util.Comparator.comparing(Tuple2::_1));
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

    private static JavaPairRDD<Long, Tuple2<Long, String>> captions(JavaSparkContext sc, String path, int parts) {
        return lines(sc, path, parts).mapToPair(l -> new Tuple2<>(CaptionLines.field(l, 1),
                new Tuple2<>(CaptionLines.field(l, 0), CaptionLines.text(l))));
    }

    /**
     * A text file's lines. Not {@code sc.textFile}: it reads its argument as a comma-separated list
     * of paths, and the staging directory is named after {@code --out}, which may contain commas.
     */
    private static JavaRDD<String> lines(JavaSparkContext sc, String path, int parts) {
        JobConf conf = new JobConf(sc.hadoopConfiguration());
        FileInputFormat.setInputPaths(conf, new Path(path));
        return sc.hadoopRDD(conf, TextInputFormat.class, LongWritable.class, Text.class, parts).map(t -> t._2().toString());
    }

    private static DocumentFrequencies loadIdf(ScoreOptions o, Configuration hadoop) throws IOException {
        if (o.idf == null) {
            return null;
        }
        Path idf = new Path(o.idf);
        try (InputStream in = idf.getFileSystem(hadoop).open(idf)) {
            return DocumentFrequencies.load(in, idf.getName());
        }
    }
}
