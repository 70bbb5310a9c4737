package dev.weft;

/**
 * Thrown by {@link Hub#run} of a simulated hub when nothing could run, no timer was armed, and
 * greenlets were still waiting: its message names each of them and what it waited on (gevent's
 * {@code LoopExit}, made useful). The waiting greenlets are killed.
 */
public class DeadlockError extends Error {
    private static final long serialVersionUID = 1L;

    /**
     * A deadlock described by {@code message}.
     *
     * @param message the detail message: what the hub found, and each greenlet that waited with
     *     what it waited on
     */
    public DeadlockError(String message) {
        super(message);
    }
}
