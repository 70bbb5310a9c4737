package dev.weft.sync;

import java.time.Duration;
import java.util.AbstractQueue;
import java.util.Collection;
import java.util.Iterator;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;

/**
 * {@link Queue#asBlockingQueue()}: a weft queue with the {@link BlockingQueue} contract, for
 * code that takes one. Differences from the queue's own methods: {@link #peek()} never waits,
 * {@link #poll(long, TimeUnit)} returns null on timeout, {@link #offer(Object, long, TimeUnit)}
 * returns false, the iterator is a non-consuming, weakly consistent snapshot, and an interrupt
 * of a thread weft did not start becomes {@link InterruptedException}. Waits still park through
 * weft's waiting core, so kills and Timeouts of a greenlet reach it there. A closed queue makes
 * puts and empty takes throw {@link QueueClosedException}.
 */
final class BlockingQueueView<T> extends AbstractQueue<T> implements BlockingQueue<T> {
    private final Queue<T> queue;

    BlockingQueueView(Queue<T> queue) {
        this.queue = queue;
    }

    @Override
    public boolean offer(T item) {
        return queue.tryPut(item);
    }

    @Override
    public void put(T item) throws InterruptedException {
        try {
            queue.put(item);
        } catch (CancellationException e) {
            throw interrupted(e);
        }
    }

    @Override
    public boolean offer(T item, long timeout, TimeUnit unit) throws InterruptedException {
        try {
            queue.put(item, duration(timeout, unit));
            return true;
        } catch (Full full) {
            return false;
        } catch (CancellationException e) {
            throw interrupted(e);
        }
    }

    @Override
    public T take() throws InterruptedException {
        try {
            return queue.get();
        } catch (CancellationException e) {
            throw interrupted(e);
        }
    }

    @Override
    public T poll(long timeout, TimeUnit unit) throws InterruptedException {
        try {
            return queue.get(duration(timeout, unit));
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
    public int size() {
        return queue.size();
    }

    @Override
    public int remainingCapacity() {
        int max = queue.maxsize();
        return max == Integer.MAX_VALUE ? Integer.MAX_VALUE : Math.max(0, max - queue.size());
    }

    @Override
    public boolean remove(Object o) {
        return o != null && queue.removeItem(o);
    }

    @Override
    public int drainTo(Collection<? super T> c) {
        return drainTo(c, Integer.MAX_VALUE);
    }

    @Override
    public int drainTo(Collection<? super T> c, int maxElements) {
        Objects.requireNonNull(c, "collection");
        if (c == this) throw new IllegalArgumentException("cannot drain a queue into itself");
        int n = 0;
        T item;
        while (n < maxElements && (item = queue.tryGet()) != null) {
            c.add(item);
            n++;
        }
        return n;
    }

    /** A snapshot of the queued items: iterating takes nothing. */
    @Override
    public Iterator<T> iterator() {
        return java.util.Collections.unmodifiableList(queue.snapshot()).iterator();
    }

    private static Duration duration(long timeout, TimeUnit unit) {
        return Duration.ofNanos(unit.toNanos(Math.max(0, timeout)));
    }

    private static InterruptedException interrupted(CancellationException e) {
        if (!Thread.interrupted()) throw e;
        InterruptedException ie = new InterruptedException("interrupted while waiting on a weft queue");
        ie.initCause(e);
        return ie;
    }

    @Override
    public String toString() {
        return "BlockingQueue view of " + queue;
    }
}
