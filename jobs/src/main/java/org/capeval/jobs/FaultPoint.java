package org.capeval.jobs;

/**
 * Test hook: a named point in a job where a test kills the driver (kill -9) at exactly that moment,
 * for windows too narrow to hit by watching the output from outside (Hadoop's and Spark's tests
 * have the same kind of hook). Inert unless the driver JVM has the system property
 * {@value #PROPERTY} set to the point's name (e.g. {@code CAPEVAL_DRIVER_OPTS=-Dcapeval.faultPoint=pointer});
 * then, when the run reaches it, it prints {@code capeval: fault point <name> reached} on stderr
 * and blocks until the process is killed.
 *
 * <p>The points: {@code pointer} (the leaderboard's next pointer is written under its hidden name,
 * not yet renamed) and {@code copying} (the first top-level copy is replaced, the others not yet).
 */
public final class FaultPoint {
    public static final String PROPERTY = "capeval.faultPoint";

    private FaultPoint() {}

    /** Blocks forever if {@code name} is the point this JVM was told to stop at; otherwise returns at once. */
    public static void reached(String name) {
        if (!name.equals(System.getProperty(PROPERTY))) return;
        System.err.println("capeval: fault point " + name + " reached");
        System.err.flush();
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // only a kill ends the wait: that is what the test is about
            }
        }
    }
}
