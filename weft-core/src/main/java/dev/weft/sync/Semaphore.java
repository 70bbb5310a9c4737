package dev.weft.sync;

import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.Linkable;
import dev.weft.internal.ListenerNode;
import dev.weft.internal.Node;
import dev.weft.internal.NodeList;
import dev.weft.internal.Waiter;
import java.time.Duration;
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
    private static final Object PERMIT = new Object();

    private final NodeList waiters = new NodeList(); // its monitor guards permits
    private final NodeList listeners = new NodeList();
    private int permits;

    /**
     * A semaphore with {@code permits} free permits.
     *
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public Semaphore(int permits) {
        if (permits < 0) throw new IllegalArgumentException("negative permits: " + permits);
        this.permits = permits;
    }

    /** Takes a permit if one is free and nobody waits; never waits. */
    public boolean tryAcquire() {
        synchronized (waiters) {
            if (permits > 0 && !waiters.hasPending()) {
                permits--;
                return true;
            }
            return false;
        }
    }

    /** Takes a permit, waiting as long as it takes. */
    public void acquire() {
        acquire(null);
    }

    /**
     * Takes a permit, waiting at most {@code timeout} ({@code null}: no limit).
     *
     * @return true if a permit was taken; false on timeout (then none was)
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean acquire(Duration timeout) {
        Greenlet<?> me = Greenlet.current();
        long deadline = Waiter.deadline(me, timeout);
        Waiter w;
        synchronized (waiters) {
            if (permits > 0 && !waiters.hasPending()) {
                permits--;
                return true;
            }
            w = new Waiter(me, false, this);
            waiters.add(w);
        }
        boolean ok = waiters.await(w, deadline);
        return ok;
    }

    /** Gives a permit back: to the first waiter if any, else to the pool. */
    public void release() {
        for (;;) {
            Node n;
            synchronized (waiters) {
                n = waiters.poll();
                if (n == null) {
                    checkRelease(permits);
                    permits++;
                    break;
                }
            }
            if (n.offer(PERMIT)) return; // handed over; else that waiter had lost: next one
        }
        // rawlink adds under our monitor, before the increment above: a plain look is exact here
        if (!listeners.looksEmpty()) listeners.notifyAll(this, false);
    }

    /** Subclasses refuse a release here (called under the lock, before the increment). */
    void checkRelease(int freePermits) {}

    /** The number of free permits now. */
    public int availablePermits() {
        synchronized (waiters) {
            return permits;
        }
    }

    /** True if no permit is free (gevent's {@code locked()}). */
    public boolean isLocked() {
        return availablePermits() == 0;
    }

    /** The number of greenlets waiting for a permit. */
    public int waiting() {
        return waiters.pendingCount();
    }

    /** True if a permit is free. */
    @Override
    public boolean isReady() {
        return availablePermits() > 0;
    }

    /** Runs {@code listener} the next time a permit is free; at once (in the caller) if one is. */
    @Override
    public void rawlink(Consumer<? super Semaphore> listener) {
        Objects.requireNonNull(listener, "listener");
        ListenerNode<Semaphore> node = new ListenerNode<>(listener, listener, this, true, Hub.current());
        boolean now;
        synchronized (waiters) {
            now = permits > 0;
            if (!now) listeners.add(node);
        }
        if (now) node.runNow();
    }

    @Override
    public boolean unlink(Object listener) {
        return listeners.unlinkListener(listener);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[permits=" + availablePermits() + ", waiting=" + waiting() + "]";
    }
}
