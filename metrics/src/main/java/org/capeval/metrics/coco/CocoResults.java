package org.capeval.metrics.coco;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A results file held in memory: {@code results[i]} = (image id, caption), in file order. */
public final class CocoResults {
    private final String file;
    private final List<Long> imageIds = new ArrayList<>();
    private final List<String> captions = new ArrayList<>();

    public CocoResults(String file) {
        this.file = file;
    }

    public static CocoResults read(Path path) {
        try (InputStream in = CocoJson.open(path)) {
            return read(in, path.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
    }

    public static CocoResults read(InputStream in, String file) {
        CocoResults res = new CocoResults(file);
        CocoJson.readResults(in, file, (index, imageId, caption) -> res.add(imageId, caption));
        return res;
    }

    public void add(long imageId, String caption) {
        imageIds.add(imageId);
        captions.add(caption);
    }

    public String file() {
        return file;
    }

    public int size() {
        return imageIds.size();
    }

    public long imageId(int index) {
        return imageIds.get(index);
    }

    public String caption(int index) {
        return captions.get(index);
    }
}
