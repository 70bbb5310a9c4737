package dev.weft.sync;

/** Thrown by a queue's non-waiting and timed gets when there is no item (gevent's {@code queue.Empty}). */
public class Empty extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * An empty-queue failure with {@code message}.
     *
     * @param message the detail message: what was empty (the queue's {@code toString()}) and
     *     whether a timeout passed
     */
    public Empty(String message) {
        super(message);
    }
}
