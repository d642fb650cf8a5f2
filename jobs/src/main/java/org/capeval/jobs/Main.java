package org.capeval.jobs;

import org.capeval.jobs.cli.Cli;

/**
 * The application class SparkSubmit runs ({@code submit.sh} → {@link Launcher} → SparkSubmit, or
 * a stock spark-submit; for a local master the Launcher runs it without SparkSubmit):
 * {@code <job> [job options]}, parsed and dispatched by {@link Cli}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        JobFailure.quietWhenStopped();
        Storage.PosixLocalFileSystem.install();
        int code;
        try {
            code = Cli.run(args, null, Cli.Mode.RUN);
        } finally {
            JobFailure.jobEnded();
        }
        if (code != 0) {
            System.exit(code);
        }
    }
}
