package dev.weft.internal;

import dev.weft.management.RecentFailure;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * One hub's counters, its recent failures and its pools, kept by {@link Telemetry}.
 *
 * <h2>Overview (for maintainers)</h2>
 * Counters are {@link LongAdder}s: an increment is a CAS on a base word, striped into cells only
 * under contention, so the parallel hub's carriers do not fight over one cache line. Gauges
 * (live, parked, parked by kind) are not counted on the hot path at all: they are computed from
 * the hub's registry when read. Failures are kept in a small ring, overwritten oldest first.
 * Pools are tracked weakly: a pool nobody references is collected and drops out (its entry is
 * expunged on the next pool creation), so short-lived pools never leak.
 */
public final class HubStats {
    /** How many recent failures a hub keeps. */
    public static final int RECENT_FAILURES = 32;

    final LongAdder started = new LongAdder();
    final LongAdder ended = new LongAdder();
    final LongAdder killed = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder killsSent = new LongAdder();
    final LongAdder timeoutsArmed = new LongAdder();
    final LongAdder timeoutsFired = new LongAdder();
    final LongAdder errorsReported = new LongAdder();

    private final RecentFailure[] ring = new RecentFailure[RECENT_FAILURES];
    private long failureSeq; // guarded by ring

    private final Set<PoolRef> pools = ConcurrentHashMap.newKeySet();
    private final ReferenceQueue<Object> collectedPools = new ReferenceQueue<>();

    private static final class PoolRef extends WeakReference<Object> {
        PoolRef(Object pool, ReferenceQueue<Object> q) {
            super(pool, q);
        }
    }

    HubStats() {}

    /**
     * Greenlets whose body started.
     *
     * @return greenlets whose body started
     */
    public long started() { return started.sum(); }

    /**
     * Greenlets that ended, whatever the outcome (killed before starting included).
     *
     * @return greenlets that ended, whatever the outcome (killed before starting included)
     */
    public long ended() { return ended.sum(); }

    /**
     * Greenlets that ended with a GreenletExit.
     *
     * @return greenlets that ended with a GreenletExit
     */
    public long killed() { return killed.sum(); }

    /**
     * Greenlets that ended with another exception.
     *
     * @return greenlets that ended with another exception
     */
    public long failed() { return failed.sum(); }

    /**
     * Kills sent to live greenlets of this hub.
     *
     * @return kills sent to live greenlets of this hub
     */
    public long killsSent() { return killsSent.sum(); }

    /**
     * Timeouts started by greenlets of this hub with a finite duration.
     *
     * @return timeouts started by greenlets of this hub with a finite duration
     */
    public long timeoutsArmed() { return timeoutsArmed.sum(); }

    /**
     * Timeouts of greenlets of this hub that expired.
     *
     * @return timeouts of greenlets of this hub that expired
     */
    public long timeoutsFired() { return timeoutsFired.sum(); }

    /**
     * Failures handed to this hub's error handler.
     *
     * @return failures handed to this hub's error handler
     */
    public long errorsReported() { return errorsReported.sum(); }

    void recordFailure(long greenletId, String name, Throwable error) {
        long now = System.currentTimeMillis();
        String type = error.getClass().getName();
        String message = String.valueOf(error.getMessage());
        synchronized (ring) { // failures are rare; the lock keeps slot and sequence together
            long n = failureSeq++;
            ring[(int) (n % RECENT_FAILURES)] = new RecentFailure(n, now, greenletId, name, type, message);
        }
    }

    /**
     * The most recent failures, newest first.
     *
     * @return at most {@link #RECENT_FAILURES}, a copy
     */
    public List<RecentFailure> recentFailures() {
        List<RecentFailure> out = new ArrayList<>();
        synchronized (ring) {
            for (RecentFailure f : ring) if (f != null) out.add(f);
        }
        out.sort((a, b) -> Long.compare(b.getSequence(), a.getSequence()));
        return out;
    }

    void trackPool(Object pool) {
        for (java.lang.ref.Reference<?> r; (r = collectedPools.poll()) != null; ) pools.remove(r);
        pools.add(new PoolRef(pool, collectedPools));
    }

    /**
     * The pools made while this hub was current that are still reachable.
     *
     * @return a new list; order unspecified
     */
    public List<Object> pools() {
        List<Object> out = new ArrayList<>();
        for (PoolRef r : pools) {
            Object p = r.get();
            if (p != null) out.add(p);
        }
        return out;
    }
}
