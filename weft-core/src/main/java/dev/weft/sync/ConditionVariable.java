package dev.weft.sync;

import dev.weft.Greenlet;
import dev.weft.Timeout;
import dev.weft.internal.Node;
import dev.weft.internal.NodeList;
import dev.weft.internal.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Greenlets wait here until another wakes them with a value (Shrapnel's
 * {@code condition_variable}): {@link #await()} returns what the waker passed.
 *
 * <p>{@link #wakeOne}, {@link #wakeN} and {@link #wakeAll} report how many greenlets they woke;
 * waiters that timed out or were killed are skipped, never counted. Waiters wake in FIFO order.
 * There is no associated lock: on a cooperative hub, state between blocking points needs none;
 * elsewhere, guard your state yourself.
 *
 * <p>Thread safety: every method may be called from any thread.
 *
 * @param <T> the type of the values passed to waiters
 */
public final class ConditionVariable<T> {
    private final NodeList waiters = new NodeList();

    /** A condition variable nobody waits on. */
    public ConditionVariable() {}

    /**
     * Waits until woken; returns the value the waker passed.
     *
     * @return the value given to the {@code wake*} call that woke it (may be null)
     * @throws java.util.concurrent.CancellationException on a thread weft did not start, if
     *     another thread interrupts it while it waits (its interrupt status is set again)
     */
    public T await() {
        return await(null);
    }

    /**
     * Waits at most {@code timeout} ({@code null}: no limit) until woken.
     *
     * @param timeout at most this long, on the caller's hub clock; {@code null}: no limit
     * @return the value the waker passed to the {@code wake*} call that woke it (may be null)
     * @throws Timeout if nobody woke it in time (a new, unstarted one)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws java.util.concurrent.CancellationException on a thread weft did not start, if
     *     another thread interrupts it while it waits (its interrupt status is set again)
     */
    @SuppressWarnings("unchecked")
    public T await(Duration timeout) {
        Greenlet<?> me = Greenlet.current();
        long deadline = Waiter.deadline(me, timeout);
        Waiter w = new Waiter(me, false, this);
        waiters.add(w);
        boolean ok = waiters.await(w, deadline);
        if (!ok) {
            Timeout t = new Timeout(timeout);
            t.fillInStackTrace();
            throw t;
        }
        return (T) w.value();
    }

    /**
     * Wakes the first waiter with {@code value}; returns 1, or 0 if nobody waited.
     *
     * @param value what the woken waiter's {@code await} returns; may be null
     * @return 1 if a waiter woke; 0 if nobody waited (the value is then dropped, not kept for a
     *     later waiter)
     */
    public int wakeOne(T value) {
        return wakeN(1, value);
    }

    /**
     * Wakes up to {@code n} waiters, in order, with {@code value}.
     *
     * @param n the most waiters to wake; 0 or more
     * @param value what each woken waiter's {@code await} returns; may be null
     * @return how many woke, from 0 to {@code n} (waiters that timed out or were killed are
     *     skipped, not counted)
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public int wakeN(int n, T value) {
        if (n < 0) throw new IllegalArgumentException("negative count: " + n);
        List<Waiter> woken = new ArrayList<>();
        waiters.lock();
        try {
            Node node;
            while (woken.size() < n && (node = waiters.pollGuarded()) != null) {
                Waiter w = (Waiter) node;
                if (w.claim(value)) woken.add(w);
            }
        } finally {
            waiters.unlock();
        }
        for (Waiter w : woken) w.wake();
        return woken.size();
    }

    /**
     * Wakes every waiter with {@code value}; returns how many woke.
     *
     * @param value what each woken waiter's {@code await} returns; may be null
     * @return how many woke, 0 or more (waiters that timed out or were killed not counted)
     */
    public int wakeAll(T value) {
        return wakeN(Integer.MAX_VALUE, value);
    }

    /**
     * The number of greenlets waiting.
     *
     * @return the waiters queued now (those that timed out or were killed not counted)
     */
    public int waiting() {
        return waiters.pendingCount();
    }

    @Override
    public String toString() {
        return "ConditionVariable[waiting=" + waiting() + "]";
    }
}
