package org.capeval.jobs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;

/**
 * A job's input paths checked before any work, the same way in every job: each must exist (and
 * be a file where a file is expected), else one {@link IllegalArgumentException} naming the
 * option and the path ("--results x.json: no such file", "--refs data/: is a directory, not a
 * file"), which {@link JobFailure} reports as bad input.
 */
public final class InputFiles {
    private InputFiles() {}

    /**
     * Checks {@code p}: a local path (plain, or a {@code file:} URI) with java.nio; any other URI
     * through its Hadoop file system when {@code hadoop} is given, else not at all (before Spark
     * starts, only local paths are checked).
     *
     * @param directoryAllowed whether a directory is a valid input for this option
     */
    public static void check(String option, String p, boolean directoryAllowed, Configuration hadoop) throws IOException {
        nonEmpty(option, p);
        Path local = localPath(p);
        boolean exists;
        boolean directory;
        if (local != null) {
            exists = Files.exists(local);
            directory = Files.isDirectory(local);
        } else if (hadoop != null) {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(p);
            FileStatus status;
            try {
                status = Storage.at(option + " " + p, () -> path.getFileSystem(hadoop).getFileStatus(path));
            } catch (FileNotFoundException x) {
                status = null;
            }
            exists = status != null;
            directory = exists && status.isDirectory();
        } else {
            return;
        }
        if (!exists) {
            throw new IllegalArgumentException(option + " " + p + ": no such file" + (directoryAllowed ? " or directory" : ""));
        }
        if (directory && !directoryAllowed) {
            throw new IllegalArgumentException(option + " " + p + ": is a directory, not a file");
        }
    }

    /**
     * Refuses an empty path, input or output, naming the option: read as a plain path it would be
     * the current directory, and Hadoop cannot make a path of it.
     */
    public static void nonEmpty(String option, String p) {
        if (p.isEmpty()) {
            throw new IllegalArgumentException(option + ": an empty path");
        }
    }

    /** A plain path or a {@code file:} URI as a local path; null for any other scheme. */
    public static Path localPath(String p) {
        if (!hasScheme(p)) {
            return Path.of(p).toAbsolutePath().normalize();
        }
        if (p.startsWith("file:")) {
            return Path.of(URI.create(p)).toAbsolutePath().normalize();
        }
        return null;
    }

    /**
     * A user-given path (an option's value, or a path derived from one) as a Hadoop path: a plain
     * path is the absolute local file {@link #localPath} checks, whatever Hadoop's
     * {@code fs.defaultFS} is, as documented (Hadoop's {@code new Path(given)} would resolve it
     * against a cluster's HDFS); a URI stays as given. Every such path goes through here before
     * Hadoop or Spark sees it.
     */
    public static org.apache.hadoop.fs.Path hadoopPath(String given) {
        if (hasScheme(given)) {
            return new org.apache.hadoop.fs.Path(given);
        }
        // not from toUri(), which ends an existing directory's URI with '/' (its name would be "")
        return new org.apache.hadoop.fs.Path("file", null, localPath(given).toString());
    }

    /**
     * How a message names a file Hadoop reports: a local one as its plain path (as the user typed
     * it: not {@code file:/...}, and its URI's text would escape some characters), any other as
     * Hadoop writes it.
     */
    public static String shown(org.apache.hadoop.fs.Path p) {
        return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
    }

    /** As {@link #shown(org.apache.hadoop.fs.Path)}, for a file Spark reports by its URI ({@code file:///...}). */
    public static String shown(java.net.URI uri) {
        return "file".equals(uri.getScheme()) && uri.getPath() != null ? uri.getPath() : uri.toString();
    }

    /** Whether {@code p} starts with a URI scheme (a one-letter one is a Windows drive, not a scheme). */
    private static boolean hasScheme(String p) {
        int colon = p.indexOf(':');
        int slash = p.indexOf('/');
        return colon > 1 && (slash < 0 || colon < slash);
    }
}
