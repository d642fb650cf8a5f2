package org.capeval.autograd;

import java.util.function.Supplier;

/**
 * Whether ops record a graph, per thread (Spark runs several tasks per JVM). Use
 * {@code try (var s = GradMode.noGrad()) { ... }} or {@link #noGrad(Supplier)} like torch.no_grad().
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Global switch for this thread, like torch.set_grad_enabled(flag). */
    public static void setEnabled(boolean enabled) {
        ENABLED.get()[0] = enabled;
    }

    /** A scope restoring the previous mode on close. */
    public static final class Scope implements AutoCloseable {
        private final boolean previous;

        private Scope(boolean enabled) {
            previous = isEnabled();
            setEnabled(enabled);
        }

        @Override
        public void close() {
            setEnabled(previous);
        }
    }

    public static Scope noGrad() {
        return new Scope(false);
    }

    public static Scope enableGrad() {
        return new Scope(true);
    }

    public static Scope set(boolean enabled) {
        return new Scope(enabled);
    }

    public static <T> T noGrad(Supplier<T> body) {
        try (Scope s = noGrad()) {
            return body.get();
        }
    }

    public static void noGrad(Runnable body) {
        try (Scope s = noGrad()) {
            body.run();
        }
    }
}
