package dev.weft;

/**
 * Something that can be handed an outcome: a value or an exception (proc.py's receivers). An
 * {@code AsyncResult} is one, so a greenlet can deliver its end into it.
 *
 * @param <T> the type of value received
 */
public interface Receiver<T> {
    /** Hands over a value. */
    void send(T value);

    /** Hands over an exception. */
    void sendException(Throwable error);
}
