package dev.weft.sync;

import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.Linkable;
import dev.weft.internal.ListenerNode;
import dev.weft.internal.Node;
import dev.weft.internal.NodeList;
import dev.weft.internal.Selfish;
import dev.weft.internal.Waiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A counting semaphore (gevent's {@code Semaphore}): {@link #acquire()} takes a permit, waiting
 * while there is none; {@link #release()} gives one back.
 *
 * <p>Fair by construction: a release while greenlets wait hands the permit straight to the first
 * waiter (FIFO, no barging — gevent#1487), and {@link #tryAcquire()} fails while anyone waits.
 * Cancel-safe (ARCHITECTURE §3): a waiter that times out or is killed takes no permit, and a
 * permit handed to a waiter that had just lost to its cancellation passes on to the next one —
 * no permit is ever lost or duplicated. Waits park through weft's waiting core and are blocking
 * points. Releasing more than acquired is allowed (see {@link BoundedSemaphore}).
 *
 * <p>It is {@link Linkable}: a listener fires once, the next time a permit is free (at once if
 * one is), so {@code Greenlets.wait} works on it.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public class Semaphore implements Linkable<Semaphore> {
    /*
     * Overview (for maintainers). `permits` is changed by CAS only; `waiting` counts the pending
     * waiters queued in `waiters` and changes under the waiters' lock. Fast paths take no lock:
     * tryAcquire CASes a permit away only while nobody waits (no barging); release CASes one
     * back, then looks at `waiting` and, if someone waits, drains: under that lock, while a
     * permit is free and a waiter is queued, it moves one permit into the first waiter's claim.
     * An arriving waiter raises `waiting` before it looks at `permits` (both volatile), and a
     * releaser raises `permits` before it looks at `waiting`: either the waiter sees the permit
     * or the releaser sees the waiter (Dekker), so no permit and no wake-up is lost. Whoever
     * takes a node off the list (a drain's poll, or the waiter's own removal on cancellation)
     * lowers `waiting`, exactly once. A claim that fails (the waiter had lost to its deadline or a
     * kill) gives the permit back and the drain goes on to the next waiter.
     * Overflow: release's CAS is the only step that adds a permit, and it refuses (an Error, as
     * java.util.concurrent.Semaphore) to go past Integer.MAX_VALUE, with or without waiters. A
     * drain only moves permits: it gives back, in the same locked section, one it took for a
     * waiter that had lost. That cannot overflow: a waiter queues only when no permit is free (or
     * others wait, and then it drains at once), and every release while waiters wait drains to
     * them, so while a drain runs the free count is at most the number of threads between their
     * release's CAS and their drain, never near the maximum.
     * Tests: SemaphoreTest, SemaphoreOverflowTest, QueueStressTest.noPermitIsLostOrDuplicated...,
     * the fan-out smoke test.
     */
    private static final Object PERMIT = new Object();

    private final NodeList waiters = new NodeList(); // its lock (a SpinLock, not a monitor) guards `waiting` and hand-overs
    private final NodeList listeners = new NodeList();
    private volatile int permits;
    private volatile int waiting;
    private volatile int listening; // a hint: listeners may be queued

    /** A semaphore with one free permit (gevent's {@code Semaphore()}). */
    public Semaphore() {
        this(1);
    }

    /**
     * A semaphore with {@code permits} free permits.
     *
     * @param permits how many permits are free at first; 0 or more (0: the first
     *     {@link #acquire()} waits for a {@link #release()})
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public Semaphore(int permits) {
        if (permits < 0) throw new IllegalArgumentException("negative permits: " + permits);
        this.permits = permits;
    }

    /**
     * Takes a permit if one is free and nobody waits; never waits.
     *
     * @return true if a permit was taken; false if none is free or another greenlet waits (then
     *     none was)
     */
    public boolean tryAcquire() {
        return waiting == 0 && takeFree();
    }

    private boolean takeFree() {
        for (;;) {
            int p = permits;
            if (p <= 0) return false;
            if (PERMITS.compareAndSet(this, p, p - 1)) return true;
        }
    }

    /**
     * Takes a permit, waiting as long as it takes.
     *
     * @throws java.util.concurrent.CancellationException on a thread weft did not start, if
     *     another thread interrupts it while it waits (its interrupt status is set again; no
     *     permit was taken). Inside a greenlet, such an interrupt is a kill.
     */
    public void acquire() {
        acquire(null);
    }

    /**
     * Takes a permit, waiting at most {@code timeout} ({@code null}: no limit).
     *
     * @param timeout at most this long, on the caller's hub clock; {@code null}: no limit
     * @return true if a permit was taken; false on timeout (then none was)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws java.util.concurrent.CancellationException on a thread weft did not start, if
     *     another thread interrupts it while it waits (its interrupt status is set again; no
     *     permit was taken). Inside a greenlet, such an interrupt is a kill.
     */
    public boolean acquire(Duration timeout) {
        Waiter.checkTimeout(timeout);
        Selfish.act(); // Shrapnel's selfish acts: may yield first, before anything happened
        if (tryAcquire()) return true;
        Greenlet<?> me = Greenlet.current();
        long deadline = Waiter.deadline(me, timeout);
        Waiter w;
        waiters.lock();
        try {
            if (waiting == 0 && takeFree()) return true;
            w = new Waiter(me, false, this);
            waiters.addGuarded(w);
            WAITING.getAndAdd(this, 1); // announce before looking at the permits again
        } finally {
            waiters.unlock();
        }
        if (permits > 0) drain(); // released between our first look and the announcement
        boolean ok = false;
        try {
            ok = w.await(deadline);
        } finally {
            if (!ok) {
                waiters.lock();
                try {
                    if (waiters.removeGuarded(w)) WAITING.getAndAdd(this, -1);
                } finally {
                    waiters.unlock();
                }
            }
        }
        return ok;
    }

    /**
     * Gives a permit back: to the first waiter if any, else to the pool.
     *
     * @throws Error if the free permits would exceed {@link Integer#MAX_VALUE} ("Maximum permit
     *     count exceeded", as {@code java.util.concurrent.Semaphore}); the count is unchanged
     * @throws IllegalStateException from a {@link BoundedSemaphore}, if the free permits would
     *     exceed its bound; the count is unchanged
     */
    public void release() {
        for (;;) {
            int p = permits;
            checkRelease(p);
            if (p == Integer.MAX_VALUE) throw new Error("Maximum permit count exceeded");
            if (PERMITS.compareAndSet(this, p, p + 1)) break;
        }
        if (waiting != 0) drain();
        else if (listening != 0) notifyListeners();
    }

    /** Moves free permits to queued waiters, first first; wakes them after the lock. */
    private void drain() {
        List<Waiter> woken = null;
        waiters.lock();
        try {
            while (waiting > 0 && takeFree()) {
                Node n = waiters.pollGuarded();
                if (n == null) { // cannot happen while waiting > 0; give the permit back
                    PERMITS.getAndAdd(this, 1);
                    break;
                }
                WAITING.getAndAdd(this, -1);
                if (n.claim(PERMIT)) {
                    if (woken == null) woken = new ArrayList<>();
                    woken.add((Waiter) n);
                } else {
                    PERMITS.getAndAdd(this, 1); // it had lost to its deadline or a kill: next one
                }
            }
        } finally {
            waiters.unlock();
        }
        if (woken != null) for (Waiter w : woken) w.wake();
        if (waiting == 0 && permits > 0 && listening != 0) notifyListeners();
    }

    private void notifyListeners() {
        listening = 0; // a hint only: a listener added meanwhile is detached by this notify too
        listeners.notifyAll(this, false);
    }

    /** Subclasses refuse a release here (before the increment), given the free permits. */
    void checkRelease(int freePermits) {}

    /**
     * The number of free permits now.
     *
     * @return the free permits, 0 or more; a snapshot that may be stale at once
     */
    public int availablePermits() {
        return permits;
    }

    /**
     * True if no permit is free (gevent's {@code locked()}).
     *
     * @return true if {@link #availablePermits()} is 0
     */
    public boolean isLocked() {
        return permits <= 0;
    }

    /**
     * The number of greenlets waiting for a permit.
     *
     * @return the waiters queued now (those that timed out or were killed not counted)
     */
    public int waiting() {
        return waiting;
    }

    /** True if a permit is free. */
    @Override
    public boolean isReady() {
        return permits > 0;
    }

    /** Runs {@code listener} the next time a permit is free; at once (in the caller) if one is. */
    @Override
    public void rawlink(Consumer<? super Semaphore> listener) {
        Objects.requireNonNull(listener, "listener");
        ListenerNode<Semaphore> node = new ListenerNode<>(listener, listener, this, true, Hub.current());
        if (permits > 0) {
            node.runNow();
            return;
        }
        listeners.add(node);
        listening = 1; // announce, then look again (a releaser increments, then looks at this)
        if (permits > 0 && listeners.remove(node)) node.runNow();
    }

    @Override
    public boolean unlink(Object listener) {
        return listeners.unlinkListener(listener);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[permits=" + permits + ", waiting=" + waiting + "]";
    }

    // VarHandle mechanics
    private static final VarHandle PERMITS;
    private static final VarHandle WAITING;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            PERMITS = l.findVarHandle(Semaphore.class, "permits", int.class);
            WAITING = l.findVarHandle(Semaphore.class, "waiting", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
