package dev.weft.sync;

import java.time.Duration;

/**
 * A {@link Queue} that counts unfinished items (gevent's {@code JoinableQueue}): every item put
 * adds one; {@link #taskDone()} subtracts one; {@link #join()} waits until the count is zero —
 * every item put so far has been taken and its processing reported done.
 *
 * <p>Through {@link #asBlockingQueue()}: {@code take}, {@code poll} and {@code drainTo} take
 * items like {@link #get()} (report each one done); an item removed without being taken
 * ({@code remove(Object)}, {@code removeIf}, {@code removeAll}, {@code retainAll},
 * {@code clear}, an iterator's {@code remove}) will never be processed, so it counts as done at
 * once.
 *
 * @param <T> the type of the items
 */
public class JoinableQueue<T> extends Queue<T> {
    private int unfinished; // guarded by lock
    private final Event allDone = new Event();

    /** An unbounded joinable queue. */
    public JoinableQueue() {
        super();
        allDone.set();
    }

    /**
     * A joinable queue holding at most {@code maxsize} items.
     *
     * @param maxsize the most items it holds (putters wait beyond that); 1 or more
     * @throws IllegalArgumentException if {@code maxsize} is less than 1
     */
    public JoinableQueue(int maxsize) {
        super(maxsize);
        allDone.set();
    }

    @Override
    void onPut() {
        if (unfinished++ == 0) allDone.clear();
    }

    /** Items removed without being taken (the view) will never be processed: they are done. */
    @Override
    void onRemoved(int count) {
        boolean done;
        lock.lock();
        try {
            if (unfinished == 0) return; // taskDone() was called for them already
            unfinished = Math.max(0, unfinished - count);
            done = unfinished == 0;
        } finally {
            lock.unlock();
        }
        if (done) allDone.set();
    }

    /**
     * Reports one taken item as processed.
     *
     * @throws IllegalStateException if called more often than items were put
     */
    public void taskDone() {
        boolean done;
        lock.lock();
        try {
            if (unfinished == 0) throw new IllegalStateException("taskDone() called more times than items were put");
            done = --unfinished == 0;
        } finally {
            lock.unlock();
        }
        if (done) allDone.set();
    }

    /**
     * The number of items put and not yet reported done.
     *
     * @return the unfinished count, 0 or more: items put (taken or not) minus
     *     {@link #taskDone()} calls and items the view removed without taking them
     */
    public int unfinishedTasks() {
        lock.lock();
        try {
            return unfinished;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Waits until every item put so far was reported done.
     *
     * @throws java.util.concurrent.CancellationException on a thread weft did not start, if
     *     another thread interrupts it while it waits (its interrupt status is set again)
     */
    public void join() {
        join(null);
    }

    /**
     * Waits at most {@code timeout} ({@code null}: no limit) until every item put so far was
     * reported done.
     *
     * @param timeout at most this long, on the caller's hub clock; {@code null}: no limit
     * @return true if they were; false on timeout
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws java.util.concurrent.CancellationException on a thread weft did not start, if
     *     another thread interrupts it while it waits (its interrupt status is set again)
     */
    public boolean join(Duration timeout) {
        for (;;) {
            if (!allDone.await(timeout)) return false;
            lock.lock();
            try {
                if (unfinished == 0) return true;
                allDone.clear(); // a put came between a taskDone's count and its set: wait again
            } finally {
                lock.unlock();
            }
        }
    }
}
