package dev.weft.internal;

import dev.weft.Interrupted;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Shrapnel's hand scheduling on top of the waiting core: a greenlet suspends itself
 * ({@code Coro.suspend()}) on a {@link SuspendWaiter}, and {@code resume(value)} or
 * {@code raiseException(exc)} completes that waiter — and only that one: a greenlet parked in any
 * other primitive is not suspended, so a resume can never steal another primitive's wake-up.
 *
 * <h2>Overview (for maintainers)</h2>
 * The waiter is decided once, by the waiting core's CAS (ARCHITECTURE §3): a resume or a raise
 * completes it with a {@link Resumption}; a kill or a Timeout cancels it (the suspended greenlet
 * then throws that signal, and a later resume finds the waiter decided: {@code ScheduleError}).
 * Shrapnel lets {@code raise_exception(force=True)} replace a resume that is pending, so the
 * {@link Resumption} keeps one more CAS-guarded word, {@code payload}:
 * <pre>
 *   value | Raise ──force raise──▶ Raise      the resume is replaced (before the greenlet runs)
 *   value | Raise ──the greenlet wakes──▶ TAKEN   too late to replace: the greenlet is running
 * </pre>
 * Tests: coro/SuspendResumeTest (the single-behaviour cases) and coro/ScheduleRaceTest (resume
 * vs raise vs kill over many seeds of the simulated hub).
 */
public final class Suspension {
    private Suspension() {}

    /** What a suspended greenlet is parked on, for dumps: {@code waitingOn()} shows it. */
    public static final String BLOCKER = "suspend (Coro.suspend, waiting for resume)";

    /** The waiter of a greenlet suspended in {@code Coro.suspend()}. */
    public static final class SuspendWaiter extends Waiter {
        SuspendWaiter(Strand s) {
            super(s, false, BLOCKER);
        }
    }

    /** An exception to raise instead of a value. */
    private record Raise(Throwable exception) {}

    /** The hand-over of a resume or a raise, replaceable until the greenlet takes it. */
    static final class Resumption {
        volatile Object payload; // a value, a Raise, or TAKEN

        Resumption(Object payload) {
            this.payload = payload;
        }

        /** Replaces the payload unless taken already. */
        boolean replace(Object next) {
            for (;;) {
                Object p = payload;
                if (p == TAKEN) return false;
                if (PAYLOAD.compareAndSet(this, p, next)) return true;
            }
        }

        Object take() {
            return PAYLOAD.getAndSet(this, TAKEN);
        }
    }

    private static final Object TAKEN = new Object();

    /** Outcome of {@link #resume} and {@link #raise}. */
    public enum Result {
        /** Done: the greenlet will wake with it. */
        DELIVERED,
        /** The greenlet is not suspended in {@code Coro.suspend()} (running, parked elsewhere, or its suspension was decided by a kill). */
        NOT_SUSPENDED,
        /** A resume (or raise) is pending already and was not replaced. */
        ALREADY_SCHEDULED
    }

    /**
     * Parks {@code me} (the current thread's strand) until resumed; returns the value or throws
     * the exception it was resumed with. A kill or an expired Timeout ends the suspension like any
     * weft wait (thrown here); then a resume that comes later finds it not suspended.
     */
    public static Object suspend(Strand me) {
        SuspendWaiter w = new SuspendWaiter(me);
        w.await(Waiter.NO_DEADLINE); // untimed: returns only when a resume or raise completed it
        Object p = ((Resumption) w.value()).take();
        if (p instanceof Raise r) {
            Throwable t = r.exception();
            if (t instanceof Interrupted) t.fillInStackTrace(); // its trace is where it was delivered
            throw SignalQueue.sneakyThrow(t);
        }
        return p;
    }

    /** True while {@code s} is parked in {@code Coro.suspend()}, whether or not a resume is pending. */
    public static boolean isSuspended(Strand s) {
        return s.parkedOn instanceof SuspendWaiter;
    }

    /** Hands {@code value} to {@code s} if it is suspended and nothing is pending. */
    public static Result resume(Strand s, Object value) {
        if (!(s.parkedOn instanceof SuspendWaiter w)) return Result.NOT_SUSPENDED;
        if (w.offer(new Resumption(value))) return Result.DELIVERED;
        return w.isCancelled() ? Result.NOT_SUSPENDED : Result.ALREADY_SCHEDULED;
    }

    /**
     * Schedules {@code s}, if suspended, to wake with {@code exception}: completes its pending
     * suspension, or, with {@code force}, replaces a resume that is pending and not yet taken.
     */
    public static Result raise(Strand s, Throwable exception, boolean force) {
        if (!(s.parkedOn instanceof SuspendWaiter w)) return Result.NOT_SUSPENDED;
        Raise r = new Raise(exception);
        if (w.offer(new Resumption(r))) return Result.DELIVERED;
        if (w.isCancelled()) return Result.NOT_SUSPENDED;
        if (!force) return Result.ALREADY_SCHEDULED;
        return ((Resumption) w.value()).replace(r) ? Result.DELIVERED : Result.NOT_SUSPENDED;
    }

    // VarHandle mechanics
    private static final VarHandle PAYLOAD;

    static {
        try {
            PAYLOAD = MethodHandles.lookup().findVarHandle(Resumption.class, "payload", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
