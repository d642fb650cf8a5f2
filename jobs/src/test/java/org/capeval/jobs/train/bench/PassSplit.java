package org.capeval.jobs.train.bench;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.StageInfo;

/**
 * Where one gradient pass's wall time goes (benchmark only): the driver's work before the job
 * (broadcasting the parameters, serializing and scheduling the tasks), the compute stage (the
 * partitions' loss and gradient sums; with its slowest task's run time and the tasks' GC time),
 * the tree reduction (the remaining stages and the driver's final merge), and the driver JVM's GC
 * time during the pass. Each pass is one Spark job; the listener's events are matched to the pass
 * by job id once the pass has ended.
 */
final class PassSplit extends SparkListener {
    private record Stage(long submitted, long completed) {}

    private final Map<Integer, List<Integer>> jobStages = new ConcurrentHashMap<>();
    private final Map<Integer, long[]> jobTimes = new ConcurrentHashMap<>();
    private final Map<Integer, Stage> stages = new ConcurrentHashMap<>();
    /** Per stage: {slowest task run ms, summed task GC ms, tasks}. */
    private final Map<Integer, long[]> taskStats = new ConcurrentHashMap<>();
    private final SparkContext sc;
    private int lastJob = -1;

    private PassSplit(SparkContext sc) {
        this.sc = sc;
    }

    static PassSplit attach(SparkContext sc) {
        PassSplit split = new PassSplit(sc);
        sc.addSparkListener(split);
        return split;
    }

    @Override
    public void onJobStart(SparkListenerJobStart e) {
        List<Integer> ids = new ArrayList<>();
        scala.jdk.javaapi.CollectionConverters.asJava(e.stageIds()).forEach(id -> ids.add((Integer) id));
        jobTimes.put(e.jobId(), new long[] {e.time(), -1});
        jobStages.put(e.jobId(), ids);
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd e) {
        long[] t = jobTimes.get(e.jobId());
        if (t != null) {
            t[1] = e.time();
        }
    }

    @Override
    public void onStageCompleted(SparkListenerStageCompleted e) {
        StageInfo s = e.stageInfo();
        long sub = s.submissionTime().isDefined() ? (Long) s.submissionTime().get() : -1;
        long done = s.completionTime().isDefined() ? (Long) s.completionTime().get() : -1;
        stages.put(s.stageId(), new Stage(sub, done));
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        if (e.taskMetrics() == null) {
            return;
        }
        long[] st = taskStats.computeIfAbsent(e.stageId(), k -> new long[3]);
        synchronized (st) {
            st[0] = Math.max(st[0], e.taskMetrics().executorRunTime());
            st[1] += e.taskMetrics().jvmGCTime();
            st[2]++;
        }
    }

    /** Forgets the jobs run so far: the next pass is matched to jobs started after this call. */
    void skipToNow() throws java.util.concurrent.TimeoutException {
        sc.listenerBus().waitUntilEmpty(60_000);
        lastJob = Math.max(lastJob, jobTimes.keySet().stream().mapToInt(i -> i).max().orElse(-1));
    }

    /** The driver JVM's summed GC time so far, ms (in local mode the executors share it). */
    static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    /**
     * The split of the pass that ran from {@code startMs} to {@code endMs} (epoch ms) as the jobs
     * started since the previous call, or a note when none is found.
     */
    String describe(long startMs, long endMs, long gcMs) {
        try {
            sc.listenerBus().waitUntilEmpty(60_000);
        } catch (java.util.concurrent.TimeoutException e) {
            return "listener events not delivered in 60 s";
        }
        int job = -1;
        for (int id : jobTimes.keySet()) {
            if (id > lastJob && (job < 0 || id < job)) {
                job = id;
            }
        }
        if (job < 0) {
            return "no Spark job seen";
        }
        int newest = jobTimes.keySet().stream().mapToInt(i -> i).max().orElse(job);
        lastJob = newest;
        long[] jt = jobTimes.get(job);
        List<Integer> ids = new ArrayList<>(jobStages.get(job));
        ids.sort(null);
        Stage first = ids.isEmpty() ? null : stages.get(ids.get(0));
        long computeEnd = first == null ? jt[0] : first.completed();
        long compute = first == null ? 0 : first.completed() - first.submitted();
        long[] ts = ids.isEmpty() ? null : taskStats.get(ids.get(0));
        long before = (first == null ? jt[0] : first.submitted()) - startMs;
        long reduce = endMs - computeEnd;
        return String.format(Locale.ROOT,
                "%.3f s = before the job (broadcast, tasks) %.3f + compute %.3f (slowest task %.3f, task GC %.3f, %d tasks)"
                        + " + reduce and merge %.3f; driver JVM GC in the pass %.3f; %d job(s)",
                (endMs - startMs) / 1e3, before / 1e3, compute / 1e3, ts == null ? 0 : ts[0] / 1e3, ts == null ? 0 : ts[1] / 1e3,
                ts == null ? 0 : ts[2], reduce / 1e3, gcMs / 1e3, newest - job + 1);
    }
}
