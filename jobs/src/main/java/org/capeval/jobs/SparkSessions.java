package org.capeval.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkException;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/** How the jobs start Spark. */
public final class SparkSessions {
    private SparkSessions() {}

    /**
     * The session of a job whose RDDs ship the given classes. They are registered with Kryo, which
     * then writes a class id instead of the class name with every record, and so are the compact
     * serializers of {@link KryoRegistrator}; set here rather than in spark-defaults.conf so that a
     * stock spark-submit without our configuration gets them too.
     */
    public static SparkSession start(String appName, Class<?>... shipped) {
        return start(appName, null, shipped);
    }

    /**
     * {@link #start(String, Class[])}, with {@code executorJit} (or none: null) first in the
     * executors' default JVM options ({@link #executorsCompileWith}).
     */
    public static SparkSession start(String appName, String executorJit, Class<?>... shipped) {
        SparkConf conf = configured(appName, executorJit, shipped);
        SparkSession spark = started(conf, () -> SparkSession.builder().config(conf).getOrCreate());
        running = spark.sparkContext();
        return spark;
    }

    /**
     * A Spark context without Spark SQL, for a job that uses only RDDs: creating a SparkSession
     * initializes Scala's runtime reflection and Spark SQL's shared state, about 2 s of a short
     * run's driver (measured on the score job: BENCHMARKS-sparkwrite.md). The same settings as
     * {@link #start}.
     */
    public static JavaSparkContext startContext(String appName, Class<?>... shipped) {
        return startContext(appName, null, shipped);
    }

    /**
     * {@link #startContext(String, Class[])}, with {@code executorJit} (or none: null) first in the
     * executors' default JVM options ({@link #executorsCompileWith}): the score job's compiler
     * choice for its run, {@link #C1_ONLY} or {@link #C2_HOT_ONLY}, as its driver got from submit.sh.
     */
    public static JavaSparkContext startContext(String appName, String executorJit, Class<?>... shipped) {
        SparkConf conf = configured(appName, executorJit, shipped);
        JavaSparkContext sc = started(conf, () -> new JavaSparkContext(conf));
        running = sc.sc();
        return sc;
    }

    /** The context a job started here, until the job stops it itself ({@link #stop}). */
    private static volatile SparkContext running;

    /** The job's own stop of the session it started. */
    public static void stop(SparkSession spark) {
        running = null;
        spark.stop();
    }

    /** The job's own stop of the context it started. */
    public static void stop(JavaSparkContext sc) {
        running = null;
        sc.stop();
    }

    /**
     * Whether Spark has stopped the context of the job still running here, before the job stopped
     * it: a standalone master that never answered or that removed the application, or a shutdown.
     * Whatever the job's threads fail with afterwards (a broadcast whose block directory the stop
     * has just deleted, a job cancelled, "Cannot call methods on a stopped SparkContext") follows
     * from that, and is not the user's input.
     */
    public static boolean stoppedUnderTheJob() {
        SparkContext sc = running;
        return sc != null && sc.isStopped();
    }

    /**
     * Starts Spark; a master URL Spark cannot parse is bad input naming --master (Spark fails with
     * a SparkException, which would read as a failure of the job, exit status 1).
     */
    private static <T> T started(SparkConf conf, java.util.function.Supplier<T> start) {
        try {
            return start.get();
        } catch (Exception e) { // SparkException is checked in Java's eyes, and Scala throws it undeclared
            if (e instanceof SparkException && String.valueOf(e.getMessage()).startsWith("Could not parse Master URL")) {
                throw new IllegalArgumentException("--master " + conf.get("spark.master", "") + ": not a master URL Spark knows "
                        + "(local, local[N], local[*], spark://HOST:PORT, yarn, k8s://https://HOST:PORT)", e);
            }
            throw e;
        }
    }

    /** spark-submit's configuration with the job's name (unless the submitter gave one), compiler and Kryo classes. */
    static SparkConf configured(String appName, String executorJit, Class<?>... shipped) {
        SparkConf conf = new SparkConf();
        if (executorJit != null) {
            executorsCompileWith(conf, executorJit);
        }
        if (conf.get("spark.master", "").startsWith("local")) { // the executor is this JVM
            followTmpdir(conf);
            if (!conf.contains(KILL_ON_FATAL_ERROR_DEPTH)) {
                // at a task's OutOfMemoryError Spark would end the JVM with status 52 before the job
                // reports its one line, releases its lock and removes its temporary output. The task
                // fails instead, and the job reports that (exit status 1).
                conf.set(KILL_ON_FATAL_ERROR_DEPTH, "0");
            }
        }
        if (!conf.contains(MAX_DIRECT_RESULT_SIZE)) {
            conf.set(MAX_DIRECT_RESULT_SIZE, DIRECT_RESULTS_UP_TO);
        }
        return conf.setAppName(appName(conf, appName)).set(KRYO_CLASSES, appended(conf, KRYO_CLASSES, kryoClasses(shipped)))
                .set(KRYO_REGISTRATOR, appended(conf, KRYO_REGISTRATOR, KryoRegistrator.class.getName()));
    }

    static final String HADOOP_TMP_DIR = "spark.hadoop.hadoop.tmp.dir";

    /**
     * In local mode, where the executors are this JVM: Hadoop's scratch space (S3A's upload
     * buffers among it) in this JVM's temporary directory when that is not /tmp (the launchers set
     * it from TMPDIR). Hadoop's default is /tmp/hadoop-USER whatever java.io.tmpdir says. A
     * hadoop.tmp.dir the user set (--conf, core-site.xml) stays.
     */
    static void followTmpdir(SparkConf conf) {
        String tmp = System.getProperty("java.io.tmpdir", "/tmp");
        // under /tmp Hadoop's default is already right, and reading core-site.xml would cost the start
        if (conf.contains(HADOOP_TMP_DIR) || java.nio.file.Path.of(tmp).normalize().equals(java.nio.file.Path.of("/tmp"))
                || Storage.coreSiteSets("hadoop.tmp.dir")) {
            return;
        }
        conf.set(HADOOP_TMP_DIR, java.nio.file.Path.of(tmp, "hadoop-" + System.getProperty("user.name")).toString());
    }

    /** A short run's compiler (score, and submit.sh's driver for it): C1 only. */
    public static final String C1_ONLY = "-XX:TieredStopAtLevel=1";
    /**
     * A longer run's compiler (score on Spark, leaderboard and train; driver and executors): C2 only
     * for code 5 times as hot as HotSpot's defaults ask. C2 compiling otherwise took a fifth of a 1M
     * image score run's CPU, most of it on Spark's and the JDK's own methods, in every executor again;
     * with these thresholds a 2-worker cluster ran score 12% faster, leaderboard 16% and train 18%
     * (BENCHMARKS.md). submit.sh and the Python package give the driver the same options.
     */
    public static final String C2_HOT_ONLY = "-XX:Tier4InvocationThreshold=25000 -XX:Tier4MinInvocationThreshold=3000"
            + " -XX:Tier4CompileThreshold=75000 -XX:Tier4BackEdgeThreshold=200000";
    private static final String EXECUTOR_DEFAULT_JAVA_OPTIONS = "spark.executor.defaultJavaOptions";

    /**
     * Puts {@code jit} first in the executors' default JVM options: the cluster's own defaults and
     * the user's {@code spark.executor.extraJavaOptions} come after it, so theirs win where they set
     * the compiler too.
     */
    static SparkConf executorsCompileWith(SparkConf conf, String jit) {
        String theirs = conf.get(EXECUTOR_DEFAULT_JAVA_OPTIONS, "").trim();
        return conf.set(EXECUTOR_DEFAULT_JAVA_OPTIONS, theirs.isEmpty() ? jit : jit + " " + theirs);
    }

    /**
     * The application's name: the submitter's ({@code --name}, {@code spark.app.name}), else the
     * job's. SparkSubmit sets {@code spark.app.name} to the main class when it is given no name,
     * so that value counts as none.
     */
    public static String appName(SparkConf submitted, String job) {
        String name = submitted.get("spark.app.name", "").trim();
        return name.isEmpty() || name.equals(Main.class.getName()) ? job : name;
    }

    static final String KILL_ON_FATAL_ERROR_DEPTH = "spark.executor.killOnFatalError.depth";
    static final String MAX_DIRECT_RESULT_SIZE = "spark.task.maxDirectResultSize";
    /**
     * Task results up to this size go back to the driver in the task's status message (unless the
     * submitter set {@link #MAX_DIRECT_RESULT_SIZE}): a partition's document-frequency table (1.4 MB
     * of generated captions, 4.9 MB of COCO's at 10,000 images) is over Spark's 1 MB default, and was
     * stored in the block manager and fetched back through Netty, even in local mode: 0.4 s of a
     * 200k-image score run on 2 cores (BENCHMARKS.md). Far below the 128 MB cap of an RPC message.
     */
    static final String DIRECT_RESULTS_UP_TO = "16m";
    private static final String KRYO_CLASSES = "spark.kryo.classesToRegister";
    /** Spark's setting for {@link KryoRegistrator} (tests that build their own session set it too). */
    public static final String KRYO_REGISTRATOR = "spark.kryo.registrator";

    /**
     * The comma-separated list {@code key} holds in spark-submit's configuration, with our entries
     * appended where missing: a user's own Kryo classes and registrators are kept (Spark takes lists).
     */
    static String appended(SparkConf conf, String key, String ours) {
        List<String> list = new ArrayList<>();
        for (String entry : (conf.get(key, "") + "," + ours).split(",")) {
            if (!entry.isBlank() && !list.contains(entry.trim())) {
                list.add(entry.trim());
            }
        }
        return String.join(",", list);
    }

    private static String kryoClasses(Class<?>... shipped) {
        return Arrays.stream(shipped).map(Class::getName).collect(Collectors.joining(","));
    }
}
