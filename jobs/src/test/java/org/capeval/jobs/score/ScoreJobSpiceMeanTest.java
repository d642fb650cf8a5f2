package org.capeval.jobs.score;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.capeval.metrics.stats.PairwiseSum;
import org.capeval.spice.score.TupleCategory;
import org.capeval.spice.spark.ImageSpice;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import scala.Tuple2;

/** The score job's SPICE corpus value is np.mean of the per-image values in evaluation order, bit for bit. */
class ScoreJobSpiceMeanTest {
    @BeforeAll
    static void start() {
        ScoreJobTest.start();
    }

    @AfterAll
    static void stop() {
        ScoreJobTest.stop();
    }

    @Test
    void corpusSpiceIsNumpysPairwiseMeanInEvaluationOrder() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(ScoreJobTest.spark.sparkContext());
        int n = 3001; // several of numpy's 128-value blocks, split over partitions mid-block
        Random random = new Random(42);
        List<ImageRecord> records = new ArrayList<>();
        List<Tuple2<String, ImageSpice>> spice = new ArrayList<>();
        double[] inOrder = new double[n];
        for (int i = 0; i < n; i++) {
            long imageId = 1_000_000L - 7L * i; // ids not in evaluation order
            records.add(ImageRecord.ok(3L * i + 1, imageId, "c", new String[] {"r"})); // positions with gaps, as in "images"
            ImageSpice s = new ImageSpice();
            s.f = new double[TupleCategory.values().length];
            s.f[TupleCategory.ALL.ordinal()] = inOrder[i] = random.nextDouble() * Math.pow(10, random.nextInt(6) - 3);
            spice.add(new Tuple2<>(Long.toString(imageId), s));
        }
        List<ImageRecord> evaluationOrder = new ArrayList<>(records);
        Collections.shuffle(spice, random); // SPICE's per-image table comes back in any order
        JavaRDD<ImageRecord> tokenized = sc.parallelize(evaluationOrder, 7);
        JavaPairRDD<String, ImageSpice> perImage = sc.parallelizePairs(spice, 5);

        double expected = PairwiseSum.mean(inOrder);
        assertEquals(expected, SpiceStage.corpusMean(tokenized, perImage));
        // the fixture can tell the difference: a sequential mean (what a plain loop or Spark's mean gives) is off
        double sequential = 0;
        for (double v : inOrder) sequential += v;
        assertNotEquals(expected, sequential / n, "fixture too easy: sequential and pairwise sums agree");
    }
}
