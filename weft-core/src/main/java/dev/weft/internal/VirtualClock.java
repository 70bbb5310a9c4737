package dev.weft.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The simulated hub's clock: virtual nanoseconds that move only when the hub's carrier says so
 * ({@link #advance()}), to the next timer, when every greenlet of the hub is parked in weft.
 *
 * <p>Timers are grouped by deadline in a sorted map; entries with the same deadline form a
 * doubly-linked list in the order they were armed (through the entry's own timer links, so no
 * extra object per entry), so entries due together expire in arming order and the same program
 * with the same seed replays exactly. {@code cancel} unlinks the entry at once (O(1), plus
 * O(log n) when its deadline's list empties). No thread of its own: expiry runs on the carrier.
 */
public final class VirtualClock implements Clock {
    /** The entries of one deadline, oldest first. */
    private static final class Slot {
        final long deadline;
        TimerEntry head, tail;

        Slot(long deadline) {
            this.deadline = deadline;
        }
    }

    private final TreeMap<Long, Slot> slots = new TreeMap<>(); // guarded by this
    private int size; // guarded by this
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
        Slot slot = slots.computeIfAbsent(deadline, Slot::new);
        entry.timerPrev = slot.tail;
        entry.timerNext = null;
        if (slot.tail == null) slot.head = entry;
        else slot.tail.timerNext = entry;
        slot.tail = entry;
        entry.bucket = slot;
        size++;
    }

    @Override
    public synchronized boolean cancel(TimerEntry entry) {
        if (!(entry.bucket instanceof Slot slot) || !slots.containsKey(slot.deadline)) return false;
        unlink(slot, entry);
        if (slot.head == null) slots.remove(slot.deadline);
        return true;
    }

    private void unlink(Slot slot, TimerEntry e) {
        TimerEntry p = e.timerPrev, n = e.timerNext;
        if (p == null) slot.head = n;
        else p.timerNext = n;
        if (n == null) slot.tail = p;
        else n.timerPrev = p;
        e.timerPrev = e.timerNext = null;
        e.bucket = null;
        size--;
    }

    /** True if a timer is armed. */
    public synchronized boolean hasPending() {
        return size > 0;
    }

    /** The earliest armed deadline, or {@code Long.MAX_VALUE} if no timer is armed. */
    public synchronized long nextDeadline() {
        return slots.isEmpty() ? Long.MAX_VALUE : slots.firstKey();
    }

    /** The number of armed timers. */
    public synchronized int pending() {
        return size;
    }

    /**
     * Moves time to the earliest deadline and expires every entry due then, in arming order.
     * Call on the carrier, when nothing else can run.
     *
     * @return false if no timer was armed (time did not move)
     */
    public boolean advance() {
        List<TimerEntry> due = new ArrayList<>();
        synchronized (this) {
            Map.Entry<Long, Slot> first = slots.pollFirstEntry();
            if (first == null) return false;
            Slot slot = first.getValue();
            if (slot.deadline > now) now = slot.deadline;
            for (TimerEntry e = slot.head, next; e != null; e = next) {
                next = e.timerNext;
                e.timerPrev = e.timerNext = null;
                e.bucket = null;
                size--;
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
}
