package org.capeval.jobs.leaderboard.html;

/** Escaping for text placed in HTML/SVG element content and quoted attribute values. */
public final class Html {
    private Html() {}

    /**
     * Escapes {@code & < > " '} so any string is shown as text, never parsed as markup, and shows
     * every invisible character as its code: control characters, format characters (bidi overrides
     * such as U+202E, zero-width characters), line and paragraph separators, unassigned, private-use
     * and lone surrogate code points become {@code \u202E} (or {@code \U000E0001} beyond the BMP),
     * so a rejected submission name cannot reorder or hide text on the page. Null → "".
     */
    public static String escape(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            switch (cp) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> {
                    if (invisible(cp)) {
                        b.append(cp <= 0xFFFF ? String.format("\\u%04X", cp) : String.format("\\U%08X", cp));
                    } else {
                        b.appendCodePoint(cp);
                    }
                }
            }
        }
        return b.toString();
    }

    /** Characters that show nothing of themselves, or change how the text around them is shown. */
    static boolean invisible(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.UNASSIGNED, Character.SURROGATE, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }
}
