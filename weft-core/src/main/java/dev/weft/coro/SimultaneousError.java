package dev.weft.coro;

import dev.weft.Greenlet;

/**
 * Shrapnel's {@code SimultaneousError}: two greenlets attempted a conflicting blocking operation,
 * such as {@link Coro#waitpid(long)} on the same process. Thrown at the call site of the second.
 */
public class SimultaneousError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Greenlet<?> greenlet;
    private final transient Greenlet<?> other;
    private final transient Object event;

    /**
     * A simultaneous error.
     *
     * @param greenlet the greenlet that tried to block
     * @param other the greenlet already blocked on {@code event}
     * @param event what both wanted to wait on (for {@code waitpid}, the pid)
     */
    public SimultaneousError(Greenlet<?> greenlet, Greenlet<?> other, Object event) {
        super(greenlet + " cannot wait on " + event + ": " + other + " already waits on it");
        this.greenlet = greenlet;
        this.other = other;
        this.event = event;
    }

    /**
     * The greenlet that tried to block (Shrapnel's {@code co}).
     *
     * @return the second waiter
     */
    public Greenlet<?> greenlet() {
        return greenlet;
    }

    /**
     * The greenlet already waiting (Shrapnel's {@code other}).
     *
     * @return the first waiter
     */
    public Greenlet<?> other() {
        return other;
    }

    /**
     * What both wanted to wait on (Shrapnel's {@code event}).
     *
     * @return for {@code waitpid}, the pid as a {@code Long}
     */
    public Object event() {
        return event;
    }
}
