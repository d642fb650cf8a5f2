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
        for (int i = wordStart(s, 0); i < s.length(); ) {
            int end = wordEnd(s, i);
            out.add(s.substring(i, end));
            i = wordStart(s, end);
        }
        return out;
    }

    /**
     * {@link #splitWhitespace}'s words as ids in {@code index} (new words are added): the same
     * split without a string per word.
     */
    public static int[] splitWhitespace(String s, WordIndex index) {
        int[] out = new int[(s.length() + 1) / 2]; // words are separated: at most this many
        int n = 0;
        for (int i = wordStart(s, 0); i < s.length(); ) {
            int end = wordEnd(s, i);
            out[n++] = index.intern(s, i, end);
            i = wordStart(s, end);
        }
        return java.util.Arrays.copyOf(out, n);
    }

    // Loops, not a visitor per word: the local engine runs on C1, which does not inline interface calls.

    /** Where the first of {@link #splitWhitespace}'s words at or after {@code i} starts; {@code s.length()} when none. */
    public static int wordStart(String s, int i) {
        int n = s.length();
        while (i < n && isPythonSpace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Where the word starting at {@code i} ends. */
    public static int wordEnd(String s, int i) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if ((c <= ' ' || c >= 0x85) && isPythonSpace(c)) {
                break;
            }
            i++;
        }
        return i;
    }

    /**
     * Python's {@code str.split(" ")} (ROUGE-L): every single space separates, so "" is one empty
     * token and double, leading or trailing spaces produce empty tokens.
     */
    public static List<String> splitSingleSpace(String s) {
        List<String> out = new ArrayList<>();
        for (int i = 0; ; ) {
            int end = spaceTokenEnd(s, i);
            out.add(s.substring(i, end));
            if (end == s.length()) {
                return out;
            }
            i = end + 1;
        }
    }

    /** {@link #splitSingleSpace}'s tokens as ids in {@code index} (new tokens are added). */
    public static int[] splitSingleSpace(String s, WordIndex index) {
        int[] out = new int[s.length() + 1];
        int n = 0;
        for (int i = 0; ; ) {
            int end = spaceTokenEnd(s, i);
            out[n++] = index.intern(s, i, end);
            if (end == s.length()) {
                return java.util.Arrays.copyOf(out, n);
            }
            i = end + 1;
        }
    }

    /** Where the {@link #splitSingleSpace} token starting at {@code i} ends (a space, or the end). */
    public static int spaceTokenEnd(String s, int i) {
        int end = s.indexOf(' ', i);
        return end < 0 ? s.length() : end;
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
