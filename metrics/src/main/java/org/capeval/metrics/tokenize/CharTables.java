package org.capeval.metrics.tokenize;

/**
 * JFlex's predefined classes [:letter:], [:digit:], [:uppercase:] as PTBLexer 3.4.1 was generated
 * with them (JFlex 1.5.1, BMP only: a supplementary character reaches the lexer as two surrogates,
 * which no rule matches).
 */
final class CharTables {
    private CharTables() {}

    static boolean isLetter(char c) {
        return Character.isLetter(c);
    }

    static boolean isDigit(char c) {
        return Character.isDigit(c);
    }

    static boolean isUpperCase(char c) {
        return Character.isUpperCase(c);
    }
}
