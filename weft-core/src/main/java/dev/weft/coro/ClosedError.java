package dev.weft.coro;

/**
 * Shrapnel's {@code ClosedError}: another greenlet closed the descriptor (socket, channel) this
 * one was using or waiting on. weft's own queues raise
 * {@link dev.weft.sync.QueueClosedException} instead; this is the name the socket wrappers use.
 */
public class ClosedError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A closed error with a message.
     *
     * @param message what was closed
     */
    public ClosedError(String message) {
        super(message);
    }
}
