package org.capeval.metrics.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.capeval.metrics.coco.CocoFormatException;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.coco.CocoResults;

/**
 * COCO's rules for which images are evaluated, and which input error is reported first, in one
 * place for every runner. pycocoevalcap evaluates {@code params['image_id'] = cocoRes.getImgIds()}
 * in the references' {@code "images"} order; it fails on a result for an unknown image
 * ({@code loadRes}), then on a second result for one image, then on an image without reference
 * captions (the scorers' assertions). {@link #check} judges one image id; {@link Problem#ORDER}
 * ranks problems so that the first one COCO would meet is reported, whether the images were judged
 * in one loop ({@link #of}) or in parallel (the Spark engine's grouping by image id).
 */
public final class EvaluationSet {
    private EvaluationSet() {}

    /**
     * The images to evaluate, in evaluation order, or the first problem as an exception.
     *
     * @throws CocoFormatException naming the results file, record and image
     */
    public static List<EvalImage> of(CocoReferences refs, CocoResults results) {
        if (results.size() == 0) {
            throw CocoFormatException.noResults(results.file());
        }
        Map<Long, Integer> positions = positions(refs.imageIds());
        Map<Long, long[]> byImage = resultIndexes(results);
        List<EvalImage> images = new ArrayList<>(byImage.size());
        Problem first = null;
        for (Map.Entry<Long, long[]> e : byImage.entrySet()) {
            long id = e.getKey();
            Integer pos = positions.get(id);
            List<String> caps = refs.captions(id);
            Problem p = check(id, pos == null ? -1 : pos, e.getValue(), !caps.isEmpty());
            if (p != null) {
                first = first == null || Problem.ORDER.compare(p, first) < 0 ? p : first;
            } else if (first == null) {
                images.add(new EvalImage(pos, id, results.caption((int) e.getValue()[0]), caps.toArray(new String[0])));
            }
        }
        if (first != null) {
            throw first.toException(results.file(), refs.file());
        }
        images.sort(Comparator.comparingLong(EvalImage::position));
        return images;
    }

    /**
     * For a set that must cover every listed image exactly once (a leaderboard submission): the
     * caption of each position, or the first problem as an exception. Missing images come after
     * COCO's own problems.
     */
    public static String[] covering(CocoResults results, Map<Long, Integer> positions, String refsFile) {
        if (results.size() == 0) {
            throw CocoFormatException.noResults(results.file());
        }
        Map<Long, long[]> byImage = resultIndexes(results);
        Problem first = null;
        for (Map.Entry<Long, long[]> e : byImage.entrySet()) {
            Integer pos = positions.get(e.getKey());
            Problem p = check(e.getKey(), pos == null ? -1 : pos, e.getValue(), true);
            if (p != null && (first == null || Problem.ORDER.compare(p, first) < 0)) {
                first = p;
            }
        }
        if (first != null) {
            throw first.toException(results.file(), refsFile);
        }
        if (byImage.size() != positions.size()) {
            long missing = positions.keySet().stream().filter(id -> !byImage.containsKey(id)).min(Long::compare).orElse(-1L);
            throw new CocoFormatException(results.file(), null, null, "results cover " + byImage.size() + " of the " + positions.size()
                    + " reference images (lowest missing image_id " + missing + "); a leaderboard submission needs one caption for every image");
        }
        String[] byPosition = new String[positions.size()];
        for (int i = 0; i < results.size(); i++) {
            byPosition[positions.get(results.imageId(i))] = results.caption(i);
        }
        return byPosition;
    }

    /** Each listed image's position in {@code "images"} order; a repeated id keeps its first, as COCO's dict. */
    public static Map<Long, Integer> positions(List<Long> imageIds) {
        Map<Long, Integer> out = new HashMap<>(imageIds.size() * 2);
        for (int i = 0; i < imageIds.size(); i++) {
            out.putIfAbsent(imageIds.get(i), i);
        }
        return out;
    }

    /** Result indexes by image id, ascending, in order of first appearance. */
    private static Map<Long, long[]> resultIndexes(CocoResults results) {
        Map<Long, long[]> out = new java.util.LinkedHashMap<>(results.size() * 2);
        for (int i = 0; i < results.size(); i++) {
            long[] prev = out.get(results.imageId(i));
            if (prev == null) {
                out.put(results.imageId(i), new long[] {i});
            } else {
                long[] more = Arrays.copyOf(prev, prev.length + 1);
                more[prev.length] = i;
                out.put(results.imageId(i), more);
            }
        }
        return out;
    }

    /**
     * Judges one image id that has results.
     *
     * @param position      its position in {@code "images"} order, or -1 when the references do not list it
     * @param resultIndexes indexes of its results in the results file, ascending (at least one)
     * @param hasReferences whether it has at least one reference caption
     * @return null when it is evaluated, else its problem
     */
    public static Problem check(long imageId, long position, long[] resultIndexes, boolean hasReferences) {
        if (position < 0) {
            return new Problem(Problem.UNKNOWN_IMAGE, imageId, resultIndexes[0], -1, -1);
        }
        if (resultIndexes.length > 1) {
            return new Problem(Problem.DUPLICATE_RESULT, imageId, resultIndexes[1], resultIndexes[0], position);
        }
        if (!hasReferences) {
            return new Problem(Problem.NO_REFERENCES, imageId, resultIndexes[0], -1, position);
        }
        return null;
    }

    /** An input error found for one image id (a plain class: Spark ships it with Kryo). */
    public static final class Problem implements Serializable {
        private static final long serialVersionUID = 1L;
        static final int UNKNOWN_IMAGE = 1, DUPLICATE_RESULT = 2, NO_REFERENCES = 3;

        /**
         * The order COCO meets them: unknown images first (loadRes), then duplicates, each in
         * results-file order; then an image without references, the first in evaluation order.
         */
        public static final Comparator<Problem> ORDER = (Comparator<Problem> & Serializable) (a, b) -> {
            int c = Integer.compare(a.kind, b.kind);
            if (c != 0) {
                return c;
            }
            return a.kind == NO_REFERENCES ? Long.compare(a.position, b.position) : Long.compare(a.resultIndex, b.resultIndex);
        };

        private final int kind;
        private final long imageId;
        private final long resultIndex;
        private final long otherIndex;
        private final long position;

        Problem(int kind, long imageId, long resultIndex, long otherIndex, long position) {
            this.kind = kind;
            this.imageId = imageId;
            this.resultIndex = resultIndex;
            this.otherIndex = otherIndex;
            this.position = position;
        }

        /** The error message as the user sees it. */
        public CocoFormatException toException(String resultsFile, String refsFile) {
            return switch (kind) {
                case UNKNOWN_IMAGE -> CocoFormatException.unknownImage(resultsFile, resultIndex, imageId, refsFile);
                case DUPLICATE_RESULT -> CocoFormatException.duplicateResult(resultsFile, resultIndex, imageId, otherIndex);
                default -> CocoFormatException.noReferences(resultsFile, resultIndex, imageId, refsFile);
            };
        }
    }
}
