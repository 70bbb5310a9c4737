package dev.weft.cluster;

/**
 * A failure of a remote task that could not travel as itself: its exception did not serialise
 * on the member, or did not deserialise here (its class is not on the allow-list, or not on the
 * class path). The message names the original class and message; the stack trace is the
 * member's.
 */
public class RemoteFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A failure with a message and a cause (null if none).
     *
     * @param message what happened
     * @param cause the local cause, or null
     */
    public RemoteFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** The stand-in for {@code error}: its class, message and stack trace, without its fields. */
    static RemoteFailure of(Throwable error) {
        RemoteFailure f = new RemoteFailure(error.getClass().getName() + ": " + error.getMessage(), null);
        f.setStackTrace(error.getStackTrace());
        return f;
    }
}
