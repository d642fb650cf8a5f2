package org.capeval.metrics.coco;

/**
 * Bad COCO input: names the file, the record (e.g. {@code annotations[12]}, {@code results[3]})
 * and the image id when known, then says what is wrong.
 */
public final class CocoFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String file;
    private final String record;
    private final Long imageId;

    public CocoFormatException(String file, String record, Long imageId, String problem) {
        this(file, record, imageId, problem, null);
    }

    public CocoFormatException(String file, String record, Long imageId, String problem, Throwable cause) {
        super(file + (record == null ? "" : ": " + record) + (imageId == null ? "" : " (image_id " + imageId + ")")
                + ": " + problem, cause);
        this.file = file;
        this.record = record;
        this.imageId = imageId;
    }

    public String file() {
        return file;
    }

    /** The record, e.g. "results[3]", or null for a whole-file problem. */
    public String record() {
        return record;
    }

    /** The image id of the record, or null when unknown. */
    public Long imageId() {
        return imageId;
    }

    /** A result for an image that the references file does not have (COCO loadRes' assertion). */
    public static CocoFormatException unknownImage(String resultsFile, long index, long imageId, String refsFile) {
        return new CocoFormatException(resultsFile, "results[" + index + "]", imageId,
                "no image " + imageId + " in the references " + refsFile
                        + " (COCO loadRes: 'Results do not correspond to current coco set')");
    }

    /** A second result for one image (COCO's scorers assert exactly one candidate per image). */
    public static CocoFormatException duplicateResult(String resultsFile, long index, long imageId, long firstIndex) {
        return new CocoFormatException(resultsFile, "results[" + index + "]", imageId,
                "second result for image " + imageId + " (the first is results[" + firstIndex
                        + "]); COCO evaluation takes exactly one caption per image");
    }

    /** A result for an image that is listed but has no reference caption (COCO's scorers assert). */
    public static CocoFormatException noReferences(String resultsFile, long index, long imageId, String refsFile) {
        return new CocoFormatException(resultsFile, "results[" + index + "]", imageId,
                "image " + imageId + " has no reference caption in " + refsFile
                        + " (COCO's scorers require at least one)");
    }

    /** An empty results list (COCO loadRes fails on it). */
    public static CocoFormatException noResults(String resultsFile) {
        return new CocoFormatException(resultsFile, null, null, "the results list is empty");
    }
}
