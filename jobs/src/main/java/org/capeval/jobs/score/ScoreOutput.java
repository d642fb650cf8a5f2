package org.capeval.jobs.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.capeval.jobs.Storage;
import org.capeval.metrics.cider.DocumentFrequencies;

/**
 * The score job's outputs, committed the same way by both engines through Hadoop's
 * {@link FileSystem}: everything is written into a hidden sibling of {@code --out}, which is renamed
 * to {@code --out} once complete ({@code --save-idf} likewise, next to its destination), so a failed
 * or killed run never leaves a partial {@code --out} (on an object store, where a rename copies,
 * eval.json is moved last and marks the output complete). {@link #close} removes what a failed run wrote.
 */
final class ScoreOutput implements Closeable {
    private static final String EVAL_JSON = "eval.json";

    private final FileSystem fs;
    private final Path out;
    private final Path tmp;
    private final boolean overwrite;
    private final FileSystem idfFs;
    private final Path idf;
    private final Path idfTmp;

    private ScoreOutput(Configuration conf, ScoreOptions o) throws IOException {
        Path given = new Path(o.out);
        fs = Storage.at("--out " + o.out, () -> given.getFileSystem(conf));
        out = fs.makeQualified(given); // absolute, so the temporary sibling is well defined
        if (out.getParent() == null) {
            throw new IllegalArgumentException("--out must not be a file system root: " + o.out);
        }
        overwrite = o.overwrite;
        Map<String, String> inputs = inputs(o);
        refuseOverlap(conf, "--out", out, inputs);
        if (Storage.at("--out " + o.out, () -> fs.exists(out)) && !overwrite) {
            throw new ScoreJob.OutputExistsException("--out " + o.out + " already exists (use --overwrite to replace it)");
        }
        tmp = new Path(out.getParent(), "." + out.getName() + ".capeval-tmp-" + UUID.randomUUID());
        if (o.saveIdf == null) {
            idfFs = null;
            idf = null;
            idfTmp = null;
        } else {
            Path p = new Path(o.saveIdf);
            idfFs = p.getFileSystem(conf);
            idf = idfFs.makeQualified(p);
            refuseOverlap(conf, "--save-idf", idf, inputs);
            idfTmp = new Path(idf.getParent(), "." + idf.getName() + "." + tmp.getName());
        }
    }

    /** The run's inputs by option; an output must not be, contain or lie inside any of them. */
    private static Map<String, String> inputs(ScoreOptions o) {
        Map<String, String> in = new LinkedHashMap<>();
        in.put("--refs", o.refs);
        in.put("--results", o.results);
        in.put("--idf", o.idf);
        in.put("--spice-cache", o.spiceCache);
        in.put("--meteor-data", o.meteorData);
        in.put("--meteor-paraphrase", o.meteorParaphrase);
        in.values().removeIf(java.util.Objects::isNull);
        return in;
    }

    /**
     * Refuses, before any work, an output that is, contains or lies inside an input: replacing it
     * (with --overwrite, or by the commit's rename) would destroy the input.
     */
    private static void refuseOverlap(Configuration conf, String option, Path output, Map<String, String> inputs) throws IOException {
        for (Map.Entry<String, String> e : inputs.entrySet()) {
            Path given = new Path(e.getValue());
            Path input = given.getFileSystem(conf).makeQualified(given);
            if (within(input, output) || within(output, input)) {
                throw new IllegalArgumentException(option + " " + output + " overlaps " + e.getKey() + " " + e.getValue()
                        + ": an output must not be, contain or lie inside an input");
            }
        }
    }

    /** Whether {@code inner} is {@code outer} or lies below it (qualified paths). */
    private static boolean within(Path inner, Path outer) {
        for (Path p = inner; p != null; p = p.getParent()) {
            if (p.equals(outer)) {
                return true;
            }
        }
        return false;
    }

    /** Checks {@code --out} and prepares the temporary names (nothing is created yet). */
    static ScoreOutput open(Configuration conf, ScoreOptions o) throws IOException {
        return new ScoreOutput(conf, o);
    }

    /** The temporary directory the run writes into. */
    Path tmp() {
        return tmp;
    }

    FileSystem fs() {
        return fs;
    }

    /** Writes eval.json (pretty-printed, as the original's json.dump with indent). */
    void writeEvalJson(ObjectNode eval) throws IOException {
        try (OutputStream os = fs.create(new Path(tmp, EVAL_JSON), false)) {
            os.write(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(eval));
            os.write('\n');
        }
    }

    /** Writes the document frequencies used, when {@code --save-idf} was given and some were used. */
    void writeIdf(DocumentFrequencies df) throws IOException {
        if (idfTmp == null || df == null) {
            return;
        }
        try (OutputStream os = idfFs.create(idfTmp, false)) {
            df.save(os);
        }
    }

    /**
     * Moves the finished outputs into place: where a directory rename is atomic (local, HDFS), the
     * temporary directory becomes {@code --out} in one step; on an object store see {@link #commitEntries}.
     */
    void commit() throws IOException {
        if (idfTmp != null && idfFs.exists(idfTmp)) {
            if (idfFs.exists(idf)) {
                idfFs.delete(idf, false);
            }
            rename(idfFs, idfTmp, idf); // one file: one PUT-copy on an object store, whole or absent
        }
        if (Storage.isObjectStore(fs)) {
            commitEntries();
            return;
        }
        if (fs.exists(out)) {
            if (!overwrite) {
                throw new ScoreJob.OutputExistsException(out + " appeared while the job ran (use --overwrite)");
            }
            fs.delete(out, true);
        }
        rename(fs, tmp, out);
    }

    /**
     * The commit on an object store, which renames a directory by copying object after object (a
     * reader could see part of it): {@code --out} is filled entry by entry and eval.json, written
     * last, marks it complete, so a reader that finds eval.json finds the whole output. An output
     * replaced with --overwrite loses its eval.json first; a commit that fails removes what it moved.
     */
    private void commitEntries() throws IOException {
        Path eval = new Path(out, EVAL_JSON);
        if (fs.exists(out)) {
            if (!overwrite) {
                throw new ScoreJob.OutputExistsException(out + " appeared while the job ran (use --overwrite)");
            }
            fs.delete(eval, false);
            fs.delete(out, true);
        }
        try {
            fs.mkdirs(out);
            for (FileStatus entry : fs.listStatus(tmp)) {
                if (!entry.getPath().getName().equals(EVAL_JSON)) {
                    rename(fs, entry.getPath(), new Path(out, entry.getPath().getName()));
                }
            }
            rename(fs, new Path(tmp, EVAL_JSON), eval);
        } catch (IOException | RuntimeException e) {
            fs.delete(out, true);
            throw e;
        }
        fs.delete(tmp, true);
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("could not rename " + from + " to " + to);
        }
    }

    /** Removes whatever a failed run left in the temporary places (a no-op after {@link #commit}). */
    @Override
    public void close() throws IOException {
        if (fs.exists(tmp)) {
            fs.delete(tmp, true);
        }
        if (idfTmp != null && idfFs.exists(idfTmp)) {
            idfFs.delete(idfTmp, false);
        }
    }
}
