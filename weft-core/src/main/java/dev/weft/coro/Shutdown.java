package dev.weft.coro;

import dev.weft.GreenletExit;

/**
 * Shrapnel's {@code Shutdown}: raised in a greenlet by {@link dev.weft.Greenlet#shutdown()}. A
 * {@link GreenletExit}, so a greenlet that dies of it dies quietly: successful, not reported.
 */
public class Shutdown extends GreenletExit {
    private static final long serialVersionUID = 1L;

    /** A shutdown without a message. */
    public Shutdown() {
        super("shutdown");
    }

    /**
     * A shutdown with a message.
     *
     * @param message why; may be null
     */
    public Shutdown(String message) {
        super(message);
    }
}
