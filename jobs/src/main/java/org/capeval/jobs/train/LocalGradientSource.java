package org.capeval.jobs.train;

/** All rows in this process, in one block: the single-process reference for the Spark job. */
public final class LocalGradientSource implements GradientSource {
    private final RowBlock rows;
    private final ModelGradient model;
    private final long batchSize;
    private final long seed;
    private EpochOrder epoch;

    public LocalGradientSource(RowBlock rows, ModelGradient model, long batchSize, long seed) {
        this.rows = rows;
        this.model = model;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    @Override
    public long numRows() {
        return rows.size();
    }

    @Override
    public void startEpoch(int e) {
        epoch = EpochOrder.of(rows, rows.size(), batchSize, seed, e);
    }

    @Override
    public GradientSum batch(double[] params, long step) {
        GradientSum sum = new GradientSum(params.length);
        model.evaluator(params).add(rows, epoch.order, epoch.from(step), epoch.to(step), sum);
        return sum;
    }

    @Override
    public GradientSum all(double[] params) {
        GradientSum sum = new GradientSum(params.length);
        model.evaluator(params).add(rows, null, 0, rows.size(), sum);
        return sum;
    }
}
