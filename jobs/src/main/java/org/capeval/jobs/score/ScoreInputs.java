package org.capeval.jobs.score;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;

/**
 * The score job's input files checked before any work, the same way for both engines: each must
 * exist and be a file, else one {@link IllegalArgumentException} naming the option and the path
 * ("--results x.json: no such file", "--refs data/: is a directory, not a file").
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
            String option = e.getKey(), p = e.getValue();
            java.nio.file.Path local = LocalScore.localPath(p);
            boolean exists, directory;
            if (local != null) {
                exists = Files.exists(local);
                directory = Files.isDirectory(local);
            } else if (hadoop != null) {
                Path path = new Path(p);
                FileStatus status;
                try {
                    status = path.getFileSystem(hadoop).getFileStatus(path);
                } catch (FileNotFoundException x) {
                    status = null;
                }
                exists = status != null;
                directory = exists && status.isDirectory();
            } else {
                continue;
            }
            if (!exists) {
                throw new IllegalArgumentException(option + " " + p + ": no such file");
            }
            if (directory) {
                throw new IllegalArgumentException(option + " " + p + ": is a directory, not a file");
            }
        }
    }
}
