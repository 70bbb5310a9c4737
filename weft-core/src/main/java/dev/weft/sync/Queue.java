package dev.weft.sync;

import dev.weft.Greenlet;
import dev.weft.internal.Node;
import dev.weft.internal.NodeList;
import dev.weft.internal.Selfish;
import dev.weft.internal.SpinLock;
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
 * drained (gevent's iteration ends at a {@code StopIteration} item instead, and raises
 * {@code ShutDown} on a shut-down, drained queue; weft has no end-marker item).
 *
 * <h2>Interruption</h2>
 * Inside a greenlet, an interrupt that did not come from weft is a kill, thrown where the
 * greenlet waits (ARCHITECTURE §5). A thread weft did not start that is interrupted while it
 * waits gets an unchecked {@link java.util.concurrent.CancellationException} (nothing is put or
 * taken) with its interrupt status set again; the {@link #asBlockingQueue()} view turns that
 * into the {@link InterruptedException} its interface declares.
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

        /** Removes the first item {@code filter} accepts, in iteration order; false if none. */
        boolean removeFirst(java.util.function.Predicate<? super T> filter);

        /** Removes every item {@code filter} accepts, testing each once; none if it throws. */
        boolean removeIf(java.util.function.Predicate<? super T> filter);

        /**
         * True if an item's place in iteration order changes only as items before it are
         * polled (FIFO: adds go behind it): the view's iterator can then remove the very
         * occurrence it returned.
         */
        default boolean positional() {
            return false;
        }

        /** Removes the item at {@code index} in iteration order if it is {@code expected} itself. */
        default boolean removeAt(int index, Object expected) {
            int i = 0;
            for (Iterator<T> it = iterator(); it.hasNext(); i++) {
                T t = it.next();
                if (i == index) {
                    if (t != expected) return false;
                    it.remove();
                    return true;
                }
            }
            return false;
        }
    }

    /** A putter parked with its item. */
    static final class PutWaiter extends Waiter {
        final Object item;

        PutWaiter(Strand strand, Object queue, Object item) {
            super(strand, false, queue);
            this.item = item;
        }
    }

    final SpinLock lock = new SpinLock(); // guards buffer, closed, and every access to getters and putters (not a monitor: SpinLock)
    private final Buffer<T> buffer;
    private final int capacity; // Integer.MAX_VALUE: unbounded; 0: a channel
    private final NodeList getters = new NodeList();
    private final NodeList putters = new NodeList();
    private final NodeList peekers = new NodeList();
    private boolean closed;
    private long polled; // guarded by lock: items taken from the buffer's head (the view's iterators place items by it)
    private long removedInside; // guarded by lock: items removed other than from the head

    /** An unbounded FIFO queue. */
    public Queue() {
        this(Integer.MAX_VALUE);
    }

    /**
     * A FIFO queue holding at most {@code maxsize} items.
     *
     * @param maxsize the most items it holds (putters wait beyond that); 1 or more
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
        return over(new ArrayDeque<>(), true);
    }

    /** A buffer over a {@code java.util.Queue}: its {@code add}/{@code poll} order is the queue's. */
    static <T> Buffer<T> over(java.util.Queue<T> items) {
        return over(items, false);
    }

    private static <T> Buffer<T> over(java.util.Queue<T> items, boolean positional) {
        return new Buffer<>() {
            public boolean positional() {
                return positional;
            }

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

            public boolean removeFirst(java.util.function.Predicate<? super T> filter) {
                for (Iterator<T> it = items.iterator(); it.hasNext(); ) {
                    if (filter.test(it.next())) {
                        it.remove();
                        return true;
                    }
                }
                return false;
            }

            public boolean removeIf(java.util.function.Predicate<? super T> filter) {
                return items.removeIf(filter); // ArrayDeque, PriorityQueue: all or none, each tested once
            }

            public Iterator<T> iterator() {
                return items.iterator();
            }
        };
    }

    // ------------------------------------------------------------------ put

    /**
     * Adds {@code item}, waiting for room as long as it takes.
     *
     * @param item what to add; never null
     * @throws NullPointerException if {@code item} is null
     * @throws java.util.concurrent.CancellationException on a thread weft did not start, if
     *     another thread interrupts it while it waits (its interrupt status is set again; nothing
     *     was added)
     * @throws QueueClosedException if the queue is closed (before or while it waits)
     */
    public void put(T item) {
        putOrFull(item, Waiter.NO_DEADLINE, true);
    }

    /**
     * Adds {@code item}, waiting at most {@code timeout} for room.
     *
     * @param item what to add; never null
     * @param timeout at most this long, on the caller's hub clock; {@code null}: no limit
     * @throws NullPointerException if {@code item} is null
     * @throws Full if there was no room in time (the item was not added)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws java.util.concurrent.CancellationException on a thread weft did not start, if
     *     another thread interrupts it while it waits (its interrupt status is set again; nothing
     *     was added)
     * @throws QueueClosedException if the queue is closed (before or while it waits)
     */
    public void put(T item, Duration timeout) {
        putOrFull(item, Waiter.deadline(Greenlet.current(), timeout), true);
    }

    /**
     * Adds {@code item} if there is room now.
     *
     * @param item what to add; never null
     * @return true if it was added (queued or handed to a waiting getter); false if the queue is
     *     full (for a channel: if no getter waits), and then it was not
     * @throws NullPointerException if {@code item} is null
     * @throws QueueClosedException if the queue is closed
     */
    public boolean tryPut(T item) {
        return putOrFull(item, Waiter.NO_DEADLINE, false);
    }

    /**
     * Adds {@code item} if there is room now (gevent's {@code put_nowait}).
     *
     * @param item what to add; never null
     * @throws Full if there is none (the item was not added)
     * @throws NullPointerException if {@code item} is null
     * @throws QueueClosedException if the queue is closed
     */
    public void putNowait(T item) {
        if (!tryPut(item)) throw new Full("queue full: " + this);
    }

    private boolean putOrFull(T item, long deadline, boolean mayWait) {
        Objects.requireNonNull(item, "item");
        if (mayWait) Selfish.act(); // Shrapnel's selfish acts: may yield first, before anything happened
        Greenlet<?> me = mayWait ? Greenlet.current() : null;
        Waiter woken = null;
        PutWaiter w = null;
        boolean buffered = false;
        lock.lock();
        try {
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
        } finally {
            lock.unlock();
        }
        if (woken != null) {
            woken.wake();
            // a channel's hand-over: on one carrier the getter runs first, as gevent's channel
            // switches to it (a plain yield, not a blocking point: the put has succeeded)
            if (capacity == 0 && mayWait && me != null && !me.hub().isParallelScheduler()) Thread.yield();
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

    /**
     * Takes the first item, waiting as long as it takes.
     *
     * @return the first item (never null), now no longer in the queue
     * @throws java.util.concurrent.CancellationException on a thread weft did not start, if
     *     another thread interrupts it while it waits (its interrupt status is set again; nothing
     *     was taken)
     * @throws QueueClosedException if the queue is closed and drained
     */
    public T get() {
        return getOrEmpty(Waiter.NO_DEADLINE, true);
    }

    /**
     * Takes the first item, waiting at most {@code timeout}.
     *
     * @param timeout at most this long, on the caller's hub clock; {@code null}: no limit
     * @return the first item (never null), now no longer in the queue
     * @throws Empty if no item came in time (nothing was taken)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws java.util.concurrent.CancellationException on a thread weft did not start, if
     *     another thread interrupts it while it waits (its interrupt status is set again; nothing
     *     was taken)
     * @throws QueueClosedException if the queue is closed and drained
     */
    public T get(Duration timeout) {
        return getOrEmpty(Waiter.deadline(Greenlet.current(), timeout), true);
    }

    /**
     * Takes the first item if there is one now; null otherwise.
     *
     * @return the first item, now no longer in the queue; null if there is none now (closed or
     *     not: never a {@link QueueClosedException})
     */
    public T tryGet() {
        return getOrEmpty(Waiter.NO_DEADLINE, false);
    }

    /**
     * Takes the first item if there is one now (gevent's {@code get_nowait}).
     *
     * @return the first item (never null), now no longer in the queue
     * @throws Empty if there is none (closed or not)
     */
    public T getNowait() {
        T item = tryGet();
        if (item == null) throw new Empty("queue empty: " + this);
        return item;
    }

    @SuppressWarnings("unchecked")
    private T getOrEmpty(long deadline, boolean mayWait) {
        if (mayWait) Selfish.act(); // Shrapnel's selfish acts: may yield first, before anything happened
        Greenlet<?> me = mayWait ? Greenlet.current() : null;
        T item = null;
        PutWaiter refill = null;
        Waiter w = null;
        lock.lock();
        try {
            item = buffer.poll();
            if (item != null) polled++;
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
        } finally {
            lock.unlock();
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

    /**
     * Returns the first item without taking it, waiting for one as long as it takes (gevent's
     * {@code peek}).
     *
     * @return the first item (never null), still in the queue
     * @throws java.util.concurrent.CancellationException on a thread weft did not start, if
     *     another thread interrupts it while it waits (its interrupt status is set again)
     * @throws QueueClosedException if the queue is closed and drained
     */
    public T peek() {
        return peekOrEmpty(Waiter.NO_DEADLINE);
    }

    /**
     * Returns the first item without taking it, waiting at most {@code timeout}.
     *
     * @param timeout at most this long, on the caller's hub clock; {@code null}: no limit
     * @return the first item (never null), still in the queue
     * @throws Empty if none came in time
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws java.util.concurrent.CancellationException on a thread weft did not start, if
     *     another thread interrupts it while it waits (its interrupt status is set again)
     * @throws QueueClosedException if the queue is closed and drained
     */
    public T peek(Duration timeout) {
        return peekOrEmpty(Waiter.deadline(Greenlet.current(), timeout));
    }

    /**
     * The first item without taking it, or null if there is none now.
     *
     * @return the first item, still in the queue; null if there is none now
     */
    public T tryPeek() {
        lock.lock();
        try {
            return buffer.peek();
        } finally {
            lock.unlock();
        }
    }

    private T peekOrEmpty(long deadline) {
        Greenlet<?> me = Greenlet.current();
        for (;;) {
            Waiter w;
            lock.lock();
            try {
                T first = buffer.peek();
                if (first != null) return first;
                if (closed) throw closedException();
                w = new Waiter(me, false, this);
                peekers.add(w);
            } finally {
                lock.unlock();
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
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            for (NodeList list : List.of(getters, putters, peekers)) {
                Node n;
                while ((n = list.poll()) != null) if (n.claim(CLOSED)) woken.add((Waiter) n);
            }
        } finally {
            lock.unlock();
        }
        for (Waiter w : woken) w.wake();
    }

    /**
     * True once {@link #close()} was called.
     *
     * @return true if closed (items may still be queued)
     */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The number of items queued (not counting putters waiting with theirs).
     *
     * @return the items queued now, 0 or more (always 0 for a channel)
     */
    public int size() {
        lock.lock();
        try {
            return buffer.size();
        } finally {
            lock.unlock();
        }
    }

    /**
     * True if no item is queued.
     *
     * @return true if {@link #size()} is 0
     */
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * True if a put would have to wait.
     *
     * @return true if the queue holds {@link #maxsize()} items and no getter waits
     */
    public boolean isFull() {
        lock.lock();
        try {
            return buffer.size() >= capacity && !getters.hasPendingGuarded();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The maximum number of items, or {@link Integer#MAX_VALUE} for an unbounded queue (0 for a channel).
     *
     * @return the capacity given at construction; {@link Integer#MAX_VALUE}: unbounded; 0: a
     *     {@link Channel}
     */
    public int maxsize() {
        return capacity;
    }

    /**
     * The number of greenlets waiting in {@code get}.
     *
     * @return the getters queued now (those that timed out or were killed not counted)
     */
    public int getters() {
        lock.lock();
        try {
            return getters.pendingCountGuarded();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The number of greenlets waiting in {@code put}.
     *
     * @return the putters queued now, each with its item (those that timed out or were killed
     *     not counted)
     */
    public int putters() {
        lock.lock();
        try {
            return putters.pendingCountGuarded();
        } finally {
            lock.unlock();
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
                lock.lock();
                try {
                    list.removeGuarded(w);
                } finally {
                    lock.unlock();
                }
            }
        }
        return handedOver;
    }

    QueueClosedException closedException() {
        return new QueueClosedException(getClass().getSimpleName() + " is closed");
    }

    // ------------------------------------------------------------------ for the BlockingQueue view

    /**
     * A snapshot of the queued items for the view, in the buffer's order: the order they would be
     * taken in for a FIFO or LIFO queue, the heap's order (least first, the rest unsorted) for a
     * priority queue.
     */
    List<T> snapshot() {
        return positionedSnapshot().items();
    }

    /**
     * The queued items with where they stood, for an iterator that may remove the very
     * occurrence it returned ({@link #removeOccurrence}).
     */
    record Positioned<T>(List<T> items, long polled, long removedInside) {}

    Positioned<T> positionedSnapshot() {
        lock.lock();
        try {
            List<T> out = new ArrayList<>(buffer.size());
            for (T t : buffer) out.add(t);
            return new Positioned<>(out, polled, removedInside);
        } finally {
            lock.unlock();
        }
    }

    /**
     * True if an item equal to {@code o} is queued (putters waiting with theirs do not count).
     * {@code equals} runs outside the queue's lock (a spin lock, not reentrant): it may call the
     * queue.
     */
    boolean containsItem(Object o) {
        for (T t : snapshot()) if (o.equals(t)) return true;
        return false;
    }

    /**
     * Removes the first queued item equal to {@code o}; see {@link #removeWhere}. {@code equals}
     * runs outside the lock: the first equal item of a snapshot is removed if it is still
     * queued, else the search starts again on a fresh snapshot.
     */
    boolean removeItem(Object o) {
        for (;;) {
            T found = null;
            for (T t : snapshot()) {
                if (o.equals(t)) {
                    found = t;
                    break;
                }
            }
            if (found == null) return false;
            T f = found;
            if (removeWhere(t -> t == f, true) > 0) return true;
        }
    }

    /**
     * Removes the item a view's iterator returned: the very occurrence at {@code index} of the
     * snapshot {@code at}, when the buffer is positional and nothing but takes from its head
     * happened since (nothing, if that occurrence was taken meanwhile); otherwise the first
     * queued occurrence of that object, as {@code PriorityBlockingQueue}'s iterator does.
     */
    boolean removeOccurrence(Positioned<T> at, int index) {
        T item = at.items().get(index);
        List<PutWaiter> woken;
        lock.lock();
        try {
            boolean done;
            if (buffer.positional() && removedInside == at.removedInside()) {
                long taken = polled - at.polled();
                if (taken > index) return false; // that occurrence was taken meanwhile
                done = buffer.removeAt((int) (index - taken), item);
            } else {
                done = buffer.removeFirst(t -> t == item);
            }
            if (!done) return false;
            removedInside++;
            woken = refillLocked();
        } finally {
            lock.unlock();
        }
        wakeAll(woken);
        onRemoved(1);
        return true;
    }

    /** Removes every queued item at once (the view's {@code clear}). */
    void clearQueued() {
        removeWhere(t -> true, false);
    }

    /**
     * Removes every queued item {@code filter} accepts, each occurrence tested once; if the
     * filter throws, nothing is removed. The filter runs outside the queue's lock, as
     * {@code LinkedBlockingQueue}'s does, on a snapshot (so it may call the queue: a view's
     * {@code removeAll(itself)} empties it); items queued meanwhile are not tested.
     */
    boolean removeIf(java.util.function.Predicate<? super T> filter) {
        List<T> items = snapshot();
        java.util.Set<T> doomed = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (T t : items) if (filter.test(t)) doomed.add(t);
        if (doomed.isEmpty()) return false;
        return removeWhere(doomed::contains, false) > 0;
    }

    /**
     * Removes the first (or every) queued item {@code filter} accepts. Removing keeps the
     * queue's invariants: the room it frees lets waiting putters' items in, first first, as a
     * get would ({@link #refillLocked}), and {@link #onRemoved} learns how many went (a joinable
     * queue counts them as done).
     *
     * @return how many were removed
     */
    private int removeWhere(java.util.function.Predicate<? super T> filter, boolean firstOnly) {
        List<PutWaiter> woken;
        int removed;
        lock.lock();
        try {
            int before = buffer.size();
            if (firstOnly) buffer.removeFirst(filter);
            else buffer.removeIf(filter);
            removed = before - buffer.size();
            if (removed == 0) return 0;
            removedInside += removed;
            woken = refillLocked();
        } finally {
            lock.unlock();
        }
        wakeAll(woken);
        onRemoved(removed);
        return removed;
    }

    /**
     * Moves up to {@code max} items into {@code sink}, first first: queued items, then those of
     * waiting putters (a channel's, or a full queue's let in as room frees). An item stays queued
     * if {@code sink.add} throws for it — except a channel putter's, which is lost then, as with
     * {@code SynchronousQueue}. {@code sink.add} runs under the queue's lock, as
     * {@code LinkedBlockingQueue.drainTo} calls it under its take lock; that lock is a spin lock
     * (so a cooperative hub never switches inside a queue call), so {@code sink.add} must be
     * quick and must not block: others spin while it runs.
     *
     * @return how many were moved
     */
    @SuppressWarnings("unchecked")
    int drainTo(java.util.Collection<? super T> sink, int max) {
        List<PutWaiter> woken = new ArrayList<>();
        int n = 0;
        try {
            lock.lock();
            try {
                while (n < max) {
                    T first = buffer.peek();
                    if (first != null) {
                        sink.add(first);
                        buffer.poll();
                        polled++;
                        n++;
                        woken.addAll(refillLocked());
                        continue;
                    }
                    PutWaiter p = claimPutterLocked();
                    if (p == null) break;
                    woken.add(p);
                    onPut();
                    n++;
                    sink.add((T) p.item);
                }
            } finally {
                lock.unlock();
            }
        } finally {
            wakeAll(woken);
        }
        return n;
    }

    /**
     * Under the lock, after room was made in the buffer: moves the items of waiting putters in,
     * first first, while there is room.
     *
     * @return the putters whose items moved in, to wake once the lock is released
     */
    @SuppressWarnings("unchecked")
    private List<PutWaiter> refillLocked() {
        List<PutWaiter> woken = List.of();
        while (buffer.size() < capacity) {
            PutWaiter p = claimPutterLocked();
            if (p == null) break;
            if (woken.isEmpty()) woken = new ArrayList<>();
            woken.add(p);
            buffer.add((T) p.item);
            onPut();
        }
        return woken;
    }

    /** Under the lock: the first waiting putter, its item claimed as taken; null if none waits. */
    private PutWaiter claimPutterLocked() {
        Node n;
        while ((n = putters.pollGuarded()) != null) {
            if (n.claim(TAKEN)) return (PutWaiter) n;
        }
        return null;
    }

    private static void wakeAll(List<PutWaiter> woken) {
        for (PutWaiter p : woken) p.wake();
    }

    /**
     * Called, outside the lock, after {@code count} queued items were removed without being
     * taken (the view's {@code remove}, {@code removeIf}, {@code clear}): a
     * {@link JoinableQueue} counts them as done.
     */
    void onRemoved(int count) {}

    /**
     * An iterator that takes items ({@link #get()}) until the queue is closed and drained.
     * {@code hasNext} waits for the next item.
     *
     * @return a new iterator on each call: {@code hasNext} takes the next item from the queue
     *     (waiting, a blocking point) and returns false once it is closed and drained;
     *     {@code remove} is not supported
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

    /**
     * A {@link BlockingQueue} view of this queue (see {@link BlockingQueueView}).
     *
     * @return a new view on each call; it holds no state of its own
     */
    public BlockingQueue<T> asBlockingQueue() {
        return new BlockingQueueView<>(this);
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return getClass().getSimpleName() + "[size=" + buffer.size()
                    + (capacity == Integer.MAX_VALUE ? "" : ", maxsize=" + capacity)
                    + ", getters=" + getters.pendingCountGuarded() + ", putters=" + putters.pendingCountGuarded()
                    + (closed ? ", closed" : "") + "]";
        } finally {
            lock.unlock();
        }
    }
}
