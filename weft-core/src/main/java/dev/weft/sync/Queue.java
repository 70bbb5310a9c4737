package dev.weft.sync;

import dev.weft.Greenlet;
import dev.weft.internal.Node;
import dev.weft.internal.NodeList;
import dev.weft.internal.Strand;
import dev.weft.internal.Waiter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;

/**
 * A FIFO queue between greenlets, unbounded or with a maximum size (gevent's {@code Queue}).
 *
 * <table class="striped">
 * <caption>Method sets</caption>
 * <tr><th></th><th>waits</th><th>waits at most</th><th>never waits: boolean/null</th><th>never waits: throws</th></tr>
 * <tr><td>add</td><td>{@link #put}</td><td>{@link #put(Object, Duration)} → {@link Full}</td>
 *     <td>{@link #tryPut}</td><td>{@link #putNowait} → {@link Full}</td></tr>
 * <tr><td>take</td><td>{@link #get()}</td><td>{@link #get(Duration)} → {@link Empty}</td>
 *     <td>{@link #tryGet}</td><td>{@link #getNowait} → {@link Empty}</td></tr>
 * <tr><td>look</td><td>{@link #peek()}</td><td>{@link #peek(Duration)} → {@link Empty}</td>
 *     <td>{@link #tryPeek}</td><td></td></tr>
 * </table>
 *
 * <h2>Hand-over and cancellation</h2>
 * Items are never null. A put while getters wait hands the item straight to the first of them;
 * a get from a full queue moves the first waiting putter's item in. Getters and putters are
 * served in FIFO order with no barging. Every hand-over is decided by exactly one CAS on the
 * waiter (ARCHITECTURE §3), so: a getter that times out or is killed consumes nothing; a putter
 * that times out or is killed leaves nothing half-put; an item offered to a waiter that had just
 * lost to its cancellation goes to the next one. No item is lost or duplicated. Waits park
 * through weft's waiting core and are blocking points.
 *
 * <h2>Closing</h2>
 * {@link #close()} wakes blocked getters and putters with {@link QueueClosedException}; later
 * puts fail the same way; items already queued can still be taken, and a waiting get on a
 * closed, drained queue fails with it ({@link #tryGet()} returns null, {@link #getNowait()}
 * throws {@link Empty}). Iterating ({@link #iterator()}) takes items until the queue is closed and
 * drained, as gevent's queue iteration does.
 *
 * <p>{@link #asBlockingQueue()} gives a {@link BlockingQueue} view with that interface's
 * contract. Thread safety: every method may be called from any thread.
 *
 * @param <T> the type of the items
 */
public class Queue<T> implements Iterable<T> {
    /** What a getter or putter waiter is completed with when the queue closes. */
    static final Object CLOSED = new Object();
    /** What a putter waiter is completed with when its item was taken. */
    static final Object TAKEN = new Object();

    /** Where items wait: FIFO here, LIFO and priority in subclasses. */
    interface Buffer<T> extends Iterable<T> {
        void add(T item);

        T poll();

        T peek();

        int size();

        boolean remove(Object item);
    }

    /** A putter parked with its item. */
    static final class PutWaiter extends Waiter {
        final Object item;

        PutWaiter(Strand strand, Object queue, Object item) {
            super(strand, false, queue);
            this.item = item;
        }
    }

    final Object lock = new Object(); // guards buffer, closed, and every access to getters and putters
    private final Buffer<T> buffer;
    private final int capacity; // Integer.MAX_VALUE: unbounded; 0: a channel
    private final NodeList getters = new NodeList();
    private final NodeList putters = new NodeList();
    private final NodeList peekers = new NodeList();
    private boolean closed;

    /** An unbounded FIFO queue. */
    public Queue() {
        this(Integer.MAX_VALUE);
    }

    /**
     * A FIFO queue holding at most {@code maxsize} items.
     *
     * @throws IllegalArgumentException if {@code maxsize} is less than 1 (for an unbuffered
     *     rendezvous, use {@link Channel})
     */
    public Queue(int maxsize) {
        this(checkSize(maxsize), fifo());
    }

    Queue(int capacity, Buffer<T> buffer) {
        this.capacity = capacity;
        this.buffer = buffer;
    }

    private static int checkSize(int maxsize) {
        if (maxsize < 1) throw new IllegalArgumentException("maxsize must be at least 1 (use Channel for 0): " + maxsize);
        return maxsize;
    }

    static <T> Buffer<T> fifo() {
        return over(new ArrayDeque<>());
    }

    /** A buffer over a {@code java.util.Queue}: its {@code add}/{@code poll} order is the queue's. */
    static <T> Buffer<T> over(java.util.Queue<T> items) {
        return new Buffer<>() {
            public void add(T item) {
                items.add(item);
            }

            public T poll() {
                return items.poll();
            }

            public T peek() {
                return items.peek();
            }

            public int size() {
                return items.size();
            }

            public boolean remove(Object item) {
                return items.remove(item);
            }

            public Iterator<T> iterator() {
                return items.iterator();
            }
        };
    }

    // ------------------------------------------------------------------ put

    /** Adds {@code item}, waiting for room as long as it takes. */
    public void put(T item) {
        putOrFull(item, Waiter.NO_DEADLINE, true);
    }

    /**
     * Adds {@code item}, waiting at most {@code timeout} for room.
     *
     * @throws Full if there was no room in time (the item was not added)
     */
    public void put(T item, Duration timeout) {
        putOrFull(item, Waiter.deadline(Greenlet.current(), timeout), true);
    }

    /**
     * Adds {@code item} if there is room now.
     *
     * @return false if the queue is full (for a channel: if no getter waits)
     */
    public boolean tryPut(T item) {
        return putOrFull(item, Waiter.NO_DEADLINE, false);
    }

    /**
     * Adds {@code item} if there is room now (gevent's {@code put_nowait}).
     *
     * @throws Full if there is none
     */
    public void putNowait(T item) {
        if (!tryPut(item)) throw new Full("queue full: " + this);
    }

    private boolean putOrFull(T item, long deadline, boolean mayWait) {
        Objects.requireNonNull(item, "item");
        Greenlet<?> me = mayWait ? Greenlet.current() : null;
        Waiter woken = null;
        PutWaiter w = null;
        boolean buffered = false;
        synchronized (lock) {
            if (closed) throw closedException();
            Node n;
            while ((n = getters.pollGuarded()) != null) {
                if (n.claim(item)) {
                    woken = (Waiter) n;
                    break;
                }
            }
            if (woken == null) {
                if (buffer.size() < capacity) {
                    buffer.add(item);
                    buffered = true;
                } else if (!mayWait) {
                    return false;
                } else {
                    w = new PutWaiter(me, this, item);
                    putters.addGuarded(w);
                }
            }
            if (woken != null || buffered) onPut();
        }
        if (woken != null) {
            woken.wake();
            return true;
        }
        if (buffered) {
            peekers.notifyAll(Boolean.TRUE, false);
            return true;
        }
        boolean ok = awaitGuarded(putters, w, deadline);
        if (!ok) throw new Full("no room within the timeout: " + this);
        if (w.value() == CLOSED) throw closedException();
        return true;
    }

    /** Called under the lock when an item was accepted (JoinableQueue counts it). */
    void onPut() {}

    // ------------------------------------------------------------------ get

    /** Takes the first item, waiting as long as it takes. */
    public T get() {
        return getOrEmpty(Waiter.NO_DEADLINE, true);
    }

    /**
     * Takes the first item, waiting at most {@code timeout}.
     *
     * @throws Empty if no item came in time (nothing was taken)
     */
    public T get(Duration timeout) {
        return getOrEmpty(Waiter.deadline(Greenlet.current(), timeout), true);
    }

    /** Takes the first item if there is one now; null otherwise. */
    public T tryGet() {
        return getOrEmpty(Waiter.NO_DEADLINE, false);
    }

    /**
     * Takes the first item if there is one now (gevent's {@code get_nowait}).
     *
     * @throws Empty if there is none
     */
    public T getNowait() {
        T item = tryGet();
        if (item == null) throw new Empty("queue empty: " + this);
        return item;
    }

    @SuppressWarnings("unchecked")
    private T getOrEmpty(long deadline, boolean mayWait) {
        Greenlet<?> me = mayWait ? Greenlet.current() : null;
        T item = null;
        PutWaiter refill = null;
        Waiter w = null;
        synchronized (lock) {
            item = buffer.poll();
            Node n;
            while ((n = putters.pollGuarded()) != null) {
                if (n.claim(TAKEN)) {
                    refill = (PutWaiter) n;
                    break;
                }
            }
            if (item != null) {
                if (refill != null) {
                    buffer.add((T) refill.item);
                    onPut(); // the putter's item is in now
                }
            } else if (refill != null) {
                item = (T) refill.item; // a channel, or a queue whose buffer had drained
                onPut();
            } else if (!mayWait) {
                return null; // empty now (closed or not): the non-waiting forms report empty
            } else if (closed) {
                throw closedException();
            } else {
                w = new Waiter(me, false, this);
                getters.addGuarded(w);
            }
        }
        if (refill != null) refill.wake();
        if (w == null) return item;
        boolean ok = awaitGuarded(getters, w, deadline);
        if (!ok) throw new Empty("no item within the timeout: " + this);
        Object v = w.value();
        if (v == CLOSED) throw closedException();
        return (T) v;
    }

    // ------------------------------------------------------------------ peek

    /** Returns the first item without taking it, waiting for one as long as it takes (gevent's {@code peek}). */
    public T peek() {
        return peekOrEmpty(Waiter.NO_DEADLINE);
    }

    /**
     * Returns the first item without taking it, waiting at most {@code timeout}.
     *
     * @throws Empty if none came in time
     */
    public T peek(Duration timeout) {
        return peekOrEmpty(Waiter.deadline(Greenlet.current(), timeout));
    }

    /** The first item without taking it, or null if there is none now. */
    public T tryPeek() {
        synchronized (lock) {
            return buffer.peek();
        }
    }

    private T peekOrEmpty(long deadline) {
        Greenlet<?> me = Greenlet.current();
        for (;;) {
            Waiter w;
            synchronized (lock) {
                T first = buffer.peek();
                if (first != null) return first;
                if (closed) throw closedException();
                w = new Waiter(me, false, this);
                peekers.add(w);
            }
            boolean ok = peekers.await(w, deadline);
            if (!ok) throw new Empty("no item within the timeout: " + this);
        }
    }

    // ------------------------------------------------------------------ closing, state

    /**
     * Closes the queue: blocked getters, putters and peekers wake with
     * {@link QueueClosedException}, later puts fail, and queued items can still be taken.
     * Closing twice does nothing.
     */
    public void close() {
        List<Waiter> woken = new ArrayList<>();
        synchronized (lock) {
            if (closed) return;
            closed = true;
            for (NodeList list : List.of(getters, putters, peekers)) {
                Node n;
                while ((n = list.poll()) != null) if (n.claim(CLOSED)) woken.add((Waiter) n);
            }
        }
        for (Waiter w : woken) w.wake();
    }

    /** True once {@link #close()} was called. */
    public boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }

    /** The number of items queued (not counting putters waiting with theirs). */
    public int size() {
        synchronized (lock) {
            return buffer.size();
        }
    }

    /** True if no item is queued. */
    public boolean isEmpty() {
        return size() == 0;
    }

    /** True if a put would have to wait. */
    public boolean isFull() {
        synchronized (lock) {
            return buffer.size() >= capacity && !getters.hasPendingGuarded();
        }
    }

    /** The maximum number of items, or {@link Integer#MAX_VALUE} for an unbounded queue (0 for a channel). */
    public int maxsize() {
        return capacity;
    }

    /** The number of greenlets waiting in {@code get}. */
    public int getters() {
        synchronized (lock) {
            return getters.pendingCountGuarded();
        }
    }

    /** The number of greenlets waiting in {@code put}. */
    public int putters() {
        synchronized (lock) {
            return putters.pendingCountGuarded();
        }
    }

    /**
     * Parks on a getter or putter waiter through the waiting core; if it got no hand-over, takes
     * it off its list under the queue's lock (those lists are guarded by it, not by monitors).
     */
    private boolean awaitGuarded(NodeList list, Waiter w, long deadline) {
        boolean handedOver = false;
        try {
            handedOver = w.await(deadline);
        } finally {
            if (!handedOver) {
                synchronized (lock) {
                    list.removeGuarded(w);
                }
            }
        }
        return handedOver;
    }

    QueueClosedException closedException() {
        return new QueueClosedException(getClass().getSimpleName() + " is closed");
    }

    /** A snapshot of the queued items, first first, for the views. */
    List<T> snapshot() {
        synchronized (lock) {
            List<T> out = new ArrayList<>(buffer.size());
            for (T t : buffer) out.add(t);
            return out;
        }
    }

    @SuppressWarnings("unchecked")
    boolean removeItem(Object item) {
        PutWaiter refill = null;
        synchronized (lock) {
            if (!buffer.remove(item)) return false;
            Node n;
            while ((n = putters.pollGuarded()) != null) { // room now: the first waiting putter's item moves in
                if (n.claim(TAKEN)) {
                    refill = (PutWaiter) n;
                    buffer.add((T) refill.item);
                    onPut();
                    break;
                }
            }
        }
        if (refill != null) refill.wake();
        return true;
    }

    /**
     * An iterator that takes items ({@link #get()}) until the queue is closed and drained.
     * {@code hasNext} waits for the next item.
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private T next;

            @Override
            public boolean hasNext() {
                if (next != null) return true;
                try {
                    next = get();
                    return true;
                } catch (QueueClosedException drained) {
                    return false;
                }
            }

            @Override
            public T next() {
                if (!hasNext()) throw new NoSuchElementException("the queue is closed and drained");
                T t = next;
                next = null;
                return t;
            }
        };
    }

    /** A {@link BlockingQueue} view of this queue (see {@link BlockingQueueView}). */
    public BlockingQueue<T> asBlockingQueue() {
        return new BlockingQueueView<>(this);
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return getClass().getSimpleName() + "[size=" + buffer.size()
                    + (capacity == Integer.MAX_VALUE ? "" : ", maxsize=" + capacity)
                    + ", getters=" + getters.pendingCountGuarded() + ", putters=" + putters.pendingCountGuarded()
                    + (closed ? ", closed" : "") + "]";
        }
    }
}
