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
        try (InputStream in = CocoJson.maybeGunzip(refsIn.getFileSystem(hadoop).open(refsIn));
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
        Path resultsIn = new Path(resultsFile);
        try (InputStream in = CocoJson.maybeGunzip(resultsIn.getFileSystem(hadoop).open(resultsIn));
                BufferedWriter results = writer(fs, new Path(s.resultsPath))) {
            CocoJson.readResults(in, resultsFile, (index, imageId, caption) -> {
                line(results, CaptionLines.caption(index, imageId, caption));
                s.results++;
            });
        }
        return s;
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
