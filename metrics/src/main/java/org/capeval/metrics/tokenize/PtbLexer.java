package org.capeval.metrics.tokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.capeval.metrics.tokenize.PtbRules.Rule;

/**
 * Scanner that splits one caption into PTBLexer 3.4.1's tokens (before lower-casing). Stateless;
 * thread-safe.
 *
 * <p>At each position it does what the JFlex-generated PTBLexer does: among the rules that match,
 * take the longest match (trailing context included), ties to the earlier rule, then apply the
 * rule's action. Two fast paths skip the rule search where the outcome is certain (see
 * {@link #scan}); everything else goes through {@link PtbRules#RULES}.
 */
final class PtbLexer {
    private PtbLexer() {}

    /** Receives tokens in order. */
    interface Sink {
        /** A token that is exactly {@code s[from, to)}. */
        void token(String s, int from, int to);

        /** A token whose text the rule rewrote. */
        void token(String text);

        /** A line terminator inside the text (PTBTokenizer -preserveLines would start a new line). */
        void lineBreak();
    }

    /**
     * For each BMP character, the rules whose match can start with it, in priority order; filled on
     * first use of the character (computing all 65,536 lists up front takes seconds).
     */
    private static final AtomicReferenceArray<Rule[]> CANDIDATES = new AtomicReferenceArray<>(65536);

    private static Rule[] candidates(char c) {
        Rule[] rules = CANDIDATES.get(c);
        if (rules == null) {
            List<Rule> list = new ArrayList<>();
            for (Rule r : PtbRules.RULES) {
                if (r.pattern.canStart(c)) {
                    list.add(r);
                }
            }
            rules = list.toArray(new Rule[0]);
            CANDIDATES.set(c, rules);
        }
        return rules;
    }

    /**
     * Tokenizes {@code s[from, to)} into {@code sink}. Text after {@code to} is only looked at, as
     * PTBLexer looks at the next lines of its input file (trailing contexts such as "ABBREV1 followed
     * by a sentence end"). Returns the position after the last token: greater than {@code to} when
     * a token ran across {@code to}.
     */
    static int scan(String s, int from, int to, Sink sink) {
        int p = from;
        while (p < to) {
            if (s.charAt(p) == ' ') {
                // SPACES (dropped): no other rule starts with a space, and the run takes any
                // following blanks too (a U+00A0 after a space cannot start a LIKELYURL)
                do {
                    p++;
                } while (p < to && PtbRules.isSpace(s.charAt(p)));
                continue;
            }
            int next = fastToken(s, p, sink);
            p = next > p ? next : scanRule(s, p, sink);
        }
        return p;
    }

    /**
     * The common shapes of caption text, where the rule search is known to pick a particular rule:
     * emits the token(s) and returns the next position, or returns {@code p} to let the rules decide.
     * "End" below means the end of the text, a space or a line feed (tokenizeAll's caption
     * separator); each case names the rule that wins and why nothing matches longer.
     */
    private static int fastToken(String s, int p, Sink sink) {
        int n = s.length();
        char c = s.charAt(p);
        if (PtbRules.isAsciiLetter(c)) {
            int e = p + 1;
            while (e < n && PtbRules.isAsciiLetter(s.charAt(e))) {
                e++;
            }
            if (isSplitWord(s, p, e)) {
                return p; // "cannot", "gonna"...: the rules split them (unless a longer match wins)
            }
            if (isEnd(s, e)) {
                // WORD (ACRO/SPACENL, ABBREV4/SPACE give the same token); only rules starting with a
                // digit, '<' or '.' can match across a space
                sink.token(s, p, e);
                return e;
            }
            char x = s.charAt(e);
            if (x == ',' && isEnd(s, e + 1)) {
                // WORD then INSENTP: HTHING would need a '-' and EMAIL an '@' before the space
                sink.token(s, p, e);
                return e;
            }
            if (x == '.' && isEnd(s, e + 1) && e - p >= 2 && !isAbbreviation(s, p, e + 1)) {
                // WORD then '.': not an abbreviation (ABBREV1-3, pty./co.; ACRONYM needs one letter),
                // and FILENAME, LIKELYURL, WORD./INSENTP need something after the period
                sink.token(s, p, e);
                return e;
            }
            if (x == '\'' && e - p >= 2) {
                int aux = redauxEnd(s, e + 1);
                if (aux > 0 && (isEnd(s, aux) && (aux - e == 2 || aux < n))) {
                    // WORD/REDAUX then REDAUX ("dog's", "we're"): APOWORD's vowel-apostrophe form
                    // needs [aeiouA-Z] after the apostrophe and its other forms one letter before it.
                    // A two-letter suffix at the very end is left to the rules ("'" followed by a
                    // letter and a non-blank wins there).
                    sink.token(s, p, e);
                    sink.token(s, e, aux);
                    return aux;
                }
                char n1 = s.charAt(e - 1);
                if ((n1 == 'n' || n1 == 'N') && e + 1 < n && (s.charAt(e + 1) == 't' || s.charAt(e + 1) == 'T')
                        && isEnd(s, e + 2) && s.charAt(e - 2) != 'n' && s.charAt(e - 2) != 'N') {
                    // SWORD/SREDAUX then SREDAUX ("don't" -> "do" "n't", "can't" -> "ca" "n't")
                    sink.token(s, p, e - 1);
                    sink.token(s, e - 1, e + 2);
                    return e + 2;
                }
            }
            return p;
        }
        if (PtbRules.isAsciiDigit(c)) {
            int e = p + 1;
            while (e < n && PtbRules.isAsciiDigit(s.charAt(e))) {
                e++;
            }
            if (e == n || s.charAt(e) == '\n' || (s.charAt(e) == ' ' && (e + 1 == n || !PtbRules.isAsciiDigit(s.charAt(e + 1))))) {
                // NUMBER: PHONE and FRAC cross a space only when a digit follows it
                sink.token(s, p, e);
                return e;
            }
            return p;
        }
        if (c == ',' && isEnd(s, p + 1)) {
            // INSENTP: a comma starts a NUMBER only before a digit
            sink.token(s, p, p + 1);
            return p + 1;
        }
        if (c == '.' && (p + 1 == n || s.charAt(p + 1) == '\n'
                || (s.charAt(p + 1) == ' ' && (p + 2 == n || s.charAt(p + 2) != '.')))) {
            // a lone period: LDOTS needs ". ." or "...", NUMBER a digit
            sink.token(s, p, p + 1);
            return p + 1;
        }
        return p;
    }

    private static boolean isEnd(String s, int i) {
        return i == s.length() || s.charAt(i) == ' ' || s.charAt(i) == '\n';
    }

    /** End of a lower-case REDAUX suffix (s m d re ve ll) starting at {@code i}, or -1. */
    private static int redauxEnd(String s, int i) {
        if (i >= s.length()) {
            return -1;
        }
        char a = s.charAt(i);
        if (a == 's' || a == 'm' || a == 'd') {
            return i + 1;
        }
        if (i + 1 < s.length()) {
            char b = s.charAt(i + 1);
            if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) {
                return i + 2;
            }
        }
        return -1;
    }

    /** Answers of {@link #isAbbreviation} by word; bounded (a caption vocabulary fits easily). */
    private static final ConcurrentHashMap<String, Boolean> ABBREVIATIONS = new ConcurrentHashMap<>();

    /** Whether {@code s[from, to)} (a word and its period) is one of the abbreviations PTBLexer knows. */
    private static boolean isAbbreviation(String s, int from, int to) {
        String word = s.substring(from, to);
        Boolean known = ABBREVIATIONS.get(word);
        if (known == null) {
            known = PtbRules.ABBREVIATION.match(word, 0, j -> j == word.length() ? j : -1) == word.length();
            if (ABBREVIATIONS.size() < 200_000) {
                ABBREVIATIONS.put(word, known);
            }
        }
        return known;
    }

    /** "cannot", "gonna", "gotta", "lemme", "gimme", "wanna" (any case): split by their rules. */
    private static boolean isSplitWord(String s, int from, int to) {
        int len = to - from;
        if (len == 6) {
            return s.regionMatches(true, from, "cannot", 0, 6);
        }
        if (len == 5) {
            return s.regionMatches(true, from, "gonna", 0, 5) || s.regionMatches(true, from, "gotta", 0, 5)
                    || s.regionMatches(true, from, "lemme", 0, 5) || s.regionMatches(true, from, "gimme", 0, 5)
                    || s.regionMatches(true, from, "wanna", 0, 5);
        }
        return false;
    }

    /** Longest-match rule search at {@code p}; emits the token and returns the next position. */
    private static int scanRule(String s, int p, Sink sink) {
        Rule best = null;
        int bestEnd = p;
        for (Rule r : candidates(s.charAt(p))) {
            int e = r.pattern.longest(s, p);
            if (e > bestEnd) {
                bestEnd = e;
                best = r;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no PTB rule matches U+" + Integer.toHexString(s.charAt(p)));
        }
        int end = bestEnd;
        if (best.body != null) {
            // r1/r2: r1 is the token; the split point is where r2 matches up to the end of the match
            final Rule r = best;
            final int total = bestEnd;
            end = r.body.match(s, p, j -> r.context.match(s, j, e -> e == total ? e : -1) == total ? j : -1);
        }
        switch (best.action) {
            case PLAIN:
                sink.token(s, p, end);
                return end;
            case NO_SOFT_HYPHENS:
                emitWithoutSoftHyphens(s, p, end, sink);
                return end;
            case PREFIX:
                sink.token(s, p, p + best.param);
                return p + best.param;
            case SPACES_TO_NBSP:
                sink.token(s.substring(p, end).replace(' ', '\u00A0'));
                return end;
            case FIXED:
                sink.token(best.fixed);
                return end;
            case AMP:
                sink.token(normalizeAmp(s.substring(p, end)));
                return end;
            case QUOTE_RIGHT:
                sink.token(latexQuotes(s.substring(p, end), false));
                return end;
            case QUOTE_LEFT:
                sink.token(latexQuotes(s.substring(p, end), true));
                return end;
            case FRACTION:
                sink.token(fraction(s.charAt(p)));
                return end;
            case CURRENCY:
                sink.token(currency(s.charAt(p)));
                return end;
            case ACRONYM_SENTENCE_END:
                if (end - p == 2) {
                    // "I." before a sentence starter: the letter, then the period on its own
                    sink.token(s, p, p + 1);
                    return p + 1;
                }
                // "U.S." keeps its period and the period is also scanned again as a token
                sink.token(s, p, end);
                return end - 1;
            case PERIOD_AGAIN:
                sink.token(s, p, end);
                return end - 1;
            case PHONE:
                sink.token(parens(s.substring(p, end).replace(' ', '\u00A0')));
                return end;
            case PARENS:
                sink.token(parens(s.substring(p, end)));
                return end;
            case HYPHENS:
                if (end - p == 3 || end - p == 4) {
                    sink.token("--");
                } else {
                    sink.token(s, p, end);
                }
                return end;
            case SKIP:
            case UNTOKENIZABLE:
                return end;
            case NEWLINE:
                sink.lineBreak();
                return end;
            default:
                throw new AssertionError(best.action);
        }
    }

    /** Soft hyphens are taken as line-breaking hints and removed; an all-soft-hyphen token is "-". */
    private static void emitWithoutSoftHyphens(String s, int from, int to, Sink sink) {
        int shy = from;
        while (shy < to && s.charAt(shy) != '\u00AD') {
            shy++;
        }
        if (shy == to) {
            sink.token(s, from, to);
            return;
        }
        StringBuilder b = new StringBuilder(to - from);
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c != '\u00AD') {
                b.append(c);
            }
        }
        sink.token(b.length() == 0 ? "-" : b.toString());
    }

    /** {@code &amp;} in any case becomes {@code &}. */
    private static String normalizeAmp(String t) {
        if (t.indexOf('&') < 0) {
            return t;
        }
        StringBuilder b = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            if (t.regionMatches(true, i, "&amp;", 0, 5)) {
                b.append('&');
                i += 4;
            } else {
                b.append(t.charAt(i));
            }
        }
        return b.toString();
    }

    /**
     * LaTeX-style quotes: ASCII ' and " (and the entities &amp;apos; &amp;quot;, exact case) become
     * ` `` when probably opening and ' '' otherwise; curly and cp1252 quotes map by their direction.
     * Low-9 and reversed-9 double quotes are left as they are, as PTBLexer does.
     */
    static String latexQuotes(String t, boolean probablyLeft) {
        StringBuilder b = new StringBuilder(t.length() + 2);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\'' || t.startsWith("&apos;", i)) {
                b.append(probablyLeft ? "`" : "'");
                if (c == '&') {
                    i += 5;
                }
            } else if (c == '"' || t.startsWith("&quot;", i)) {
                b.append(probablyLeft ? "``" : "''");
                if (c == '&') {
                    i += 5;
                }
            } else if (c == '\u0091' || c == '\u2018' || c == '\u201B' || c == '\u2039') {
                b.append('`');
            } else if (c == '\u0092' || c == '\u2019' || c == '\u203A') {
                b.append('\'');
            } else if (c == '\u0093' || c == '\u201C' || c == '\u00AB') {
                b.append("``");
            } else if (c == '\u0094' || c == '\u201D' || c == '\u00BB') {
                b.append("''");
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Only 1/4, 1/2, 3/4, 1/3, 2/3 are spelled out; other vulgar fractions stay. */
    private static String fraction(char c) {
        switch (c) {
            case '\u00BC': return "1/4";
            case '\u00BD': return "1/2";
            case '\u00BE': return "3/4";
            case '\u2153': return "1/3";
            case '\u2154': return "2/3";
            default: return String.valueOf(c);
        }
    }

    /** Cent sign -> "cents", pound -> "#" (PTB3 usage), euro and generic currency -> "$"; yen etc. stay. */
    private static String currency(char c) {
        switch (c) {
            case '\u00A2': return "cents";
            case '\u00A3': return "#";
            case '\u0080': case '\u00A4': case '\u20A0': case '\u20AC': return "$";
            default: return String.valueOf(c);
        }
    }

    private static String parens(String t) {
        if (t.indexOf('(') < 0 && t.indexOf(')') < 0) {
            return t;
        }
        return t.replace("(", "-LRB-").replace(")", "-RRB-");
    }
}
