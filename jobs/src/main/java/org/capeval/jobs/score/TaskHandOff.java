package org.capeval.jobs.score;

import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * A value that one closure of a Spark task hands to a later closure of the same task, in memory:
 * the tokenizing closure computes a partition's document-frequency table while the tokens are in
 * hand, and the closure of the job that materializes the persisted tokens returns it to the driver
 * as the task's result. Persisting the table with the tokens instead would write it to disk and
 * read it back twice (measured: BENCHMARKS.md). Keyed by task attempt and dropped when the task
 * ends, so a value no later closure took never outlives its task. A closure that finds nothing
 * (the persisted block existed already, so the first closure did not run in this task) must
 * compute the value itself.
 */
final class TaskHandOff {
    private static final ConcurrentHashMap<Long, Object> VALUES = new ConcurrentHashMap<>();

    private TaskHandOff() {}

    /** Leaves {@code value} for a later closure of the running task. */
    static void put(Object value) {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return; // not in a task: nothing later to take it
        }
        long attempt = task.taskAttemptId();
        if (VALUES.put(attempt, value) == null) {
            task.addTaskCompletionListener((TaskCompletionListener) t -> VALUES.remove(attempt));
        }
    }

    /** The value a closure of the running task left, once, or null. */
    @SuppressWarnings("unchecked")
    static <T> T take(Class<T> type) {
        TaskContext task = TaskContext.get();
        Object value = task == null ? null : VALUES.remove(task.taskAttemptId());
        return type.isInstance(value) ? (T) value : null;
    }
}
