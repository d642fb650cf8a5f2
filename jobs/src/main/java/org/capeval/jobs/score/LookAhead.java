package org.capeval.jobs.score;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.capeval.metrics.CaptionTokenizer;

/**
 * A tokenizer run split over Spark partitions. The original tokenizes all captions of one kind in
 * one run (PTBLexer reading one file), looking past a caption's end into the next lines; when the
 * run is spread over the partitions of an RDD in run order, each partition gets the first captions
 * of the partitions after it as look-ahead ({@link #following}) and tokenizes its part with them
 * ({@link #tokenize}), so the result equals one run over all captions. Used by the score job
 * (references and candidates) and the leaderboard (references).
 */
public final class LookAhead {
    /** Captions of look-ahead past the end of a partition. */
    public static final int CAPTIONS = org.capeval.metrics.tokenize.PtbTokenizer.LOOK_AHEAD_CAPTIONS;

    private LookAhead() {}

    /** The captions record {@code r} contributes to run {@code k}, in run order. */
    public interface Captions<T> extends Serializable {
        List<String> of(T r, int k);
    }

    /**
     * {@code following[p][k]}: the first {@link #CAPTIONS} captions of run k after partition p of
     * {@code ordered} (whose partitions are in run order). One small job reading the head of each
     * partition.
     */
    public static <T> String[][][] following(JavaRDD<T> ordered, int runs, Captions<T> captions) {
        List<String[][]> heads = ordered.mapPartitions(it -> java.util.Collections.singletonList(head(it, runs, captions)).iterator()).collect();
        String[][][] out = new String[heads.size()][runs][];
        for (int p = 0; p < heads.size(); p++) {
            for (int k = 0; k < runs; k++) {
                List<String> next = new ArrayList<>();
                for (int q = p + 1; q < heads.size() && next.size() < CAPTIONS; q++) {
                    for (String c : heads.get(q)[k]) {
                        if (next.size() < CAPTIONS) {
                            next.add(c);
                        }
                    }
                }
                out[p][k] = next.toArray(new String[0]);
            }
        }
        return out;
    }

    /** Tokenizes one partition's part of a run; {@code next} (from {@link #following}) is only look-ahead. */
    public static List<String> tokenize(CaptionTokenizer tokenizer, List<String> part, String[] next) {
        List<String> all = new ArrayList<>(part.size() + next.length);
        all.addAll(part);
        all.addAll(Arrays.asList(next));
        return new ArrayList<>(tokenizer.tokenizeAll(all).subList(0, part.size()));
    }

    /** The first CAPTIONS captions of each run in a partition. */
    private static <T> String[][] head(Iterator<T> it, int runs, Captions<T> captions) {
        List<List<String>> heads = new ArrayList<>();
        for (int k = 0; k < runs; k++) {
            heads.add(new ArrayList<>());
        }
        while (it.hasNext() && heads.stream().anyMatch(h -> h.size() < CAPTIONS)) {
            T r = it.next();
            for (int k = 0; k < runs; k++) {
                for (String c : captions.of(r, k)) {
                    if (heads.get(k).size() < CAPTIONS) {
                        heads.get(k).add(c);
                    }
                }
            }
        }
        String[][] out = new String[runs][];
        for (int k = 0; k < runs; k++) {
            out[k] = heads.get(k).toArray(new String[0]);
        }
        return out;
    }
}
