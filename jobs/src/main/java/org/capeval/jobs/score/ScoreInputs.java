package org.capeval.jobs.score;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.capeval.jobs.InputFiles;

/**
 * The score job's input files checked before any work, the same way for both engines
 * ({@link InputFiles}).
 */
final class ScoreInputs {
    private ScoreInputs() {}

    /** The input files by option (the METEOR files are checked when the options are validated). */
    static Map<String, String> files(ScoreOptions o) {
        Map<String, String> in = new LinkedHashMap<>();
        in.put("--refs", o.refs);
        in.put("--results", o.results);
        if (o.idf != null) {
            in.put("--idf", o.idf);
        }
        return in;
    }

    /**
     * Checks the local inputs (plain paths and {@code file:} URIs) with java.nio, and, when
     * {@code hadoop} is given, the others through their Hadoop file system.
     */
    static void check(ScoreOptions o, Configuration hadoop) throws IOException {
        for (Map.Entry<String, String> e : files(o).entrySet()) {
            InputFiles.check(e.getKey(), e.getValue(), false, hadoop);
        }
        // never a valid pair (an annotation object, a results array), and an error found in the
        // file could not say which of the two options it was read for
        if (sameFile(o.refs, o.results)) {
            throw new IllegalArgumentException("--results " + o.results + ": the same file as --refs " + o.refs
                    + " (the references are a COCO annotation file, the results a list of captions)");
        }
    }

    private static boolean sameFile(String a, String b) throws IOException {
        Path x = InputFiles.localPath(a), y = InputFiles.localPath(b);
        if (x != null && y != null) {
            return Files.exists(x) && Files.exists(y) ? Files.isSameFile(x, y) : x.equals(y);
        }
        return InputFiles.hadoopPath(a).equals(InputFiles.hadoopPath(b));
    }
}
