package dev.weft.cluster;

/**
 * A failure of a remote task that could not travel as itself: its exception did not serialise
 * on the member, or did not deserialise here (its class is not on the allow-list, or not on the
 * class path). The message is the original's class name and message; the stack trace is the
 * member's; the cause is a {@code RemoteFailure} for the original's cause, and so on down the
 * chain. When the exception did not deserialise here, the local reason is attached as a
 * suppressed exception. (Also used for engine failures, with a local message and cause.)
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
}
