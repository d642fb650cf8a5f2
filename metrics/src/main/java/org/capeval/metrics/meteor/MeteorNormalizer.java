package org.capeval.metrics.meteor;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * METEOR 1.5's {@code -norm} for English (punctuation kept): a Moses-style tokenizer with METEOR's
 * additions (quote and dash unification, hyphens between alphanumerics split, dotted acronyms
 * undotted), then lower-casing. Thread-safe.
 */
final class MeteorNormalizer {
    /** Letters METEOR treats as alphabetic: ASCII, Western European and Cyrillic ranges. */
    private static final String LETTERS = "A-Za-z\u0160\u017d\u0161\u017e\u0178\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u017e"
            + "\u0400-\u04ff\u0500-\u0527\ua640-\ua66e\ua67e-\ua697\u1d00-\u1d7f";
    private static final String ALNUM = "0-9" + LETTERS;

    private static final Pattern ISOLATE_SYMBOL = Pattern.compile("([^" + ALNUM + "\\s.'`,\\-\u2018\u2019])");
    private static final Pattern DOT_RUN = Pattern.compile("\\.(\\.+)");
    private static final Pattern DOT_RUN_ESCAPE = Pattern.compile("DOTMULTI\\.([^.])");
    private static final Pattern COMMA_NONDIGITS = Pattern.compile("([^0-9]),([^0-9])");
    private static final Pattern COMMA_DIGIT_LEFT = Pattern.compile("([0-9]),([^0-9])");
    private static final Pattern COMMA_DIGIT_RIGHT = Pattern.compile("([^0-9]),([0-9])");
    private static final Pattern SINGLE_QUOTES = Pattern.compile("[`\u2018\u2019]");
    private static final Pattern DOUBLE_QUOTES = Pattern.compile("[\u201c\u201d]|''");
    private static final Pattern INNER_HYPHEN = Pattern.compile("([" + ALNUM + ".])-([" + ALNUM + "])");
    private static final Pattern APOS_NONLETTERS = Pattern.compile("([^" + LETTERS + "])'([^" + LETTERS + "])");
    private static final Pattern APOS_BEFORE_LETTER = Pattern.compile("([^" + LETTERS + "0-9])'([" + LETTERS + "])");
    private static final Pattern APOS_AFTER_LETTER = Pattern.compile("([" + LETTERS + "])'([^" + LETTERS + "])");
    private static final Pattern APOS_IN_WORD = Pattern.compile("([" + LETTERS + "])'([" + LETTERS + "])");
    private static final Pattern APOS_DECADE = Pattern.compile("([0-9])'(s)");
    private static final Pattern LETTER = Pattern.compile("[" + LETTERS + "]");
    private static final Pattern UNICODE_SPACES =
            Pattern.compile("[ \u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\u00a0]+");

    /** Prefix → true when the prefix keeps its dot only before a number ({@code #NUMERIC_ONLY#}). */
    private final Map<String, Boolean> nonBreakingPrefixes;

    MeteorNormalizer(Map<String, Boolean> nonBreakingPrefixes) {
        this.nonBreakingPrefixes = Map.copyOf(nonBreakingPrefixes);
    }

    /** Normalised, lower-cased tokens of one segment. */
    String[] tokens(String line) {
        if (isPlain(line)) {
            return splitWhitespace(line); // no rule below can change [a-z0-9 ] text
        }
        String norm = normalize(line).toLowerCase(Locale.ROOT);
        return splitWhitespace(norm);
    }

    /** The normalised segment (before lower-casing), tokens separated by single spaces. */
    String normalize(String line) {
        String s = " " + line + " ";
        s = ISOLATE_SYMBOL.matcher(s).replaceAll(" $1 ");

        s = DOT_RUN.matcher(s).replaceAll(" DOTMULTI$1");
        while (s.contains("DOTMULTI.")) {
            s = DOT_RUN_ESCAPE.matcher(s).replaceAll("DOTDOTMULTI $1");
            s = s.replace("DOTMULTI.", "DOTDOTMULTI");
        }

        s = COMMA_NONDIGITS.matcher(s).replaceAll("$1 , $2");
        s = COMMA_DIGIT_LEFT.matcher(s).replaceAll("$1 , $2");
        s = COMMA_DIGIT_RIGHT.matcher(s).replaceAll("$1 , $2");

        s = SINGLE_QUOTES.matcher(s).replaceAll("'");
        s = DOUBLE_QUOTES.matcher(s).replaceAll(" \" ");
        s = s.replace("\u2013", "-").replace("--", "-");
        s = INNER_HYPHEN.matcher(s).replaceAll("$1 $2");

        // English splits contractions to the right: "it's" -> "it 's".
        s = APOS_NONLETTERS.matcher(s).replaceAll("$1 ' $2");
        s = APOS_BEFORE_LETTER.matcher(s).replaceAll("$1 ' $2");
        s = APOS_AFTER_LETTER.matcher(s).replaceAll("$1 ' $2");
        s = APOS_IN_WORD.matcher(s).replaceAll("$1 '$2");
        s = APOS_DECADE.matcher(s).replaceAll("$1 '$2");

        s = splitFinalDots(splitWhitespace(s));

        while (s.contains("DOTDOTMULTI")) {
            s = s.replace("DOTDOTMULTI", "DOTMULTI.");
        }
        s = s.replace("DOTMULTI", ".");
        return UNICODE_SPACES.matcher(s).replaceAll(" ").trim();
    }

    /** A word-final dot is split off unless the word is a known non-breaking prefix or similar. */
    private String splitFinalDots(String[] words) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < words.length; i++) {
            String w = words[i];
            if (w.length() > 1 && w.endsWith(".")) {
                String pre = w.substring(0, w.length() - 1);
                Boolean numericOnly = nonBreakingPrefixes.get(pre);
                String next = i + 1 < words.length ? words[i + 1] : null;
                if (pre.contains(".") && LETTER.matcher(pre).find()) {
                    sb.append(w.replace(".", "")); // dotted acronym: U.S. -> US
                } else if (Boolean.FALSE.equals(numericOnly) || (next != null && startsWithLower(next))) {
                    sb.append(w);
                } else if (Boolean.TRUE.equals(numericOnly) && next != null && startsWithDigit(next)) {
                    sb.append(w);
                } else {
                    sb.append(pre).append(" .");
                }
            } else {
                sb.append(w);
            }
            sb.append(' ');
        }
        return sb.toString();
    }

    /** Lower-case ASCII letters, digits and spaces only: the usual PTB-tokenized caption. */
    private static boolean isPlain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ')) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWithLower(String s) {
        char c = s.charAt(0);
        return c >= 'a' && c <= 'z';
    }

    private static boolean startsWithDigit(String s) {
        char c = s.charAt(0);
        return c >= '0' && c <= '9';
    }

    /** Splits on the characters {@link java.util.StringTokenizer} uses by default (" \t\n\r\f"). */
    static String[] splitWhitespace(String s) {
        java.util.ArrayList<String> out = new java.util.ArrayList<>();
        int n = s.length();
        int i = 0;
        while (i < n) {
            while (i < n && isDelimiter(s.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isDelimiter(s.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(s.substring(start, i));
            }
        }
        return out.toArray(new String[0]);
    }

    private static boolean isDelimiter(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
    }
}
