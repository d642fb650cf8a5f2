package org.capeval.metrics.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.capeval.metrics.coco.CocoFormatException;
import org.capeval.metrics.coco.CocoReferences;
import org.capeval.metrics.coco.CocoResults;
import org.capeval.metrics.ngram.LongIntMap;

/**
 * COCO's rules for which images are evaluated, and which input error is reported first, in one
 * place for every runner. pycocoevalcap evaluates {@code params['image_id'] = cocoRes.getImgIds()}
 * in the references' {@code "images"} order; it fails on a result for an unknown image
 * ({@code loadRes}), then on a second result for one image, then on an image without reference
 * captions (the scorers' assertions). {@link Judge} applies the rules as the inputs stream by (the
 * Spark engine's driver while it stages them); {@link #of} and {@link #covering} are the same
 * judge over inputs held in memory.
 */
public final class EvaluationSet {
    private EvaluationSet() {}

    /**
     * The images to evaluate, in evaluation order, or the first problem as an exception.
     *
     * @throws CocoFormatException naming the results file, record and image
     */
    public static List<EvalImage> of(CocoReferences refs, CocoResults results) {
        List<Long> ids = refs.imageIds();
        Judge judge = new Judge(ids.size());
        ids.forEach(judge::image);
        for (long id : ids) {
            if (!refs.captions(id).isEmpty()) {
                judge.reference(id);
            }
        }
        String[] candidates = new String[judge.images()];
        for (int i = 0; i < results.size(); i++) {
            int pos = judge.result(i, results.imageId(i));
            if (pos >= 0) {
                candidates[pos] = results.caption(i);
            }
        }
        Problem first = judge.firstProblem();
        if (first != null) {
            throw first.toException(results.file(), refs.file());
        }
        List<EvalImage> images = new ArrayList<>(judge.evaluated());
        for (int pos = 0; pos < candidates.length; pos++) {
            if (candidates[pos] != null) {
                long id = ids.get(pos);
                images.add(new EvalImage(pos, id, candidates[pos], refs.captions(id).toArray(new String[0])));
            }
        }
        return images;
    }

    /**
     * For a set that must cover every listed image exactly once (a leaderboard submission): the
     * caption of each position, or the first problem as an exception. Missing images come after
     * COCO's own problems.
     */
    public static String[] covering(CocoResults results, Map<Long, Integer> positions, String refsFile) {
        Judge judge = new Judge(positions.size());
        positions.entrySet().stream().sorted(Map.Entry.comparingByValue()).forEach(e -> {
            judge.image(e.getKey());
            judge.reference(e.getKey()); // every leaderboard image has references (checked when they are read)
        });
        String[] byPosition = new String[judge.images()];
        for (int i = 0; i < results.size(); i++) {
            int pos = judge.result(i, results.imageId(i));
            if (pos >= 0) {
                byPosition[pos] = results.caption(i);
            }
        }
        Problem first = judge.firstProblem();
        if (first != null) {
            throw first.toException(results.file(), refsFile);
        }
        if (judge.evaluated() != positions.size()) {
            long missing = positions.keySet().stream().filter(id -> byPosition[positions.get(id)] == null).min(Long::compare).orElse(-1L);
            throw new CocoFormatException(results.file(), null, null, "results cover " + judge.evaluated() + " of the " + positions.size()
                    + " reference images (lowest missing image_id " + missing + "); a leaderboard submission needs one caption for every image");
        }
        return byPosition;
    }

    /**
     * COCO's rules applied while the inputs stream by, with a few bytes per image (the Spark
     * engine's driver judges 1M images this way while it stages them): first the listed images in
     * {@code "images"} order ({@link #image}), then the images' reference captions
     * ({@link #reference}), then the results in file order ({@link #result});
     * {@link #firstProblem} gives the error COCO would meet first, or null.
     */
    public static final class Judge {
        private final LongIntMap positions;
        private final Map<Long, Integer> negativeIds = new HashMap<>(); // LongIntMap holds keys >= 0
        private long[] idAt;
        private int images;
        private final BitSet referenced = new BitSet();
        private long[] resultAt; // the result index evaluated at each position, -1 = none
        private int evaluated;
        private Problem unknown;
        private Problem duplicate;

        public Judge(int expectedImages) {
            positions = new LongIntMap(Math.max(16, expectedImages));
            idAt = new long[Math.max(16, expectedImages)];
        }

        /** The next entry of {@code "images"}; a repeated id keeps its first position, as COCO's dict. */
        public void image(long imageId) {
            if (resultAt != null) {
                throw new IllegalStateException("the images come before the results");
            }
            int pos = images++;
            if (pos == idAt.length) {
                idAt = Arrays.copyOf(idAt, pos * 2);
            }
            idAt[pos] = imageId;
            if (imageId >= 0) {
                positions.getOrPut(imageId, pos);
            } else {
                negativeIds.putIfAbsent(imageId, pos);
            }
        }

        /** Entries of {@code "images"} so far: positions run below this (a repeated id leaves a gap). */
        public int images() {
            return images;
        }

        /** The image's position, or -1 when {@code "images"} does not list it. */
        public int position(long imageId) {
            return imageId >= 0 ? positions.get(imageId, -1) : negativeIds.getOrDefault(imageId, -1);
        }

        /** A reference caption of {@code imageId}: its position, or -1 for an unlisted image (ignored, as COCO does). */
        public int reference(long imageId) {
            int pos = position(imageId);
            if (pos >= 0) {
                referenced.set(pos);
            }
            return pos;
        }

        /**
         * {@code results[index]}, given in file order: the position it is evaluated at, or -1 when
         * it is a problem (an unknown image, or a second result for an image).
         */
        public int result(long index, long imageId) {
            if (resultAt == null) {
                resultAt = new long[images];
                Arrays.fill(resultAt, -1);
            }
            int pos = position(imageId);
            if (pos < 0) {
                if (unknown == null) {
                    unknown = new Problem(Problem.UNKNOWN_IMAGE, imageId, index, -1, -1);
                }
                return -1;
            }
            if (resultAt[pos] >= 0) {
                if (duplicate == null) {
                    duplicate = new Problem(Problem.DUPLICATE_RESULT, imageId, index, resultAt[pos], pos);
                }
                return -1;
            }
            resultAt[pos] = index;
            evaluated++;
            return pos;
        }

        /** Images with a result so far. */
        public int evaluated() {
            return evaluated;
        }

        /**
         * The first problem in COCO's order, or null: a result for an unknown image, then a second
         * result for one image, each the first in results-file order; then the first evaluated
         * image without references, in evaluation order; then an empty results list.
         */
        public Problem firstProblem() {
            if (unknown != null) {
                return unknown;
            }
            if (duplicate != null) {
                return duplicate;
            }
            if (evaluated == 0) {
                return new Problem(Problem.NO_RESULTS, -1, -1, -1, -1);
            }
            for (int pos = 0; pos < resultAt.length; pos++) {
                if (resultAt[pos] >= 0 && !referenced.get(pos)) {
                    return new Problem(Problem.NO_REFERENCES, idAt[pos], resultAt[pos], -1, pos);
                }
            }
            return null;
        }
    }

    /** An input error (a plain class: Spark ships it with Kryo). */
    public static final class Problem implements Serializable {
        private static final long serialVersionUID = 1L;
        static final int UNKNOWN_IMAGE = 1, DUPLICATE_RESULT = 2, NO_REFERENCES = 3, NO_RESULTS = 4;

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
                case NO_REFERENCES -> CocoFormatException.noReferences(resultsFile, resultIndex, imageId, refsFile);
                default -> CocoFormatException.noResults(resultsFile);
            };
        }
    }
}
