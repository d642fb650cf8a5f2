package org.capeval.jobs.train;

import java.io.Serializable;

/**
 * Parses and checks one training row from text (LIBSVM or CSV) or from arrays (Parquet). A row
 * that cannot be used raises {@link BadInputException} naming the record ({@code where}) and the
 * field; nothing is skipped silently.
 */
public final class RowParser implements Serializable {
    private static final long serialVersionUID = 1L;

    /** A parsed row. (A class, not a record: Kryo, the jobs' serializer, cannot set a record's fields.) */
    public static final class Row implements Serializable {
        private static final long serialVersionUID = 1L;
        private final double[] features;
        private final double label;
        private final String error;

        public Row(double[] features, double label) {
            this(features, label, null);
        }

        private Row(double[] features, double label, String error) {
            this.features = features;
            this.label = label;
            this.error = error;
        }

        /**
         * A row that could not be used, carried as data: the readers end their partition with it
         * instead of failing the task, so the driver reports the first one in read order as one
         * line, without an executor's stack trace in the log.
         */
        public static Row failed(String message) {
            return new Row(null, Double.NaN, message);
        }

        /** The problem of a {@link #failed} row, else null. */
        public String error() {
            return error;
        }

        public double[] features() {
            return features;
        }

        public double label() {
            return label;
        }
    }

    private final ModelSpec spec;

    public RowParser(ModelSpec spec) {
        this.spec = spec;
    }

    /**
     * LIBSVM: {@code label index:value ...} with 1-based, increasing indices up to the model's
     * feature count; absent features are 0. Returns null for a blank or {@code #} comment line.
     */
    public Row libsvm(String line, String where) {
        String s = stripComment(line);
        if (s.isEmpty()) {
            return null;
        }
        String[] tok = s.split("\\s+");
        double label = number(tok[0], where, "label");
        int d = spec.numFeatures();
        double[] x = new double[d];
        int last = 0;
        for (int i = 1; i < tok.length; i++) {
            int colon = tok[i].indexOf(':');
            if (colon <= 0) {
                throw new BadInputException(where + ": field " + (i + 1) + " '" + tok[i] + "' is not index:value");
            }
            int idx;
            try {
                idx = Integer.parseInt(tok[i].substring(0, colon));
            } catch (NumberFormatException e) {
                throw new BadInputException(where + ": field " + (i + 1) + " '" + tok[i] + "' has a non-integer index");
            }
            if (idx < 1 || idx > d) {
                throw new BadInputException(where + ": feature index " + idx + " is outside 1.." + d
                        + " (the model " + spec + " has " + d + " features)");
            }
            if (idx <= last) {
                throw new BadInputException(where + ": feature index " + idx + " does not increase (after " + last + ")");
            }
            last = idx;
            x[idx - 1] = number(tok[i].substring(colon + 1), where, "feature " + idx);
        }
        return check(x, label, where);
    }

    /**
     * CSV: label first, then exactly the model's feature count of numbers. Returns null for a
     * blank or {@code #} comment line.
     */
    public Row csv(String line, String where) {
        String s = stripComment(line);
        if (s.isEmpty()) {
            return null;
        }
        String[] tok = s.split(",", -1);
        int d = spec.numFeatures();
        if (tok.length != d + 1) {
            throw new BadInputException(where + ": " + wrongCount(tok.length - 1) + " (CSV rows are: label, then the features)");
        }
        double label = number(tok[0].trim(), where, "label (column 1)");
        double[] x = new double[d];
        for (int j = 0; j < d; j++) {
            String field = "feature " + (j + 1) + " (column " + (j + 2) + ")";
            x[j] = number(tok[j + 1].trim(), where, field);
            if (!Double.isFinite(x[j])) {
                throw new BadInputException(where + ": " + field + " is " + x[j] + " (features must be finite)");
            }
        }
        return check(x, label, where);
    }

    /** A row's feature count that is not the model's. */
    private String wrongCount(int n) {
        return n + (n == 1 ? " feature" : " features") + ", but the model " + spec + " expects " + spec.numFeatures();
    }

    /** Checks a row read from Parquet (or built in code): feature count, finite values, label range. */
    public Row check(double[] x, double label, String where) {
        if (x.length != spec.numFeatures()) {
            throw new BadInputException(where + ": " + wrongCount(x.length));
        }
        for (int j = 0; j < x.length; j++) {
            if (!Double.isFinite(x[j])) {
                throw new BadInputException(where + ": feature " + (j + 1) + " is " + x[j] + " (features must be finite)");
            }
        }
        String why = spec.checkLabel(label);
        if (why != null) {
            throw new BadInputException(where + ": " + why);
        }
        return new Row(x, label);
    }

    private static String stripComment(String line) {
        String s = line.strip();
        return s.startsWith("#") ? "" : s;
    }

    private static double number(String tok, String where, String field) {
        try {
            return Double.parseDouble(tok);
        } catch (NumberFormatException e) {
            throw new BadInputException(where + ": " + field + " '" + tok + "' is not a number");
        }
    }
}
