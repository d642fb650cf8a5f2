package org.capeval.jobs.leaderboard;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The column layout of the history table, shared by the Parquet and CSV files: fixed descriptive
 * columns, then per metric key {@code <key>}, {@code rank_<key>} and, when tested,
 * {@code <key>_ci_low}, {@code <key>_ci_high}, {@code <key>_p_vs_leader}. Keys are ordered as COCO
 * prints them; keys of older nights that tonight lacks are kept (null where absent).
 */
public final class HistoryTable {
    public static final List<String> TEXT_COLUMNS =
            List.of("night", "name", "team", "submission_date", "source", "status", "error");
    public static final String N_IMAGES = "n_images";
    public static final String SIGNATURE = "signature";
    static final List<String> COCO_ORDER =
            List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "METEOR", "ROUGE_L", "CIDEr", "SPICE");
    static final String[] TEST_SUFFIXES = {"_ci_low", "_ci_high", "_p_vs_leader"};

    private HistoryTable() {}

    /** A column of the table: its name, and whether it is text, a count (long/int) or a double. */
    public record Column(String name, Kind kind) {}

    public enum Kind { TEXT, LONG, INT, DOUBLE }

    /** Metric keys present in the rows, in COCO order then alphabetical. */
    public static List<String> keys(List<HistoryRow> rows) {
        Set<String> present = new LinkedHashSet<>();
        for (HistoryRow r : rows) {
            for (String c : r.numbers().keySet()) if (!isTestColumn(c)) present.add(c);
            present.addAll(r.ranks().keySet());
        }
        List<String> keys = new ArrayList<>();
        for (String k : COCO_ORDER) if (present.remove(k)) keys.add(k);
        present.stream().sorted().forEach(keys::add);
        return keys;
    }

    public static List<Column> columns(List<HistoryRow> rows) {
        List<Column> cols = new ArrayList<>();
        for (String t : TEXT_COLUMNS) cols.add(new Column(t, Kind.TEXT));
        cols.add(new Column(N_IMAGES, Kind.LONG));
        cols.add(new Column(SIGNATURE, Kind.TEXT));
        for (String key : keys(rows)) {
            cols.add(new Column(key, Kind.DOUBLE));
            cols.add(new Column("rank_" + key, Kind.INT));
            boolean tested = rows.stream().anyMatch(r -> r.numbers().containsKey(key + "_ci_low"));
            if (tested) for (String s : TEST_SUFFIXES) cols.add(new Column(key + s, Kind.DOUBLE));
        }
        return cols;
    }

    /** The value of a column in a row (String, Long, Integer, Double or null). */
    public static Object value(HistoryRow r, String column) {
        switch (column) {
            case "night": return r.night();
            case "name": return r.name();
            case "team": return r.team();
            case "submission_date": return r.submissionDate();
            case "source": return r.source();
            case "status": return r.status();
            case "error": return r.error();
            case N_IMAGES: return r.nImages();
            case SIGNATURE: return r.signature();
            default:
                if (column.startsWith("rank_")) return r.rank(column.substring(5));
                return r.number(column);
        }
    }

    static boolean isTestColumn(String c) {
        for (String s : TEST_SUFFIXES) if (c.endsWith(s)) return true;
        return false;
    }

    /**
     * RFC 4180 CSV with a header. Doubles are written with Java's shortest round-trip form. Text that
     * a spreadsheet would take for a formula (leading = + - @ or tab) gets a leading apostrophe, since
     * names and teams come from submitters.
     */
    public static void writeCsv(List<HistoryRow> rows, Writer out) throws IOException {
        List<Column> cols = columns(rows);
        for (int i = 0; i < cols.size(); i++) {
            if (i > 0) out.write(',');
            out.write(quote(cols.get(i).name()));
        }
        out.write("\r\n");
        for (HistoryRow r : rows) {
            for (int i = 0; i < cols.size(); i++) {
                if (i > 0) out.write(',');
                Object v = value(r, cols.get(i).name());
                if (v == null) continue;
                if (v instanceof String s) out.write(quote(defuse(s)));
                else out.write(v.toString());
            }
            out.write("\r\n");
        }
    }

    private static String defuse(String s) {
        return !s.isEmpty() && "=+-@\t\r".indexOf(s.charAt(0)) >= 0 ? "'" + s : s;
    }

    private static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
