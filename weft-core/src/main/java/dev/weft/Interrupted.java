package dev.weft;

/**
 * The base of everything weft delivers into a greenlet: {@link GreenletExit} (a kill),
 * {@link Timeout}, and the linked-exit and Shrapnel exceptions that build on them (Shrapnel's
 * {@code coro.Interrupted}).
 *
 * <p>It extends {@link Error}, like the JDK's old {@code ThreadDeath}, so that a
 * {@code catch (Exception e)} in user code never swallows a kill or a timeout, and a lambda can
 * still throw one. Catch it only to clean up, and rethrow.
 *
 * <p>Creating one is cheap: the stack trace is not captured when it is constructed but when weft
 * delivers it into a greenlet (at the blocking point where it is thrown), or when
 * {@link #fillInStackTrace()} is called explicitly.
 */
public class Interrupted extends Error {
    private static final long serialVersionUID = 1L;

    private transient boolean constructed;

    /** An interruption without a message. */
    public Interrupted() {
        this(null, null);
    }

    /**
     * An interruption with a message.
     *
     * @param message the detail message; may be null
     */
    public Interrupted(String message) {
        this(message, null);
    }

    /**
     * An interruption with a message and a cause.
     *
     * @param message the detail message; may be null
     * @param cause what led to it, returned by {@link #getCause()}; may be null
     */
    public Interrupted(String message, Throwable cause) {
        super(message, cause, true, true);
        constructed = true;
    }

    /**
     * Captures the current stack; skipped while the object is being constructed, so that
     * creating a signal costs no stack walk. weft calls it when it delivers the signal.
     */
    @Override
    public Throwable fillInStackTrace() {
        return constructed ? super.fillInStackTrace() : this;
    }
}
