package org.capeval.jobs.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import org.capeval.spice.score.SpiceImageScore;
import org.capeval.spice.score.TupleCategory;
import org.capeval.spice.score.TupleScore;

/**
 * {@code --format pycocoevalcap}: {@code DIR/pycocoevalcap.json}, the two structures pycocoevalcap's
 * {@code COCOEvalCap} fills, {@code {"eval": {metric: score}, "imgToEval": {"<image id>": {"image_id":
 * id, metric: score, ...}}}}, byte for byte as Python's {@code json.dump} of that dict writes them:
 * default separators, no indent, floats as Python's {@code repr}, image ids as keys in evaluation
 * order (pycocoevalcap's {@code params['image_id']} order), metric keys in pycocoevalcap's order (the
 * suite's: Bleu_1..4, METEOR, ROUGE_L, CIDEr, then SPICE with its per-image breakdown, see
 * {@link #writeSpice}). Per-image SPICE is keyed by its own image (pycocoevalcap zips SPICE's
 * sorted-id list with the unsorted ids, misassigning it). Written by both engines from the same
 * values, so their files are identical (SPICE runs on the Spark engine only); the Spark engine
 * streams the rows to the driver a partition at a time.
 */
final class PycocoevalcapJson {
    static final String FILE = "pycocoevalcap.json";
    static final String FORMAT = "pycocoevalcap";

    private PycocoevalcapJson() {}

    /** One evaluated image: its id, its values in the order of the keys, its SPICE breakdown or null. */
    record Row(long imageId, double[] values, SpiceImageScore spice) {
        Row(long imageId, double[] values) {
            this(imageId, values, null);
        }
    }

    /**
     * The per-image SPICE dict's categories and fields in the order pycocoevalcap's objects hold them:
     * spice.py keeps the order of spice-1.0.jar's output, which is a Java HashMap's iteration order
     * (json-simple objects) and which {@code json.load} keeps.
     */
    private static final List<TupleCategory> SPICE_CATEGORIES = List.of(TupleCategory.ALL, TupleCategory.RELATION,
            TupleCategory.CARDINALITY, TupleCategory.ATTRIBUTE, TupleCategory.SIZE, TupleCategory.COLOR, TupleCategory.OBJECT);

    /** Writes the file into the output's temporary directory (committed with the rest). */
    static void write(ScoreOutput output, ObjectNode evalJson, List<String> keys, Iterator<Row> rows) throws IOException {
        try (Writer w = new BufferedWriter(new OutputStreamWriter(
                output.create(FILE), StandardCharsets.UTF_8), 1 << 16)) {
            write(w, evalJson, keys, rows);
        }
    }

    static void write(Writer w, ObjectNode evalJson, List<String> keys, Iterator<Row> rows) throws IOException {
        w.write("{\"eval\": {");
        boolean first = true;
        for (Map.Entry<String, JsonNode> e : evalJson.get("eval").properties()) {
            w.write(first ? "\"" : ", \"");
            w.write(key(e.getKey()));
            w.write("\": ");
            w.write(pythonRepr(e.getValue().asDouble()));
            first = false;
        }
        w.write("}, \"imgToEval\": {");
        String[] quoted = keys.stream().map(k -> ", \"" + key(k) + "\": ").toArray(String[]::new);
        for (first = true; rows.hasNext(); first = false) {
            Row r = rows.next();
            String id = Long.toString(r.imageId());
            w.write(first ? "\"" : ", \"");
            w.write(id);
            w.write("\": {\"image_id\": ");
            w.write(id);
            for (int k = 0; k < quoted.length; k++) {
                w.write(quoted[k]);
                w.write(pythonRepr(r.values()[k]));
            }
            if (r.spice() != null) {
                writeSpice(w, r.spice());
            }
            w.write('}');
        }
        w.write("}}");
    }

    /**
     * {@code , "SPICE": {"All": {"pr": .., "re": .., "f": .., "fn": .., "numImages": 1.0, "fp": .., "tp": ..}, ...}}:
     * every value a float, as spice.py converts them (undefined precision, recall and F, which
     * spice-1.0.jar writes as null, become NaN, and json.dump writes {@code NaN}); numImages is 1 for
     * one image. Keys in {@link #SPICE_CATEGORIES}' order, fields in the jar's (HashMap) order.
     */
    private static void writeSpice(Writer w, SpiceImageScore s) throws IOException {
        w.write(", \"SPICE\": {");
        boolean first = true;
        for (TupleCategory c : SPICE_CATEGORIES) {
            TupleScore t = s.get(c);
            w.write(first ? "\"" : ", \"");
            w.write(key(c.label()));
            w.write("\": {\"pr\": " + pythonRepr(t.precision()) + ", \"re\": " + pythonRepr(t.recall())
                    + ", \"f\": " + pythonRepr(t.f()) + ", \"fn\": " + pythonRepr(t.fn()) + ", \"numImages\": 1.0, \"fp\": "
                    + pythonRepr(t.fp()) + ", \"tp\": " + pythonRepr(t.tp()) + "}");
            first = false;
        }
        w.write('}');
    }

    /** A metric key as a JSON string body: our keys are plain ASCII names, which need no escaping. */
    private static String key(String k) {
        if (!k.matches("[A-Za-z0-9_]+")) {
            throw new IllegalArgumentException("metric key needs JSON escaping: " + k);
        }
        return k;
    }

    /**
     * Python's {@code repr(float)} (what {@code json.dump} writes): the shortest decimal that reads
     * back as {@code v} (the closest such when several), fixed notation for exponents -4..15
     * ({@code 0.0001}, {@code 1234.5}, {@code 1.0}), otherwise {@code 1e-05}, {@code 4.3472087184946525e-05},
     * {@code 1e+16}; {@code NaN}, {@code Infinity}, {@code -Infinity} as {@code json.dump} writes them.
     */
    static String pythonRepr(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0.0" : "0.0";
        }
        // Schubfach (Jackson's port of the JDK 19 algorithm): shortest round-trip digits, except
        // that it gives two digits where one would do but a two-digit decimal is closer (4.9E-324)
        BigDecimal d = new BigDecimal(com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal.toString(Math.abs(v)))
                .stripTrailingZeros();
        if (d.precision() == 2) {
            d = oneDigit(Math.abs(v), d);
        }
        String digits = d.unscaledValue().toString();
        int decpt = digits.length() - d.scale(); // v = 0.DIGITS x 10^decpt
        StringBuilder s = new StringBuilder(v < 0 ? "-" : "");
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                s.append("0.").append("0".repeat(-decpt)).append(digits);
            } else if (decpt < digits.length()) {
                s.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
            } else {
                s.append(digits).append("0".repeat(decpt - digits.length())).append(".0");
            }
        } else {
            s.append(digits.charAt(0));
            if (digits.length() > 1) {
                s.append('.').append(digits, 1, digits.length());
            }
            int exp = decpt - 1;
            s.append(exp < 0 ? "e-" : "e+");
            if (Math.abs(exp) < 10) {
                s.append('0');
            }
            s.append(Math.abs(exp));
        }
        return s.toString();
    }

    /** A one-digit decimal reading back as {@code v} (the closer of the two neighbours), else {@code twoDigits}. */
    private static BigDecimal oneDigit(double v, BigDecimal twoDigits) {
        BigDecimal exact = new BigDecimal(v);
        BigDecimal best = null;
        for (RoundingMode mode : new RoundingMode[] {RoundingMode.FLOOR, RoundingMode.CEILING}) {
            BigDecimal c = exact.round(new MathContext(1, mode));
            if (c.doubleValue() == v && (best == null || c.subtract(exact).abs().compareTo(best.subtract(exact).abs()) < 0)) {
                best = c;
            }
        }
        return best == null ? twoDigits : best.stripTrailingZeros();
    }

    /** The rows of ranges of images (a Spark engine's partitions, in order), one range in memory at a time. */
    static <R> Iterator<Row> rows(Iterator<R> ranges, Function<R, long[]> ids, Function<R, double[][]> values) {
        return new Iterator<>() {
            private long[] rangeIds = new long[0];
            private double[][] rangeValues;
            private int i;

            @Override
            public boolean hasNext() {
                while (i == rangeIds.length && ranges.hasNext()) {
                    R r = ranges.next();
                    rangeIds = ids.apply(r);
                    rangeValues = values.apply(r);
                    i = 0;
                }
                return i < rangeIds.length;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row row = new Row(rangeIds[i], rangeValues[i]);
                i++;
                return row;
            }
        };
    }
}
