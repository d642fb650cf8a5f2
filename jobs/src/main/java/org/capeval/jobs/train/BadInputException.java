package org.capeval.jobs.train;

/** Training data that cannot be used; the message names the file, the record and the field. */
public final class BadInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public BadInputException(String message) {
        super(message);
    }

    /** Finds a BadInputException in a cause chain (Spark wraps executor exceptions), or null. */
    public static BadInputException find(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof BadInputException b) {
                return b;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }
}
