package org.capeval.jobs;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.capeval.jobs.leaderboard.HistoryRow;
import org.capeval.jobs.leaderboard.LeaderboardJob;
import org.capeval.jobs.leaderboard.LeaderboardOptions;
import org.capeval.jobs.score.ScoreJob;
import org.capeval.jobs.train.TrainConfig;
import org.capeval.jobs.train.TrainJob;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plain path (no scheme) is a local file on the Spark engine too, whatever Hadoop's
 * fs.defaultFS is (a YARN cluster's is HDFS): the checks before Spark starts look at the local
 * disk, so the jobs must read and write there. The default file system here has no implementation,
 * so a plain path resolved against it fails the job.
 */
class PlainPathsTest {
    static SparkSession spark;

    @TempDir
    static Path warehouse;

    @TempDir
    Path tmp;

    @BeforeAll
    static void start() {
        spark = TestSessions.local("PlainPathsTest")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.hadoop.fs.defaultFS", "nosuch:///")
                // Hadoop's text input (train's CSV) asks the default file system for the working
                // directory its paths are relative to, unless given one: a real cluster's has one
                .config("spark.hadoop.mapreduce.job.working.dir", "nosuch:/")
                .config("spark.sql.warehouse.dir", warehouse.toUri().toString()) // Spark SQL's own, qualified against the default
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    static final String REFS = """
            {"images": [{"id": 1}, {"id": 2}, {"id": 3}],
             "annotations": [{"image_id": 1, "id": 1, "caption": "a dog on a couch"},
              {"image_id": 2, "id": 2, "caption": "a cat on a bed"}, {"image_id": 3, "id": 3, "caption": "two birds in a tree"}]}
            """;
    static final String RESULTS = """
            [{"image_id": 1, "caption": "a dog on a sofa"}, {"image_id": 2, "caption": "a cat on the bed"},
             {"image_id": 3, "caption": "birds in a tree"}]
            """;

    @Test
    void scoreReadsAndWritesLocalFiles() throws Exception {
        Path refs = Files.writeString(tmp.resolve("refs.json"), REFS);
        Path results = Files.writeString(tmp.resolve("results.json"), RESULTS);
        Path out = tmp.resolve("out");
        ScoreJob.run(spark, "--refs", refs.toString(), "--results", results.toString(), "--out", out.toString(), "--metrics", "bleu");
        assertTrue(Files.isRegularFile(out.resolve("eval.json")));
    }

    @Test
    void aLeaderboardNightReadsAndWritesLocalFiles() throws Exception {
        Path refs = Files.writeString(tmp.resolve("refs.json"), REFS);
        Path subs = Files.createDirectories(tmp.resolve("subs"));
        for (String id : List.of("a", "b")) {
            Files.writeString(subs.resolve(id + ".meta.json"), "{\"name\": \"" + id + "\", \"team\": \"T\", \"date\": \"2026-01-01\"}");
            Files.writeString(subs.resolve(id + ".json"), RESULTS);
        }
        // a list: one entry relative to it, one absolute (plain, so local too)
        Path list = Files.writeString(tmp.resolve("list.txt"), "subs/a.meta.json\n" + subs.resolve("b.meta.json") + "\n");
        Path out = tmp.resolve("board");
        LeaderboardJob.Outcome o = LeaderboardJob.run(spark, LeaderboardOptions.parse(new String[] {"--refs", refs.toString(),
            "--submissions", list.toString(), "--out", out.toString(), "--date", "2026-01-02", "--metrics", "bleu",
            "--bootstrap-samples", "20"}));
        assertEquals(List.of("ok", "ok"), o.tonight().stream().map(HistoryRow::status).toList(), o.tonight().toString());
        assertTrue(Files.isRegularFile(out.resolve("latest.json")));
    }

    @Test
    void trainReadsAndWritesLocalFiles() throws Exception {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            csv.append(i % 2).append(',').append(i % 2 == 0 ? -1 - i % 3 : 1 + i % 3).append(',').append(i % 5).append('\n');
        }
        Path data = Files.writeString(tmp.resolve("d.csv"), csv);
        Path out = tmp.resolve("model");
        assertEquals(0, TrainJob.run(spark, TrainConfig.parse(new String[] {"--data", data.toString(), "--model", "logistic:2",
            "--out", out.toString(), "--epochs", "1"})));
        try (var files = Files.list(out)) {
            assertFalse(files.toList().isEmpty(), "outputs in " + out);
        }
    }
}
