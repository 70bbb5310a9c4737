package dev.weft.sync;

/**
 * Thrown by a put on a closed queue, and by a get on a closed queue that has been drained
 * (Shrapnel's {@code ClosedError}). Blocked getters and putters wake with it when the queue
 * closes.
 */
public class QueueClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * A closed-queue failure with {@code message}.
     *
     * @param message the detail message: which kind of queue is closed
     */
    public QueueClosedException(String message) {
        super(message);
    }
}
