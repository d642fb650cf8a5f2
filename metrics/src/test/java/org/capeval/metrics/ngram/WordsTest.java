package org.capeval.metrics.ngram;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class WordsTest {
    @Test
    void splitsLikePython() {
        // str.split(): any run of Python whitespace (incl. NBSP, U+2028, U+3000, \x1c), no empty words
        assertEquals(List.of("a", "b", "c", "d", "e"), Words.splitWhitespace("  a\tb\u00a0c\u2028d\u3000\u001ce "));
        assertEquals(List.of(), Words.splitWhitespace(""));
        assertEquals(List.of(), Words.splitWhitespace(" \n "));
        // zero-width space is not whitespace for Python
        assertEquals(List.of("a\u200bb"), Words.splitWhitespace("a\u200bb"));
        // str.split(" "): every single space separates
        assertEquals(List.of(""), Words.splitSingleSpace(""));
        assertEquals(List.of("", "a", "", "b", ""), Words.splitSingleSpace(" a  b "));
        assertEquals(List.of("a\tb"), Words.splitSingleSpace("a\tb"));
    }

    @Test
    void splitsAlikeOnlyWhenBothSplitsAgree() {
        assertEquals(true, Words.splitsAlike("a man on a horse"));
        assertEquals(true, Words.splitsAlike("x"));
        for (String differ : new String[] {"", " a", "a ", "a  b", "a\tb", "a\u00a0b", "a\u2028b", "a\u001cb", "a\u3000b"}) {
            assertEquals(false, Words.splitsAlike(differ), differ);
        }
        // seeded random strings over spaces, Python whitespace and letters: alike implies equal splits
        java.util.Random rnd = new java.util.Random(9);
        String alphabet = "ab  \t\u00a0\u0085\u200b\u2029é";
        int alike = 0;
        for (int i = 0; i < 20000; i++) {
            StringBuilder b = new StringBuilder();
            for (int n = rnd.nextInt(7); n > 0; n--) {
                b.append(alphabet.charAt(rnd.nextInt(alphabet.length())));
            }
            String t = b.toString();
            if (Words.splitsAlike(t)) {
                alike++;
                assertEquals(Words.splitSingleSpace(t), Words.splitWhitespace(t), t);
            } else if (!t.isEmpty() && Words.splitSingleSpace(t).equals(Words.splitWhitespace(t))) {
                // a conservative "no" is allowed only where Python whitespace other than a single space occurs
                assertEquals(true, t.chars().anyMatch(c -> c != ' ' && Words.isPythonSpace((char) c)), t);
            }
        }
        assertEquals(true, alike > 1000, "alike strings tested: " + alike);
    }
}
