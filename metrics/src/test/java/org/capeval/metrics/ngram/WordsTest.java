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
}
