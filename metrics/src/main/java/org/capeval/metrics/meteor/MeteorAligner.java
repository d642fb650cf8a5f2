package org.capeval.metrics.meteor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * METEOR 1.5's aligner (edu.cmu.meteor.aligner.Aligner): the candidate matches of the exact, stem,
 * synonym and paraphrase stages, the one-to-one matches that nothing conflicts with fixed first,
 * and a left-to-right beam search (width 40) over the rest. Behaviour reproduced as the jar has it,
 * including two quirks that change which alignment wins (see {@link Path}). Stateless; thread-safe.
 */
final class MeteorAligner {
    static final int EXACT = 0;
    static final int STEM = 1;
    static final int SYNONYM = 2;
    static final int PARAPHRASE = 3;
    static final String[] STAGE_NAMES = {"exact", "stem", "synonym", "paraphrase"};

    private static final int BEAM = 40;
    /** Stage weights used only to rank partial alignments (the jar's "best alignment" weights). */
    private static final double[] SEARCH_WEIGHTS = {1.0, 0.5, 0.5, 0.5};

    /** One match: reference words [start, start+length) ~ test words [testStart, testStart+testLength). */
    record Match(int start, int length, int testStart, int testLength, int stage) {}

    /** The chosen alignment: {@code matches[j]} is the match starting at reference word j, or null. */
    record Alignment(Match[] matches, int chunks) {}

    /** Per-word data the stages compare (precomputed once per word by the scorer). */
    interface Words {
        String word(int i);

        String stem(int i);

        int[] synonymSets(int i);

        int size();
    }

    private final ParaphraseTable paraphrases; // null: stage off

    MeteorAligner(ParaphraseTable paraphrases) {
        this.paraphrases = paraphrases;
    }

    boolean hasParaphrases() {
        return paraphrases != null;
    }

    /** Aligns a test (candidate) segment with one reference segment. */
    Alignment align(Words test, Words ref) {
        int n1 = test.size();
        int n2 = ref.size();
        List<List<Match>> byStart = new ArrayList<>(n2);
        for (int j = 0; j < n2; j++) {
            byStart.add(new ArrayList<>(2));
        }
        int[] cover1 = new int[n1];
        int[] cover2 = new int[n2];

        addExact(test, ref, byStart, cover1, cover2);
        // Identical segments use exact matches only (the jar does this to avoid beam-search errors).
        if (!identical(test, ref)) {
            addStem(test, ref, byStart, cover1, cover2);
            addSynonym(test, ref, byStart, cover1, cover2);
            if (paraphrases != null) {
                addParaphrase(test, ref, byStart, cover1, cover2);
            }
        }

        Path start = new Path(new Match[n2], new boolean[n1], new boolean[n2]);
        for (int j = 0; j < n2; j++) {
            List<Match> ms = byStart.get(j);
            if (ms.size() != 1) {
                continue;
            }
            Match m = ms.get(0);
            boolean conflict = false;
            for (int k = 0; k < m.length; k++) {
                conflict |= cover2[j + k] != 1;
            }
            for (int k = 0; k < m.testLength; k++) {
                conflict |= cover1[m.testStart + k] != 1;
            }
            if (!conflict) {
                start.matches[j] = m;
                start.setUsed(m);
            }
        }

        Path best = search(byStart, start);
        return new Alignment(best.matches, countChunks(best.matches));
    }

    private static boolean identical(Words a, Words b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!a.word(i).equals(b.word(i))) {
                return false;
            }
        }
        return true;
    }

    private static void add(List<List<Match>> byStart, int[] cover1, int[] cover2, Match m) {
        byStart.get(m.start).add(m);
        for (int k = 0; k < m.testLength; k++) {
            cover1[m.testStart + k]++;
        }
        for (int k = 0; k < m.length; k++) {
            cover2[m.start + k]++;
        }
    }

    private static void addExact(Words t, Words r, List<List<Match>> byStart, int[] c1, int[] c2) {
        for (int j = 0; j < r.size(); j++) {
            for (int i = 0; i < t.size(); i++) {
                if (t.word(i).equals(r.word(j))) {
                    add(byStart, c1, c2, new Match(j, 1, i, 1, EXACT));
                }
            }
        }
    }

    /** Different words with the same Snowball stem. */
    private static void addStem(Words t, Words r, List<List<Match>> byStart, int[] c1, int[] c2) {
        for (int j = 0; j < r.size(); j++) {
            for (int i = 0; i < t.size(); i++) {
                if (t.stem(i).equals(r.stem(j)) && !t.word(i).equals(r.word(j))) {
                    add(byStart, c1, c2, new Match(j, 1, i, 1, STEM));
                }
            }
        }
    }

    /** Different words sharing a WordNet synset (also pairs the stem stage already matched, as the jar does). */
    private static void addSynonym(Words t, Words r, List<List<Match>> byStart, int[] c1, int[] c2) {
        for (int j = 0; j < r.size(); j++) {
            for (int i = 0; i < t.size(); i++) {
                if (!t.word(i).equals(r.word(j))
                        && org.capeval.metrics.wordnet.WordNet.intersects(t.synonymSets(i), r.synonymSets(j))) {
                    add(byStart, c1, c2, new Match(j, 1, i, 1, SYNONYM));
                }
            }
        }
    }

    /** Table phrases found in the reference and their paraphrases in the test, then the reverse. */
    private void addParaphrase(Words t, Words r, List<List<Match>> byStart, int[] c1, int[] c2) {
        int[] ids1 = new int[t.size()];
        for (int i = 0; i < ids1.length; i++) {
            ids1[i] = paraphrases.id(t.word(i));
        }
        int[] ids2 = new int[r.size()];
        for (int j = 0; j < ids2.length; j++) {
            ids2[j] = paraphrases.id(r.word(j));
        }
        for (int j = 0; j < ids2.length; j++) {
            int[] found = paraphrases.phrasesAt(ids2, j);
            for (int p = 0; p < found.length; p += 2) {
                int[] para = paraphrases.paraphrase(found[p + 1]);
                for (int i = 0; i < ids1.length; i++) {
                    if (occursAt(ids1, i, para)) {
                        add(byStart, c1, c2, new Match(j, found[p], i, para.length, PARAPHRASE));
                    }
                }
            }
        }
        for (int i = 0; i < ids1.length; i++) {
            int[] found = paraphrases.phrasesAt(ids1, i);
            for (int p = 0; p < found.length; p += 2) {
                int[] para = paraphrases.paraphrase(found[p + 1]);
                for (int j = 0; j < ids2.length; j++) {
                    if (occursAt(ids2, j, para)) {
                        add(byStart, c1, c2, new Match(j, para.length, i, found[p], PARAPHRASE));
                    }
                }
            }
        }
    }

    private static boolean occursAt(int[] words, int at, int[] phrase) {
        for (int k = 0; k < phrase.length; k++) {
            if (at + k == words.length || words[at + k] != phrase[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * A partial alignment in the beam. Two quirks of the jar are kept because they decide ties:
     * the weighted match counts are ints, so a one-word stem, synonym or paraphrase match (search
     * weight 0.5) adds nothing to them; and when a path is extended with a match, the distance of
     * that match is charged to the path that skips it, not to the extended one.
     */
    private static final class Path {
        final Match[] matches;
        final boolean[] used1;
        final boolean[] used2;
        int weightedMatches; // the jar's matches1 + matches2
        int chunks;
        int idx;
        int lastMatchEnd = -1;
        int distance;

        Path(Match[] matches, boolean[] used1, boolean[] used2) {
            this.matches = matches;
            this.used1 = used1;
            this.used2 = used2;
        }

        Path copy() {
            Path p = new Path(matches.clone(), used1.clone(), used2.clone());
            p.weightedMatches = weightedMatches;
            p.chunks = chunks;
            p.idx = idx;
            p.lastMatchEnd = lastMatchEnd;
            p.distance = distance;
            return p;
        }

        boolean isUsed(Match m) {
            for (int k = 0; k < m.length; k++) {
                if (used2[m.start + k]) {
                    return true;
                }
            }
            for (int k = 0; k < m.testLength; k++) {
                if (used1[m.testStart + k]) {
                    return true;
                }
            }
            return false;
        }

        void setUsed(Match m) {
            Arrays.fill(used2, m.start, m.start + m.length, true);
            Arrays.fill(used1, m.testStart, m.testStart + m.testLength, true);
        }

        /** Takes match m as the next step (without the distance, see the class comment). */
        void take(Match m) {
            double w = SEARCH_WEIGHTS[m.stage];
            // The jar's "int += double", per side: a one-word match at weight 0.5 adds 0.
            weightedMatches += (int) (m.testLength * w) + (int) (m.length * w);
            if (lastMatchEnd != -1 && m.testStart != lastMatchEnd) {
                chunks++;
            }
            idx = m.start + m.length;
            lastMatchEnd = m.testStart + m.testLength;
        }
    }

    /** More weighted matches, then fewer chunks, then smaller distance; List.sort is stable like the jar's. */
    private static final Comparator<Path> BETTER_FIRST = (x, y) -> {
        if (x.weightedMatches != y.weightedMatches) {
            return y.weightedMatches > x.weightedMatches ? 1 : -1;
        }
        if (x.chunks != y.chunks) {
            return Integer.compare(x.chunks, y.chunks);
        }
        return Integer.compare(x.distance, y.distance);
    };

    private static Path search(List<List<Match>> byStart, Path start) {
        int n2 = byStart.size();
        List<Path> next = new ArrayList<>();
        next.add(start);
        for (int current = 0; current <= n2; current++) {
            List<Path> paths = next;
            next = new ArrayList<>();
            paths.sort(BETTER_FIRST);
            int width = Math.min(BEAM, paths.size());
            for (int rank = 0; rank < width; rank++) {
                Path path = paths.get(rank);
                if (current == n2) {
                    if (path.lastMatchEnd != -1) {
                        path.chunks++;
                    }
                    next.add(path);
                    continue;
                }
                if (path.used2[current]) {
                    if (current < path.idx) {
                        next.add(path); // inside a multi-word match
                    } else if (path.matches[path.idx] != null) {
                        Match m = path.matches[path.idx]; // a match fixed before the search
                        path.take(m);
                        path.distance += Math.abs(m.start - m.testStart);
                        next.add(path);
                    }
                    continue;
                }
                for (Match m : byStart.get(current)) {
                    if (path.isUsed(m)) {
                        continue;
                    }
                    Path extended = path.copy();
                    extended.setUsed(m);
                    extended.matches[current] = m;
                    extended.take(m);
                    path.distance += Math.abs(m.start - m.testStart); // sic: the jar charges the parent
                    next.add(extended);
                }
                if (path.lastMatchEnd != -1) {
                    path.chunks++;
                    path.lastMatchEnd = -1;
                }
                path.idx++;
                next.add(path);
            }
            if (next.isEmpty()) {
                next.add(paths.get(0));
            }
        }
        next.sort(BETTER_FIRST);
        return next.get(0);
    }

    /** Chunks of the final alignment: runs of matches contiguous and in order on both sides. */
    private static int countChunks(Match[] matches) {
        int chunks = 0;
        int idx = 0;
        int lastMatchEnd = -1;
        while (idx < matches.length) {
            Match m = matches[idx];
            if (m == null) {
                if (lastMatchEnd != -1) {
                    chunks++;
                    lastMatchEnd = -1;
                }
                idx++;
            } else {
                if (lastMatchEnd != -1 && m.testStart != lastMatchEnd) {
                    chunks++;
                }
                idx = m.start + m.length;
                lastMatchEnd = m.testStart + m.testLength;
            }
        }
        return lastMatchEnd != -1 ? chunks + 1 : chunks;
    }
}
