package org.capeval.metrics.tokenize;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A tiny longest-match pattern language, enough to write PTBLexer's macros one for one.
 *
 * <p>JFlex picks, among all rules, the longest match (ties: the earlier rule). To get the same
 * answer a pattern here reports <em>every</em> end position of a match starting at {@code i}: it
 * calls the continuation for each one and returns the largest value the continuation returned
 * (-1 when there is none). Repetitions of a single-character class are walked iteratively, so a
 * 100,000-character token does not grow the stack. Used only off the scanner's fast path.
 *
 * <p>Literal strings are caseless, as PTBLexer's {@code %caseless} makes them; character classes
 * are case-sensitive (JFlex's caseless option does not touch classes).
 */
abstract class Pat {

    /** What to do at an end position; returns an end position (or -1 for "no match here"). */
    interface Cont {
        int at(int j);
    }

    interface CharPred {
        boolean test(char c);
    }

    static final Cont END = j -> j;

    /** Largest value of {@code k} over the end positions of matches starting at {@code i}, or -1. */
    abstract int match(String s, int i, Cont k);

    /** Whether a match can start with {@code c} (for the scanner's first-character dispatch). */
    abstract boolean canStart(char c);

    /** Whether the empty string matches. */
    abstract boolean nullable();

    /** End of the longest match starting at {@code i}, or -1. */
    final int longest(String s, int i) {
        return match(s, i, END);
    }

    // ---- constructors -------------------------------------------------------------------------

    /** One character of a (case-sensitive) class. */
    static Pat cls(CharPred p) {
        return new Cls(p);
    }

    /** One character from the given list (case-sensitive), e.g. {@code any("-_")}. */
    static Pat any(String chars) {
        return new Cls(c -> chars.indexOf(c) >= 0);
    }

    /** One character in [lo, hi]. */
    static Pat range(char lo, char hi) {
        return new Cls(c -> c >= lo && c <= hi);
    }

    /** A caseless literal (letters match their whole case class, other characters exactly). */
    static Pat lit(String text) {
        return new Lit(text);
    }

    static Pat seq(Pat... parts) {
        Pat p = parts[parts.length - 1];
        for (int i = parts.length - 2; i >= 0; i--) {
            p = new Seq(parts[i], p);
        }
        return p;
    }

    static Pat alt(Pat... alternatives) {
        return new Alt(alternatives);
    }

    /** Alternatives of caseless literals, e.g. {@code lits("Jan", "Feb")}. */
    static Pat lits(String... words) {
        Pat[] ps = new Pat[words.length];
        for (int i = 0; i < words.length; i++) {
            ps[i] = lit(words[i]);
        }
        return alt(ps);
    }

    static Pat opt(Pat p) {
        return new Rep(p, 0, 1);
    }

    static Pat star(Pat p) {
        return new Rep(p, 0, Integer.MAX_VALUE);
    }

    static Pat plus(Pat p) {
        return new Rep(p, 1, Integer.MAX_VALUE);
    }

    /** {@code p{min,max}}. */
    static Pat rep(Pat p, int min, int max) {
        return new Rep(p, min, max);
    }

    // ---- implementations ----------------------------------------------------------------------

    private static final class Cls extends Pat {
        final CharPred p;

        Cls(CharPred p) {
            this.p = p;
        }

        @Override
        int match(String s, int i, Cont k) {
            return i < s.length() && p.test(s.charAt(i)) ? k.at(i + 1) : -1;
        }

        @Override
        boolean canStart(char c) {
            return p.test(c);
        }

        @Override
        boolean nullable() {
            return false;
        }
    }

    private static final class Lit extends Pat {
        final String text;

        Lit(String text) {
            this.text = text;
        }

        @Override
        int match(String s, int i, Cont k) {
            int n = text.length();
            if (i + n > s.length()) {
                return -1;
            }
            for (int j = 0; j < n; j++) {
                if (!sameCaseless(text.charAt(j), s.charAt(i + j))) {
                    return -1;
                }
            }
            return k.at(i + n);
        }

        @Override
        boolean canStart(char c) {
            return sameCaseless(text.charAt(0), c);
        }

        @Override
        boolean nullable() {
            return text.isEmpty();
        }

        /**
         * JFlex 1.5's caseless match: the whole Unicode case class of the pattern letter, which for
         * ASCII letters adds U+0130 and U+0131 to i, KELVIN SIGN to k and LONG S to s.
         */
        private static boolean sameCaseless(char pattern, char c) {
            if (pattern == c) {
                return true;
            }
            char lower = pattern >= 'A' && pattern <= 'Z' ? (char) (pattern + 32) : pattern;
            if (lower < 'a' || lower > 'z') {
                return false;
            }
            if (c == lower || c == lower - 32) {
                return true;
            }
            switch (lower) {
                case 'i': return c == '\u0130' || c == '\u0131';
                case 'k': return c == '\u212A';
                case 's': return c == '\u017F';
                default: return false;
            }
        }
    }

    private static final class Seq extends Pat {
        final Pat a;
        final Pat b;

        Seq(Pat a, Pat b) {
            this.a = a;
            this.b = b;
        }

        @Override
        int match(String s, int i, Cont k) {
            return a.match(s, i, new Then(b, s, k));
        }

        /**
         * "then match b": a class, not a lambda. Under C1 (the local engine's compiler) a capturing
         * lambda is created through a method handle that allocates with a JNI call; that was a
         * third of the rule search's time.
         */
        private static final class Then implements Cont {
            private final Pat b;
            private final String s;
            private final Cont k;

            Then(Pat b, String s, Cont k) {
                this.b = b;
                this.s = s;
                this.k = k;
            }

            @Override
            public int at(int j) {
                return b.match(s, j, k);
            }
        }

        @Override
        boolean canStart(char c) {
            return a.canStart(c) || (a.nullable() && b.canStart(c));
        }

        @Override
        boolean nullable() {
            return a.nullable() && b.nullable();
        }
    }

    private static final class Alt extends Pat {
        final Pat[] alts;

        Alt(Pat[] alts) {
            this.alts = alts;
        }

        @Override
        int match(String s, int i, Cont k) {
            int best = -1;
            for (Pat p : alts) {
                best = Math.max(best, p.match(s, i, k));
            }
            return best;
        }

        @Override
        boolean canStart(char c) {
            for (Pat p : alts) {
                if (p.canStart(c)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        boolean nullable() {
            for (Pat p : alts) {
                if (p.nullable()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** {@code p{min,max}}; a single-character class is walked in a loop instead of recursively. */
    private static final class Rep extends Pat {
        final Pat p;
        final int min;
        final int max;

        Rep(Pat p, int min, int max) {
            this.p = p;
            this.min = min;
            this.max = max;
        }

        @Override
        int match(String s, int i, Cont k) {
            if (p instanceof Cls) {
                CharPred cp = ((Cls) p).p;
                int best = -1;
                int n = s.length();
                int count = 0;
                int j = i;
                while (true) {
                    if (count >= min) {
                        best = Math.max(best, k.at(j));
                    }
                    if (count == max || j >= n || !cp.test(s.charAt(j))) {
                        return best;
                    }
                    j++;
                    count++;
                }
            }
            return levels(s, i, k);
        }

        /**
         * Any other repeated pattern: breadth-first over the positions reachable after 1, 2, ...
         * iterations (so a long run does not nest calls on the stack), then the continuation at
         * each position reached with at least {@code min} iterations.
         */
        private int levels(String s, int i, Cont k) {
            int best = min == 0 ? k.at(i) : -1;
            BitSet seen = new BitSet();
            int[] frontier = {i};
            int size = 1;
            for (int count = 1; count <= max && size > 0; count++) {
                Level level = new Level(i, seen, max != Integer.MAX_VALUE);
                for (int f = 0; f < size; f++) {
                    level.from = frontier[f];
                    p.match(s, level.from, level);
                }
                seen.or(level.reached);
                frontier = level.next;
                size = level.size;
                if (count >= min) {
                    for (int f = 0; f < size; f++) {
                        best = Math.max(best, k.at(frontier[f]));
                    }
                }
            }
            return best;
        }

        /**
         * Collects the positions one more iteration reaches (a class, not a lambda: see
         * {@link Seq.Then}). Empty iterations make no progress; with no upper bound a position
         * reached at an earlier level leads to nothing new.
         */
        private static final class Level implements Cont {
            private final int origin;
            private final BitSet seen;
            private final boolean bounded;
            final BitSet reached = new BitSet();
            int[] next = new int[4];
            int size;
            int from;

            Level(int origin, BitSet seen, boolean bounded) {
                this.origin = origin;
                this.seen = seen;
                this.bounded = bounded;
            }

            @Override
            public int at(int e) {
                if (e > from && !reached.get(e - origin) && (bounded || !seen.get(e - origin))) {
                    reached.set(e - origin);
                    if (size == next.length) {
                        next = Arrays.copyOf(next, size * 2);
                    }
                    next[size++] = e;
                }
                return -1;
            }
        }

        @Override
        boolean canStart(char c) {
            return max > 0 && p.canStart(c);
        }

        @Override
        boolean nullable() {
            return min == 0 || p.nullable();
        }
    }
}
