package dev.weft;

/**
 * Thrown by {@code get()} when the task failed with a checked exception, which weft never
 * declares: the original is the {@linkplain #getCause() cause} (and is what
 * {@code exception()} returns). An unchecked failure is rethrown as the very instance instead.
 */
public class GreenletFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * Wraps {@code cause}, the checked exception the task ended with.
     *
     * @param cause the original exception, returned by {@link #getCause()}; its
     *     {@code toString()} is this exception's message (null for a null cause)
     */
    public GreenletFailure(Throwable cause) {
        super(cause == null ? null : cause.toString(), cause);
    }
}
