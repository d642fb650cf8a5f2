package org.capeval.jobs.leaderboard;

/**
 * What a submission name may be. Names key the history table and may be used as file names by
 * whoever serves the leaderboard, so a name must be a single safe path component: no {@code /} or
 * {@code \}, no {@code ..}, no control or invisible format characters (which could also disguise one
 * name as another on the page).
 */
public final class SubmissionNames {
    static final int MAX_LENGTH = 120;

    private SubmissionNames() {}

    /** Why {@code name} is not acceptable, or null when it is. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) return "name is empty";
        if (name.length() > MAX_LENGTH) return "name is longer than " + MAX_LENGTH + " characters";
        if (!name.equals(name.strip())) return "name has leading or trailing white space";
        if (name.contains("..")) return "name contains '..'";
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            if (cp == '/' || cp == '\\') return "name contains '" + (char) cp + "'";
            String bad = invisible(cp);
            if (bad != null) return "name contains " + bad + " U+" + String.format("%04X", cp);
            i += Character.charCount(cp);
        }
        return null;
    }

    /** Why a free-text metadata field (team) is not acceptable, or null: no control characters. */
    public static String textProblem(String field, String value) {
        if (value == null || value.isBlank()) return field + " is empty";
        if (value.length() > 4 * MAX_LENGTH) return field + " is longer than " + 4 * MAX_LENGTH + " characters";
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            String bad = invisible(cp);
            if (bad != null) return field + " contains " + bad + " U+" + String.format("%04X", cp);
            i += Character.charCount(cp);
        }
        return null;
    }

    private static String invisible(int cp) {
        return switch (Character.getType(cp)) {
            case Character.CONTROL -> "a control character";
            case Character.FORMAT -> "an invisible format character";
            case Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> "a line separator";
            case Character.UNASSIGNED, Character.SURROGATE, Character.PRIVATE_USE -> "an invalid character";
            default -> null;
        };
    }
}
