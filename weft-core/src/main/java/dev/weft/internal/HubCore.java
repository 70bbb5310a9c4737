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
    private final AtomicLong ids = new AtomicLong();

    protected HubCore(Clock clock, ThreadFactory threads) {
        this.clock = clock;
        this.threads = threads;
    }

    /** This hub's clock (real or virtual). */
    protected final Clock clock() {
        return clock;
    }

    /** A new unstarted thread for {@code task}, on this hub's scheduler. */
    protected final Thread newThread(Runnable task) {
        return threads.newThread(task);
    }

    /** The next id of this hub: unique, increasing, starting at 1. */
    protected final long nextId() {
        return ids.incrementAndGet();
    }
}
