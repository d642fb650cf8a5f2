package org.capeval.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.io.nativeio.NativeIO;
import org.apache.spark.SparkEnv;
import scala.Tuple2;

/**
 * The jobs' boundary with the file systems they read and write through Hadoop (local, HDFS, object
 * stores through s3a and the like), in one place: which stores have no atomic rename, the Hadoop
 * configuration a task sees, and how a store's refusal at a path becomes one line naming the
 * option and the URI:
 *
 * <ul>
 *   <li>no credentials for the store: bad input ({@value JobFailure#BAD_INPUT}), "no credentials";</li>
 *   <li>permission denied (HDFS's AccessControlException, S3's 403): bad input, "permission denied";</li>
 *   <li>the NameNode or endpoint cannot be reached: {@value JobFailure#FAILED}, "cannot reach".</li>
 * </ul>
 * Missing credentials are looked for first: s3a reports them as an access denied.
 */
public final class Storage {
    /** Schemes of object stores: no atomic rename of a directory, a PUT makes an object appear whole. */
    private static final Set<String> OBJECT_STORES = Set.of("s3a", "s3", "s3n", "gs", "abfs", "abfss", "wasb", "wasbs", "oss", "cos", "cosn");

    /** A host and port in an exception's message ("Connect to 127.0.0.1:9000 failed", "Call From a to b:8020"). */
    private static final Pattern HOST_PORT = Pattern.compile("[\\w.\\]-]+:\\d+");

    private Storage() {}

    /** Whether {@code fs} is an object store (see {@link #OBJECT_STORES}). */
    public static boolean isObjectStore(FileSystem fs) {
        return isObjectStoreScheme(fs.getUri().getScheme());
    }

    public static boolean isObjectStoreScheme(String scheme) {
        return scheme != null && OBJECT_STORES.contains(scheme.toLowerCase(Locale.ROOT));
    }

    /**
     * The Hadoop configuration for code that has no SparkContext at hand (tasks on executors): the
     * defaults plus Spark's {@code spark.hadoop.*} settings (an s3a endpoint and credentials given
     * with --conf), as the driver's {@code sc.hadoopConfiguration()} has them.
     */
    public static Configuration hadoopConf() {
        // a copy of one loaded configuration: each new Configuration() parses Hadoop's default XML
        // files again on first use, and a leaderboard night opens a few files per submission
        Configuration c = new Configuration(Defaults.CONF);
        SparkEnv env = SparkEnv.get();
        if (env != null) {
            for (Tuple2<String, String> kv : env.conf().getAll()) {
                if (kv._1().startsWith("spark.hadoop.")) {
                    c.set(kv._1().substring("spark.hadoop.".length()), kv._2());
                }
            }
        }
        return c;
    }

    private static final class Defaults {
        static final Configuration CONF = loaded();

        private static Configuration loaded() {
            Configuration c = new Configuration();
            c.size(); // parses the default resources now, once
            return c;
        }
    }

    /**
     * Whether a core-site.xml on the class path (the cluster's or the user's Hadoop configuration)
     * sets the property {@code key}: the jobs' own defaults for Hadoop give way to it. Without a
     * core-site.xml nothing is parsed. One that cannot be parsed counts as setting it: the defaults
     * give way, and the job reports the file in one line where it first reads Hadoop's configuration.
     */
    static boolean coreSiteSets(String key) {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        java.net.URL site = (loader == null ? Storage.class.getClassLoader() : loader).getResource("core-site.xml");
        if (site == null) {
            return false;
        }
        Configuration c = new Configuration(false);
        c.addResource(site);
        try {
            return !c.get(key, "").isBlank();
        } catch (RuntimeException e) { // Hadoop's parse error
            return true;
        }
    }

    /**
     * Hadoop's local file system ({@code file:}), with permissions set through java.nio. Without
     * Hadoop's native library (libhadoop, which a Maven install does not have) Hadoop sets them by
     * running a {@code chmod} process for every file, checksum file and directory it creates: 56
     * processes, ~6 ms each, in a 200k-image score run on Spark, ~6 per submission in a leaderboard
     * night (BENCHMARKS.md). The same bits and the same kind of failure (an IOException); the sticky
     * bit, which java.nio cannot set, and a file system without POSIX permissions still go Hadoop's
     * way. The jobs' driver {@link #install installs} it; in local mode it is the executors' too.
     */
    public static final class PosixLocalFileSystem extends LocalFileSystem {
        /** A Hadoop configuration resource that names this class for {@code file:}. */
        static final String RESOURCE = "capeval-local-file-system.xml";
        static final String KEY = "fs.file.impl";

        /**
         * Makes this the file system of {@code file:} paths for every Hadoop configuration of this
         * JVM, as a default resource: the jobs and Spark create theirs in many places, and Hadoop
         * caches the first file system it creates for a scheme, whichever configuration asked.
         * Not when the submitter ({@code --conf spark.hadoop.fs.file.impl}) or a core-site.xml on
         * the class path names another.
         */
        public static void install() {
            if (!anotherNamed()) {
                Configuration.addDefaultResource(RESOURCE);
            }
        }

        /** Whether the submitter (a {@code spark.hadoop.} property) or a core-site.xml names a class for {@code file:}. */
        static boolean anotherNamed() {
            return System.getProperty("spark.hadoop." + KEY) != null || coreSiteSets(KEY);
        }

        public PosixLocalFileSystem() {
            super(new Raw());
        }

        private static final class Raw extends RawLocalFileSystem {
            @Override
            public void setPermission(Path p, FsPermission permission) throws IOException {
                java.nio.file.Path file = pathToFile(p).toPath();
                if (NativeIO.isAvailable() || permission.getStickyBit() || !file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    super.setPermission(p, permission);
                    return;
                }
                Files.setPosixFilePermissions(file, posix(permission.toShort()));
            }
        }

        /** The permissions of a mode's low 9 bits (rwxrwxrwx): PosixFilePermission's order is the bits' order. */
        static Set<PosixFilePermission> posix(int mode) {
            Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
            for (PosixFilePermission p : PosixFilePermission.values()) {
                if ((mode & (0400 >> p.ordinal())) != 0) {
                    out.add(p);
                }
            }
            return out;
        }
    }

    /** A store refused the job at a path for a reason the user must fix (credentials, permissions): bad input. */
    public static final class Refused extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** A file-system call at the path named by {@link #at}'s {@code what}. */
    public interface Call<T> {
        T run() throws IOException;
    }

    /**
     * Runs {@code call}; a refusal {@link #failure} recognizes becomes its one-line exception, any
     * other IOException passes unchanged.
     *
     * @param what the option and the URI, e.g. {@code "--refs s3a://bucket/refs.json.gz"}
     */
    public static <T> T at(String what, Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (IOException e) {
            RuntimeException f = failure(what, e);
            if (f != null) {
                throw f;
            }
            throw e;
        }
    }

    /**
     * The one-line exception for a store's refusal found in {@code e}'s cause chain, or null when
     * there is none: {@link Refused} (bad input) for missing credentials or a permission denied,
     * {@link JobFailure.Reported} for a store that cannot be reached.
     */
    public static RuntimeException failure(String what, Throwable e) {
        Throwable credentials = null;
        Throwable denied = null;
        Throwable unreachable = null;
        for (Throwable c = e; c != null; c = next(c)) {
            if (c instanceof Refused r) {
                return r;
            }
            String name = c.getClass().getName();
            String m = c.getMessage() == null ? "" : c.getMessage();
            // s3a's NoAuthWithAWSException (under an AccessDeniedException) names the providers it tried
            if (name.endsWith(".NoAuthWithAWSException") || (credentials == null && m.contains("Unable to load credentials"))) {
                credentials = c;
            }
            if (denied == null && (c instanceof java.nio.file.AccessDeniedException
                    || name.equals("org.apache.hadoop.security.AccessControlException")
                    || (c instanceof org.apache.hadoop.ipc.RemoteException re
                        && re.getClassName().equals("org.apache.hadoop.security.AccessControlException")))) {
                denied = c;
            }
            if (c instanceof java.net.ConnectException || c instanceof java.net.NoRouteToHostException
                    || c instanceof java.net.UnknownHostException || c instanceof java.net.SocketTimeoutException
                    || name.equals("org.apache.hadoop.net.ConnectTimeoutException")) {
                // the innermost that names the host and port (the outer ones repeat it with more words)
                if (unreachable == null || HOST_PORT.matcher(m).find()) {
                    unreachable = c;
                }
            }
        }
        if (credentials != null) {
            String d = detail(credentials);
            int more = d.indexOf(" : ");
            return new Refused(what + ": no credentials for the store (" + (more < 0 ? d : d.substring(0, more))
                    + "); give them as conf/spark-s3.conf shows", e);
        }
        if (denied != null) {
            return new Refused(what + ": permission denied (" + detail(denied) + ")", e);
        }
        if (unreachable != null) {
            return new JobFailure.Reported(what + ": cannot reach its file system (" + detail(unreachable) + ")", e);
        }
        return null;
    }

    private static Throwable next(Throwable c) {
        return c.getCause() == c ? null : c.getCause();
    }

    /**
     * The exception's own words: their first line (HDFS's remote exceptions carry the NameNode's
     * stack trace on the next ones), without Hadoop's wiki links.
     */
    static String detail(Throwable c) {
        String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage().strip().lines().findFirst().orElse("");
        int wiki = m.indexOf("; For more details see:");
        return wiki < 0 ? m : m.substring(0, wiki);
    }
}
