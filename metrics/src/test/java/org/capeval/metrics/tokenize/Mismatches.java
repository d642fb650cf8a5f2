package org.capeval.metrics.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Collects captions where ours and CoreNLP differ, and reports them readably. */
final class Mismatches {
    private Mismatches() {}

    /** Compares ours with CoreNLP for one caption; a difference is added to {@code bad}. */
    static void check(String s, List<String> bad) {
        String ours = PtbTokenizer.tokenize(s);
        String ref = CoreNlpReference.tokenize(s);
        if (!ours.equals(ref)) {
            bad.add("[" + Escapes.escape(s) + "] ours=[" + Escapes.escape(ours) + "] corenlp=[" + Escapes.escape(ref) + "]");
        }
    }

    static void assertNone(List<String> bad, int total) {
        assertTrue(total > 0);
        assertEquals(0, bad.size(), bad.size() + " of " + total + " differ, e.g.:\n"
                + String.join("\n", bad.subList(0, Math.min(40, bad.size()))));
    }
}
