package org.capeval.jobs.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.CocoEvaluator;
import org.capeval.metrics.EvalJson;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.MetricSuite;
import org.capeval.metrics.ScoringContext;
import org.capeval.metrics.Signature;
import org.capeval.metrics.cider.DocumentFrequencies;
import org.capeval.metrics.coco.CocoFormatException;
import org.capeval.metrics.coco.CocoJson;
import org.capeval.metrics.stats.PairwiseSum;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple2;

/**
 * {@code submit.sh score}: COCO caption evaluation (BLEU, ROUGE-L, CIDEr-D, ...) of a results file
 * against an annotation file, on Spark, with pycocoevalcap's numbers.
 *
 * <p>Steps: (1) the driver streams both JSON files once with Jackson (constant memory: one record
 * at a time) into tab-separated staging files next to the output, checking each record; (2) Spark
 * reads those in parallel, joins results to images and references by image id (cogroup), finds
 * COCO's input errors (unknown image, two results for one image, no reference), and sorts the
 * images into COCO's evaluation order; (3) executors tokenize; (4) document frequencies are
 * built per partition and merged by treeReduce, then broadcast; (5) executors score each image with
 * the library's {@link MetricSuite}; (6) the driver gets, per partition, summed statistics and the
 * partition's share of numpy's pairwise sum ({@link PairwiseSum.Partial}) — never a value per
 * image — and forms the corpus scores; (7) eval.json and per_image/ are written into a temporary
 * directory that is renamed to --out when complete.
 *
 * <p>On the driver, memory grows with the number of distinct reference n-grams (the document
 * frequencies, which are broadcast anyway) and the number of partitions, not with the number of
 * images or captions.
 */
public final class ScoreJob {
    /** Initialized on first use: the local engine never logs, and log4j's start-up is ~0.2 s. */
    private static final class Log {
        static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);
    }

    private ScoreJob() {}

    public static void main(String[] args) {
        ScoreOptions options;
        try {
            options = ScoreOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("capeval score: " + e.getMessage());
            System.err.println(ScoreOptions.USAGE);
            System.exit(2);
            return;
        }
        if (options.help) {
            System.out.println(ScoreOptions.USAGE);
            return;
        }
        String master = System.getProperty("spark.master", "local[*]");
        int code;
        if (isLocal(options, master, Runtime.getRuntime().maxMemory())) {
            int threads = localThreads(options, master);
            long start = System.nanoTime();
            code = runAndReport(() -> {
                try {
                    ObjectNode eval = LocalScore.run(options, threads);
                    System.err.printf("capeval score: %d images scored in %.1f s by the local engine (%d threads, no Spark), output %s%n",
                            eval.get("n_images").asLong(), (System.nanoTime() - start) / 1e9, threads, options.out);
                    return eval;
                } catch (OutOfMemoryError e) { // the output was not written (LocalScore cleans up)
                    throw new IllegalArgumentException("the local engine holds the inputs in memory and ran out of it ("
                            + e.getMessage() + "): use a larger --driver-memory or --engine spark", e);
                }
            });
        } else {
            SparkSession spark = SparkSession.builder().appName("capeval score").getOrCreate();
            try {
                code = runAndReport(() -> run(spark, options));
            } finally {
                spark.stop();
            }
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    /** One engine's run, returning eval.json's content. */
    private interface EngineRun {
        ObjectNode run() throws Exception;
    }

    /** Prints eval.json's content and returns 0, or reports the error and returns exit status 1. */
    private static int runAndReport(EngineRun run) {
        try {
            System.out.println(run.run().toPrettyString());
            return 0;
        } catch (CocoFormatException | IllegalArgumentException | OutputExistsException e) {
            System.err.println("capeval score: error: " + e.getMessage());
        } catch (Exception e) {
            System.err.println("capeval score: failed: " + e);
            e.printStackTrace();
        }
        return 1;
    }

    /**
     * The engine decision: {@code --engine local}, or {@code auto} in local mode when
     * {@link LocalScore} can run these options and the inputs fit in {@code maxHeap}.
     */
    static boolean isLocal(ScoreOptions o, String master, long maxHeap) {
        return switch (o.engine) {
            case "local" -> true;
            case "spark" -> false;
            default -> master.startsWith("local") && LocalScore.unsupported(o) == null && LocalScore.fits(o, maxHeap);
        };
    }

    /**
     * Whether {@code submit.sh score args} under {@code master} runs without Spark: then the
     * launcher calls {@link #main} directly instead of going through SparkSubmit (whose start-up
     * alone costs about a second). Usage errors and --help need no Spark either.
     */
    public static boolean runsWithoutSpark(String[] args, String master) {
        ScoreOptions o;
        try {
            o = ScoreOptions.parse(args);
        } catch (IllegalArgumentException e) {
            return true;
        }
        return o.help || isLocal(o, master, Runtime.getRuntime().maxMemory());
    }

    /** Threads of the local engine: --threads, else local[N] gives N, local[*] the cores, local 1. */
    static int localThreads(ScoreOptions o, String master) {
        if (o.threads > 0) {
            return o.threads;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local\\[(\\*|\\d+)(,\\d+)?]").matcher(master);
        if (m.matches()) {
            return m.group(1).equals("*") ? cores : Math.max(1, Integer.parseInt(m.group(1)));
        }
        return master.equals("local") ? 1 : cores;
    }

    /** Runs the job with command-line arguments; for tests and callers that own the SparkSession. */
    public static ObjectNode run(SparkSession spark, String... args) throws IOException {
        return run(spark, ScoreOptions.parse(args));
    }

    /** The output directory exists and --overwrite was not given. */
    public static final class OutputExistsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutputExistsException(String message) {
            super(message);
        }
    }

    static ObjectNode run(SparkSession spark, ScoreOptions o) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hadoop = sc.hadoopConfiguration();
        FileSystem outFs = new Path(o.out).getFileSystem(hadoop);
        Path out = outFs.makeQualified(new Path(o.out)); // absolute, so the temporary sibling is well defined
        if (out.getParent() == null) {
            throw new IllegalArgumentException("--out must not be a file system root: " + o.out);
        }
        if (outFs.exists(out) && !o.overwrite) {
            throw new OutputExistsException(o.out + " already exists (use --overwrite to replace it)");
        }
        Path tmp = new Path(out.getParent(), "." + out.getName() + ".capeval-tmp-" + UUID.randomUUID());
        List<JavaRDD<?>> cached = new ArrayList<>();
        long start = System.nanoTime();
        try {
            ObjectNode eval = score(spark, sc, o, tmp, cached);
            commit(outFs, hadoop, tmp, out, o);
            double seconds = (System.nanoTime() - start) / 1e9;
            long n = eval.get("n_images").asLong();
            Log.LOG.info(String.format("done: %d images scored in %.1f s (%.0f images/s), output %s", n, seconds, n / seconds, out));
            return eval;
        } finally {
            for (JavaRDD<?> rdd : cached) {
                rdd.unpersist(false);
            }
            if (outFs.exists(tmp)) {
                outFs.delete(tmp, true);
            }
            if (o.saveIdf != null) {
                Path idfTmp = savedIdfTemporary(o, tmp);
                FileSystem idfFs = idfTmp.getFileSystem(hadoop);
                if (idfFs.exists(idfTmp)) {
                    idfFs.delete(idfTmp, false);
                }
            }
        }
    }

    private static ObjectNode score(SparkSession spark, JavaSparkContext sc, ScoreOptions o, Path tmp, List<JavaRDD<?>> cached)
            throws IOException {
        Configuration hadoop = sc.hadoopConfiguration();
        MetricSuite suite = new MetricSuite(o.metrics);
        CaptionTokenizer tokenizer = o.pretokenized ? CaptionTokenizer.pretokenized() : CaptionTokenizer.ptb();

        // (1) stream the JSON inputs into line files (driver memory: one record)
        Path staging = new Path(tmp, "_staging");
        Staged staged = stage(hadoop, o, staging);
        int parts = o.partitions > 0 ? o.partitions
                : (int) Math.max(sc.defaultParallelism(), Math.min(4096, staged.annotations / 50_000 + 1));
        Log.LOG.info("read {} images, {} reference captions, {} results; {} partitions",
                staged.images, staged.annotations, staged.results, parts);
        if (staged.results == 0) {
            throw CocoFormatException.noResults(o.results);
        }

        // (2) join by image id, check, order as COCO does
        JavaPairRDD<Long, Long> images = sc.textFile(staged.imagesPath, parts)
                .mapToPair(l -> new Tuple2<>(CaptionLines.field(l, 1), CaptionLines.field(l, 0)))
                .reduceByKey(Math::min); // a repeated id keeps its first position, as COCO's dict
        JavaPairRDD<Long, Tuple2<Long, String>> results = sc.textFile(staged.resultsPath, parts)
                .mapToPair(l -> new Tuple2<>(CaptionLines.field(l, 1), new Tuple2<>(CaptionLines.field(l, 0), CaptionLines.text(l))));
        JavaPairRDD<Long, Tuple2<Long, String>> refs = sc.textFile(staged.refsPath, parts)
                .mapToPair(l -> new Tuple2<>(CaptionLines.field(l, 1), new Tuple2<>(CaptionLines.field(l, 0), CaptionLines.text(l))));
        JavaRDD<ImageRecord> checked = images.cogroup(results, refs, parts)
                .flatMap(g -> check(g._1(), g._2()._1(), g._2()._2(), g._2()._3()).iterator())
                .persist(StorageLevel.DISK_ONLY()); // read twice; on disk so tokenizing keeps the heap
        cached.add(checked);
        List<ImageRecord> problems = checked.filter(r -> r.problem != ImageRecord.OK).takeOrdered(1, new ProblemOrder());
        if (!problems.isEmpty()) {
            throw problem(problems.get(0), o);
        }

        // (3) tokenize on the executors, in evaluation order; each partition sees the first captions
        // of the following partitions as the original's tokenizer sees the next lines of its file
        JavaRDD<ImageRecord> sorted = checked.filter(r -> r.problem == ImageRecord.OK)
                .mapToPair(r -> new Tuple2<>(r.position, r))
                .repartitionAndSortWithinPartitions(new PositionPartitioner(parts, staged.images)) // no sampling pass
                .values()
                .persist(StorageLevel.DISK_ONLY());
        cached.add(sorted);
        String[][][] next = LookAhead.following(sorted, 2, (r, k) -> k == 0 ? List.of(r.references) : List.of(r.candidate));
        JavaRDD<ImageRecord> tokenized = sorted.mapPartitionsWithIndex((p, it) -> {
            List<CocoEvaluator.Input> inputs = new ArrayList<>();
            List<Long> positions = new ArrayList<>();
            while (it.hasNext()) {
                ImageRecord r = it.next();
                inputs.add(new CocoEvaluator.Input(r.imageId, r.candidate, List.of(r.references)));
                positions.add(r.position);
            }
            List<ImageTokens> toks = CocoEvaluator.tokenize(inputs, List.of(next[p][0]), List.of(next[p][1]), tokenizer);
            List<ImageRecord> out = new ArrayList<>(toks.size());
            for (int i = 0; i < toks.size(); i++) {
                ImageTokens t = toks.get(i);
                out.add(ImageRecord.ok(positions.get(i), t.imageId(), t.candidate(), t.references()));
            }
            return out.iterator();
        }, true).persist(StorageLevel.DISK_ONLY()); // read by 3-4 passes; the page cache keeps them fast
        cached.add(tokenized);
        long[] starts = PartitionStarts.of(tokenized);
        long nImages = starts[starts.length - 1];
        checked.unpersist(false); // tokenized is materialized: the earlier forms are no longer needed
        sorted.unpersist(false);

        // (4) document frequencies: per partition, merged, broadcast
        DocumentFrequencies df = null;
        if (suite.needsDocumentFrequencies()) {
            if (o.idf != null) {
                Path idf = new Path(o.idf);
                try (InputStream in = idf.getFileSystem(hadoop).open(idf)) {
                    df = DocumentFrequencies.load(in, idf.getName());
                }
            } else {
                df = tokenized.mapPartitions(it -> {
                    DocumentFrequencies part = new DocumentFrequencies(DocumentFrequencies.FROM_EVALUATED_REFERENCES);
                    while (it.hasNext()) {
                        part.addReferences(it.next().references);
                    }
                    return List.of(part).iterator();
                }).treeReduce(DocumentFrequencies::merge);
                CocoEvaluator.checkUsable(df);
            }
            Log.LOG.info("document frequencies: {} n-grams over {} documents ({})", df.size(), df.documents(), df.source());
        }
        Broadcast<DocumentFrequencies> dfb = df == null ? null : sc.broadcast(df.forScoring());

        // (5) score every image on the executors
        JavaRDD<ScoredImage> scored = tokenized.mapPartitions(it -> {
            MetricSuite.Scorer scorer = suite.newScorer(new ScoringContext(dfb == null ? null : dfb.value()));
            return new java.util.Iterator<ScoredImage>() { // streams: one image at a time
                @Override
                public boolean hasNext() {
                    return it.hasNext();
                }

                @Override
                public ScoredImage next() {
                    ImageRecord r = it.next();
                    ScoredImage s = new ScoredImage(r.imageId, suite.keys().size(), suite.statsSize());
                    scorer.score(tokens(r), s.scores, s.stats);
                    return s;
                }
            };
        }).persist(StorageLevel.DISK_ONLY());
        cached.add(scored);

        // (6) corpus: summed statistics and numpy's pairwise mean from per-partition shares
        int nKeys = suite.keys().size();
        List<PartitionSummary> summaries = scored.mapPartitionsWithIndex((index, it) -> {
            List<ScoredImage> rows = new ArrayList<>();
            it.forEachRemaining(rows::add);
            PartitionSummary s = new PartitionSummary(suite.statsSize(), nKeys);
            double[] column = new double[rows.size()];
            for (int k = 0; k < nKeys; k++) {
                for (int i = 0; i < rows.size(); i++) {
                    column[i] = rows.get(i).scores[k];
                }
                s.means[k] = PairwiseSum.partial(nImages, starts[index], column);
            }
            for (ScoredImage r : rows) {
                for (int j = 0; j < r.stats.length; j++) {
                    s.stats[j] += r.stats[j];
                }
            }
            return List.of(s).iterator();
        }, true).collect();
        double[] stats = new double[suite.statsSize()];
        double[] means = new double[nKeys];
        for (int k = 0; k < nKeys; k++) {
            List<PairwiseSum.Partial> shares = new ArrayList<>();
            for (PartitionSummary s : summaries) {
                shares.add(s.means[k]);
            }
            means[k] = PairwiseSum.mean(nImages, shares);
        }
        for (PartitionSummary s : summaries) { // integer counts: exact in any order
            for (int j = 0; j < stats.length; j++) {
                stats[j] += s.stats[j];
            }
        }
        double[] corpus = suite.corpus(stats, means);
        String signature = Signature.of(tokenizer, suite, df == null ? null : df.source());
        ObjectNode eval = EvalJson.of(suite, corpus, stats, nImages, signature);
        SpiceStage spice = o.spice ? SpiceStage.run(spark, tokenized, o.spiceCache) : null;
        if (spice != null) {
            spice.addTo(eval);
        }

        // (7) outputs into the temporary directory
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField("image_id", DataTypes.LongType, false));
        for (String k : suite.keys()) {
            fields.add(DataTypes.createStructField(k, DataTypes.DoubleType, false));
        }
        JavaRDD<Row> rows = scored.map(s -> {
            Object[] v = new Object[s.scores.length + 1];
            v[0] = s.imageId;
            for (int k = 0; k < s.scores.length; k++) {
                v[k + 1] = s.scores[k];
            }
            return RowFactory.create(v);
        });
        var perImageRows = spark.createDataFrame(rows, new StructType(fields.toArray(new StructField[0])));
        var writer = (spice == null ? perImageRows : spice.join(perImageRows)).write();
        String perImage = new Path(tmp, "per_image").toString();
        if (o.perImageFormat.equals("json")) {
            writer.json(perImage);
        } else {
            writer.parquet(perImage);
        }
        FileSystem fs = tmp.getFileSystem(hadoop);
        try (OutputStream os = fs.create(new Path(tmp, "eval.json"), false)) {
            os.write(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(eval));
            os.write('\n');
        }
        if (o.saveIdf != null && df != null) {
            Path idfTmp = savedIdfTemporary(o, tmp);
            try (OutputStream os = idfTmp.getFileSystem(hadoop).create(idfTmp, false)) {
                df.save(os);
            }
        }
        fs.delete(staging, true);
        Log.LOG.info("scored {} images: {}", nImages, eval.get("eval"));
        return eval;
    }

    /** Moves the finished temporary directory to --out (and the saved idf to --save-idf). */
    private static void commit(FileSystem outFs, Configuration hadoop, Path tmp, Path out, ScoreOptions o) throws IOException {
        if (o.saveIdf != null) {
            Path idf = new Path(o.saveIdf);
            FileSystem idfFs = idf.getFileSystem(hadoop);
            Path saved = savedIdfTemporary(o, tmp);
            if (idfFs.exists(saved)) {
                if (idfFs.exists(idf)) {
                    idfFs.delete(idf, false);
                }
                if (!idfFs.rename(saved, idf)) {
                    throw new IOException("could not rename " + saved + " to " + idf);
                }
            }
        }
        if (outFs.exists(out)) {
            if (!o.overwrite) {
                throw new OutputExistsException(out + " appeared while the job ran (use --overwrite)");
            }
            outFs.delete(out, true);
        }
        if (!outFs.rename(tmp, out)) {
            throw new IOException("could not rename " + tmp + " to " + out);
        }
    }

    /** --save-idf is written next to its destination (same file system) and renamed at commit. */
    private static Path savedIdfTemporary(ScoreOptions o, Path tmp) {
        Path idf = new Path(o.saveIdf);
        return new Path(idf.getParent(), "." + idf.getName() + "." + tmp.getName());
    }

    /** Paths and counts of the staged inputs. */
    private static final class Staged {
        String imagesPath;
        String refsPath;
        String resultsPath;
        long images;
        long annotations;
        long results;
    }

    /** Streams refs and results into tab-separated line files (driver: one record in memory). */
    private static Staged stage(Configuration hadoop, ScoreOptions o, Path dir) throws IOException {
        Staged s = new Staged();
        FileSystem fs = dir.getFileSystem(hadoop);
        Path imagesPath = new Path(dir, "images"), refsPath = new Path(dir, "refs"), resultsPath = new Path(dir, "results");
        Path refsIn = new Path(o.refs);
        try (InputStream in = CocoJson.maybeGunzip(refsIn.getFileSystem(hadoop).open(refsIn));
                BufferedWriter images = writer(fs, imagesPath);
                BufferedWriter refs = writer(fs, refsPath)) {
            CocoJson.readAnnotations(in, o.refs, new CocoJson.AnnotationVisitor() {
                @Override
                public void image(long index, long imageId) {
                    line(images, CaptionLines.image(index, imageId));
                    s.images++;
                }

                @Override
                public void annotation(long index, long imageId, String caption) {
                    line(refs, CaptionLines.caption(index, imageId, caption));
                    s.annotations++;
                }
            });
        }
        Path resultsIn = new Path(o.results);
        try (InputStream in = CocoJson.maybeGunzip(resultsIn.getFileSystem(hadoop).open(resultsIn));
                BufferedWriter results = writer(fs, resultsPath)) {
            CocoJson.readResults(in, o.results, (index, imageId, caption) -> {
                line(results, CaptionLines.caption(index, imageId, caption));
                s.results++;
            });
        }
        s.imagesPath = imagesPath.toString();
        s.refsPath = refsPath.toString();
        s.resultsPath = resultsPath.toString();
        return s;
    }

    private static BufferedWriter writer(FileSystem fs, Path p) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(fs.create(p, false), StandardCharsets.UTF_8), 1 << 16);
    }

    private static void line(BufferedWriter w, String line) {
        try {
            w.write(line);
            w.write('\n');
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** One image id's images/results/references, as COCO's loadRes and scorers would judge them. */
    static List<ImageRecord> check(long imageId, Iterable<Long> positions, Iterable<Tuple2<Long, String>> results,
            Iterable<Tuple2<Long, String>> refs) {
        List<Tuple2<Long, String>> res = new ArrayList<>();
        results.forEach(res::add);
        if (res.isEmpty()) {
            return List.of(); // not evaluated
        }
        res.sort(Comparator.comparing(Tuple2::_1));
        long position = -1;
        for (long p : positions) {
            position = p;
        }
        if (position < 0) {
            return List.of(ImageRecord.problem(ImageRecord.UNKNOWN_IMAGE, imageId, res.get(0)._1(), -1));
        }
        if (res.size() > 1) {
            return List.of(ImageRecord.problem(ImageRecord.DUPLICATE_RESULT, imageId, res.get(1)._1(), res.get(0)._1()));
        }
        List<Tuple2<Long, String>> rs = new ArrayList<>();
        refs.forEach(rs::add);
        if (rs.isEmpty()) {
            ImageRecord r = ImageRecord.problem(ImageRecord.NO_REFERENCES, imageId, res.get(0)._1(), -1);
            r.position = position;
            return List.of(r);
        }
        rs.sort(Comparator.comparing(Tuple2::_1)); // file order, as COCO's imgToAnns
        String[] texts = new String[rs.size()];
        for (int i = 0; i < texts.length; i++) {
            texts[i] = rs.get(i)._2();
        }
        return List.of(ImageRecord.ok(position, imageId, res.get(0)._2(), texts));
    }

    /**
     * COCO meets unknown images first (loadRes), then duplicates, in results-file order; then an
     * image without references, the first in evaluation order (as {@link CocoEvaluator#evaluationSet}).
     */
    static final class ProblemOrder implements Comparator<ImageRecord>, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public int compare(ImageRecord a, ImageRecord b) {
            int c = Integer.compare(a.problem, b.problem);
            if (c != 0) {
                return c;
            }
            return a.problem == ImageRecord.NO_REFERENCES ? Long.compare(a.position, b.position)
                    : Long.compare(a.resultIndex, b.resultIndex);
        }
    }

    private static CocoFormatException problem(ImageRecord r, ScoreOptions o) {
        return switch (r.problem) {
            case ImageRecord.UNKNOWN_IMAGE -> CocoFormatException.unknownImage(o.results, r.resultIndex, r.imageId, o.refs);
            case ImageRecord.DUPLICATE_RESULT -> CocoFormatException.duplicateResult(o.results, r.resultIndex, r.imageId, r.otherIndex);
            default -> CocoFormatException.noReferences(o.results, r.resultIndex, r.imageId, o.refs);
        };
    }

    private static ImageTokens tokens(ImageRecord r) {
        return new ImageTokens(r.imageId, r.candidate, r.references);
    }

    /** One image's per-image scores and statistics. */
    static final class ScoredImage implements Serializable {
        private static final long serialVersionUID = 1L;
        long imageId;
        double[] scores;
        double[] stats;

        ScoredImage(long imageId, int keys, int statsSize) {
            this.imageId = imageId;
            this.scores = new double[keys];
            this.stats = new double[statsSize];
        }
    }

    /** What the driver receives from one partition: O(keys x (log n + 256)) numbers. */
    static final class PartitionSummary implements Serializable {
        private static final long serialVersionUID = 1L;
        double[] stats;
        PairwiseSum.Partial[] means;

        PartitionSummary(int statsSize, int keys) {
            stats = new double[statsSize];
            means = new PairwiseSum.Partial[keys];
        }
    }
}
