package dev.weft.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every hub kind provides to the engine: a clock with timers, a factory for the threads
 * its greenlets run on, per-hub ids, and the error sink. The public {@code Hub} builds on it;
 * the cooperative and simulated hubs plug a different scheduler and clock into the same shape.
 */
public abstract class HubCore implements ErrorSink {
    final Clock clock;
    final ThreadFactory threads;
    /** Whether a waiter may spin briefly before parking: never on a single carrier (it would starve the greenlet it waits for). */
    final boolean spinBeforePark;
    /** A cooperative or simulated hub: selfish acts apply ({@link Selfish}). */
    final boolean singleCarrier;
    private final AtomicLong ids = new AtomicLong();

    protected HubCore(Clock clock, ThreadFactory threads, boolean singleCarrier) {
        this.clock = clock;
        this.threads = threads;
        // spinning is for a hand-over from another carrier: with one carrier (a single-carrier hub,
        // one CPU, or -Djdk.virtualThreadScheduler.parallelism=1) the spinner would only hold the
        // carrier the greenlet it waits for needs (FanOutBench at parallelism 1: 1,600 ns per item
        // with the spin, 490 without)
        this.spinBeforePark = !singleCarrier && VirtualThreads.defaultSchedulerParallelism() > 1
                && Runtime.getRuntime().availableProcessors() > 1;
        this.singleCarrier = singleCarrier;
        if (singleCarrier) Selfish.hubOpened(); // Hub.close() calls Selfish.hubClosed()
    }

    /** Counters, recent failures and pools for JMX and the console (Telemetry). */
    final HubStats stats = new HubStats();

    /**
     * This hub's clock (real or virtual).
     *
     * @return the clock every deadline of this hub is measured on; never changes
     */
    protected final Clock clock() {
        return clock;
    }

    /**
     * A new unstarted thread for {@code task}, on this hub's scheduler.
     *
     * @param task what the thread runs
     * @return a new virtual thread, not started, scheduled by this hub's scheduler once started
     */
    protected final Thread newThread(Runnable task) {
        return threads.newThread(task);
    }

    /**
     * The next id of this hub: unique, increasing, starting at 1.
     *
     * @return an id never returned before by this hub; at least 1
     */
    protected final long nextId() {
        return ids.incrementAndGet();
    }
}
