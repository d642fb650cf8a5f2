package org.capeval.jobs.leaderboard;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.capeval.jobs.leaderboard.PartitionScorer.Candidate;
import org.capeval.jobs.leaderboard.PartitionScorer.RefImage;
import org.capeval.jobs.SparkProgress;
import org.capeval.jobs.Storage;
import org.capeval.jobs.InputFiles;
import org.capeval.jobs.JobFailure;
import org.capeval.jobs.Overlap;
import org.capeval.jobs.SparkSessions;
import org.capeval.jobs.leaderboard.html.LeaderboardPage;
import org.capeval.jobs.score.DocumentFrequencyTables;
import org.capeval.jobs.score.PositionPartitioner;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.MetricSuite;
import org.capeval.metrics.ScoringContext;
import org.capeval.metrics.core.EvalImage;
import org.capeval.metrics.core.EvaluationSet;
import org.capeval.metrics.core.ImageStatistics;
import org.capeval.metrics.core.LookAhead;
import org.capeval.metrics.core.PartialScores;
import org.capeval.metrics.core.Scoring;
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

    /**
     * What a run produced (for tests and the log); {@code published} is the version directory as the
     * user typed --out (e.g. {@code boards/coco/versions/...}), not its file: URI.
     */
    public record Outcome(org.apache.hadoop.fs.Path version, String published, List<HistoryRow> tonight, Map<String, String> leaders,
                          Night night) {
        /** The lines printed on stderr after the night: its summary, then where it was published. */
        public List<String> lines(String date) {
            List<String> out = new ArrayList<>(night.lines(date));
            out.add("leaderboard: night " + date + ": published " + published);
            return out;
        }
    }

    /**
     * How the night went: submissions scored from text, reused from the cache (statistics read, not
     * rescored), rejected; cache entries that were present but not trusted; whether the tokenized
     * references came from the cache, and why an entry of them that was present was not trusted
     * (null: none, or trusted); wall seconds per phase.
     */
    public record Night(int scored, int reused, int rejected, List<String> untrusted, boolean referencesCached, String referencesUntrusted,
                        Map<String, Double> phases) {
        /** The summary lines printed on stderr. */
        public List<String> lines(String night) {
            List<String> out = new ArrayList<>();
            out.add("leaderboard: night " + night + ": " + (scored + reused + rejected) + " submissions: " + scored + " scored (new or changed), "
                    + reused + " reused from the cache, " + rejected + " rejected; tokenized references "
                    + (referencesCached ? "from the cache" : "computed"));
            if (referencesUntrusted != null) out.add("leaderboard: cache entry not trusted, tokenized again: " + referencesUntrusted);
            for (String u : untrusted) out.add("leaderboard: cache entry not trusted, rescored: " + u);
            StringBuilder b = new StringBuilder("leaderboard: phases:");
            double total = 0;
            for (Map.Entry<String, Double> e : phases.entrySet()) {
                b.append(String.format(java.util.Locale.ROOT, " %s %.1f s;", e.getKey(), e.getValue()));
                total += e.getValue();
            }
            out.add(b.append(String.format(java.util.Locale.ROOT, " total %.1f s", total)).toString());
            return out;
        }
    }

    /** Wall time per phase of the driver, in order. */
    private static final class Phases {
        final Map<String, Double> seconds = new LinkedHashMap<>();

        long lap(String phase, long since) {
            long now = System.nanoTime();
            seconds.merge(phase, (now - since) / 1e9, Double::sum);
            return now;
        }
    }

    /** A submission's look-up: its cache key, what the cache had, and why it cannot be scored (null if it can). */
    static final class Looked implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String key;
        private final StatsCache.Found found;
        private final String problem;

        Looked(String key, StatsCache.Found found, String problem) {
            this.key = key;
            this.found = found;
            this.problem = problem;
        }

        String key() { return key; }

        StatsCache.Found found() { return found; }

        String problem() { return problem; }
    }

    /** Hashes the results file and looks it up; a file the cache does not have is validated. */
    static Looked look(Submission s, StatsCache cache, Map<Long, Integer> index, String refsFile) {
        String key;
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(s.results());
            key = cache.key(StatsCache.sha256(LeaderboardStore.fileSystem(p, Storage.hadoopConf()), p));
        } catch (IOException | RuntimeException e) {
            return new Looked(null, null, s.results() + ": cannot read: " + LeaderboardStore.oneLine(e));
        }
        StatsCache.Found found = cache.find(key);
        return new Looked(key, found, found.scores() != null ? null : validate(s, index, refsFile));
    }

    /** Runs one night from a parsed command line on Spark; returns the exit status. */
    public static int execute(LeaderboardOptions opts) {
        SubmissionDiscovery.MetadataFiles metadata = new SubmissionDiscovery.MetadataFiles(); // read before Spark starts, not again
        try {
            checkInputs(opts, null, metadata); // local paths, before Spark starts; the others in run
        } catch (IOException | RuntimeException e) {
            return report(opts, e);
        }
        SparkSession spark;
        try {
            spark = SparkSessions.start("capeval leaderboard " + opts.night(), SparkSessions.C2_HOT_ONLY, RefImage.class, Candidate.class,
                    ReferencesCache.Part.class, PartialScores.class, String[].class);
        } catch (Exception e) { // Spark's start (a class its configuration names is missing, ...): one line, as train's and score's
            return report(opts, e);
        }
        try {
            Outcome out = run(spark, opts, metadata);
            long ok = out.tonight().stream().filter(HistoryRow::ok).count();
            out.lines(opts.night()).forEach(System.err::println);
            if (ok == 0) { // published (the rejections and their reasons are on the board), but cron must notice
                System.err.println("capeval leaderboard: error: night " + opts.night() + ": no submission could be scored");
                return JobFailure.BAD_INPUT;
            }
            return 0;
        } catch (Exception | FSError e) { // Spark rethrows task failures as the checked SparkException; FSError: a failed local write
            return failed(opts, e);
        } finally {
            SparkSessions.stop(spark);
        }
    }

    /** Reports a failure of {@link #run} in one line and returns the exit status. */
    static int failed(LeaderboardOptions opts, Throwable e) {
        // as every job: one line, exit 2 for bad input; a complete message (an unreachable store) as it is
        if (JobFailure.badInput(e) != null || JobFailure.reported(e) != null || JobFailure.stoppedLine("leaderboard") != null) {
            return report(opts, e);
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        // our own checks name --out in the outermost message; anything else says most in its root cause
        String why = e instanceof IOException && e.getMessage() != null ? e.getMessage() : root.getMessage();
        System.err.println("capeval leaderboard: failed: " + LeaderboardStore.oneLine(new IOException(why))
                + " (the previous leaderboard is left in place)");
        if (JobFailure.verbose()) {
            e.printStackTrace();
        }
        return JobFailure.FAILED;
    }

    /** Reports a failure in one line; a malformed references record names --refs. */
    static int report(LeaderboardOptions opts, Throwable e) {
        return JobFailure.report("leaderboard", e, bad -> JobFailure.describe(bad, "--refs", opts.refs()));
    }

    public static Outcome run(SparkSession spark, LeaderboardOptions opts) throws IOException {
        return run(spark, opts, new SubmissionDiscovery.MetadataFiles());
    }

    /** Runs one night; {@code metadata} holds the submissions' metadata files read before (by the check before Spark started). */
    static Outcome run(SparkSession spark, LeaderboardOptions opts, SubmissionDiscovery.MetadataFiles metadata) throws IOException {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Configuration hadoop = sc.hadoopConfiguration();
        Scoring scoring = new Scoring(opts.metrics(), opts.pretokenized() ? CaptionTokenizer.pretokenized() : CaptionTokenizer.ptb(), null);
        MetricSuite suite = scoring.suite();
        List<String> keys = suite.keys();
        List<String> tested = opts.significanceKeys().stream().filter(keys::contains).toList();
        CaptionTokenizer tokenizer = scoring.tokenizer();

        checkInputs(opts, hadoop, metadata); // before the lock: a run refused for its input leaves no trace
        Phases phases = new Phases();
        long t0 = System.nanoTime();
        try (LeaderboardStore store = LeaderboardStore.open(opts.out(), hadoop)) {
            List<Submission> subs = SubmissionDiscovery.discover(opts.submissions(), hadoop, metadata);

            // References: tokenized once per references file and tokenizer. The cache keeps them
            // (ReferencesCache); without a trusted entry they are read in one task, partitioned by
            // position, tokenized, and the entry is written.
            String refsPath = opts.refs();
            org.apache.hadoop.fs.Path refsHadoop = InputFiles.hadoopPath(refsPath); // checked by checkInputs
            String refsSha = StatsCache.sha256(refsHadoop.getFileSystem(hadoop), refsHadoop);
            org.apache.hadoop.fs.Path cacheDir = new org.apache.hadoop.fs.Path(store.root(), StatsCache.DIR);
            ReferencesCache refsCache = new ReferencesCache(cacheDir.toString(), tokenizer, refsSha);
            ReferencesCache.Found refsFound = refsCache.find(hadoop);
            int parts = opts.partitions() > 0 ? opts.partitions() : 2 * sc.defaultParallelism();
            int n;
            PositionPartitioner partitioner;
            JavaRDD<RefImage> refs;
            if (refsFound.parts() != null) {
                n = refsFound.images();
                partitioner = new PositionPartitioner(Math.min(parts, n), n);
                List<ReferencesCache.Part> kept = refsFound.parts();
                JavaRDD<RefImage> read = sc.parallelize(kept, kept.size()).flatMap(refsCache::read);
                boolean sameRanges = kept.size() == partitioner.numPartitions();
                for (int p = 0; sameRanges && p < kept.size(); p++) sameRanges = kept.get(p).lo() == partitioner.lo(p);
                // part i is partition i when the ranges are tonight's (zipPartitions below needs only that); else shuffled
                refs = (sameRanges ? read : read.mapToPair(r -> new Tuple2<>(r.pos(), r)).repartitionAndSortWithinPartitions(partitioner).values())
                        .persist(StorageLevel.MEMORY_AND_DISK());
            } else {
                // read and judged on the driver, as the score job's: a malformed record is bad input before any task runs
                List<RefImage> read = readReferences(refsPath);
                n = read.size();
                if (n == 0) throw new IllegalArgumentException("--refs " + refsPath + ": the references list no image");
                Broadcast<List<RefImage>> readB = sc.broadcast(read);
                JavaRDD<RefImage> raw = sc.parallelize(List.of(0), 1).flatMap(x -> readB.value().iterator());
                partitioner = new PositionPartitioner(Math.min(parts, n), n);
                // One tokenizer run over all references in evaluation order, as the score job's (look-ahead
                // across partition boundaries included).
                JavaRDD<RefImage> ordered = raw.mapToPair(r -> new Tuple2<>(r.pos(), r)).repartitionAndSortWithinPartitions(partitioner).values();
                LookAhead[] next = LookAhead.following(ordered.mapPartitions(it -> List.of(LookAhead.head(new Iterator<EvalImage>() {
                    @Override public boolean hasNext() { return it.hasNext(); }
                    @Override public EvalImage next() { RefImage r = it.next(); return new EvalImage(r.pos(), r.imageId(), null, r.tokenizedRefs()); }
                })).iterator()).collect());
                refs = ordered.mapPartitionsWithIndex((p, it) -> tokenizeRefs(it, next[p].references(), tokenizer), true)
                        .persist(StorageLevel.MEMORY_AND_DISK());
                try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "tokenizing references", "images", n, null)) {
                    refs.count();
                }
                readB.unpersist(false); // the driver keeps it: a lost partition of refs is recomputed from it
                refsCache.clear(hadoop);
                PositionPartitioner ranges = partitioner;
                refsCache.commit(hadoop, n, refs.mapPartitionsWithIndex((p, it) -> List.of(refsCache.write(p, (int) ranges.lo(p), (int) ranges.lo(p + 1), it))
                        .iterator(), true).collect());
            }
            Map<Long, Integer> index;
            try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "image index", "images", n, null)) {
                index = new HashMap<>(refs.mapToPair(r -> new Tuple2<>(r.imageId(), r.pos())).collectAsMap());
            }
            Broadcast<Map<Long, Integer>> indexB = sc.broadcast(index);
            DocumentFrequencies counted = null;
            if (scoring.countsDocumentFrequencies()) {
                try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "document frequencies", "images", n, null)) {
                    counted = DocumentFrequencyTables.merge(refs.mapPartitions(it -> List.of(Scoring.countDocumentFrequencies(() -> new Iterator<ImageTokens>() {
                        @Override public boolean hasNext() { return it.hasNext(); }
                        @Override public ImageTokens next() { RefImage r = it.next(); return new ImageTokens(r.imageId(), null, r.tokenizedRefs()); }
                    })).iterator()));
                }
            }
            DocumentFrequencies df = scoring.documentFrequencies(counted);
            Broadcast<ScoringContext> contextB = sc.broadcast(Scoring.context(df));
            String signature = scoring.signature(df);

            long clock = phases.lap("references", t0);

            // The cache: each valid submission's file is hashed; a trusted entry for it is reused, any
            // other file is validated (in parallel, one task per file; rejected ones keep their reason).
            BootstrapDraws draws = opts.bootstrapSamples() > 0 && !tested.isEmpty() ? new BootstrapDraws(opts.seed(), opts.bootstrapSamples(), n) : null;
            StatsCache cache = new StatsCache(cacheDir.toString(), suite, signature, refsSha, n, opts.seed(), draws == null ? 0 : opts.bootstrapSamples());
            List<Tuple2<Integer, Submission>> valid = new ArrayList<>();
            for (int i = 0; i < subs.size(); i++) if (subs.get(i).valid()) valid.add(new Tuple2<>(i, subs.get(i)));
            Map<Integer, Looked> looked = Map.of();
            if (!valid.isEmpty()) {
                try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "checking the cache", "submissions", valid.size(), null)) {
                    // a few tasks per core, not one per file: most files are only hashed, and a task's own cost
                    // (scheduling, a Hadoop configuration) was a third of a night that scores few
                    int tasks = Math.min(valid.size(), 4 * sc.defaultParallelism());
                    looked = sc.parallelizePairs(valid, tasks).mapValues(s -> look(s, cache, indexB.value(), refsPath)).collectAsMap();
                }
            }
            List<Tuple2<Integer, Submission>> good = new ArrayList<>();
            Map<Integer, String> keyOf = new HashMap<>();
            Map<String, PartialScores> cachedOrScored = new HashMap<>();
            Map<String, Integer> toScore = new LinkedHashMap<>(); // key → the submission scored for it (same files share one)
            Set<String> toComplete = new java.util.LinkedHashSet<>();
            List<String> untrusted = new ArrayList<>();
            for (Tuple2<Integer, Submission> v : valid) {
                Looked l = looked.get(v._1());
                if (l.problem() != null) {
                    subs.set(v._1(), subs.get(v._1()).withError(l.problem()));
                    continue;
                }
                good.add(v);
                keyOf.put(v._1(), l.key());
                if (l.found().why() != null) untrusted.add(v._2().name() + ": " + l.found().why());
                if (l.found().scores() != null && !l.found().needsBootstrap()) cachedOrScored.put(l.key(), l.found().scores());
                else if (l.found().scores() != null) toComplete.add(l.key());
                else toScore.putIfAbsent(l.key(), v._1());
            }
            toComplete.removeAll(toScore.keySet());
            Broadcast<byte[]> countsB = draws != null && (!toScore.isEmpty() || !toComplete.isEmpty()) ? sc.broadcast(draws.counts(0, n)) : null;
            if (!toComplete.isEmpty()) { // a plan (seed, samples) not seen before: bootstrap sums from the kept statistics
                try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "bootstrap from the cache", "submissions", toComplete.size(), null)) {
                    Map<String, PartialScores> done = sc.parallelize(new ArrayList<>(toComplete), toComplete.size())
                            .flatMap(k -> {
                                PartialScores p = cache.completeBootstrap(k, countsB.value());
                                return (p == null ? List.<Tuple2<String, PartialScores>>of() : List.of(new Tuple2<>(k, p))).iterator();
                            }).mapToPair(x -> x).collectAsMap();
                    cachedOrScored.putAll(done);
                }
                for (Tuple2<Integer, Submission> g : good) {
                    String k = keyOf.get(g._1());
                    if (toComplete.contains(k) && !cachedOrScored.containsKey(k)) {
                        untrusted.add(g._2().name() + ": cache entry " + k + ": per-image statistics damaged");
                        toScore.putIfAbsent(k, g._1());
                    }
                }
            }
            int reused = 0;
            for (Tuple2<Integer, Submission> g : good) if (cachedOrScored.containsKey(keyOf.get(g._1()))) reused++;
            clock = phases.lap("cache and validation", clock);

            // Score what the cache did not have in one pass over the partitioned references; each
            // submission's per-image statistics are then reduced in one task and kept in the cache.
            if (!toScore.isEmpty()) {
                List<Tuple2<Integer, Submission>> scored = new ArrayList<>();
                Map<Integer, String> scoredKey = new HashMap<>();
                toScore.forEach((k, i) -> {
                    scored.add(new Tuple2<>(i, subs.get(i)));
                    scoredKey.put(i, k);
                });
                int width = ImageStatistics.width(suite);
                JavaPairRDD<Integer, Candidate> cands = sc.parallelizePairs(scored, scored.size())
                        .flatMap(x -> readCandidates(x._1(), x._2(), indexB.value(), refsPath, tokenizer).iterator())
                        .mapToPair(c -> new Tuple2<>(c.pos(), c)).partitionBy(partitioner);
                try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "scoring", "submissions", scored.size(), null)) {
                    Map<Integer, PartialScores> fresh = refs.zipPartitions(cands, (refIt, candIt) -> {
                        int p = org.apache.spark.TaskContext.getPartitionId();
                        int lo = (int) partitioner.lo(p);
                        Map<Integer, double[]> m = new PartitionScorer(suite, contextB.value()).score(lo, (int) partitioner.lo(p + 1), refIt, map(candIt));
                        List<Tuple2<Integer, Tuple2<Integer, double[]>>> l = new ArrayList<>();
                        m.forEach((k, v) -> l.add(new Tuple2<>(k, new Tuple2<>(lo, v))));
                        return l.iterator();
                    }).mapToPair(x -> x).groupByKey(new org.apache.spark.HashPartitioner(scored.size())).mapToPair(g -> {
                        List<Tuple2<Integer, double[]>> blocks = new ArrayList<>();
                        g._2().forEach(blocks::add);
                        blocks.sort(java.util.Comparator.comparing(Tuple2::_1));
                        double[] all = new double[Math.multiplyExact(n, width)];
                        int at = 0;
                        for (Tuple2<Integer, double[]> blk : blocks) {
                            if (blk._1() * width != at) throw new IllegalStateException("internal: positions from " + at / width + " not scored");
                            System.arraycopy(blk._2(), 0, all, at, blk._2().length);
                            at += blk._2().length;
                        }
                        if (at != all.length) throw new IllegalStateException("internal: scored " + at / width + " of " + n + " images");
                        return new Tuple2<>(g._1(), cache.store(scoredKey.get(g._1()), new ImageStatistics(suite, all), countsB == null ? null : countsB.value()));
                    }).collectAsMap();
                    fresh.forEach((i, p) -> cachedOrScored.put(scoredKey.get(i), p));
                }
            }
            refs.unpersist();
            Map<Integer, PartialScores> partials = new HashMap<>();
            for (Tuple2<Integer, Submission> g : good) {
                PartialScores p = cachedOrScored.get(keyOf.get(g._1()));
                if (p != null) partials.put(g._1(), p);
            }
            clock = phases.lap("scoring " + toScore.size() + " new", clock);

            // Corpus scores, leaders, paired bootstrap against each tested key's leader.
            Map<String, NightAssembler.Scores> scores = new TreeMap<>();
            Map<String, PartialScores> byName = new HashMap<>();
            for (Tuple2<Integer, Submission> t : good) {
                PartialScores sp = partials.get(t._1());
                if (sp == null || sp.images() != n) {
                    subs.set(t._1(), subs.get(t._1()).withError("internal: scored " + (sp == null ? 0 : sp.images()) + " of " + n + " images"));
                    continue;
                }
                double[] corpus = sp.corpus(suite);
                Map<String, Double> c = new LinkedHashMap<>();
                for (int k = 0; k < keys.size(); k++) c.put(keys.get(k), corpus[k]);
                scores.put(t._2().name(), new NightAssembler.Scores(c, n, signature));
                byName.put(t._2().name(), sp);
            }
            Map<String, String> leaders = new LinkedHashMap<>();
            Map<String, Map<String, PairedBootstrap.Result>> significance = new HashMap<>();
            Map<String, double[][]> sampleScores = new HashMap<>(); // by name: each key's score on each sample, computed once
            java.util.function.Function<String, double[][]> perSample = name -> sampleScores.computeIfAbsent(name,
                    x -> SuiteStatistic.scores(suite, byName.get(x).bootstrap()));
            for (String key : keys) {
                Map<String, Double> byKey = new TreeMap<>();
                scores.forEach((name, s) -> byKey.put(name, s.corpus().get(key)));
                String leader = Ranking.leader(byKey);
                if (leader == null) continue;
                leaders.put(key, leader);
                if (draws == null || !tested.contains(key)) continue;
                int k = keys.indexOf(key);
                double[] leaderSamples = perSample.apply(leader)[k];
                for (String name : scores.keySet()) {
                    double[] samples = perSample.apply(name)[k];
                    PairedBootstrap.Result r = PairedBootstrap.compare(samples, leaderSamples, byKey.get(name), byKey.get(leader));
                    significance.computeIfAbsent(name, x -> new HashMap<>()).put(key, r);
                }
            }
            List<HistoryRow> tonight = NightAssembler.rows(opts.night(), keys, opts.rankBy(), subs, scores, significance, leaders);
            clock = phases.lap("ranks and bootstrap", clock);

            // Publish: previous history minus tonight + tonight, written to a new version, then one pointer.
            org.apache.hadoop.fs.Path previous = store.current();
            List<HistoryRow> before = previous == null ? List.of()
                    : HistoryParquet.read(new org.apache.hadoop.fs.Path(previous, "history.parquet").toString());
            List<HistoryRow> history = NightAssembler.replaceNight(before, opts.night(), tonight);
            // a file system that fails the writes (a full disk) is reported naming the board; the store rolls back
            org.apache.hadoop.fs.Path version = JobFailure.writing("--out " + opts.out(), () -> {
                org.apache.hadoop.fs.Path v = store.newVersion(opts.night());
                FileSystem boardFs = store.fs();
                try (SparkProgress.Phase progress = SparkProgress.phase(sc.sc(), "writing the board", "rows", history.size(), null)) {
                    HistoryParquet.write(history, new org.apache.hadoop.fs.Path(v, "history.parquet").toString());
                }
                try (Writer w = new java.io.OutputStreamWriter(boardFs.create(new org.apache.hadoop.fs.Path(v, "history.csv"), false),
                        StandardCharsets.UTF_8)) {
                    HistoryTable.writeCsv(history, w);
                }
                Map<String, Object> settings = new LinkedHashMap<>();
                settings.put("references", opts.refs());
                settings.put("images", n);
                settings.put("signature", signature);
                settings.put("bootstrap_samples", draws == null ? 0 : opts.bootstrapSamples());
                settings.put("seed", opts.seed());
                settings.put("significance", tested);
                settings.put("significance_level", Ranking.SIGNIFICANCE_LEVEL);
                try (OutputStream o = boardFs.create(new org.apache.hadoop.fs.Path(v, "latest.json"), false)) {
                    LatestJson.write(opts.night(), tonight, leaders, opts.rankBy(), settings, o);
                }
                List<String> notes = new ArrayList<>();
                notes.add(n + " images.");
                if (draws != null) notes.add("Paired bootstrap vs the leader: " + opts.bootstrapSamples() + " resamples of the images, seed " + opts.seed() + ".");
                try (OutputStream o = boardFs.create(new org.apache.hadoop.fs.Path(v, "index.html"), false)) {
                    o.write(LeaderboardPage.render(history, opts.night(), leaders, opts.rankBy(), draws == null ? 0 : opts.bootstrapSamples(), notes).getBytes(StandardCharsets.UTF_8));
                }
                store.publish(v, opts.night());
                return v;
            });
            // the cache keeps what tonight's board was computed from
            Set<String> keep = new java.util.HashSet<>(keyOf.values());
            keep.add(refsCache.name());
            StatsCache.retain(store.fs(), cacheDir, keep);
            phases.lap("publishing", clock);
            int rejected = (int) tonight.stream().filter(r -> !r.ok()).count();
            return new Outcome(version, store.shown(version), tonight, leaders, new Night(tonight.size() - rejected - reused, reused, rejected,
                    untrusted, refsFound.parts() != null, refsFound.why(), phases.seconds));
        }
    }

    /**
     * --refs is a file, --submissions exists, and --out overlaps no input: the options' paths, the
     * submissions' metadata files and the results files they point to (local paths; others too when
     * {@code hadoop} is given), else bad input; --out must be creatable (not under a regular file,
     * say): a local one tried before Spark starts ({@code hadoop} null), another once {@code hadoop} is given.
     */
    private static void checkInputs(LeaderboardOptions opts, Configuration hadoop, SubmissionDiscovery.MetadataFiles metadata) throws IOException {
        InputFiles.check("--refs", opts.refs(), false, hadoop);
        InputFiles.check("--submissions", opts.submissions(), true, hadoop);
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("--refs", opts.refs());
        inputs.put("--submissions", opts.submissions());
        inputs.put("--meteor-data", opts.meteorData());
        inputs.put("--meteor-paraphrase", opts.meteorParaphrase());
        inputs.values().removeIf(java.util.Objects::isNull);
        Overlap.refuse("--out", opts.out(), inputs, hadoop);
        // a list's metadata files may be anywhere, and a metadata file's results file too (or be a link)
        for (SubmissionDiscovery.Input in : SubmissionDiscovery.inputs(opts.submissions(), hadoop, metadata)) {
            Overlap.refuse("--out", opts.out(), in.what(), in.path(), hadoop);
        }
        JobFailure.tryCreating("--out", opts.out(), hadoop);
    }

    private static <T> Iterator<T> map(Iterator<? extends Tuple2<Integer, T>> it) {
        return new Iterator<>() {
            @Override public boolean hasNext() { return it.hasNext(); }
            @Override public T next() { return it.next()._2(); }
        };
    }

    /** Reads the annotation file (any Hadoop path) into images in {@code "images"} order. */
    static List<RefImage> readReferences(String path) throws IOException {
        org.apache.hadoop.fs.Path p = InputFiles.hadoopPath(path);
        FileSystem fs = p.getFileSystem(Storage.hadoopConf());
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
        List<String> tok = LookAhead.run(tokenizer, captions, next);
        List<RefImage> out = new ArrayList<>(raw.size());
        int c = 0;
        for (RefImage r : raw) {
            String[] t = tok.subList(c, c + r.tokenizedRefs().length).toArray(new String[0]);
            c += t.length;
            out.add(new RefImage(r.pos(), r.imageId(), t));
        }
        return out.iterator();
    }

    /** Reads one results file and checks it covers every reference image once: the caption of each position. */
    static String[] readResults(Submission s, Map<Long, Integer> index, String refsFile) throws IOException {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(s.results());
        FileSystem fs = p.getFileSystem(Storage.hadoopConf());
        CocoResults res;
        try (InputStream in = CocoJson.maybeGunzip(fs.open(p))) {
            res = CocoResults.read(in, p.getName());
        }
        return EvaluationSet.covering(res, index, refsFile);
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
        String[] byPos = readResults(s, index, refsFile);
        List<String> tok = tokenizer.tokenizeAll(List.of(byPos));
        List<Candidate> out = new ArrayList<>(byPos.length);
        for (int pos = 0; pos < byPos.length; pos++) out.add(new Candidate(pos, sub, tok.get(pos)));
        return out;
    }
}
