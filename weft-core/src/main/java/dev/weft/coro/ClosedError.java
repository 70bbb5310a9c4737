package dev.weft.coro;

/**
 * Shrapnel's {@code ClosedError}: another greenlet closed the descriptor (socket, channel) this
 * one was using or waiting on. weft has no socket wrappers of its own, so nothing in weft throws
 * it yet; it is here for code ported from Shrapnel. weft's queues raise
 * {@link dev.weft.sync.QueueClosedException}, which is not a subtype of it.
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
