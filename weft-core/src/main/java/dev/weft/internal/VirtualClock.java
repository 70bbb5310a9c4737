package dev.weft.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * The simulated hub's clock: virtual nanoseconds that move only when the hub's carrier says so
 * ({@link #advance()}), to the next timer, when every greenlet of the hub is parked in weft.
 *
 * <p>Timers sit in a binary heap ordered by deadline, then by a sequence number given when they
 * are scheduled, so entries due together expire in the order they were armed: the same program
 * with the same seed replays exactly. {@code cancel} removes the entry from the heap at once
 * (O(log n)). No thread of its own: expiry runs on the carrier.
 */
public final class VirtualClock implements Clock {
    private static final Object IN_HEAP = new Object();

    private TimerEntry[] heap = new TimerEntry[64]; // guarded by this
    private int size; // guarded by this
    private long seq; // guarded by this
    private volatile long now;
    private volatile boolean closed;

    /** A clock that starts at {@code start} virtual nanoseconds. */
    public VirtualClock(long start) {
        this.now = start;
    }

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public synchronized void schedule(TimerEntry entry, long deadline) {
        if (closed) throw new IllegalStateException("the hub's clock is closed");
        if (entry.bucket != null) throw new IllegalStateException("timer entry already armed");
        entry.deadline = deadline;
        entry.seq = seq++;
        entry.bucket = IN_HEAP;
        if (size == heap.length) heap = java.util.Arrays.copyOf(heap, size * 2);
        heap[size] = entry;
        entry.heapIndex = size;
        siftUp(size++);
    }

    @Override
    public synchronized boolean cancel(TimerEntry entry) {
        if (entry.bucket != IN_HEAP) return false;
        removeAt(entry.heapIndex);
        return true;
    }

    /** True if a timer is armed. */
    public synchronized boolean hasPending() {
        return size > 0;
    }

    /** The number of armed timers. */
    public synchronized int pending() {
        return size;
    }

    /**
     * Moves time to the earliest deadline and expires every entry due then, in order. Call on the
     * carrier, when nothing else can run.
     *
     * @return false if no timer was armed (time did not move)
     */
    public boolean advance() {
        List<TimerEntry> due = new ArrayList<>();
        synchronized (this) {
            if (size == 0) return false;
            long t = heap[0].deadline;
            if (t > now) now = t;
            while (size > 0 && heap[0].deadline <= now) {
                TimerEntry e = heap[0];
                removeAt(0);
                due.add(e);
            }
        }
        for (TimerEntry e : due) e.expire();
        return true;
    }

    @Override
    public void close() {
        closed = true;
    }

    private boolean less(TimerEntry a, TimerEntry b) {
        return a.deadline < b.deadline || (a.deadline == b.deadline && a.seq < b.seq);
    }

    private void removeAt(int i) {
        TimerEntry e = heap[i];
        e.bucket = null;
        e.heapIndex = -1;
        size--;
        if (i == size) {
            heap[size] = null;
            return;
        }
        TimerEntry last = heap[size];
        heap[size] = null;
        heap[i] = last;
        last.heapIndex = i;
        siftDown(i);
        if (heap[i] == last) siftUp(i);
    }

    private void siftUp(int i) {
        TimerEntry e = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!less(e, heap[p])) break;
            heap[i] = heap[p];
            heap[i].heapIndex = i;
            i = p;
        }
        heap[i] = e;
        e.heapIndex = i;
    }

    private void siftDown(int i) {
        TimerEntry e = heap[i];
        for (;;) {
            int c = 2 * i + 1;
            if (c >= size) break;
            if (c + 1 < size && less(heap[c + 1], heap[c])) c++;
            if (!less(heap[c], e)) break;
            heap[i] = heap[c];
            heap[i].heapIndex = i;
            i = c;
        }
        heap[i] = e;
        e.heapIndex = i;
    }
}
