package org.capeval.jobs.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.capeval.jobs.JobFailure;
import org.capeval.jobs.gen.CaptionGenerator;
import org.capeval.jobs.leaderboard.LeaderboardOptions;
import org.capeval.jobs.score.ScoreOptions;
import org.capeval.jobs.train.TrainConfig;
import org.capeval.metrics.Signature;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExecutionException;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command line of {@code submit.sh}: {@code <job> [job options]}, one picocli subcommand per
 * job, each declared by its options class ({@link JobCommand}). Help ({@code -h/--help}, which also
 * lists the Spark options submit.sh takes), {@code -V/--version}, errors and suggestions for
 * misspelt options all come from those declarations. A usage error prints two lines on stderr, the
 * error (naming the option, with a "did you mean") and a hint, and exits 2.
 */
public final class Cli {
    private Cli() {}

    static {
        // picocli looks for Groovy's Closure class when it first builds a command; on the jobs'
        // classpath (~185 jars, none with Groovy) that miss alone cost ~0.5 s of every --help
        System.setProperty("picocli.disable.closures", "true");
    }

    /** {@link Mode#RUN_WITHOUT_SPARK}'s answer for a job that needs Spark (SparkSubmit). */
    public static final int NEEDS_SPARK = 11;
    /** As {@link #NEEDS_SPARK}, for a short run ({@link JobCommand#shortOnSpark}). */
    public static final int NEEDS_SPARK_SHORT = 12;

    /** Whether {@code status} is {@link #NEEDS_SPARK} or {@link #NEEDS_SPARK_SHORT}. */
    public static boolean needsSpark(int status) {
        return status == NEEDS_SPARK || status == NEEDS_SPARK_SHORT;
    }

    /** What {@link #run} does with a valid command line; help, version and usage errors are always answered. */
    public enum Mode {
        /** Run the job (under SparkSubmit: {@code Main}). */
        RUN,
        /** Run the job unless it needs Spark: then run nothing and return {@link #NEEDS_SPARK} or {@link #NEEDS_SPARK_SHORT} (the launcher). */
        RUN_WITHOUT_SPARK
    }

    /**
     * The top-level command: only picks the job. Its help options, version and option order are
     * inherited by every job (scope INHERIT), so a job class declares only its own options.
     */
    @Command(name = "submit.sh", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, versionProvider = Version.class,
            sortOptions = false, sortSynopsis = false, descriptionHeading = "%n", optionListHeading = "%nOptions:%n",
            subcommands = {ScoreOptions.class, LeaderboardOptions.class, TrainConfig.class, CaptionGenerator.Options.class},
            commandListHeading = "%nJobs (submit.sh <job> --help lists a job's options):%n",
            description = "Runs a capeval job on Apache Spark from the jobs module's jars (no Spark distribution needed).")
    static final class TopLevel {
        /** Every job's --verbose (inherited): stack traces after a failure's one-line message. */
        @Option(names = "--verbose", scope = ScopeType.INHERIT,
                description = "on a failure, print the stack trace after the one-line message (else: only for unexpected failures, "
                        + "into a file the message names)")
        void verbose(boolean on) {
            JobFailure.verbose(on);
        }
    }

    /** {@code --version}: the version in every result's signature. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"capeval " + Signature.version()};
        }
    }

    /**
     * The options submit.sh (and SparkSubmit) take before the job sees its arguments: documented in
     * every help, never parsed here. Keep in step with submit.sh's option loop.
     */
    static final Map<String, String> SPARK_OPTIONS = sparkOptions();

    private static Map<String, String> sparkOptions() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("--master URL", "Spark master (default local[*]; spark://HOST:PORT for a standalone cluster)");
        m.put("--conf K=V", "a Spark property; repeatable");
        m.put("--driver-memory X", "driver heap, e.g. 4g (default: spark.driver.memory in conf/spark-defaults.conf)");
        m.put("--executor-memory X", "heap of each executor");
        m.put("--total-executor-cores N", "cores of all executors together (standalone cluster)");
        m.put("--executor-cores N", "cores of each executor");
        m.put("--name NAME", "the application's name in Spark's UI");
        return m;
    }

    private static final String SPARK_SECTION = "sparkOptions";

    /** The whole command line, fresh (picocli fills the option objects in place). */
    public static CommandLine commandLine() {
        CommandLine top = new CommandLine(new TopLevel());
        List<CommandLine> all = new ArrayList<>(top.getSubcommands().values());
        all.add(top);
        for (CommandLine c : all) {
            c.setUsageHelpWidth(100);
            c.getHelpSectionMap().put(SPARK_SECTION, help -> "%nSpark options (taken by submit.sh, anywhere after the job name):%n".formatted()
                    + help.createTextTable(SPARK_OPTIONS).toString());
            List<String> keys = new ArrayList<>(c.getHelpSectionKeys());
            keys.add(keys.indexOf(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER_HEADING), SPARK_SECTION);
            c.setHelpSectionKeys(keys);
        }
        // the top level's synopsis only (a @Command attribute would be inherited by the jobs)
        top.getCommandSpec().usageMessage().customSynopsis("submit.sh <job> [Spark options] [job options]",
                "       submit.sh [-hV]");
        top.setParameterExceptionHandler((e, args) -> usageError(e));
        // numbers in decimal only, and refused in the words of the jobs' other checks ("--threads
        // 'many' is not an integer"; picocli's own: "Invalid value for option '--threads': 'many' is
        // not an int", and it takes 0x10 for 16)
        // (one converter object per type: two identical method references would make HotSpot 17's
        // dynamic CDS dump, at the exit of the first local run after a build, crash the JVM)
        CommandLine.ITypeConverter<Integer> ints = s -> (int) integer(s, Integer.MIN_VALUE, Integer.MAX_VALUE);
        CommandLine.ITypeConverter<Long> longs = s -> integer(s, Long.MIN_VALUE, Long.MAX_VALUE);
        CommandLine.ITypeConverter<Double> doubles = Cli::decimal;
        top.registerConverter(Integer.class, ints).registerConverter(Integer.TYPE, ints);
        top.registerConverter(Long.class, longs).registerConverter(Long.TYPE, longs);
        top.registerConverter(Double.class, doubles).registerConverter(Double.TYPE, doubles);
        // an option given again replaces the earlier value, as in most command-line tools (and a
        // wrapper script can add defaults that the user's own options then override)
        top.setOverwrittenOptionsAllowed(true);
        return top;
    }

    private static final java.util.regex.Pattern INTEGER = java.util.regex.Pattern.compile("[+-]?[0-9]+");
    // Java's decimal syntax without its type suffixes (1.5d) and hexadecimal; NaN and Infinity are
    // left to the jobs' checks, which say "not a finite number"
    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?(NaN|Infinity|([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?)");

    /** An option's integer value within [min, max]. */
    static long integer(String s, long min, long max) {
        if (!INTEGER.matcher(s).matches()) {
            throw new TypeConversionException("'" + s + "' is not an integer");
        }
        boolean negative = s.startsWith("-");
        try {
            long v = Long.parseLong(s);
            if (v >= min && v <= max) {
                return v;
            }
            negative = v < min;
        } catch (NumberFormatException beyondLong) {
            // its sign says which bound it passes
        }
        throw new TypeConversionException("'" + s + "' is " + (negative ? "too small (at least " + min : "too large (at most " + max) + ")");
    }

    /** An option's decimal value. */
    static double decimal(String s) {
        if (!DECIMAL.matcher(s).matches()) {
            throw new TypeConversionException("'" + s + "' is not a number");
        }
        return Double.parseDouble(s);
    }

    /**
     * Parses and runs {@code <job> [options]}: help, version and usage errors are printed here
     * (exit status 0, 0, 2); otherwise the job runs as {@code mode} says.
     *
     * @param master the spark.master the job would run under (for {@link JobCommand#needsSpark});
     *               unused in {@link Mode#RUN}
     * @return the exit status, or {@link #NEEDS_SPARK} or {@link #NEEDS_SPARK_SHORT}
     */
    public static int run(String[] args, String master, Mode mode) {
        JobFailure.verbose(false); // until --verbose is parsed
        CommandLine top = commandLine();
        top.setExecutionStrategy(parsed -> execute(parsed, master, mode));
        return top.execute(args);
    }

    private static int execute(ParseResult top, String master, Mode mode) {
        Integer helpStatus = CommandLine.executeHelpRequest(top);
        if (helpStatus != null) {
            return helpStatus;
        }
        if (!top.hasSubcommand()) {
            throw new ParameterException(top.commandSpec().commandLine(), "no job given (one of " + jobNames(top.commandSpec().commandLine()) + ")");
        }
        CommandLine line = top.subcommand().commandSpec().commandLine();
        JobCommand job = line.getCommand();
        boolean spark;
        try {
            job.validate();
            spark = mode != Mode.RUN && job.needsSpark(master);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(line, e.getMessage(), e);
        }
        if (mode == Mode.RUN_WITHOUT_SPARK) {
            if (spark) {
                return job.shortOnSpark(master) ? NEEDS_SPARK_SHORT : NEEDS_SPARK;
            }
            System.setProperty("spark.master", master); // as SparkSubmit would have set it
        }
        try {
            return job.call();
        } catch (Exception e) {
            throw new ExecutionException(line, e.toString(), e); // picocli prints its stack trace, exit status 1
        }
    }

    /**
     * One job's options parsed and validated as {@code submit.sh job args} would, for tests and
     * callers that run the job themselves; with {@code --help} the object comes back unvalidated.
     *
     * @throws IllegalArgumentException with the usage error's first line (without the command name)
     */
    public static <T extends JobCommand> T parse(String job, String[] args) {
        String[] jobArgs = new String[args.length + 1];
        jobArgs[0] = job;
        System.arraycopy(args, 0, jobArgs, 1, args.length);
        try {
            ParseResult parsed = commandLine().parseArgs(jobArgs).subcommand();
            T options = parsed.commandSpec().commandLine().getCommand();
            if (!parsed.isUsageHelpRequested() && !parsed.isVersionHelpRequested()) {
                options.validate();
            }
            return options;
        } catch (ParameterException e) {
            throw new IllegalArgumentException(message(e), e);
        }
    }

    /** The hint line after a usage error. */
    public static String hint(String qualifiedName) {
        return "Try '" + qualifiedName + " --help' for more information.";
    }

    /** Prints a usage error as two lines, the error and the hint; returns the exit status (2). */
    private static int usageError(ParameterException e) {
        CommandLine line = e.getCommandLine();
        String name = line.getCommandSpec().qualifiedName();
        PrintWriter err = line.getErr();
        err.println(name + ": " + message(e));
        err.println(hint(name));
        err.flush();
        return line.getCommandSpec().exitCodeOnInvalidInput();
    }

    /**
     * One line saying what is wrong. An argument picocli could not place is named first (picocli
     * reports missing required options before unknown ones, but "--refz" is the user's mistake
     * when --refs is missing), with the closest names it suggests.
     */
    static String message(ParameterException e) {
        CommandLine line = e.getCommandLine();
        List<String> unmatched = e instanceof UnmatchedArgumentException u ? u.getUnmatched() : line.getUnmatchedArguments();
        if (!unmatched.isEmpty()) {
            UnmatchedArgumentException u = e instanceof UnmatchedArgumentException x ? x : new UnmatchedArgumentException(line, unmatched);
            String arg = unmatched.get(0);
            boolean option = u.isUnknownOption();
            boolean top = line.getParent() == null;
            String what = option ? "unknown option '" + arg + "'"
                    : top ? "unknown job '" + arg + "'"
                    : "unexpected argument '" + arg + "' (every value follows its option)";
            List<String> candidates = option ? optionNames(line) : new ArrayList<>(line.getSubcommands().keySet());
            List<String> best = closest(option ? arg.split("=", 2)[0] : arg, u.getSuggestions(), candidates);
            return what + (best.isEmpty() ? "" : "; did you mean " + String.join(" or ", best) + "?")
                    + (top ? " (jobs: " + jobNames(line) + ")" : "");
        }
        Throwable cause = e.getCause();
        if (cause instanceof TypeConversionException && e.getArgSpec() instanceof CommandLine.Model.OptionSpec o) {
            return o.longestName() + " " + oneLine(cause.getMessage()); // "--threads 'many' is not an integer"
        }
        if (cause instanceof IllegalArgumentException && !(cause instanceof TypeConversionException)) {
            return oneLine(cause.getMessage()); // a converter's or validate()'s own message
        }
        return oneLine(e.getMessage());
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.strip().replaceAll("\\s*\\R\\s*", " ");
    }

    private static String jobNames(CommandLine top) {
        return String.join(", ", top.getSubcommands().keySet());
    }

    private static List<String> optionNames(CommandLine line) {
        List<String> names = new ArrayList<>();
        line.getCommandSpec().options().forEach(o -> names.addAll(List.of(o.names())));
        return names;
    }

    /**
     * picocli's suggestions (options sharing the first two letters, or jobs by cosine similarity)
     * ordered by edit distance, keeping the closest; when picocli has none (a typo in the first two
     * letters, e.g. --rsults), the candidates within a small edit distance.
     */
    static List<String> closest(String arg, List<String> suggested, Collection<String> candidates) {
        String a = arg.toLowerCase(Locale.ROOT);
        List<String> pool = suggested;
        int limit = Integer.MAX_VALUE;
        if (pool.isEmpty()) {
            pool = new ArrayList<>(candidates);
            limit = Math.max(2, a.replaceFirst("^-+", "").length() / 3);
        }
        int best = Integer.MAX_VALUE;
        for (String s : pool) {
            best = Math.min(best, distance(a, s.toLowerCase(Locale.ROOT)));
        }
        if (best > limit) {
            return List.of();
        }
        int min = best;
        return pool.stream().filter(s -> distance(a, s.toLowerCase(Locale.ROOT)) == min).distinct()
                .sorted(Comparator.naturalOrder()).limit(3).toList();
    }

    /** Levenshtein distance with adjacent transpositions counted as one edit. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            for (int j = 0; j <= b.length(); j++) {
                if (i == 0 || j == 0) {
                    d[i][j] = i + j;
                    continue;
                }
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
