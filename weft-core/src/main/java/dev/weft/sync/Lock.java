package dev.weft.sync;

import dev.weft.Greenlet;
import dev.weft.internal.Node;
import dev.weft.internal.NodeList;
import dev.weft.internal.Selfish;
import dev.weft.internal.Strand;
import dev.weft.internal.Waiter;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * A reentrant, owner-checked mutual-exclusion lock for greenlets (Shrapnel's {@code mutex}).
 *
 * <ul>
 * <li>{@link #lock()} waits as long as it takes and returns nothing; {@link #lock(Duration)}
 *     returns whether the caller now holds it (ADR 4: Shrapnel's "had to wait" answer is
 *     gone);</li>
 * <li>the owner may lock again; each lock needs its unlock;</li>
 * <li>{@link #unlock()} by a greenlet that does not own it, or of a free lock, is an
 *     {@link IllegalMonitorStateException};</li>
 * <li>the last unlock hands ownership straight to the first waiter (FIFO, no barging); a waiter
 *     that timed out, or was killed before the unlock, is skipped, and never ends up owning the
 *     lock (a kill decides a parked wait at once: ADR 10).</li>
 * </ul>
 * The owner is the calling greenlet ({@link Greenlet#current()}), so a thread weft did not start
 * can use it too. {@link #asJavaLock()} gives a {@link java.util.concurrent.locks.Lock} view.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class Lock {
    private final NodeList waiters = new NodeList(); // its lock (a SpinLock, not a monitor) guards owner and holds
    private Strand owner;
    private int holds;

    /** A new, free lock. */
    public Lock() {}

    /**
     * Takes the lock, waiting as long as it takes (ADR 4: an untimed wait for a condition returns
     * nothing; Shrapnel's "had to wait" answer is gone).
     *
     * @throws CancellationException on a thread weft did not start, if another thread interrupts
     *     it while it waits (its interrupt status is set again; it does not hold the lock)
     */
    public void lock() {
        Selfish.act(); // Shrapnel's selfish acts: may yield first, before anything happened
        Greenlet<?> me = Greenlet.current();
        Waiter w;
        waiters.lock();
        try {
            if (takeLocked(me)) return;
            w = new Waiter(me, false, this);
            waiters.addGuarded(w);
        } finally {
            waiters.unlock();
        }
        waiters.await(w, Waiter.NO_DEADLINE); // no deadline: returns only with the lock handed over
    }

    /**
     * Takes the lock, waiting at most {@code timeout} ({@code null}: no limit).
     *
     * @param timeout at most this long, on the caller's hub clock; {@code null}: no limit
     * @return true if the caller now holds it (one more hold if it held it already); false if
     *     {@code timeout} passed first, and then it does not
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws CancellationException on a thread weft did not start, if another thread interrupts
     *     it while it waits (its interrupt status is set again; it does not hold the lock)
     */
    public boolean lock(Duration timeout) {
        Selfish.act();
        Greenlet<?> me = Greenlet.current();
        long deadline = Waiter.deadline(me, timeout);
        Waiter w;
        waiters.lock();
        try {
            if (takeLocked(me)) return true;
            w = new Waiter(me, false, this);
            waiters.addGuarded(w);
        } finally {
            waiters.unlock();
        }
        boolean ok = waiters.await(w, deadline);
        return ok;
    }

    /**
     * Takes the lock if it is free (or held by the caller); never waits.
     *
     * @return true if the caller now holds it (one more hold if it held it already); false if
     *     another greenlet holds it or waits for it (no barging)
     */
    public boolean tryLock() {
        Greenlet<?> me = Greenlet.current();
        waiters.lock();
        try {
            return takeLocked(me);
        } finally {
            waiters.unlock();
        }
    }

    private boolean takeLocked(Strand me) {
        if (owner == me) {
            holds++;
            return true;
        }
        if (owner == null && !waiters.hasPendingGuarded()) {
            owner = me;
            holds = 1;
            return true;
        }
        return false;
    }

    /**
     * Releases one hold; the last one hands the lock to the first waiter.
     *
     * @throws IllegalMonitorStateException if the caller does not hold the lock
     */
    public void unlock() {
        Greenlet<?> me = Greenlet.current();
        Waiter next = null;
        waiters.lock();
        try {
            if (owner != me) {
                throw new IllegalMonitorStateException(owner == null ? "unlock of a free lock"
                        : me.name() + " does not hold this lock");
            }
            if (--holds > 0) return;
            owner = null;
            Node n;
            while ((n = waiters.pollGuarded()) != null) {
                Waiter w = (Waiter) n;
                if (w.claim(Boolean.TRUE)) { // ownership moves in the same step
                    owner = w.strand();
                    holds = 1;
                    next = w;
                    break;
                }
            }
        } finally {
            waiters.unlock();
        }
        if (next != null) next.wake();
    }

    /**
     * True if some greenlet holds the lock.
     *
     * @return true if held, by the caller or another greenlet; a snapshot
     */
    public boolean isLocked() {
        waiters.lock();
        try {
            return owner != null;
        } finally {
            waiters.unlock();
        }
    }

    /**
     * True if the calling greenlet holds the lock.
     *
     * @return true if the caller holds it ({@link #holdCount()} &gt; 0)
     */
    public boolean isHeldByCurrent() {
        Greenlet<?> me = Greenlet.current();
        waiters.lock();
        try {
            return owner == me;
        } finally {
            waiters.unlock();
        }
    }

    /**
     * How many times the caller holds it (0 if not).
     *
     * @return the caller's holds: its locks not yet matched by an unlock; 0 if it does not hold
     *     it
     */
    public int holdCount() {
        Greenlet<?> me = Greenlet.current();
        waiters.lock();
        try {
            return owner == me ? holds : 0;
        } finally {
            waiters.unlock();
        }
    }

    /**
     * The number of greenlets waiting for the lock.
     *
     * @return the waiters queued now (those that timed out or were killed not counted)
     */
    public int waiting() {
        return waiters.pendingCount();
    }

    /**
     * This lock as a {@link java.util.concurrent.locks.Lock}, with that interface's contract:
     *
     * <ul>
     * <li>{@code lock()} is void and waits until it holds the lock: an interrupt does not end the
     *     wait, and the interrupt status is set when it returns (as {@code ReentrantLock} does; on
     *     an interrupt while waiting, the caller queues again, behind those who came meanwhile);</li>
     * <li>{@code lockInterruptibly()} and {@code tryLock(time, unit)} throw
     *     {@link InterruptedException} (and clear the status) if the calling thread is interrupted
     *     before they start — even if the lock is free, even with a time of zero — or while they
     *     wait; {@code tryLock(time, unit)} with a time of zero or less does not wait;</li>
     * <li>{@code tryLock()} never waits and never barges past a waiter;</li>
     * <li>{@code unlock()} by a caller that does not hold it throws
     *     {@link IllegalMonitorStateException};</li>
     * <li>{@code newCondition()} throws {@link UnsupportedOperationException}: weft's
     *     {@link ConditionVariable} has no associated lock (Shrapnel's design), and a
     *     {@code Condition} bound to this lock is not provided.</li>
     * </ul>
     * The interrupt rules are those of a thread weft did not start. Inside a greenlet, every
     * method is a blocking point where a kill or a {@link dev.weft.Timeout} aimed at it is thrown
     * as itself (also out of {@code lock()}), and an interrupt that did not come from weft is a
     * kill (ARCHITECTURE §5). The owner is the calling greenlet, as for this lock's own methods.
     *
     * @return a new view on each call; it holds no state of its own (views of one lock agree)
     */
    public java.util.concurrent.locks.Lock asJavaLock() {
        return new java.util.concurrent.locks.Lock() {
            @Override
            public void lock() {
                boolean interrupted = false;
                try {
                    for (;;) {
                        try {
                            Lock.this.lock();
                            return;
                        } catch (CancellationException e) { // a thread weft did not start, interrupted
                            if (!Thread.interrupted()) throw e;
                            interrupted = true; // keep waiting, with the status clear meanwhile
                        }
                    }
                } finally {
                    if (interrupted) Thread.currentThread().interrupt();
                }
            }

            @Override
            public void lockInterruptibly() throws InterruptedException {
                BlockingQueueView.checkInterrupt();
                try {
                    Lock.this.lock();
                } catch (CancellationException e) {
                    throw BlockingQueueView.interrupted(e);
                }
            }

            @Override
            public boolean tryLock() {
                return Lock.this.tryLock();
            }

            @Override
            public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
                Duration limit = Duration.ofNanos(Math.max(0, unit.toNanos(time)));
                BlockingQueueView.checkInterrupt();
                try {
                    return Lock.this.lock(limit);
                } catch (CancellationException e) {
                    throw BlockingQueueView.interrupted(e);
                }
            }

            @Override
            public void unlock() {
                Lock.this.unlock();
            }

            /** @throws UnsupportedOperationException always: see {@link Lock#asJavaLock()} */
            @Override
            public Condition newCondition() {
                throw new UnsupportedOperationException(
                        "weft's Lock has no Condition; use dev.weft.sync.ConditionVariable");
            }

            @Override
            public String toString() {
                return "java.util.concurrent.locks.Lock view of " + Lock.this;
            }
        };
    }

    @Override
    public String toString() {
        waiters.lock();
        try {
            return "Lock[" + (owner == null ? "free" : "held x" + holds) + ", waiting=" + waiters.pendingCountGuarded() + "]";
        } finally {
            waiters.unlock();
        }
    }
}
