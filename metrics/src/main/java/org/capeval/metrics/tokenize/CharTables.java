package org.capeval.metrics.tokenize;

/**
 * JFlex's predefined classes [:letter:], [:digit:], [:uppercase:] as PTBLexer 3.4.1 has them.
 *
 * <p>JFlex 1.5.1 generated PTBLexer from Unicode 6.3 tables and for the BMP only (a supplementary
 * character reaches the lexer as two surrogates, which no rule matches, so it is dropped). Java
 * 17's {@link Character} follows Unicode 13, so the letters and digits added to the BMP since 6.3
 * are taken out again here, and two Mongolian signs that were letters in 6.3 are put back. The
 * table was found by comparing every BMP character against CoreNLP 3.4.1 (see
 * PtbTokenizerDifferentialTest#everyBmpCharacterInContextMatchesCoreNlp, which keeps it honest).
 */
final class CharTables {
    private CharTables() {}

    /** Inclusive ranges of characters that are letters or digits for Java 17 but were unassigned
     *  (or not letters) in PTBLexer's tables. */
    private static final char[] NEWER = {
        '\u037F', '\u037F', '\u0528', '\u052F', '\u0560', '\u0560', '\u0588', '\u0588', '\u05EF', '\u05EF', '\u0860', '\u086A',
        '\u08A1', '\u08A1', '\u08AD', '\u08B4', '\u08B6', '\u08C7', '\u0978', '\u0978', '\u0980', '\u0980', '\u09FC', '\u09FC',
        '\u0AF9', '\u0AF9', '\u0C34', '\u0C34', '\u0C5A', '\u0C5A', '\u0C80', '\u0C80', '\u0D04', '\u0D04', '\u0D54', '\u0D56',
        '\u0D5F', '\u0D5F', '\u0DE6', '\u0DEF', '\u0E86', '\u0E86', '\u0E89', '\u0E89', '\u0E8C', '\u0E8C', '\u0E8E', '\u0E93',
        '\u0E98', '\u0E98', '\u0EA0', '\u0EA0', '\u0EA8', '\u0EA9', '\u0EAC', '\u0EAC', '\u13F5', '\u13F5', '\u13F8', '\u13FD',
        '\u16F1', '\u16F8', '\u1878', '\u1878', '\u191D', '\u191E', '\u19B0', '\u19C0', '\u19C8', '\u19C9', '\u1C80', '\u1C88',
        '\u1C90', '\u1CBA', '\u1CBD', '\u1CBF', '\u1CF2', '\u1CF3', '\u1CFA', '\u1CFA', '\u312E', '\u312F', '\u31BB', '\u31BF',
        '\u4DB6', '\u4DBF', '\u9FCD', '\u9FFC', '\uA698', '\uA69D', '\uA78F', '\uA78F', '\uA794', '\uA79F', '\uA7AB', '\uA7BF',
        '\uA7C2', '\uA7CA', '\uA7F5', '\uA7F7', '\uA8FD', '\uA8FE', '\uA9E0', '\uA9E4', '\uA9E6', '\uA9FE', '\uAA7E', '\uAA7F',
        '\uAB30', '\uAB5A', '\uAB5C', '\uAB69', '\uAB70', '\uABBF',
    };

    private static boolean newer(char c) {
        if (c < '\u037F' || c > '\uABBF') {
            return false;
        }
        for (int i = 0; i < NEWER.length; i += 2) {
            if (c < NEWER[i]) {
                return false;
            }
            if (c <= NEWER[i + 1]) {
                return true;
            }
        }
        return false;
    }

    static boolean isLetter(char c) {
        if (c < 0x80) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }
        if (c == '\u1885' || c == '\u1886') {
            return true; // Mongolian Ali Gali baluda: letters (Lo) in Unicode 6.3, marks since 9.0
        }
        return Character.isLetter(c) && !newer(c);
    }

    static boolean isDigit(char c) {
        if (c < 0x80) {
            return c >= '0' && c <= '9';
        }
        return Character.isDigit(c) && !newer(c);
    }

    static boolean isUpperCase(char c) {
        if (c < 0x80) {
            return c >= 'A' && c <= 'Z';
        }
        return Character.isUpperCase(c) && !newer(c);
    }
}
