package org.capeval.jobs.score;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.capeval.metrics.Progress;
import org.capeval.metrics.coco.CocoJson;

/**
 * The Spark engine's reading step: the driver streams both COCO JSON files once with Jackson
 * (one record in memory at a time, each record checked) into tab-separated line files
 * ({@link CaptionLines}) that Spark then reads in parallel.
 */
final class JsonStaging {
    final String imagesPath;
    final String refsPath;
    final String resultsPath;
    long images;
    long annotations;
    long results;

    private JsonStaging(Path dir) {
        imagesPath = new Path(dir, "images").toString();
        refsPath = new Path(dir, "refs").toString();
        resultsPath = new Path(dir, "results").toString();
    }

    static JsonStaging stage(Configuration hadoop, String refsFile, String resultsFile, Path dir) throws IOException {
        JsonStaging s = new JsonStaging(dir);
        FileSystem fs = dir.getFileSystem(hadoop);
        Path refsIn = new Path(refsFile);
        Path resultsIn = new Path(resultsFile);
        FileSystem refsFs = refsIn.getFileSystem(hadoop);
        FileSystem resultsFs = resultsIn.getFileSystem(hadoop);
        long bytes = refsFs.getFileStatus(refsIn).getLen() + resultsFs.getFileStatus(resultsIn).getLen();
        try (Progress.Phase reading = Progress.start("reading", "bytes", bytes)) {
            try (InputStream refsRaw = refsFs.open(refsIn); InputStream resultsRaw = resultsFs.open(resultsIn)) {
                stage(s, fs, refsRaw, refsFile, resultsRaw, resultsFile, reading);
            }
        }
        return s;
    }

    private static void stage(JsonStaging s, FileSystem fs, InputStream refsRaw, String refsFile, InputStream resultsRaw,
            String resultsFile, Progress.Phase reading) throws IOException {
        try (InputStream in = CocoJson.maybeGunzip(new ReadProgress(refsRaw, reading));
                BufferedWriter images = writer(fs, new Path(s.imagesPath));
                BufferedWriter refs = writer(fs, new Path(s.refsPath))) {
            CocoJson.readAnnotations(in, refsFile, new CocoJson.AnnotationVisitor() {
                @Override
                public void image(long index, long imageId) {
                    line(images, CaptionLines.image(index, imageId));
                    s.images++;
                }

                @Override
                public void annotation(long index, long imageId, String caption) {
                    line(refs, CaptionLines.caption(index, imageId, caption));
                    s.annotations++;
                }
            });
        }
        try (InputStream in = CocoJson.maybeGunzip(new ReadProgress(resultsRaw, reading));
                BufferedWriter results = writer(fs, new Path(s.resultsPath))) {
            CocoJson.readResults(in, resultsFile, (index, imageId, caption) -> {
                line(results, CaptionLines.caption(index, imageId, caption));
                s.results++;
            });
        }
    }

    private static BufferedWriter writer(FileSystem fs, Path p) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(fs.create(p, false), StandardCharsets.UTF_8), 1 << 16);
    }

    private static void line(BufferedWriter w, String line) {
        try {
            w.write(line);
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
