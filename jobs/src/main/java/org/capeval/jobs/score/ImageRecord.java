package org.capeval.jobs.score;

import java.io.Serializable;

/**
 * One image on its way through the job: after the join, either an image to evaluate (position in
 * the references' "images" order, candidate, references) or a problem found in the results. A
 * plain class (not a record) because Spark ships it with Kryo 4.
 */
final class ImageRecord implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int OK = 0, UNKNOWN_IMAGE = 1, DUPLICATE_RESULT = 2, NO_REFERENCES = 3;

    long position;
    long imageId;
    String candidate;
    String[] references;
    int problem;
    long resultIndex;
    long otherIndex;

    static ImageRecord ok(long position, long imageId, String candidate, String[] references) {
        ImageRecord r = new ImageRecord();
        r.position = position;
        r.imageId = imageId;
        r.candidate = candidate;
        r.references = references;
        return r;
    }

    static ImageRecord problem(int kind, long imageId, long resultIndex, long otherIndex) {
        ImageRecord r = new ImageRecord();
        r.problem = kind;
        r.imageId = imageId;
        r.resultIndex = resultIndex;
        r.otherIndex = otherIndex;
        return r;
    }
}
