package org.capeval.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.util.LongAccumulator;
import org.capeval.metrics.Progress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Driver-side progress lines for the phases of a Spark job, logged at INFO (logger
 * {@code org.capeval.jobs.SparkProgress}) at least every interval while a phase is open:
 *
 * <pre>{@code
 * LongAccumulator scored = sc.longAccumulator("images scored");   // add(1) per image in the tasks
 * try (SparkProgress.Phase p = SparkProgress.phase(sc, "scoring", "images", total, scored)) {
 *     ... Spark actions ...
 * }
 * }</pre>
 *
 * gives lines like {@code scoring: 120,000 / 400,000 images (30%) after 10 s, 11,800 images/s;
 * stage 4: 3/8 tasks (2 running); 2 stages done}. Without an accumulator ({@code null}) the count
 * is the phase's finished tasks ({@code SPICE cache: 12 tasks after 10 s, 1.2 tasks/s; stage 7:
 * 2/4 tasks (2 running)}); {@code total} -1 means unknown (no percentage). {@code close()} logs a
 * closing line ({@code scoring: done, 400,000 images in 34 s, 11,765 images/s; 16 tasks}) only
 * when the phase lasted at least one interval, so short phases stay silent.
 *
 * <ul>
 *   <li>The count includes the running tasks' partial values: executors send them with their
 *       heartbeats ({@code spark.executor.heartbeatInterval}, 10 s by default), so one long task
 *       does not hide all its work until it ends. Give the accumulator a name
 *       ({@code sc.longAccumulator("...")}): ended tasks are then counted from the same events as
 *       running ones, never twice. Accumulators added to in transformations count again when Spark
 *       recomputes a partition; the line shows what was added.</li>
 *   <li>A stage belongs to the phase open in the thread that started its job ({@code open()} sets
 *       the SparkContext local property {@value #PHASE_PROPERTY}, which threads started later
 *       inherit), or, when it carries none, to the only open phase. Open and close a phase in the
 *       same thread; phases may nest (the inner one takes the stages until it closes).</li>
 *   <li>One listener per SparkContext, registered on first use; ticks run on the shared thread of
 *       {@link Progress}, whose interval ({@value Progress#INTERVAL_PROPERTY}, seconds, 0 = off; a
 *       driver system property, e.g. {@code CAPEVAL_DRIVER_OPTS=-Dcapeval.progress.interval=30})
 *       this uses too.</li>
 * </ul>
 */
public final class SparkProgress {
    /** SparkContext local property naming the phase that a job's stages belong to. */
    public static final String PHASE_PROPERTY = "capeval.progress.phase";

    private static final Logger LOG = LoggerFactory.getLogger(SparkProgress.class);
    private static final Map<SparkContext, Listener> LISTENERS = new WeakHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();

    private SparkProgress() {}

    /**
     * Opens a phase on {@code sc}: {@code unit} names what {@code counted} counts; {@code total} is
     * the expected count or -1; {@code counted} may be null (then tasks are counted).
     */
    public static Phase phase(SparkContext sc, String name, String unit, long total, LongAccumulator counted) {
        return phase(sc, name, unit, total, counted, Progress.intervalNanos());
    }

    /** Test hook: a phase with its own interval. */
    static Phase phase(SparkContext sc, String name, String unit, long total, LongAccumulator counted, long intervalNanos) {
        Phase p = new Phase(sc, listener(sc), name, unit, total, counted, intervalNanos);
        p.open();
        return p;
    }

    private static Listener listener(SparkContext sc) {
        synchronized (LISTENERS) {
            return LISTENERS.computeIfAbsent(sc, c -> {
                Listener l = new Listener();
                c.addSparkListener(l);
                return l;
            });
        }
    }

    /** An open phase; {@link #close} it in the thread that opened it. */
    public static final class Phase implements AutoCloseable {
        private final SparkContext sc;
        private final Listener listener;
        private final String id = "capeval-phase-" + IDS.incrementAndGet();
        private final String name;
        private final String unit;
        private final long total;
        private final LongAccumulator counted;
        private final long intervalNanos;
        private final long startNanos = System.nanoTime();
        private final long countedAtStart; // the accumulator may have counted before this phase
        /**
         * A named accumulator's updates from ended tasks, as their end events say: counted on the
         * listener thread like the running tasks' heartbeat values, so a line never has a task
         * both in the accumulator and among the running ones. Unnamed accumulators do not appear
         * in the events; for them the lines use the accumulator's value.
         */
        private final boolean countedByEvents;
        final AtomicLong countedEnded = new AtomicLong();
        final AtomicLong tasksDone = new AtomicLong();
        final AtomicInteger stagesDone = new AtomicInteger();
        private String previousPhase;
        private ScheduledFuture<?> tick;
        private boolean closed; // guarded by this: no periodic line after the closing one

        private Phase(SparkContext sc, Listener listener, String name, String unit, long total,
                LongAccumulator counted, long intervalNanos) {
            this.sc = sc;
            this.listener = listener;
            this.name = name;
            this.unit = unit;
            this.total = total;
            this.counted = counted;
            this.intervalNanos = intervalNanos;
            this.countedAtStart = counted == null ? 0 : counted.sum();
            this.countedByEvents = counted != null && counted.name().isDefined();
        }

        private void open() {
            previousPhase = sc.getLocalProperty(PHASE_PROPERTY);
            sc.setLocalProperty(PHASE_PROPERTY, id);
            listener.open(this);
            if (intervalNanos > 0) {
                tick = Progress.repeat(this::report, intervalNanos);
            }
        }

        /**
         * The count of the progress lines: without an accumulator the phase's finished tasks, else
         * ended tasks' plus running tasks' values. Follows Spark's listener events, so it may lag
         * the accumulator by a few milliseconds.
         */
        public long count() {
            if (counted == null) {
                return tasksDone.get();
            }
            long ended = countedByEvents ? countedEnded.get() : counted.sum() - countedAtStart;
            return ended + listener.partialSum(counted.id());
        }

        private synchronized void report() {
            if (closed) {
                return;
            }
            long elapsed = System.nanoTime() - startNanos;
            String line = counted == null
                    ? Progress.format(name, "tasks", tasksDone.get(), -1, elapsed)
                    : Progress.format(name, unit, count(), total, elapsed);
            LOG.info("{}{}", line, listener.stagesOf(this));
        }

        /**
         * Ends the phase: restores the previous phase of this thread; logs the closing line if the
         * phase lasted at least one interval. Idempotent.
         */
        @Override
        public void close() {
            synchronized (this) { // a tick already logging finishes first; none logs after this
                if (closed) {
                    return;
                }
                closed = true;
            }
            long elapsed = System.nanoTime() - startNanos;
            boolean closingLine = tick != null && elapsed >= intervalNanos;
            if (tick != null) {
                tick.cancel(false);
            }
            if (closingLine) {
                // The phase's last task and stage events are posted but may not be processed yet;
                // the closing line should count them. (LiveListenerBus is Spark-internal, public in
                // bytecode; the wait ends when the bus is drained, after 2 s at most.)
                try {
                    sc.listenerBus().waitUntilEmpty(2000);
                } catch (java.util.concurrent.TimeoutException e) {
                    // a busy bus: the line may miss the last events
                }
            }
            sc.setLocalProperty(PHASE_PROPERTY, previousPhase);
            listener.close(this);
            if (closingLine) {
                LOG.info("{}", counted == null
                        ? Progress.formatDone(name, "tasks", tasksDone.get(), elapsed)
                        : Progress.formatDone(name, unit, counted.sum() - countedAtStart, elapsed)
                                + "; " + Progress.count(tasksDone.get()) + " tasks");
            }
        }
    }

    /** A submitted stage attempt of an open phase. */
    private record RunningStage(Phase phase, int attempt, int numTasks, AtomicInteger done, AtomicInteger active) {}

    /** Follows stages and tasks of open phases; all callbacks are short map updates (listener bus thread). */
    static final class Listener extends SparkListener {
        private final Map<String, Phase> open = new ConcurrentHashMap<>();
        private final Map<Integer, RunningStage> running = new ConcurrentHashMap<>();
        /**
         * Task id -> accumulator id -> the task's value from its last heartbeat, for tasks started
         * while a phase was open. Only started, not yet ended tasks are here, so a heartbeat that
         * reaches the bus after its task's end cannot count the task twice.
         */
        private final Map<Long, Map<Long, Long>> runningTasks = new ConcurrentHashMap<>();

        void open(Phase p) {
            open.put(p.id, p);
        }

        void close(Phase p) {
            open.remove(p.id);
            running.values().removeIf(s -> s.phase == p);
        }

        long partialSum(long accumulatorId) {
            long sum = 0;
            for (Map<Long, Long> byAccumulator : runningTasks.values()) {
                sum += byAccumulator.getOrDefault(accumulatorId, 0L);
            }
            return sum;
        }

        /** "; stage 4: 3/8 tasks (2 running); 2 stages done" for the line of {@code p}. */
        String stagesOf(Phase p) {
            List<Integer> ids = new ArrayList<>();
            running.forEach((id, s) -> {
                if (s.phase == p) {
                    ids.add(id);
                }
            });
            ids.sort(null);
            StringBuilder out = new StringBuilder();
            for (int id : ids) {
                RunningStage s = running.get(id);
                if (s != null) {
                    out.append("; stage ").append(id).append(": ").append(Math.min(s.done.get(), s.numTasks))
                            .append('/').append(s.numTasks).append(" tasks (").append(Math.max(s.active.get(), 0))
                            .append(" running)");
                }
            }
            if (ids.isEmpty()) {
                out.append("; no stage running");
            }
            int done = p.stagesDone.get();
            if (done > 0) {
                out.append("; ").append(done).append(done == 1 ? " stage done" : " stages done");
            }
            return out.toString();
        }

        @Override
        public void onStageSubmitted(SparkListenerStageSubmitted event) {
            String id = event.properties() == null ? null : event.properties().getProperty(PHASE_PROPERTY);
            Phase p = id != null ? open.get(id) : soleOpenPhase();
            if (p != null) {
                StageInfo info = event.stageInfo();
                running.put(info.stageId(), new RunningStage(p, info.attemptNumber(), info.numTasks(), new AtomicInteger(), new AtomicInteger()));
            }
        }

        private Phase soleOpenPhase() {
            var it = open.values().iterator();
            Phase first = it.hasNext() ? it.next() : null;
            return it.hasNext() ? null : first;
        }

        @Override
        public void onTaskStart(SparkListenerTaskStart event) {
            if (!open.isEmpty()) {
                runningTasks.put(event.taskInfo().taskId(), new ConcurrentHashMap<>());
            }
            RunningStage s = running.get(event.stageId());
            if (s != null && s.attempt == event.stageAttemptId()) {
                s.active.incrementAndGet();
            }
        }

        @Override
        public void onTaskEnd(SparkListenerTaskEnd event) {
            runningTasks.remove(event.taskInfo().taskId());
            for (AccumulableInfo a : CollectionConverters.asJava(event.taskInfo().accumulables())) {
                if (a.update().isDefined() && a.update().get() instanceof Number n) {
                    for (Phase p : open.values()) {
                        if (p.countedByEvents && p.counted.id() == a.id()) {
                            p.countedEnded.addAndGet(n.longValue());
                        }
                    }
                }
            }
            RunningStage s = running.get(event.stageId());
            if (s != null && s.attempt == event.stageAttemptId()) {
                s.active.decrementAndGet();
                if (event.taskInfo().successful()) {
                    s.done.incrementAndGet();
                    s.phase.tasksDone.incrementAndGet();
                }
            }
        }

        @Override
        public void onStageCompleted(SparkListenerStageCompleted event) {
            StageInfo info = event.stageInfo();
            RunningStage s = running.get(info.stageId());
            if (s != null && s.attempt == info.attemptNumber()) {
                running.remove(info.stageId());
                if (info.failureReason().isEmpty()) {
                    s.phase.stagesDone.incrementAndGet();
                }
            }
        }

        @Override
        public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate event) {
            if (runningTasks.isEmpty()) {
                return;
            }
            // a heartbeat carries all of a task's accumulators (its ~30 task metrics too): keep ours
            java.util.Set<Long> wanted = new java.util.HashSet<>();
            open.values().forEach(p -> {
                if (p.counted != null) {
                    wanted.add(p.counted.id());
                }
            });
            for (var task : CollectionConverters.asJava(event.accumUpdates())) {
                Map<Long, Long> byAccumulator = runningTasks.get(((Number) task._1()).longValue());
                if (byAccumulator == null) {
                    continue;
                }
                for (AccumulableInfo a : CollectionConverters.asJava(task._4())) {
                    if (wanted.contains(a.id()) && a.update().isDefined() && a.update().get() instanceof Number n) {
                        byAccumulator.put(a.id(), n.longValue());
                    }
                }
            }
        }
    }
}
