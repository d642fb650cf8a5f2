package org.capeval.metrics.ngram;

import java.util.ArrayList;
import java.util.List;

/** The two ways pycocoevalcap splits a tokenized caption into words. */
public final class Words {
    private Words() {}

    /**
     * Python's {@code str.split()} (BLEU, CIDEr): runs of whitespace separate words, leading and
     * trailing whitespace is ignored, "" gives no words. Whitespace is exactly Python's
     * {@code str.isspace()} set, so pretokenized input with NBSP or U+2028 splits as in the original.
     */
    public static List<String> splitWhitespace(String s) {
        List<String> out = new ArrayList<>();
        forEachWord(s, (t, from, to) -> out.add(t.substring(from, to)));
        return out;
    }

    /**
     * {@link #splitWhitespace}'s words as ids in {@code index} (new words are added): the same
     * split without a string per word.
     */
    public static int[] splitWhitespace(String s, WordIndex index) {
        int[] out = new int[(s.length() + 1) / 2]; // words are separated: at most this many
        int[] n = {0};
        forEachWord(s, (t, from, to) -> out[n[0]++] = index.intern(t, from, to));
        return java.util.Arrays.copyOf(out, n[0]);
    }

    /** Visits the words of {@link #splitWhitespace} as ranges of {@code s}, in order. */
    public static void forEachWord(String s, Range visitor) {
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && isPythonSpace(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isPythonSpace(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                visitor.visit(s, start, i);
            }
        }
    }

    /** Receives one word, {@code s[from, to)}. */
    @FunctionalInterface
    public interface Range {
        void visit(String s, int from, int to);
    }

    /**
     * Python's {@code str.split(" ")} (ROUGE-L): every single space separates, so "" is one empty
     * token and double, leading or trailing spaces produce empty tokens.
     */
    public static List<String> splitSingleSpace(String s) {
        List<String> out = new ArrayList<>();
        forEachSpaceToken(s, (t, from, to) -> out.add(t.substring(from, to)));
        return out;
    }

    /** {@link #splitSingleSpace}'s tokens as ids in {@code index} (new tokens are added). */
    public static int[] splitSingleSpace(String s, WordIndex index) {
        int[] out = new int[s.length() + 1];
        int[] n = {0};
        forEachSpaceToken(s, (t, from, to) -> out[n[0]++] = index.intern(t, from, to));
        return java.util.Arrays.copyOf(out, n[0]);
    }

    /** Visits the tokens of {@link #splitSingleSpace} as ranges of {@code s}, in order. */
    public static void forEachSpaceToken(String s, Range visitor) {
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ' ') {
                visitor.visit(s, start, i);
                start = i + 1;
            }
        }
        visitor.visit(s, start, s.length());
    }

    /**
     * Whether both splits give the same tokens: the text is not empty, has no whitespace but
     * single spaces between tokens, and no other character Python counts as whitespace. PTB
     * output always is; then one split serves both metrics that need them.
     */
    public static boolean splitsAlike(String s) {
        int n = s.length();
        if (n == 0 || s.charAt(0) == ' ' || s.charAt(n - 1) == ' ') {
            return false;
        }
        char prev = 'x';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == ' ' ? prev == ' ' : (c < ' ' || (c >= 0x85 && isPythonSpace(c)))) {
                return false;
            }
            prev = c;
        }
        return true;
    }

    /** Python 3's {@code str.isspace()} for one UTF-16 unit (every such character is in the BMP). */
    public static boolean isPythonSpace(char c) {
        if (c <= 0x20) {
            return c == 0x20 || (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x1F);
        }
        if (c < 0x85) {
            return false;
        }
        return c == 0x85 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A)
                || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
    }
}
