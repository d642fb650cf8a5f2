package org.capeval.metrics.tokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * PTB tokenization as the COCO caption pipeline runs it (pycocoevalcap ptbtokenizer.py: CoreNLP
 * 3.4.1 {@code PTBTokenizer -preserveLines -lowerCase}, then removal of 17 punctuation tokens),
 * re-implemented without CoreNLP; see metrics/TOKENIZER.md for the rules and the deliberate
 * differences (line terminators inside a caption).
 */
public final class PtbTokenizer {
    private PtbTokenizer() {}

    /**
     * How many following captions a caller that splits one run ({@link #tokenizeAll}) into parts
     * passes as look-ahead: PTBLexer looks one line ahead; a few more cover empty captions.
     */
    public static final int LOOK_AHEAD_CAPTIONS = 8;

    /** The tokens ptbtokenizer.py removes (the bracket forms never match: -lowerCase runs first). */
    private static final String[] PUNCTUATIONS = {
        "''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-", ".", "?", "!", ",", ":", "-", "--", "...", ";"
    };

    /** Whether some token of {@link #PUNCTUATIONS} starts with the (ASCII) character. */
    private static final boolean[] PUNCTUATION_START = new boolean[128];

    static {
        for (String p : PUNCTUATIONS) {
            PUNCTUATION_START[p.charAt(0)] = true;
        }
    }

    /**
     * Tokenizes one raw caption exactly as COCO does (CoreNLP 3.4.1 PTBTokenizer -preserveLines
     * -lowerCase, then removal of the 17 punctuation tokens) and returns the tokens joined by single
     * spaces. Thread-safe. The caption is taken alone: {@link #tokenizeAll} also reproduces the
     * original's look-ahead into the next caption of its input file.
     *
     * <p>A line terminator inside the caption ({@code \r}, VT, FF, U+2028, U+2029) separates tokens
     * like a space instead of starting a new caption line ({@code \n} is a space already in the
     * original, which replaces it before tokenizing).
     */
    public static String tokenize(String caption) {
        String s = noLineFeeds(caption);
        Joiner out = new Joiner(s.length() + 8);
        PtbLexer.scan(s, 0, s.length(), out);
        out.lineBreak();
        return out.b.toString();
    }

    /**
     * Tokenizes the captions of one ptbtokenizer.py run, in the order it writes them to its input
     * file (for COCO: the evaluated images in order, each image's captions in file order; references
     * and candidates are two separate runs). Same as {@link #tokenize(String)} for each caption,
     * except that, like PTBLexer reading that file, the end of a caption is tokenized with the
     * following lines in view. This matters for a single letter with a period before a sentence
     * starter: "... reads K." followed by a line "A man ..." gives "k" where the caption alone gives
     * "k." (5 of the 202,654 val2014 captions end like this). Thread-safe.
     *
     * <p>Line terminators inside a caption are still token separators (no shift of later captions),
     * and a token that would run across a line end (an SGML tag with a quoted attribute value
     * broken over two captions) is not joined: that caption is then tokenized on its own.
     */
    public static List<String> tokenizeAll(List<String> captions) {
        StringBuilder file = new StringBuilder();
        int[] starts = new int[captions.size() + 1];
        for (int i = 0; i < captions.size(); i++) {
            if (i > 0) {
                file.append('\n');
            }
            starts[i] = file.length();
            file.append(noLineFeeds(captions.get(i)));
        }
        String s = file.toString();
        List<String> out = new ArrayList<>(captions.size());
        for (int i = 0; i < captions.size(); i++) {
            int from = starts[i];
            int to = from + captions.get(i).length();
            Joiner j = new Joiner(to - from + 8);
            if (PtbLexer.scan(s, from, to, j) > to) {
                out.add(tokenize(captions.get(i)));
                continue;
            }
            j.lineBreak();
            out.add(j.b.toString());
        }
        return out;
    }

    /** ptbtokenizer.py: caption.replace('\n', ' '). */
    private static String noLineFeeds(String caption) {
        Objects.requireNonNull(caption, "caption");
        return caption.indexOf('\n') < 0 ? caption : caption.replace('\n', ' ');
    }

    /**
     * Collects tokens the way PTBTokenizer's -preserveLines -lowerCase output is post-processed by
     * ptbtokenizer.py: lower-case ({@code toLowerCase(Locale.ENGLISH)} per token), per line
     * {@code rstrip()} then {@code split(' ')}, drop the punctuation tokens, join with single spaces.
     * Lines are joined with a single space.
     */
    private static final class Joiner implements PtbLexer.Sink {
        final StringBuilder b;
        /** start of the last token of the current line in {@code b}, or -1 */
        int lastTokenStart = -1;

        Joiner(int capacity) {
            b = new StringBuilder(capacity);
        }

        @Override
        public void token(String s, int from, int to) {
            boolean lower = true;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    token(s.substring(from, to));
                    return;
                }
                lower &= c < 'A' || c > 'Z';
            }
            if (isPunctuation(s, from, to)) {
                return;
            }
            start();
            if (lower) {
                b.append(s, from, to); // one copy: most tokens are lower-case already
                return;
            }
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
            }
        }

        @Override
        public void token(String text) {
            String lower = text.toLowerCase(Locale.ENGLISH);
            if (isPunctuation(lower, 0, lower.length())) {
                return;
            }
            start();
            b.append(lower);
        }

        private void start() {
            if (b.length() > 0) {
                b.append(' ');
            }
            lastTokenStart = b.length();
        }

        /** End of an output line: Python's rstrip() can only shorten the line's last token. */
        @Override
        public void lineBreak() {
            if (lastTokenStart < 0) {
                return;
            }
            int end = b.length();
            while (end > lastTokenStart && isPythonSpace(b.charAt(end - 1))) {
                end--;
            }
            if (end < b.length()) {
                b.setLength(end);
                if (end == lastTokenStart || isPunctuation(b, lastTokenStart, end)) {
                    b.setLength(Math.max(0, lastTokenStart - 1));
                }
            }
            lastTokenStart = -1;
        }
    }

    private static boolean isPunctuation(CharSequence s, int from, int to) {
        int len = to - from;
        if (len == 0 || len > 5) {
            return false;
        }
        // most tokens are short words: one test on the first character rules them out
        char c = s.charAt(from);
        if (c >= PUNCTUATION_START.length || !PUNCTUATION_START[c]) {
            return false;
        }
        for (String p : PUNCTUATIONS) {
            if (p.length() == len && regionEquals(s, from, p)) {
                return true;
            }
        }
        return false;
    }

    private static boolean regionEquals(CharSequence s, int from, String p) {
        for (int i = 0; i < p.length(); i++) {
            if (s.charAt(from + i) != p.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Python 3 str.isspace() for a BMP character (what rstrip() removes). */
    static boolean isPythonSpace(char c) {
        return (c >= '\t' && c <= '\r') || (c >= '\u001C' && c <= ' ') || c == '\u0085' || c == '\u00A0'
                || c == '\u1680' || (c >= '\u2000' && c <= '\u200A') || c == '\u2028' || c == '\u2029'
                || c == '\u202F' || c == '\u205F' || c == '\u3000';
    }
}
