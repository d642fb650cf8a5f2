package org.capeval.jobs.leaderboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.capeval.jobs.leaderboard.PartitionScorer.Candidate;
import org.capeval.jobs.leaderboard.PartitionScorer.RefImage;
import org.capeval.jobs.leaderboard.html.LeaderboardPage;
import org.capeval.jobs.score.LookAhead;
import org.capeval.jobs.score.MeteorOptions;
import org.capeval.jobs.score.PositionPartitioner;
import org.capeval.metrics.CaptionMetric;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.CocoEvaluator;
import org.capeval.metrics.MetricSuite;
import org.capeval.metrics.Metrics;
import org.capeval.metrics.ScoringContext;
import org.capeval.metrics.Signature;
import org.capeval.metrics.cider.DocumentFrequencies;
import org.capeval.metrics.coco.CocoFormatException;
import org.capeval.metrics.coco.CocoJson;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.coco.CocoResults;
import org.capeval.metrics.significance.BootstrapDraws;
import org.capeval.metrics.significance.PairedBootstrap;
import org.capeval.metrics.significance.SuiteStatistic;
import scala.Tuple2;

/**
 * The nightly leaderboard batch: every submission of a night scored against one reference set in
 * one Spark job, then the history table, {@code latest.json} and {@code index.html} published
 * atomically under the leaderboard directory.
 *
 * <p>Distributed plan: references are read, tokenized, partitioned by image position and cached
 * once; CIDEr-D document frequencies are aggregated from them once and broadcast; submissions are
 * validated in parallel (one task per file), then their captions are shuffled to the partitions of
 * their images, where each task scores all submissions of its images against the shared
 * references and adds the per-image statistics into per-submission sums — corpus statistics,
 * numpy-exact partial means, and the paired-bootstrap sums. Only per-submission sums reach the
 * driver.
 *
 * <p>Evaluation set: every image of the reference file's {@code "images"}; a submission must give
 * exactly one caption for each (otherwise it is rejected with the reason), so all submissions are
 * scored on the same images with the same document frequencies, their numbers equal a
 * {@code score} run of the same file, and the bootstrap can pair them image by image.
 */
public final class LeaderboardJob {
    private LeaderboardJob() {}

    /** Parsed command line; {@code metrics} is configured (METEOR has read its data). */
    public record Options(String refs, String submissions, Path out, List<CaptionMetric> metrics, String night, int bootstrapSamples,
                          long seed, List<String> significanceKeys, int partitions, boolean pretokenized) {

        static final String USAGE = "usage: submit.sh leaderboard --refs REFS --submissions DIR_OR_LIST --out LEADERBOARD_DIR\n"
                + "    [--metrics bleu,rouge,cider] [--date YYYY-MM-DD] [--bootstrap-samples N (1000; 0 = none)] [--seed S (12345)]\n"
                + "    [--significance Bleu_4,ROUGE_L,CIDEr] [--partitions P] [--pretokenized]\n"
                + "    [--meteor-data DIR [--meteor-paraphrase FILE]] (with meteor in --metrics)\n"
                + MeteorOptions.USAGE + "\n"
                + "  DIR: <id>.meta.json ({\"name\",\"team\",\"date\"[,\"results\"]}) + <id>.json[.gz] per submission;\n"
                + "  LIST: a text file with one .meta.json path per line. LEADERBOARD_DIR: a local directory.";

        public static Options parse(String[] args) {
            Map<String, String> o = new HashMap<>();
            boolean pretok = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                if (a.equals("--pretokenized")) { pretok = true; continue; }
                if (a.equals("--help") || a.equals("-h")) throw new IllegalArgumentException(USAGE);
                if (!a.startsWith("--") || i + 1 >= args.length) throw new IllegalArgumentException("bad argument '" + a + "'\n" + USAGE);
                if (o.put(a.substring(2), args[++i]) != null) throw new IllegalArgumentException(a + " given twice");
            }
            for (String req : List.of("refs", "submissions", "out")) {
                if (!o.containsKey(req)) throw new IllegalArgumentException("missing --" + req + "\n" + USAGE);
            }
            Set<String> known = Set.of("refs", "submissions", "out", "metrics", "date", "bootstrap-samples", "seed", "significance", "partitions",
                    "meteor-data", "meteor-paraphrase");
            for (String k : o.keySet()) if (!known.contains(k)) throw new IllegalArgumentException("unknown option --" + k + "\n" + USAGE);
            String night = o.getOrDefault("date", LocalDate.now(ZoneOffset.UTC).toString());
            try {
                if (!night.matches("\\d{4}-\\d{2}-\\d{2}")) throw new IllegalArgumentException();
                LocalDate.parse(night);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("--date must be YYYY-MM-DD, got '" + night + "'");
            }
            int samples = parseInt(o.getOrDefault("bootstrap-samples", "1000"), "--bootstrap-samples");
            if (samples < 0) throw new IllegalArgumentException("--bootstrap-samples must be >= 0");
            long seed;
            try {
                seed = Long.parseLong(o.getOrDefault("seed", "12345"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--seed must be an integer");
            }
            int partitions = parseInt(o.getOrDefault("partitions", "0"), "--partitions");
            List<String> sig = new ArrayList<>();
            for (String k : o.getOrDefault("significance", "Bleu_4,ROUGE_L,CIDEr").split(",")) if (!k.isBlank()) sig.add(k.trim());
            String out = o.get("out");
            if (out.startsWith("file:")) out = java.net.URI.create(out).getPath();
            else if (out.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) throw new IllegalArgumentException("--out must be a local directory (the page is switched with an atomic rename), got " + out);
            // As the score job: METEOR reads its data now, so missing data fails at start-up.
            List<CaptionMetric> metrics = MeteorOptions.configure(Metrics.parse(o.getOrDefault("metrics", Metrics.DEFAULT)),
                    o.get("meteor-data"), o.get("meteor-paraphrase"));
            return new Options(o.get("refs"), o.get("submissions"), Path.of(out), metrics,
                    night, samples, seed, sig, partitions, pretok);
        }

        private static int parseInt(String v, String opt) {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(opt + " must be an integer, got '" + v + "'");
            }
        }
    }

    /** What a run produced (for tests and the log). */
    public record Outcome(Path version, List<HistoryRow> tonight, Map<String, String> leaders) {}

    public static void main(String[] args) throws Exception {
        Options opts;
        try {
            opts = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("leaderboard: " + e.getMessage());
            System.exit(2);
            return;
        }
        SparkSession spark = SparkSession.builder().appName("capeval leaderboard " + opts.night()).getOrCreate();
        try {
            Outcome out = run(spark, opts);
            long ok = out.tonight().stream().filter(HistoryRow::ok).count();
            System.err.println("leaderboard: night " + opts.night() + ": " + ok + " scored, " + (out.tonight().size() - ok)
                    + " rejected; published " + out.version());
        } catch (Exception e) { // Spark rethrows task failures as the checked SparkException
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            System.err.println("leaderboard: failed, previous leaderboard left in place: " + root.getMessage());
            spark.stop();
            System.exit(1);
        }
        spark.stop();
    }

    public static Outcome run(SparkSession spark, Options opts) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hadoop = sc.hadoopConfiguration();
        MetricSuite suite = new MetricSuite(opts.metrics());
        List<String> keys = suite.keys();
        List<String> tested = opts.significanceKeys().stream().filter(keys::contains).toList();
        CaptionTokenizer tokenizer = opts.pretokenized() ? CaptionTokenizer.pretokenized() : CaptionTokenizer.ptb();

        try (LeaderboardStore store = new LeaderboardStore(opts.out())) {
            store.removeIncomplete();
            List<Submission> subs = SubmissionDiscovery.discover(opts.submissions(), hadoop);

            // References: read in one task, partitioned by position, tokenized once, cached.
            String refsPath = opts.refs();
            org.apache.hadoop.fs.Path refsHadoop = new org.apache.hadoop.fs.Path(refsPath);
            if (!refsHadoop.getFileSystem(hadoop).exists(refsHadoop)) throw new IOException("--refs " + refsPath + ": no such file");
            JavaRDD<RefImage> raw = sc.parallelize(List.of(refsPath), 1).flatMap(p -> readReferences(p).iterator())
                    .persist(StorageLevel.MEMORY_AND_DISK());
            int n = (int) raw.count();
            if (n == 0) throw new IllegalArgumentException(refsPath + ": the references list no image");
            int parts = opts.partitions() > 0 ? opts.partitions() : 2 * sc.defaultParallelism();
            PositionPartitioner partitioner = new PositionPartitioner(Math.min(parts, n), n);
            // One tokenizer run over all references in evaluation order, as the score job's (look-ahead
            // across partition boundaries included).
            JavaRDD<RefImage> ordered = raw.mapToPair(r -> new Tuple2<>(r.pos(), r)).repartitionAndSortWithinPartitions(partitioner).values();
            String[][][] next = LookAhead.following(ordered, 1, (r, k) -> List.of(r.tokenizedRefs()));
            JavaRDD<RefImage> refs = ordered.mapPartitionsWithIndex((p, it) -> tokenizeRefs(it, next[p][0], tokenizer), true)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            Map<Long, Integer> index = new HashMap<>(refs.mapToPair(r -> new Tuple2<>(r.imageId(), r.pos())).collectAsMap());
            raw.unpersist();
            Broadcast<Map<Long, Integer>> indexB = sc.broadcast(index);
            DocumentFrequencies df = null;
            if (suite.needsDocumentFrequencies()) {
                df = refs.treeAggregate(new DocumentFrequencies(DocumentFrequencies.FROM_EVALUATED_REFERENCES),
                        (d, r) -> { d.addReferences(r.tokenizedRefs()); return d; },
                        DocumentFrequencies::merge);
                CocoEvaluator.checkUsable(df);
            }
            Broadcast<DocumentFrequencies> dfB = sc.broadcast(df.forScoring());
            String signature = Signature.of(tokenizer, suite, df == null ? null : df.source());

            // Validate every submission file in parallel; rejected ones keep their reason.
            List<Tuple2<Integer, Submission>> candidatesToRead = new ArrayList<>();
            for (int i = 0; i < subs.size(); i++) if (subs.get(i).valid()) candidatesToRead.add(new Tuple2<>(i, subs.get(i)));
            Map<Integer, String> problems = candidatesToRead.isEmpty() ? Map.of()
                    : sc.parallelizePairs(candidatesToRead, Math.max(1, candidatesToRead.size()))
                            .mapValues(s -> validate(s, indexB.value(), refsPath)).filter(t -> t._2() != null).collectAsMap();
            List<Tuple2<Integer, Submission>> good = new ArrayList<>();
            for (Tuple2<Integer, Submission> t : candidatesToRead) {
                String why = problems.get(t._1());
                if (why != null) subs.set(t._1(), subs.get(t._1()).withError(why));
                else good.add(t);
            }

            // Score all good submissions in one pass over the partitioned references.
            Map<Integer, SubmissionPartial> partials = Map.of();
            BootstrapDraws draws = opts.bootstrapSamples() > 0 && !tested.isEmpty() ? new BootstrapDraws(opts.seed(), opts.bootstrapSamples(), n) : null;
            if (!good.isEmpty()) {
                JavaPairRDD<Integer, Candidate> cands = sc.parallelizePairs(good, good.size())
                        .flatMap(t -> readCandidates(t._1(), t._2(), indexB.value(), refsPath, tokenizer).iterator())
                        .mapToPair(c -> new Tuple2<>(c.pos(), c)).partitionBy(partitioner);
                partials = refs.zipPartitions(cands, (refIt, candIt) -> {
                    Iterator<Tuple2<Integer, Candidate>> ci = candIt;
                    int p = org.apache.spark.TaskContext.getPartitionId();
                    PartitionScorer scorer = new PartitionScorer(suite, new ScoringContext(dfB.value()), draws, n);
                    Map<Integer, SubmissionPartial> m = scorer.score((int) partitioner.lo(p), (int) partitioner.lo(p + 1), refIt, map(ci));
                    List<Tuple2<Integer, SubmissionPartial>> l = new ArrayList<>();
                    m.forEach((k, v) -> l.add(new Tuple2<>(k, v)));
                    return l.iterator();
                }).mapToPair(t -> t).reduceByKey(SubmissionPartial::merge).collectAsMap();
            }
            refs.unpersist();

            // Corpus scores, leaders, paired bootstrap against each tested key's leader.
            Map<String, NightAssembler.Scores> scores = new TreeMap<>();
            Map<String, SubmissionPartial> byName = new HashMap<>();
            for (Tuple2<Integer, Submission> t : good) {
                SubmissionPartial sp = partials.get(t._1());
                if (sp == null || sp.images != n) {
                    subs.set(t._1(), subs.get(t._1()).withError("internal: scored " + (sp == null ? 0 : sp.images) + " of " + n + " images"));
                    continue;
                }
                double[] corpus = suite.corpus(sp.stats, sp.means(n));
                Map<String, Double> c = new LinkedHashMap<>();
                for (int k = 0; k < keys.size(); k++) c.put(keys.get(k), corpus[k]);
                scores.put(t._2().name(), new NightAssembler.Scores(c, n, signature));
                byName.put(t._2().name(), sp);
            }
            Map<String, String> leaders = new LinkedHashMap<>();
            Map<String, Map<String, PairedBootstrap.Result>> significance = new HashMap<>();
            for (String key : keys) {
                Map<String, Double> byKey = new TreeMap<>();
                scores.forEach((name, s) -> byKey.put(name, s.corpus().get(key)));
                String leader = Ranking.leader(byKey);
                if (leader == null) continue;
                leaders.put(key, leader);
                if (draws == null || !tested.contains(key)) continue;
                SuiteStatistic stat = new SuiteStatistic(suite, key);
                for (String name : scores.keySet()) {
                    PairedBootstrap.Result r = PairedBootstrap.compare(stat, byName.get(name).bootstrap(), byName.get(leader).bootstrap(),
                            byKey.get(name), byKey.get(leader));
                    significance.computeIfAbsent(name, x -> new HashMap<>()).put(key, r);
                }
            }
            List<HistoryRow> tonight = NightAssembler.rows(opts.night(), keys, subs, scores, significance, leaders);

            // Publish: previous history minus tonight + tonight, written to a new version, then switched.
            Path previous = store.current();
            List<HistoryRow> history = previous == null ? List.of() : HistoryParquet.read(spark, previous.resolve("history.parquet"));
            history = NightAssembler.replaceNight(history, opts.night(), tonight);
            Path version = store.newVersion(opts.night());
            HistoryParquet.write(spark, history, version.resolve("history.parquet"));
            try (Writer w = Files.newBufferedWriter(version.resolve("history.csv"), StandardCharsets.UTF_8)) {
                HistoryTable.writeCsv(history, w);
            }
            Map<String, Object> settings = new LinkedHashMap<>();
            settings.put("references", opts.refs());
            settings.put("images", n);
            settings.put("signature", signature);
            settings.put("bootstrap_samples", draws == null ? 0 : opts.bootstrapSamples());
            settings.put("seed", opts.seed());
            settings.put("significance", tested);
            try (OutputStream o = Files.newOutputStream(version.resolve("latest.json"))) {
                LatestJson.write(opts.night(), tonight, leaders, settings, o);
            }
            List<String> notes = new ArrayList<>();
            notes.add(n + " images.");
            if (draws != null) notes.add("Paired bootstrap vs the leader: " + opts.bootstrapSamples() + " resamples of the images, seed " + opts.seed() + ".");
            Files.writeString(version.resolve("index.html"), LeaderboardPage.render(history, opts.night(), leaders, notes), StandardCharsets.UTF_8);
            LeaderboardStore.markComplete(version);
            store.publish(version);
            return new Outcome(version, tonight, leaders);
        }
    }

    private static <T> Iterator<T> map(Iterator<? extends Tuple2<Integer, T>> it) {
        return new Iterator<>() {
            @Override public boolean hasNext() { return it.hasNext(); }
            @Override public T next() { return it.next()._2(); }
        };
    }

    /** Reads the annotation file (any Hadoop path) into images in {@code "images"} order. */
    static List<RefImage> readReferences(String path) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        FileSystem fs = p.getFileSystem(new Configuration());
        CocoReferences refs;
        try (InputStream in = CocoJson.maybeGunzip(fs.open(p))) {
            refs = CocoReferences.read(in, path);
        }
        List<RefImage> out = new ArrayList<>();
        int pos = 0;
        for (long id : refs.imageIds()) {
            List<String> caps = refs.captions(id);
            if (caps.isEmpty()) {
                throw new CocoFormatException(path, null, id, "image " + id + " has no reference caption; every leaderboard image needs one");
            }
            out.add(new RefImage(pos++, id, caps.toArray(new String[0])));
        }
        return out;
    }

    /** Tokenizes one partition's images (in evaluation order) as their part of the references' run. */
    private static Iterator<RefImage> tokenizeRefs(Iterator<RefImage> it, String[] next, CaptionTokenizer tokenizer) {
        List<RefImage> raw = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        it.forEachRemaining(r -> {
            raw.add(r);
            captions.addAll(List.of(r.tokenizedRefs()));
        });
        List<String> tok = LookAhead.tokenize(tokenizer, captions, next);
        List<RefImage> out = new ArrayList<>(raw.size());
        int c = 0;
        for (RefImage r : raw) {
            String[] t = tok.subList(c, c + r.tokenizedRefs().length).toArray(new String[0]);
            c += t.length;
            out.add(new RefImage(r.pos(), r.imageId(), t));
        }
        return out.iterator();
    }

    /** Reads and checks one results file; the returned results cover every reference image exactly once. */
    static CocoResults readResults(Submission s, Map<Long, Integer> index, String refsFile) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(s.results());
        FileSystem fs = p.getFileSystem(new Configuration());
        CocoResults res;
        try (InputStream in = CocoJson.maybeGunzip(fs.open(p))) {
            res = CocoResults.read(in, p.getName());
        }
        if (res.size() == 0) throw CocoFormatException.noResults(p.getName());
        Map<Long, Integer> first = new HashMap<>();
        for (int i = 0; i < res.size(); i++) {
            long id = res.imageId(i);
            if (!index.containsKey(id)) throw CocoFormatException.unknownImage(p.getName(), i, id, refsFile);
            Integer prev = first.putIfAbsent(id, i);
            if (prev != null) throw CocoFormatException.duplicateResult(p.getName(), i, id, prev);
        }
        if (first.size() != index.size()) {
            long missing = index.keySet().stream().filter(id -> !first.containsKey(id)).min(Long::compare).orElse(-1L);
            throw new CocoFormatException(p.getName(), null, null, "results cover " + first.size() + " of the " + index.size()
                    + " reference images (lowest missing image_id " + missing + "); a leaderboard submission needs one caption for every image");
        }
        return res;
    }

    /** Null when the submission can be scored, else why not (the message names file, record and image). */
    static String validate(Submission s, Map<Long, Integer> index, String refsFile) {
        try {
            readResults(s, index, refsFile);
            return null;
        } catch (IOException | RuntimeException e) {
            return e.getMessage() == null ? e.toString() : e.getMessage();
        }
    }

    /**
     * Reads one submission and tokenizes its captions in one tokenizer run in evaluation order, as a
     * {@code score} run of that file alone does (the whole run is in this task: no look-ahead to pass on).
     */
    static List<Candidate> readCandidates(int sub, Submission s, Map<Long, Integer> index, String refsFile, CaptionTokenizer tokenizer)
            throws IOException {
        CocoResults res = readResults(s, index, refsFile);
        String[] byPos = new String[index.size()]; // the results cover every image exactly once
        for (int i = 0; i < res.size(); i++) byPos[index.get(res.imageId(i))] = res.caption(i);
        List<String> tok = tokenizer.tokenizeAll(List.of(byPos));
        List<Candidate> out = new ArrayList<>(byPos.length);
        for (int pos = 0; pos < byPos.length; pos++) out.add(new Candidate(pos, sub, tok.get(pos)));
        return out;
    }
}
