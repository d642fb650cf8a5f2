package org.capeval.jobs;

import java.util.Arrays;

/** Entry point for submit.sh: the first argument names the job, the rest are the job's arguments. */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            usage();
            System.exit(2);
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        switch (args[0]) {
            // each job registers itself here: case "score" -> ScoreJob.main(rest); ...
            case "score" -> org.capeval.jobs.score.ScoreJob.main(rest);
            case "generate" -> org.capeval.jobs.gen.CaptionGenerator.main(rest);
            case "train" -> org.capeval.jobs.train.TrainJob.main(rest);
            case "leaderboard" -> org.capeval.jobs.leaderboard.LeaderboardJob.main(rest);
            default -> {
                System.err.println("capeval: unknown job '" + args[0] + "'");
                usage();
                System.exit(2);
            }
        }
    }

    private static void usage() {
        System.err.println("usage: submit.sh <job> [options]   (jobs: score, generate, leaderboard, train; <job> --help for options)");
    }
}
