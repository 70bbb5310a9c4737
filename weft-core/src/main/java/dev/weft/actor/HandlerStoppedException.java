package dev.weft.actor;

/**
 * A call could not be processed because its handler stopped: the greenlet started by
 * {@link DeferredCallHandler#spawnProcessing()} ended (calls waiting then fail with this, and
 * later calls fail at once), or the greenlet processing a {@code sync} call was killed or
 * timed out while it ran the call. The cause is what ended the handler: its failure, the kill
 * or {@code Timeout} that stopped it, or null if it ended normally (after
 * {@link DeferredCallHandler#stopProcessing()}).
 */
public class HandlerStoppedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * A new exception.
     *
     * @param message what stopped and which call it ends
     * @param cause what ended the handler (its failure, a kill, a timeout), or null
     */
    public HandlerStoppedException(String message, Throwable cause) {
        super(message, cause);
    }
}
