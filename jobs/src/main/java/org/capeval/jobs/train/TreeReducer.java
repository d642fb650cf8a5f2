package org.capeval.jobs.train;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Sums one {@link GradientSum} per partition in a tree of configurable depth, like
 * {@code RDD.treeAggregate} with the same fan-in per level, but in a fixed order: every partial
 * sum adds its inputs sorted by their position, and the driver adds the last level in partition
 * order. {@code treeAggregate} merges results in whatever order tasks finish, which changes the
 * last bits of a float64 sum from run to run; this does not, so a rerun or a retried task gives
 * bit-identical parameters.
 */
public final class TreeReducer {
    private TreeReducer() {}

    /** Sum of all elements of {@code perPartition} (one per partition) with a tree of the given depth. */
    public static GradientSum reduce(JavaRDD<GradientSum> perPartition, int depth, int numParams) {
        JavaPairRDD<Integer, GradientSum> level = perPartition
                .mapPartitionsWithIndex((i, it) -> keyed(i, it), true)
                .mapToPair(t -> t);
        int n = perPartition.getNumPartitions();
        int scale = Math.max((int) Math.ceil(Math.pow(n, 1.0 / depth)), 2);
        // same level count as treeAggregate: stop when another level would not save work
        while (n > scale + Math.ceil((double) n / scale)) {
            n /= scale;
            final int parts = n;
            level = level.mapToPair(t -> new Tuple2<>(t._1() % parts, t))
                    .groupByKey(new HashPartitioner(parts))
                    .mapToPair(g -> new Tuple2<>(g._1(), sumInOrder(g._2(), numParams)));
        }
        return sumInOrder(level.collect().stream().map(t -> t).toList(), numParams);
    }

    private static Iterator<Tuple2<Integer, GradientSum>> keyed(int partition, Iterator<GradientSum> it) {
        List<Tuple2<Integer, GradientSum>> out = new ArrayList<>(1);
        while (it.hasNext()) {
            out.add(new Tuple2<>(partition, it.next()));
        }
        if (out.size() > 1) {
            throw new IllegalStateException("TreeReducer expects one GradientSum per partition, got " + out.size());
        }
        return out.iterator();
    }

    /** Adds the sums in increasing key order into a fresh sum. */
    static GradientSum sumInOrder(Iterable<Tuple2<Integer, GradientSum>> sums, int numParams) {
        List<Tuple2<Integer, GradientSum>> sorted = new ArrayList<>();
        sums.forEach(sorted::add);
        sorted.sort((a, b) -> Integer.compare(a._1(), b._1()));
        GradientSum total = new GradientSum(numParams);
        for (Tuple2<Integer, GradientSum> t : sorted) {
            total.merge(t._2());
        }
        return total;
    }
}
