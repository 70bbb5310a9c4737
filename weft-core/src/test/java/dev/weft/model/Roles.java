package dev.weft.model;

import dev.weft.Greenlet;
import dev.weft.internal.SignalQueue;
import java.util.function.BooleanSupplier;

/** Small pieces the models' roles share. */
final class Roles {
    private Roles() {}

    /** A signal for the models: unchecked, no stack trace (cheap to throw many times). */
    static final class Sig extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Sig(String name) {
            super(name, null, false, false);
        }
    }

    /** Spins until {@code condition} holds (the model checker switches threads in the loop). */
    static void await(BooleanSupplier condition) {
        while (!condition.getAsBoolean()) Thread.onSpinWait();
    }

    /**
     * At the end of a role on {@code me}'s thread: takes every signal still queued and clears the
     * thread's interrupt flag, so nothing is left for the next run on this (reused) thread.
     */
    static void drain(Greenlet<?> me) {
        while (SignalQueue.hasPending(me)) {
            try {
                SignalQueue.deliverPending(me);
            } catch (Throwable delivered) {
                // expected: each queued signal is thrown once
            }
        }
        Thread.interrupted();
    }

    /** Fails the run with {@code violation} if it is not null. */
    static void check(String violation) {
        if (violation != null) throw new AssertionError(violation);
    }
}
