package org.capeval.jobs.train;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Gradients from cached blocks on the executors: the parameters go out as a flat array (in the task
 * closure when small, else broadcast),
 * every partition sums loss and gradient over its rows of the batch with {@link ModelGradient},
 * and {@link TreeReducer} brings the per-partition sums to the driver.
 */
public final class SparkGradientSource implements GradientSource, AutoCloseable {
    private final JavaSparkContext sc;
    private final JavaRDD<RowBlock> blocks;
    private final ModelGradient model;
    private final long batchSize;
    private final long seed;
    private final int treeDepth;
    private final long numRows;
    private JavaRDD<EpochOrder> epoch;

    /** {@code blocks} should not be cached yet: this caches it and counts its rows. */
    public SparkGradientSource(JavaSparkContext sc, JavaRDD<RowBlock> blocks, ModelGradient model, long batchSize,
            long seed, int treeDepth) {
        this.sc = sc;
        this.blocks = blocks.persist(StorageLevel.MEMORY_ONLY());
        this.model = model;
        this.batchSize = batchSize;
        this.seed = seed;
        this.treeDepth = treeDepth;
        this.numRows = this.blocks.map(b -> (long) b.size()).fold(0L, Long::sum);
    }

    @Override
    public long numRows() {
        return numRows;
    }

    @Override
    public void startEpoch(int e) {
        if (epoch != null && !EpochOrder.isFullBatch(numRows, batchSize)) {
            epoch.unpersist(false);
        }
        long n = numRows, b = batchSize, s = seed;
        epoch = blocks.map(block -> EpochOrder.of(block, n, b, s, e));
        if (!EpochOrder.isFullBatch(numRows, batchSize)) {
            epoch.persist(StorageLevel.MEMORY_ONLY()); // holds row orders only; the blocks are shared
        }
    }

    @Override
    public GradientSum batch(double[] params, long step) {
        return sum(epoch, params, step);
    }

    @Override
    public GradientSum all(double[] params) {
        return sum(blocks.map(block -> EpochOrder.of(block, 1, 0, 0, 0)), params, 0);
    }

    private GradientSum sum(JavaRDD<EpochOrder> orders, double[] params, long step) {
        ModelGradient m = model;
        int numParams = params.length;
        // small: a copy in the closure (the optimizer updates params in place); large: a broadcast
        double[] inClosure = numParams <= CLOSURE_PARAMS ? params.clone() : null;
        Broadcast<double[]> bc = inClosure == null ? sc.broadcast(params) : null;
        try {
            JavaRDD<GradientSum> perPartition = orders.mapPartitions(
                    it -> List.of(partitionSum(m, inClosure != null ? inClosure : bc.value(), it, step)).iterator());
            return TreeReducer.reduce(perPartition, treeDepth, numParams);
        } finally {
            if (bc != null) {
                bc.destroy();
            }
        }
    }

    /**
     * Parameters up to this many travel in the task closure, which Spark already broadcasts once per
     * stage, instead of a broadcast of their own (a second block to put, fetch and destroy each step);
     * 8,192 doubles are 64 KB, far below the task size Spark warns about (1 MB).
     */
    static final int CLOSURE_PARAMS = 8192;

    /** One partition's share: the rows of batch {@code step} in each of its blocks, in block order. */
    static GradientSum partitionSum(ModelGradient model, double[] params, Iterator<EpochOrder> it, long step) {
        GradientSum sum = new GradientSum(params.length);
        ModelGradient.Evaluator ev = model.evaluator(params);
        while (it.hasNext()) {
            EpochOrder eo = it.next();
            ev.add(eo.block, eo.order, eo.from(step), eo.to(step), sum);
        }
        return sum;
    }

    @Override
    public void close() {
        if (epoch != null) {
            epoch.unpersist(false);
        }
        blocks.unpersist(false);
    }
}
