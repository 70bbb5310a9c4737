package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The lock every weft primitive guards its few fields with, instead of a monitor.
 *
 * <p>Why not {@code synchronized}: since JDK 24 a virtual thread blocked on a contended monitor
 * unmounts, so on a cooperative hub another greenlet would run in the middle of a non-blocking
 * call such as {@code Event.set()} whenever a thread outside the hub held the same monitor — a
 * switch where gevent never switches. A spin lock never unmounts: on a single carrier the waiter
 * spins (the holder runs on another OS thread, for a few instructions: critical sections here
 * never block, park or unpark); elsewhere it yields only after thousands of spins.
 *
 * <p>Not reentrant. Subclassed by {@link NodeList} (one int, no extra object per list).
 */
public class SpinLock {
    /**
     * How many spins between yields on a parallel hub: critical sections are a few instructions,
     * so a yield is for a descheduled holder only. Yielding after 64 spins (as first written)
     * put the Queue ping-pong into a slow mode (~3.4x) measured in PingPongBench.
     */
    private static final int YIELD_EVERY = 1 << 12;

    private volatile int locked;

    /** A new, free lock. */
    public SpinLock() {}

    /** Takes the lock, spinning (never unmounting on a single-carrier hub). */
    public final void lock() {
        if (!LOCKED.weakCompareAndSetAcquire(this, 0, 1)) contended();
    }

    /** Releases the lock; the caller must hold it. */
    public final void unlock() {
        LOCKED.setRelease(this, 0);
    }

    private void contended() {
        int spins = 0;
        Boolean mayYield = null;
        for (;;) {
            if (locked == 0 && LOCKED.weakCompareAndSetAcquire(this, 0, 1)) return;
            Thread.onSpinWait();
            if ((++spins & (YIELD_EVERY - 1)) != 0) continue;
            // held this long, its holder's OS thread was probably descheduled: let others run
            // (never on a single carrier, where a yield would be a switch)
            if (mayYield == null) mayYield = !onSingleCarrier();
            if (mayYield) Thread.yield();
        }
    }

    /** True on a greenlet of a single-carrier hub, where a yield would be a switch. */
    private static boolean onSingleCarrier() {
        Thread t = Thread.currentThread();
        return t.isVirtual() && !dev.weft.Greenlet.current().hub().isParallelScheduler();
    }

    // VarHandle mechanics
    private static final VarHandle LOCKED;

    static {
        try {
            LOCKED = MethodHandles.lookup().findVarHandle(SpinLock.class, "locked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
