package dev.weft.coro;

/**
 * Shrapnel's {@code NotStartedError}: {@link dev.weft.Greenlet#raiseException(Throwable, boolean,
 * boolean) raiseException} on a greenlet whose body has not begun, without {@code cancelStart}.
 * A {@link ScheduleError}, thrown at the call site.
 */
public class NotStartedError extends ScheduleError {
    private static final long serialVersionUID = 1L;

    /**
     * A not-started error with a message.
     *
     * @param message which greenlet
     */
    public NotStartedError(String message) {
        super(message);
    }
}
