package org.capeval.jobs.cli;

import java.util.concurrent.Callable;

/**
 * One job's command line: a class whose picocli {@code @Option}s are the job's options, plus what
 * picocli cannot know. {@link Cli} parses into it, then calls {@link #validate}, asks
 * {@link #needsSpark} (the launcher's decision) and finally {@link #call}s it for the exit status.
 */
public interface JobCommand extends Callable<Integer> {
    /**
     * Checks that span options or read files (e.g. METEOR's data), and derives the fields the job
     * reads from the option fields.
     *
     * @throws IllegalArgumentException with a message for the user: a usage error
     */
    void validate();

    /**
     * Whether this (validated) run needs Spark, i.e. must go through SparkSubmit; {@code master} is
     * the spark.master it would run under.
     */
    boolean needsSpark(String master);

    /**
     * Whether this run, which needs Spark, is short: its driver then compiles with C1 only
     * (submit.sh, on {@link Cli#NEEDS_SPARK_SHORT}), as the front JVM does.
     */
    default boolean shortOnSpark(String master) {
        return false;
    }
}
