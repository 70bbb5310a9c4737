package dev.weft.coro;

/**
 * Shrapnel's {@code ScheduleError}: an attempt to schedule a greenlet that cannot be scheduled
 * now — {@link Coro#start} of one started already, {@link dev.weft.Greenlet#resume} of one that is
 * already scheduled, is the caller itself, or is not suspended in {@link Coro#suspend()} (it is
 * parked in another primitive, whose wake-up a resume must never steal), or
 * {@link dev.weft.Greenlet#raiseException(Throwable, boolean) raiseException} without
 * {@code force} on one with a wake-up pending.
 *
 * <p>It is thrown at the call site, to the caller: an ordinary unchecked exception, not a signal.
 */
public class ScheduleError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * A schedule error with a message.
     *
     * @param message what could not be scheduled, and why
     */
    public ScheduleError(String message) {
        super(message);
    }
}
