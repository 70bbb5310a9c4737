package dev.weft.coro;

/**
 * Shrapnel's {@code DeadCoroutine}: an attempt to resume, or raise an exception in, a greenlet
 * that has finished. A {@link ScheduleError}, thrown at the call site.
 */
public class DeadCoroutineError extends ScheduleError {
    private static final long serialVersionUID = 1L;

    /**
     * A dead-coroutine error with a message.
     *
     * @param message which greenlet, and what was attempted
     */
    public DeadCoroutineError(String message) {
        super(message);
    }
}
