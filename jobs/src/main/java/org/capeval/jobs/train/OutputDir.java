package org.capeval.jobs.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FSError;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.capeval.jobs.InputFiles;
import org.capeval.jobs.JobFailure;

/**
 * The job's output directory on any Hadoop file system. Every file is written to a hidden
 * temporary name in the same directory and then renamed, so a reader (or a resumed run) sees a
 * file complete or not at all.
 */
public final class OutputDir {
    private final FileSystem fs;
    private final Path root;

    public OutputDir(String dir, Configuration conf) throws IOException {
        this.root = InputFiles.hadoopPath(dir);
        this.fs = root.getFileSystem(conf);
    }

    public Path path(String relative) {
        return new Path(root, relative);
    }

    public boolean exists(String relative) throws IOException {
        return fs.exists(path(relative));
    }

    /** Writes {@code text} to {@code relative} atomically, replacing an older file of that name. */
    public void write(String relative, String text) throws IOException {
        Path target = path(relative);
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        JobFailure.writing(target.toString(), () -> {
            try {
                fs.mkdirs(target.getParent());
                try (OutputStream out = fs.create(tmp, true)) {
                    out.write(text.getBytes(StandardCharsets.UTF_8));
                }
                return null;
            } catch (Exception | FSError e) { // a full disk: no partial file is left behind
                JobFailure.cleanUpAfter(e, () -> fs.delete(tmp, false));
                throw e;
            }
        });
        // rename does not replace on every file system (HDFS), so drop the old file first; the
        // window without the file only matters for outputs, never for checkpoints (new names)
        if (fs.exists(target)) {
            fs.delete(target, false);
        }
        if (!fs.rename(tmp, target)) {
            throw new IOException("could not rename " + tmp + " to " + target);
        }
    }

    public String read(String relative) throws IOException {
        try (InputStream in = fs.open(path(relative))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Names of the files directly in {@code relative} (not hidden ones), sorted. */
    public List<String> list(String relative) throws IOException {
        List<String> names = new ArrayList<>();
        Path dir = path(relative);
        if (!fs.exists(dir)) {
            return names;
        }
        for (FileStatus st : fs.listStatus(dir)) {
            String n = st.getPath().getName();
            if (st.isFile() && !n.startsWith(".")) {
                names.add(n);
            }
        }
        names.sort(null);
        return names;
    }

    public void delete(String relative) throws IOException {
        fs.delete(path(relative), false);
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
