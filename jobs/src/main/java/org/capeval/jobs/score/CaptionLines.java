package org.capeval.jobs.score;

/**
 * The staging format between the driver's streaming JSON read and the executors: one record per
 * text line, fields separated by tabs, captions escaped so that no tab, CR or LF remains (Hadoop's
 * line reader splits on CR and LF).
 */
final class CaptionLines {
    private CaptionLines() {}

    static String escape(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            String rep = switch (c) {
                case '\\' -> "\\\\";
                case '\t' -> "\\t";
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                default -> null;
            };
            if (rep != null && b == null) {
                b = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (b != null) {
                if (rep != null) {
                    b.append(rep);
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? s : b.toString();
    }

    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                b.append(switch (n) {
                    case 't' -> '\t';
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    default -> n;
                });
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** "index \t imageId \t caption" */
    static String caption(long index, long imageId, String caption) {
        return index + "\t" + imageId + "\t" + escape(caption);
    }

    static long field(String line, int n) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            start = line.indexOf('\t', start) + 1;
        }
        int end = line.indexOf('\t', start);
        return Long.parseLong(end < 0 ? line.substring(start) : line.substring(start, end));
    }

    static String text(String line) {
        int t1 = line.indexOf('\t');
        int t2 = line.indexOf('\t', t1 + 1);
        return unescape(line.substring(t2 + 1));
    }
}
