package org.capeval.jobs.train;

/** Training produced a non-finite loss or gradient; the message says where and what to do. */
public final class DivergedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DivergedException(String message) {
        super(message);
    }
}
