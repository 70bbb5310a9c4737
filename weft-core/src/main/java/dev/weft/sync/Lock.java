package dev.weft.sync;

import dev.weft.Greenlet;
import dev.weft.internal.Node;
import dev.weft.internal.NodeList;
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
 * <li>{@link #lock()} returns whether it had to wait (Shrapnel's {@code lock()} does);</li>
 * <li>the owner may lock again; each lock needs its unlock;</li>
 * <li>{@link #unlock()} by a greenlet that does not own it, or of a free lock, is an
 *     {@link IllegalMonitorStateException};</li>
 * <li>the last unlock hands ownership straight to the first waiter (FIFO, no barging); a waiter
 *     that timed out or was killed is skipped, and never ends up owning the lock.</li>
 * </ul>
 * The owner is the calling greenlet ({@link Greenlet#current()}), so a thread weft did not start
 * can use it too. {@link #asJavaLock()} gives a {@link java.util.concurrent.locks.Lock} view.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class Lock {
    private final NodeList waiters = new NodeList(); // its monitor guards owner and holds
    private Strand owner;
    private int holds;

    /** A new, free lock. */
    public Lock() {}

    /**
     * Takes the lock, waiting as long as it takes.
     *
     * @return true if it had to wait, false if it was free (or held by the caller)
     */
    public boolean lock() {
        Greenlet<?> me = Greenlet.current();
        Waiter w;
        synchronized (waiters) {
            if (takeLocked(me)) return false;
            w = new Waiter(me, false, this);
            waiters.add(w);
        }
        waiters.await(w, Waiter.NO_DEADLINE); // no deadline: returns only with the lock handed over
        return true;
    }

    /**
     * Takes the lock, waiting at most {@code timeout} ({@code null}: no limit).
     *
     * @return true if the caller now holds it
     */
    public boolean lock(Duration timeout) {
        Greenlet<?> me = Greenlet.current();
        long deadline = Waiter.deadline(me, timeout);
        Waiter w;
        synchronized (waiters) {
            if (takeLocked(me)) return true;
            w = new Waiter(me, false, this);
            waiters.add(w);
        }
        boolean ok = waiters.await(w, deadline);
        return ok;
    }

    /** Takes the lock if it is free (or held by the caller); never waits. */
    public boolean tryLock() {
        Greenlet<?> me = Greenlet.current();
        synchronized (waiters) {
            return takeLocked(me);
        }
    }

    private boolean takeLocked(Strand me) {
        if (owner == me) {
            holds++;
            return true;
        }
        if (owner == null && !waiters.hasPending()) {
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
        synchronized (waiters) {
            if (owner != me) {
                throw new IllegalMonitorStateException(owner == null ? "unlock of a free lock"
                        : me.name() + " does not hold this lock");
            }
            if (--holds > 0) return;
            owner = null;
            Node n;
            while ((n = waiters.poll()) != null) {
                Waiter w = (Waiter) n;
                if (w.claim(Boolean.TRUE)) { // ownership moves in the same step
                    owner = w.strand();
                    holds = 1;
                    next = w;
                    break;
                }
            }
        }
        if (next != null) next.wake();
    }

    /** True if some greenlet holds the lock. */
    public boolean isLocked() {
        synchronized (waiters) {
            return owner != null;
        }
    }

    /** True if the calling greenlet holds the lock. */
    public boolean isHeldByCurrent() {
        Greenlet<?> me = Greenlet.current();
        synchronized (waiters) {
            return owner == me;
        }
    }

    /** How many times the caller holds it (0 if not). */
    public int holdCount() {
        Greenlet<?> me = Greenlet.current();
        synchronized (waiters) {
            return owner == me ? holds : 0;
        }
    }

    /** The number of greenlets waiting for the lock. */
    public int waiting() {
        return waiters.pendingCount();
    }

    /**
     * This lock as a {@link java.util.concurrent.locks.Lock}: {@code lock()} is void,
     * {@code lockInterruptibly} and the timed {@code tryLock} throw {@link InterruptedException}
     * when a thread weft did not start is interrupted. {@code newCondition} is not supported
     * (use {@link ConditionVariable}).
     */
    public java.util.concurrent.locks.Lock asJavaLock() {
        return new java.util.concurrent.locks.Lock() {
            @Override
            public void lock() {
                Lock.this.lock();
            }

            @Override
            public void lockInterruptibly() throws InterruptedException {
                try {
                    Lock.this.lock();
                } catch (CancellationException e) {
                    if (Thread.interrupted()) throw new InterruptedException("interrupted waiting for the lock");
                    throw e;
                }
            }

            @Override
            public boolean tryLock() {
                return Lock.this.tryLock();
            }

            @Override
            public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
                try {
                    return Lock.this.lock(Duration.ofNanos(unit.toNanos(Math.max(0, time))));
                } catch (CancellationException e) {
                    if (Thread.interrupted()) throw new InterruptedException("interrupted waiting for the lock");
                    throw e;
                }
            }

            @Override
            public void unlock() {
                Lock.this.unlock();
            }

            @Override
            public Condition newCondition() {
                throw new UnsupportedOperationException("use dev.weft.sync.ConditionVariable");
            }

            @Override
            public String toString() {
                return "java.util.concurrent.locks.Lock view of " + Lock.this;
            }
        };
    }

    @Override
    public String toString() {
        synchronized (waiters) {
            return "Lock[" + (owner == null ? "free" : "held x" + holds) + ", waiting=" + waiters.pendingCount() + "]";
        }
    }
}
