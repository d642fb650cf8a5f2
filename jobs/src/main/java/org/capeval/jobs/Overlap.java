package org.capeval.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;

/**
 * The rule every job applies to an output before any work: it must not be, contain or lie inside
 * one of the run's inputs (or another output), since writing or replacing it would modify or
 * destroy them. Local paths are compared as the files they reach, symbolic links resolved, so
 * {@code --out /data} is refused for {@code --refs /link/refs.json} when /link is /data/sub.
 */
public final class Overlap {
    private Overlap() {}

    /**
     * Throws an {@link IllegalArgumentException} naming both options when {@code output} overlaps
     * one of {@code others} (option to path, as given). Local paths (plain or {@code file:}) are
     * compared with java.nio; others through their Hadoop file system when {@code hadoop} is given,
     * else not at all (before Spark starts, only local paths are compared). A path on another
     * store than the output's never overlaps it.
     */
    public static void refuse(String option, String output, Map<String, String> others, Configuration hadoop) throws IOException {
        InputFiles.nonEmpty(option, output);
        for (Map.Entry<String, String> e : others.entrySet()) {
            refuse(option, output, e.getKey() + " " + e.getValue(), e.getValue(), hadoop);
        }
    }

    /**
     * As {@link #refuse(String, String, Map, Configuration)} for one input at {@code path} that the
     * message names as {@code input}: an input the user did not type as an option's value, e.g.
     * {@code "--submissions list.txt line 3 (a.meta.json)"}.
     */
    public static void refuse(String option, String output, String input, String path, Configuration hadoop) throws IOException {
        InputFiles.nonEmpty(option, output);
        Object out = located(option + " " + output, output, hadoop);
        Object other = located(input, path, hadoop);
        if (out != null && other != null && (within(out, other) || within(other, out))) {
            throw new IllegalArgumentException(option + " " + output + " overlaps " + input
                    + ": an output must not be, contain or lie inside an input or another output");
        }
    }

    /** The real local path, the qualified Hadoop path, or null when it cannot be known here. */
    private static Object located(String what, String p, Configuration hadoop) throws IOException {
        java.nio.file.Path local = InputFiles.localPath(p);
        if (local != null) {
            return real(local);
        }
        if (hadoop == null) {
            return null;
        }
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(p);
        return Storage.at(what, () -> path.getFileSystem(hadoop).makeQualified(path));
    }

    /**
     * {@code p} with the symbolic links of its longest existing ancestor resolved: an output need
     * not exist yet, but the directory it will be created in does.
     */
    static java.nio.file.Path real(java.nio.file.Path p) throws IOException {
        java.nio.file.Path absolute = p.toAbsolutePath().normalize();
        java.nio.file.Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing == null ? absolute : existing.toRealPath().resolve(existing.relativize(absolute));
    }

    /** Whether {@code inner} is {@code outer} or lies below it (both local, or both Hadoop paths). */
    private static boolean within(Object inner, Object outer) {
        if (inner instanceof java.nio.file.Path i && outer instanceof java.nio.file.Path o) {
            return i.startsWith(o); // by whole names: /a/bc does not start with /a/b
        }
        if (inner instanceof org.apache.hadoop.fs.Path i && outer instanceof org.apache.hadoop.fs.Path o) {
            for (org.apache.hadoop.fs.Path q = i; q != null; q = q.getParent()) {
                if (q.equals(o)) {
                    return true;
                }
            }
        }
        return false;
    }
}
