package org.capeval.metrics.coco;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An annotation file held in memory (for the local evaluator and tests; the Spark job streams
 * instead): image ids in the order of {@code "images"} (COCO's {@code getImgIds()}; a repeated id
 * keeps its first position), and each image's captions in file order ({@code imgToAnns}).
 * Captions of images not listed in {@code "images"} are kept but never evaluated, as in COCO.
 */
public final class CocoReferences {
    private final String file;
    private final LinkedHashMap<Long, List<String>> captions = new LinkedHashMap<>();
    private final Map<Long, List<String>> unlisted = new HashMap<>();

    public CocoReferences(String file) {
        this.file = file;
    }

    public static CocoReferences read(Path path) {
        try (InputStream in = CocoJson.open(path)) {
            return read(in, path.getFileName().toString());
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": " + e.getMessage(), e);
        }
    }

    public static CocoReferences read(InputStream in, String file) {
        CocoReferences refs = new CocoReferences(file);
        CocoJson.readAnnotations(in, file, new CocoJson.AnnotationVisitor() {
            @Override
            public void image(long index, long imageId) {
                refs.addImage(imageId);
            }

            @Override
            public void annotation(long index, long imageId, String caption) {
                refs.addCaption(imageId, caption);
            }
        });
        return refs;
    }

    public void addImage(long imageId) {
        List<String> pending = unlisted.remove(imageId);
        captions.putIfAbsent(imageId, pending != null ? pending : new ArrayList<>());
    }

    public void addCaption(long imageId, String caption) {
        List<String> list = captions.get(imageId);
        if (list == null) {
            list = unlisted.computeIfAbsent(imageId, k -> new ArrayList<>());
        }
        list.add(caption);
    }

    public String file() {
        return file;
    }

    /** Image ids in {@code "images"} order. */
    public List<Long> imageIds() {
        return new ArrayList<>(captions.keySet());
    }

    public boolean hasImage(long imageId) {
        return captions.containsKey(imageId);
    }

    /** The captions of a listed image (empty list if none), in file order. */
    public List<String> captions(long imageId) {
        return captions.getOrDefault(imageId, List.of());
    }
}
