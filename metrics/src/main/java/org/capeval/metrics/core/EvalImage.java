package org.capeval.metrics.core;

import java.io.Serializable;

/**
 * One image of an evaluation set: its position in COCO's evaluation order, its id, the candidate
 * caption and the reference captions (raw or tokenized, depending on the stage). A plain class,
 * not a record: Spark ships it with Kryo.
 */
public final class EvalImage implements Serializable {
    private static final long serialVersionUID = 1L;
    private final long position;
    private final long imageId;
    private final String candidate;
    private final String[] references;

    public EvalImage(long position, long imageId, String candidate, String[] references) {
        this.position = position;
        this.imageId = imageId;
        this.candidate = candidate;
        this.references = references;
    }

    /** Position in the references' {@code "images"} order (not renumbered: gaps where no result). */
    public long position() {
        return position;
    }

    public long imageId() {
        return imageId;
    }

    public String candidate() {
        return candidate;
    }

    public String[] references() {
        return references;
    }
}
