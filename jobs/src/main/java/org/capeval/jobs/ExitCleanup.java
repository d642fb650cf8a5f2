package org.capeval.jobs;

import java.io.IOException;

/**
 * A run's cleanup of its temporary outputs, run also when the JVM ends before the run gets to it.
 * A SIGTERM (a scheduler's time limit, {@code kill}) or Ctrl-C ends the JVM without unwinding its
 * threads, so no {@code finally} block runs, and the hidden temporary siblings of generate's files
 * and of the local engine's {@code --out} stayed behind (hundreds of MB for a large generate). A
 * shutdown hook runs the same cleanup as a failed run; {@link #close} removes the hook once the run
 * has committed or cleaned up itself. The owner makes its cleanup and its commit exclude each
 * other (both synchronized), so the hook never removes half of a commit in progress.
 *
 * <p>The Spark jobs need none: Spark's own shutdown hook stops the context, the job fails, and its
 * usual cleanup runs.
 */
public final class ExitCleanup implements AutoCloseable {
    /** A cleanup that may fail; at the JVM's end it can only be tried. */
    @FunctionalInterface
    public interface Cleanup {
        void run() throws IOException;
    }

    private final Thread hook;

    private ExitCleanup(Thread hook) {
        this.hook = hook;
    }

    /** Runs {@code cleanup} if the JVM ends before {@link #close}. */
    public static ExitCleanup register(String name, Cleanup cleanup) {
        Thread hook = new Thread(() -> {
            try {
                cleanup.run();
            } catch (IOException | RuntimeException e) {
                // the JVM is ending: there is no one left to tell
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
        return new ExitCleanup(hook);
    }

    /**
     * An owner's {@code close()}: its cleanup, then its hook ({@code registered}, null when it has
     * none) removed, even when the cleanup fails.
     */
    public static void cleanUp(ExitCleanup registered, Cleanup cleanup) throws IOException {
        try {
            cleanup.run();
        } finally {
            if (registered != null) {
                registered.close();
            }
        }
    }

    /** The run has committed or cleaned up itself: the hook is not needed any more. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is ending and the hook runs (or ran) the cleanup
        }
    }
}
