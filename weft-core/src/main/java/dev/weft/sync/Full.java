package dev.weft.sync;

/** Thrown by a queue's non-waiting and timed puts when there is no room (gevent's {@code queue.Full}). */
public class Full extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A full-queue failure with {@code message}.
     *
     * @param message the detail message: what was full (the queue's or pool's
     *     {@code toString()}) and whether a timeout passed
     */
    public Full(String message) {
        super(message);
    }
}
