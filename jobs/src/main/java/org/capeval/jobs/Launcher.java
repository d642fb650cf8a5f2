package org.capeval.jobs;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.deploy.SparkSubmit;
import org.capeval.jobs.cli.Cli;

/**
 * submit.sh's entry point. It receives spark-submit's arguments (option/value pairs such as
 * {@code --master URL}, {@code --conf k=v}, {@code --properties-file F}, then the application jar,
 * the job and the job's arguments) and starts Spark only when the job needs it: help, --version and
 * usage errors are answered here, and a job that runs without Spark (score's local engine,
 * generate) runs here, because Spark's start-up costs about a second, a large share of scoring a
 * set like val2014 in one JVM.
 *
 * <p>{@code Launcher --front ARGS...} does the same but exits with {@link Cli#NEEDS_SPARK} instead
 * of starting Spark ({@link Cli#NEEDS_SPARK_SHORT} for a short run): submit.sh starts this JVM
 * first, with the flags of a short run, and a driver JVM with Spark's flags only on that answer. It
 * starts that driver as {@code Launcher --checked ARGS...}: the command line was checked by the
 * front JVM and is not parsed twice.
 *
 * <p>A job for a local master ({@code local}, {@code local[N]}, {@code local[*]}) in this JVM,
 * without {@code --jars} or {@code --files}, runs {@link Main} directly with the configuration
 * SparkSubmit would have set as system properties (see {@link #localConf}): SparkSubmit's own
 * start-up (its logging, Ivy's dependency resolution, a Hadoop configuration) costs such a run
 * ~0.5 s, and in local mode it adds nothing, as the executors are this JVM's threads and the
 * application jar is already on its class path (BENCHMARKS.md). Every other run, and a stock
 * spark-submit, goes through SparkSubmit.
 *
 * <p>With {@code --deploy-mode cluster} the driver runs on the cluster, which may not see this
 * machine's files: only help and --version are answered here; everything else goes to SparkSubmit
 * as given (the job's options are checked by the driver, on the cluster).
 */
public final class Launcher {
    private static final String LOGGER_CONTEXT_FACTORY = "log4j2.loggerContextFactory";

    private Launcher() {}

    public static void main(String[] argv) {
        boolean front = argv.length > 0 && argv[0].equals("--front");
        boolean checked = argv.length > 0 && argv[0].equals("--checked");
        if (front && System.getProperty(LOGGER_CONTEXT_FACTORY) == null) {
            // This JVM never runs Spark. Hadoop's file system, which the local engine writes
            // through, would start log4j-core and read its configuration: ~0.25 s of a val2014 run
            // (BENCHMARKS.md). log4j-api's simple logger prints third-party errors to stderr
            // without it; their warnings are not shown in this JVM.
            System.setProperty(LOGGER_CONTEXT_FACTORY, "org.apache.logging.log4j.simple.SimpleLoggerContextFactory");
        }
        String[] submit = front || checked ? Arrays.copyOfRange(argv, 1, argv.length) : argv;
        SubmitOptions options;
        try {
            options = SubmitOptions.parse(submit);
        } catch (BadOption e) { // as a job's usage error: the line and the hint, exit status 2
            String name = "submit.sh" + (e.job == null ? "" : " " + e.job);
            System.err.println(name + ": " + e.getMessage());
            System.err.println(Cli.hint(name));
            System.exit(2);
            return;
        }
        if (options.clusterDeploy() && !asksForHelp(options.job())) {
            if (front) System.exit(Cli.NEEDS_SPARK);
            sparkSubmit(submit, options);
            return;
        }
        int code = checked ? Cli.NEEDS_SPARK : Cli.run(options.job(), options.master(), Cli.Mode.RUN_WITHOUT_SPARK);
        if (Cli.needsSpark(code) && !front) {
            Optional<Map<String, String>> local = localConf(options);
            if (local.isPresent()) {
                local.get().forEach(System::setProperty);
                Main.main(options.job());
            } else {
                sparkSubmit(submit, options);
            }
        } else if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Runs SparkSubmit. The jobs report their own failures and exit; what SparkSubmit itself throws
     * is a submission it refused (a master URL it does not know, ...): a usage error, one line.
     */
    private static void sparkSubmit(String[] submit, SubmitOptions options) {
        try {
            SparkSubmit.main(submit);
        } catch (Exception e) { // Scala throws its SparkException undeclared
            if (!(e instanceof org.apache.spark.SparkException)) {
                throw e;
            }
            String name = "submit.sh" + (options.job().length == 0 ? "" : " " + options.job()[0]);
            System.err.println(name + ": " + JobFailure.oneLine(e.getMessage()));
            System.err.println(Cli.hint(name));
            System.exit(2);
        }
    }

    private static boolean asksForHelp(String[] job) {
        if (job.length == 0) return true;
        for (String a : job) {
            if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) return true;
        }
        return false;
    }

    /** spark-submit's options as submit.sh passes them, and the job's arguments after the jar. */
    record SubmitOptions(Map<String, String> options, Map<String, String> conf, Map<String, String> fileConf, String[] job) {
        /** @throws BadOption for a {@code --conf} without '=' or a properties file that cannot be read */
        static SubmitOptions parse(String[] submit) throws BadOption {
            Map<String, String> options = new LinkedHashMap<>();
            Map<String, String> conf = new LinkedHashMap<>();
            int i = 0;
            while (i + 1 < submit.length && submit[i].startsWith("--")) {
                i += 2;
            }
            // submit[i] is the application jar, then the job and its arguments
            String[] job = Arrays.copyOfRange(submit, Math.min(i + 1, submit.length), submit.length);
            String jobName = job.length > 0 && !job[0].startsWith("-") ? job[0] : null;
            for (int o = 0; o < i; o += 2) {
                if (submit[o].equals("--conf")) {
                    int eq = submit[o + 1].indexOf('=');
                    if (eq <= 0) {
                        throw new BadOption(jobName, "--conf '" + submit[o + 1] + "': a Spark property is given as KEY=VALUE");
                    }
                    conf.put(submit[o + 1].substring(0, eq), submit[o + 1].substring(eq + 1)); // as SparkSubmit: not trimmed
                } else {
                    options.put(submit[o], submit[o + 1]);
                }
            }
            return new SubmitOptions(options, conf, propertiesFile(options.get("--properties-file"), jobName), job);
        }

        /** The properties file's Spark properties, values trimmed, as SparkSubmit reads them. */
        private static Map<String, String> propertiesFile(String name, String jobName) throws BadOption {
            Map<String, String> file = new LinkedHashMap<>();
            if (name != null && Files.isRegularFile(Path.of(name))) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(Path.of(name), StandardCharsets.UTF_8)) {
                    p.load(r);
                } catch (IOException | IllegalArgumentException e) {
                    throw new BadOption(jobName, "--properties-file " + name + ": not readable as Spark properties ("
                            + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
                }
                for (String k : p.stringPropertyNames()) {
                    if (k.startsWith("spark.")) {
                        file.put(k, p.getProperty(k).trim());
                    }
                }
            }
            return file;
        }

        /** spark.master as SparkSubmit resolves it: --master, --conf, the file, $MASTER, local[*]. */
        String master() {
            return firstOf(options.get("--master"), conf.get("spark.master"), fileConf.get("spark.master"), System.getenv("MASTER"), "local[*]");
        }

        /** The deploy mode as SparkSubmit resolves it: --deploy-mode, --conf, the file, $DEPLOY_MODE. */
        boolean clusterDeploy() {
            return "cluster".equals(firstOf(options.get("--deploy-mode"), conf.get("spark.submit.deployMode"),
                    fileConf.get("spark.submit.deployMode"), System.getenv("DEPLOY_MODE"), "client"));
        }

        private static String firstOf(String... values) {
            return Arrays.stream(values).filter(v -> v != null).findFirst().orElseThrow();
        }
    }

    /** A launcher option that is wrong: its one-line message, for the job's usage error. */
    static final class BadOption extends Exception {
        private static final long serialVersionUID = 1L;
        final transient String job;

        BadOption(String job, String message) {
            super(message);
            this.job = job;
        }
    }

    private static final Pattern LOCAL_MASTER = Pattern.compile("local(\\[[^\\]]*\\])?");
    /** submit.sh's options that set a Spark property, as SparkSubmit maps them. */
    private static final Map<String, String> OPTION_PROPERTIES = Map.of("--name", "spark.app.name",
            "--driver-memory", "spark.driver.memory", "--driver-cores", "spark.driver.cores",
            "--executor-memory", "spark.executor.memory", "--executor-cores", "spark.executor.cores",
            "--total-executor-cores", "spark.cores.max");
    /** Options of this launcher that set no Spark property. */
    private static final Set<String> OWN_OPTIONS = Set.of("--class", "--master", "--properties-file", "--deploy-mode");
    /** Properties whose files SparkSubmit would fetch or put on a class path: left to it. */
    private static final Pattern RESOURCE_PROPERTY = Pattern.compile("spark\\.(jars|files|archives|submit\\.pyFiles)(\\..*)?");

    /**
     * The system properties under which {@link Main} runs as SparkSubmit would have run it in this
     * JVM, or empty when SparkSubmit is needed: a master that is not local (a standalone cluster, a
     * {@code local-cluster}, YARN, Kubernetes), cluster deploy mode, jars or files to ship, or an
     * option this launcher does not know. Precedence as SparkSubmit's: an option over {@code --conf}
     * over the properties file; properties not named {@code spark.*} are ignored.
     */
    static Optional<Map<String, String>> localConf(SubmitOptions submit) {
        String master = submit.master();
        if (submit.clusterDeploy() || !LOCAL_MASTER.matcher(master).matches()) {
            return Optional.empty();
        }
        Map<String, String> props = new LinkedHashMap<>(submit.fileConf());
        submit.conf().forEach((k, v) -> {
            if (k.startsWith("spark.")) props.put(k, v);
        });
        for (Map.Entry<String, String> o : submit.options().entrySet()) {
            String property = OPTION_PROPERTIES.get(o.getKey());
            if (property != null) {
                props.put(property, o.getValue());
            } else if (!OWN_OPTIONS.contains(o.getKey())) {
                return Optional.empty(); // --jars, --files, ...
            }
        }
        if (props.keySet().stream().anyMatch(k -> RESOURCE_PROPERTY.matcher(k).matches())) {
            return Optional.empty();
        }
        props.put("spark.master", master);
        props.put("spark.submit.deployMode", "client");
        props.putIfAbsent("spark.app.submitTime", Long.toString(System.currentTimeMillis()));
        return Optional.of(props);
    }
}
