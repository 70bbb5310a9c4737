package dev.weft;

/**
 * Something that can be handed an outcome: a value or an exception (proc.py's receivers). An
 * {@code AsyncResult} is one, so a greenlet can deliver its end into it.
 *
 * @param <T> the type of value received
 */
public interface Receiver<T> {
    /**
     * Hands over a value.
     *
     * @param value the value; may be null (a greenlet killed by a {@link GreenletExit} sends null)
     */
    void send(T value);

    /**
     * Hands over an exception.
     *
     * @param error the very exception (a checked one is not wrapped); never a
     *     {@link GreenletExit} when a greenlet sends it
     */
    void sendException(Throwable error);
}
