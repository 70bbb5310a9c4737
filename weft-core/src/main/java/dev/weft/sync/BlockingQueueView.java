package dev.weft.sync;

import dev.weft.Greenlet;
import dev.weft.internal.SignalQueue;
import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * {@link Queue#asBlockingQueue()}: a weft queue with the {@link BlockingQueue} contract, for code
 * that takes one. It is a view: it holds no items of its own, and every method may be called from
 * any thread.
 *
 * <h2>Against the queue's own methods</h2>
 * {@link #peek()} never waits, {@link #poll(long, TimeUnit)} returns null and
 * {@link #offer(Object, long, TimeUnit)} false when the time runs out (a time of zero or less
 * does not wait), {@link #add} on a full queue throws {@link IllegalStateException}, and the
 * iterator does not take. Waits still park through weft's waiting core, so a kill or a
 * {@link dev.weft.Timeout} aimed at a waiting greenlet is thrown there as itself. A closed queue
 * makes puts and waiting takes throw {@link QueueClosedException}.
 *
 * <h2>Interruption</h2>
 * Every method declared to throw {@link InterruptedException} ({@code put}, {@code take}, the
 * timed {@code offer} and {@code poll}) checks the interrupt status at entry, as the JDK's queues
 * do, even when it would not wait (an item is there, the time is zero): on a thread weft did not
 * start, an interrupt before or during the wait throws {@link InterruptedException} and clears
 * the status. A signal of weft's own that reached the thread as an interrupt is thrown as itself.
 * Inside a greenlet, an interrupt that did not come from weft is a kill, delivered where the call
 * waits (ARCHITECTURE §5).
 *
 * <h2>Capacity</h2>
 * {@link #remainingCapacity()} is {@link Integer#MAX_VALUE} for an unbounded queue. A
 * {@link Channel} behaves like a {@code SynchronousQueue}: no capacity, {@code isEmpty()} always
 * true, nothing to peek at, iterate over, find or remove; {@code offer} succeeds only if a getter
 * waits, and {@code poll} only if a putter does.
 *
 * <h2>Iteration and removal</h2>
 * The iterator and the spliterator walk a snapshot of the queued items (as
 * {@code PriorityBlockingQueue}'s do): weakly consistent, they never throw
 * {@code ConcurrentModificationException} and may show an item taken since. The iterator's
 * {@code remove()} removes that very item (by identity) if it is still queued. {@code remove},
 * {@code removeIf}, {@code removeAll}, {@code retainAll} and {@code clear} act on the queued items
 * under the queue's lock ({@code removeIf} tests each item once and removes nothing if the
 * filter throws); the room they free lets waiting putters in, first first, as a get would, and a
 * {@link JoinableQueue} counts each removed item as done. Items of putters still waiting for room
 * are not in the queue yet: they are not seen, counted or removed. {@code toString()} lists the
 * items, {@code [a, b]}; {@code equals} is identity, as for the JDK's queues.
 */
final class BlockingQueueView<T> extends AbstractQueue<T> implements BlockingQueue<T> {
    private final Queue<T> queue;

    BlockingQueueView(Queue<T> queue) {
        this.queue = queue;
    }

    // ------------------------------------------------------------------ adding

    @Override
    public boolean offer(T item) {
        return queue.tryPut(item);
    }

    @Override
    public void put(T item) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        checkInterrupt();
        try {
            queue.put(item);
        } catch (CancellationException e) {
            throw interrupted(e);
        }
    }

    @Override
    public boolean offer(T item, long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(item, "item");
        Duration limit = duration(timeout, unit);
        checkInterrupt();
        try {
            queue.put(item, limit);
            return true;
        } catch (Full full) {
            return false;
        } catch (CancellationException e) {
            throw interrupted(e);
        }
    }

    // ------------------------------------------------------------------ taking

    @Override
    public T take() throws InterruptedException {
        checkInterrupt();
        try {
            return queue.get();
        } catch (CancellationException e) {
            throw interrupted(e);
        }
    }

    @Override
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        Duration limit = duration(timeout, unit);
        checkInterrupt();
        try {
            return queue.get(limit);
        } catch (Empty empty) {
            return null;
        } catch (CancellationException e) {
            throw interrupted(e);
        }
    }

    @Override
    public T poll() {
        return queue.tryGet();
    }

    @Override
    public T peek() {
        return queue.tryPeek();
    }

    @Override
    public int drainTo(Collection<? super T> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    /**
     * Moves up to {@code maxElements} items into {@code c}: the queued ones, first first, then
     * those of putters waiting for room (as {@code poll} would take them). {@code c.add} is called
     * under the queue's lock; an item stays queued if {@code c.add} throws for it (a channel
     * putter's item is lost then, as with {@code SynchronousQueue}).
     *
     * @throws IllegalArgumentException if {@code c} is this queue (or another view of it)
     */
    @Override
    public int drainTo(Collection<? super T> c, int maxElements) {
        Objects.requireNonNull(c, "collection");
        if (c == this || c instanceof BlockingQueueView<?> v && v.queue == queue) {
            throw new IllegalArgumentException("cannot drain a queue into itself");
        }
        if (maxElements <= 0) return 0;
        return queue.drainTo(c, maxElements);
    }

    // ------------------------------------------------------------------ looking

    @Override
    public int size() {
        return queue.size();
    }

    @Override
    public int remainingCapacity() {
        int max = queue.maxsize();
        return max == Integer.MAX_VALUE ? Integer.MAX_VALUE : Math.max(0, max - queue.size());
    }

    @Override
    public boolean contains(Object o) {
        return o != null && queue.containsItem(o);
    }

    @Override
    public Object[] toArray() {
        return queue.snapshot().toArray();
    }

    @Override
    public <A> A[] toArray(A[] a) {
        Objects.requireNonNull(a, "array");
        return queue.snapshot().toArray(a);
    }

    @Override
    public void forEach(Consumer<? super T> action) {
        Objects.requireNonNull(action, "action");
        queue.snapshot().forEach(action);
    }

    /**
     * A weakly consistent iterator over a snapshot; its {@code remove()} removes that very
     * occurrence (nothing if it was taken meanwhile) — in a {@link PriorityQueue}, or after other
     * removals, the first queued occurrence of that object, as {@code PriorityBlockingQueue}'s does.
     */
    @Override
    public Iterator<T> iterator() {
        return new SnapshotIterator(queue.positionedSnapshot());
    }

    /**
     * A late-binding spliterator over a snapshot taken at its first use: {@code NONNULL},
     * {@code SIZED}, and {@code ORDERED} in the order items would be taken in — not for a
     * {@link PriorityQueue}, whose iteration order is the heap's (as {@code PriorityBlockingQueue}).
     */
    @Override
    public Spliterator<T> spliterator() {
        return new LateSnapshot();
    }

    // ------------------------------------------------------------------ removing

    @Override
    public boolean remove(Object o) {
        return o != null && queue.removeItem(o);
    }

    @Override
    public boolean removeIf(Predicate<? super T> filter) {
        Objects.requireNonNull(filter, "filter");
        return queue.removeIf(filter);
    }

    @Override
    public boolean removeAll(Collection<?> c) {
        Objects.requireNonNull(c, "collection");
        return queue.removeIf(c::contains);
    }

    @Override
    public boolean retainAll(Collection<?> c) {
        Objects.requireNonNull(c, "collection");
        return queue.removeIf(item -> !c.contains(item));
    }

    /** Removes every queued item (it does not take from waiting putters: they move in). */
    @Override
    public void clear() {
        queue.clearQueued();
    }

    // ------------------------------------------------------------------ plumbing

    private final class SnapshotIterator implements Iterator<T> {
        private final Queue.Positioned<T> at;
        private final List<T> items;
        private int next;
        private T last; // null: nothing to remove

        SnapshotIterator(Queue.Positioned<T> at) {
            this.at = at;
            this.items = at.items();
        }

        @Override
        public boolean hasNext() {
            return next < items.size();
        }

        @Override
        public T next() {
            if (next >= items.size()) throw new NoSuchElementException();
            return last = items.get(next++);
        }

        @Override
        public void remove() {
            if (last == null) throw new IllegalStateException("next() was not called, or remove() was already");
            queue.removeOccurrence(at, next - 1);
            last = null;
        }

        @Override
        public void forEachRemaining(Consumer<? super T> action) {
            Objects.requireNonNull(action, "action");
            while (next < items.size()) action.accept(last = items.get(next++));
        }
    }

    private final class LateSnapshot implements Spliterator<T> {
        private Spliterator<T> bound;

        private Spliterator<T> bound() {
            Spliterator<T> s = bound;
            if (s == null) bound = s = Spliterators.spliterator(queue.snapshot(), characteristics());
            return s;
        }

        @Override
        public boolean tryAdvance(Consumer<? super T> action) {
            Objects.requireNonNull(action, "action");
            return bound().tryAdvance(action);
        }

        @Override
        public void forEachRemaining(Consumer<? super T> action) {
            Objects.requireNonNull(action, "action");
            bound().forEachRemaining(action);
        }

        @Override
        public Spliterator<T> trySplit() {
            return bound().trySplit();
        }

        @Override
        public long estimateSize() {
            return bound().estimateSize();
        }

        @Override
        public int characteristics() {
            int c = NONNULL | SIZED | SUBSIZED;
            return queue instanceof PriorityQueue<?> ? c : c | ORDERED;
        }
    }

    private static Duration duration(long timeout, TimeUnit unit) {
        return Duration.ofNanos(Math.max(0, unit.toNanos(timeout))); // saturates: MAX_VALUE ns is no limit
    }

    /**
     * The interrupt check at the entry of a method declared to throw {@link InterruptedException}
     * (also when it would not wait): a signal of weft's own that reached this thread as an
     * interrupt is thrown as itself (this is a blocking point); on a thread weft did not start,
     * an interrupt is an {@link InterruptedException} and the status is cleared. In a greenlet, an
     * interrupt from outside weft is left to the waiting core, which makes it a kill.
     */
    static void checkInterrupt() throws InterruptedException {
        if (!Thread.currentThread().isInterrupted()) return;
        Greenlet<?> me = Greenlet.current();
        SignalQueue.deliverPending(me);
        if (me.isAdopted() && Thread.interrupted()) throw new InterruptedException("interrupted before waiting");
    }

    /**
     * The waiting core's {@link CancellationException} for an interrupted thread weft did not
     * start (its status set again) as the {@link InterruptedException} the interface declares,
     * the status cleared.
     */
    static InterruptedException interrupted(CancellationException e) {
        if (!Thread.interrupted()) throw e; // not an interrupt: keep it as it is
        InterruptedException ie = new InterruptedException("interrupted while waiting in weft");
        ie.initCause(e);
        return ie;
    }
}
