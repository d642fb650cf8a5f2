package org.capeval.metrics.core;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.capeval.metrics.CaptionTokenizer;
import org.capeval.metrics.ImageTokens;
import org.capeval.metrics.tokenize.PtbTokenizer;

/**
 * A tokenizer run cut into ranges. The original tokenizes all captions of one kind in one run
 * (PTBLexer reading one file: all references in evaluation order, then all candidates), looking
 * past a caption's end into the next lines. When the run is cut into contiguous ranges (threads,
 * Spark partitions), each range is tokenized with the first captions of the ranges after it as
 * look-ahead, so the result equals one run: {@link #head} takes those captions from a range,
 * {@link #following} gives each range what follows it, {@link #tokenize} tokenizes a range.
 */
public final class LookAhead implements Serializable {
    private static final long serialVersionUID = 1L;
    /** Captions of look-ahead past the end of a range. */
    public static final int CAPTIONS = PtbTokenizer.LOOK_AHEAD_CAPTIONS;
    /** Nothing follows (the last range). */
    public static final LookAhead NONE = new LookAhead(new String[0], new String[0]);

    private final String[] references;
    private final String[] candidates;

    public LookAhead(String[] references, String[] candidates) {
        this.references = references;
        this.candidates = candidates;
    }

    public String[] references() {
        return references;
    }

    public String[] candidates() {
        return candidates;
    }

    /** The first {@link #CAPTIONS} captions of each run in a range (reads only as far as needed). */
    public static LookAhead head(Iterator<EvalImage> range) {
        List<String> refs = new ArrayList<>();
        List<String> cands = new ArrayList<>();
        while (range.hasNext() && (refs.size() < CAPTIONS || cands.size() < CAPTIONS)) {
            EvalImage image = range.next();
            for (String r : image.references()) {
                if (refs.size() < CAPTIONS) {
                    refs.add(r);
                }
            }
            if (cands.size() < CAPTIONS && image.candidate() != null) {
                cands.add(image.candidate());
            }
        }
        return new LookAhead(refs.toArray(new String[0]), cands.toArray(new String[0]));
    }

    /** {@code out[r]}: the look-ahead of range r, from the heads of all ranges in run order. */
    public static LookAhead[] following(List<LookAhead> heads) {
        LookAhead[] out = new LookAhead[heads.size()];
        for (int r = 0; r < heads.size(); r++) {
            List<String> refs = new ArrayList<>();
            List<String> cands = new ArrayList<>();
            for (int q = r + 1; q < heads.size() && (refs.size() < CAPTIONS || cands.size() < CAPTIONS); q++) {
                take(heads.get(q).references, refs);
                take(heads.get(q).candidates, cands);
            }
            out[r] = new LookAhead(refs.toArray(new String[0]), cands.toArray(new String[0]));
        }
        return out;
    }

    private static void take(String[] from, List<String> into) {
        for (String c : from) {
            if (into.size() < CAPTIONS) {
                into.add(c);
            }
        }
    }

    /** Tokenizes one range's part of a run; {@code next} is only look-ahead. */
    public static List<String> run(CaptionTokenizer tokenizer, List<String> part, String[] next) {
        if (next.length == 0) {
            return tokenizer.tokenizeAll(part);
        }
        List<String> all = new ArrayList<>(part.size() + next.length);
        all.addAll(part);
        all.addAll(Arrays.asList(next));
        return tokenizer.tokenizeAll(all).subList(0, part.size());
    }

    /** Tokenizes a range of images (references and candidates) with this look-ahead. */
    public List<ImageTokens> tokenize(CaptionTokenizer tokenizer, List<EvalImage> range) {
        List<String> refs = new ArrayList<>();
        List<String> cands = new ArrayList<>(range.size());
        for (EvalImage in : range) {
            refs.addAll(Arrays.asList(in.references()));
            cands.add(in.candidate());
        }
        List<String> tokRefs = run(tokenizer, refs, references);
        List<String> tokCands = run(tokenizer, cands, candidates);
        List<ImageTokens> out = new ArrayList<>(range.size());
        int r = 0;
        for (int i = 0; i < range.size(); i++) {
            String[] texts = new String[range.get(i).references().length];
            for (int j = 0; j < texts.length; j++) {
                texts[j] = tokRefs.get(r++);
            }
            out.add(new ImageTokens(range.get(i).imageId(), tokCands.get(i), texts));
        }
        return out;
    }
}
