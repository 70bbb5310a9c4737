package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * The real-time {@link Clock} of the parallel hub: a hashed wheel of timer buckets and one
 * platform thread that wakes the entries that are due.
 *
 * <h2>Overview (for maintainers)</h2>
 * Entries are hashed by deadline tick ({@code deadline >>> TICK_SHIFT}, about one millisecond)
 * into {@value #BUCKETS} buckets, each a doubly-linked list under its own spin lock (held for a
 * few instructions; a CAS and a release store, cheaper than a monitor), so
 * {@code schedule} and {@code cancel} are O(1) and a cancelled entry is unlinked (freed) at
 * once. Each bucket keeps {@code min}, a lower bound of its deadlines: exact after the timer
 * thread walked it, lowered by every insert, left alone by a cancel (a stale bound only costs
 * one early look, never an early expiry).
 *
 * <p>The timer thread: it sets {@code nextWake} to "scanning" ({@link Long#MAX_VALUE}), walks
 * the buckets whose bound is due, unlinks the entries whose deadline has passed, takes the
 * minimum of the bounds, publishes it as {@code nextWake} and parks until then. An inserter
 * links its entry, then reads {@code nextWake}; if its deadline is earlier, it lowers
 * {@code nextWake} and unparks the thread. Both sides write then read volatile fields (bucket
 * {@code min} / {@code nextWake}), so either the scan sees the new entry or the inserter sees
 * that it must wake the thread: the thread is woken only for a new earliest deadline.
 *
 * <p>Expiry never runs user code: entries only wake waiters or queue signals. Every batch is
 * expired on the timer thread, a platform thread: the carriers it wakes greenlets onto cannot
 * slow it down (a million sleepers due together are filed in well under a second).
 */
public final class TimerWheel implements Clock {
    private static final int TICK_SHIFT = 20; // 2^20 ns ≈ 1.05 ms
    private static final int BUCKETS = 4096;
    private static final int MASK = BUCKETS - 1;

    private static final class Bucket {
        TimerEntry head; // guarded by lock
        volatile long min = Long.MAX_VALUE;
        volatile int lock; // a spin lock: held for a few instructions (a whole walk in collect)

        void lock() {
            while (!LOCK.weakCompareAndSetAcquire(this, 0, 1)) Thread.onSpinWait();
        }

        void unlock() {
            LOCK.setRelease(this, 0);
        }
    }

    private final Bucket[] buckets = new Bucket[BUCKETS];
    private final String name;
    private volatile long nextWake = Long.MAX_VALUE;
    private volatile Thread thread;
    private volatile boolean closed;
    private final java.util.concurrent.atomic.AtomicLong lastExpired = new java.util.concurrent.atomic.AtomicLong();

    /**
     * A wheel whose timer thread (started on the first schedule) is named {@code name}.
     *
     * @param name the timer thread's name
     */
    public TimerWheel(String name) {
        this.name = name;
        for (int i = 0; i < BUCKETS; i++) buckets[i] = new Bucket();
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public void schedule(TimerEntry entry, long deadline) {
        if (closed) throw new IllegalStateException("the hub's clock is closed");
        Bucket b = buckets[(int) (deadline >>> TICK_SHIFT) & MASK];
        entry.deadline = deadline;
        b.lock();
        try {
            if (entry.bucket != null) throw new IllegalStateException("timer entry already armed");
            TimerEntry h = b.head;
            entry.timerPrev = null;
            entry.timerNext = h;
            if (h != null) h.timerPrev = entry;
            b.head = entry;
            entry.bucket = b;
            if (deadline < b.min) b.min = deadline;
        } finally {
            b.unlock();
        }
        long wake = nextWake;
        while (deadline < wake) {
            if (NEXT_WAKE.compareAndSet(this, wake, deadline)) {
                Thread t = thread;
                if (t == null) t = startThread();
                LockSupport.unpark(t);
                return;
            }
            wake = nextWake;
        }
    }

    @Override
    public boolean cancel(TimerEntry entry) {
        Object o = entry.bucket;
        if (o == null) return false;
        Bucket b = (Bucket) o;
        b.lock();
        try {
            if (entry.bucket != b) return false;
            unlink(b, entry);
            return true;
        } finally {
            b.unlock();
        }
    }

    private static void unlink(Bucket b, TimerEntry e) {
        TimerEntry p = e.timerPrev, n = e.timerNext;
        if (p == null) b.head = n;
        else p.timerNext = n;
        if (n != null) n.timerPrev = p;
        e.timerPrev = e.timerNext = null;
        e.bucket = null;
    }

    private synchronized Thread startThread() {
        Thread t = thread;
        if (t == null) {
            t = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
            thread = t;
            t.start();
        }
        return t;
    }

    @Override
    public void close() {
        closed = true;
        Thread t = thread;
        if (t != null) LockSupport.unpark(t);
    }

    private void loop() {
        ArrayList<TimerEntry> due = new ArrayList<>();
        while (!closed) {
            nextWake = Long.MAX_VALUE; // scanning: inserters will unpark us
            long now = System.nanoTime();
            long next = Long.MAX_VALUE;
            for (Bucket b : buckets) {
                if (b.min <= now) collect(b, now, due);
                long m = b.min;
                if (m < next) next = m;
            }
            if (!due.isEmpty()) {
                expireAll(due);
                due = new ArrayList<>();
                continue; // expiry took time: look again before parking
            }
            nextWake = next;
            if (next == Long.MAX_VALUE) {
                LockSupport.park(this);
            } else {
                long delay = next - System.nanoTime();
                if (delay > 0) LockSupport.parkNanos(this, delay);
            }
        }
    }

    private static void collect(Bucket b, long now, ArrayList<TimerEntry> due) {
        b.lock();
        try {
            long min = Long.MAX_VALUE;
            for (TimerEntry e = b.head, n; e != null; e = n) {
                n = e.timerNext;
                if (e.deadline <= now) {
                    unlink(b, e);
                    due.add(e);
                } else if (e.deadline < min) {
                    min = e.deadline;
                }
            }
            b.min = min;
        } finally {
            b.unlock();
        }
    }

    /**
     * When, on this clock, the latest expiry finished: every entry due by then has been expired
     * (its waiter woken, its signal queued). For benchmarks: the time the timer needed to file
     * a crowd due at once, apart from the JDK's time to resume the woken threads.
     *
     * @return a {@link #nanoTime()} value, or 0 before the first expiry
     */
    public long lastExpiryNanos() {
        return lastExpired.get();
    }

    /**
     * Expires a batch on the timer thread itself. Handing large batches to virtual threads (as
     * weft did) made the wake-ups compete for the carriers with the very greenlets they woke: a
     * million sleepers due at once took 12.7 s to be filed, as long as their resumption. An
     * expiry is a CAS and an unpark (a submission to the scheduler's queue), well under a
     * microsecond, so one platform thread files a million in a fraction of a second, whatever
     * the carriers are busy with.
     */
    private void expireAll(ArrayList<TimerEntry> due) {
        for (int i = 0, n = due.size(); i < n; i++) expireOne(due.get(i));
        lastExpired.accumulateAndGet(System.nanoTime(), Math::max);
    }

    private static void expireOne(TimerEntry e) {
        try {
            e.expire();
        } catch (Throwable t) {
            // expiry is internal code; a failure here is a weft bug, never swallowed silently
            Thread.currentThread().getUncaughtExceptionHandler()
                    .uncaughtException(Thread.currentThread(), t);
        }
    }

    // VarHandle mechanics
    private static final VarHandle NEXT_WAKE;
    private static final VarHandle LOCK;

    static {
        try {
            NEXT_WAKE = MethodHandles.lookup().findVarHandle(TimerWheel.class, "nextWake", long.class);
            LOCK = MethodHandles.lookup().findVarHandle(Bucket.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
