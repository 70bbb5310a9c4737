package dev.weft.management;

import java.util.List;
import java.util.Map;

/**
 * A hub's metrics over JMX, registered as {@code dev.weft:type=Hub,name=<hub name>} for every
 * open hub (see {@link Monitoring}) and unregistered when the hub closes. Visible in
 * {@code jconsole} and through {@code ManagementFactory.getPlatformMBeanServer()}.
 *
 * <p>Counters ({@code Started}, {@code Finished}, ...) count since the hub was made and cost a
 * {@code LongAdder} increment on the engine's path. Gauges ({@code Live}, {@code Parked},
 * {@code ParkedByKind}, {@code GreenletsByState}, {@code Pools}) cost nothing on the engine's path:
 * they are computed when read, from a scan of the hub's registry (linear in its live greenlets).
 */
public interface HubMXBean {
    /** @return the hub's name, e.g. {@code parallel-3} */
    String getName();

    /** @return {@code default}, {@code parallel}, {@code cooperative} or {@code simulated} */
    String getKind();

    /** @return whether the hub was closed */
    boolean isClosed();

    /** @return live greenlets now: created, scheduled, running or waiting (a gauge) */
    int getLiveGreenlets();

    /** @return greenlets whose body started */
    long getStartedGreenlets();

    /** @return greenlets that ended, whatever the outcome (those killed before starting included) */
    long getFinishedGreenlets();

    /** @return greenlets that ended with a {@code GreenletExit} (killed) */
    long getKilledGreenlets();

    /** @return greenlets that ended with another exception (failed) */
    long getFailedGreenlets();

    /** @return kills sent to live greenlets of this hub */
    long getKillsSent();

    /** @return timeouts started with a finite duration by greenlets of this hub */
    long getTimeoutsArmed();

    /** @return timeouts of greenlets of this hub that fired */
    long getTimeoutsFired();

    /** @return failures handed to the hub's error handler */
    long getErrorsReported();

    /** @return greenlets parked in a weft wait now (a gauge) */
    int getParkedGreenlets();

    /**
     * @return greenlets parked now by kind of primitive ({@code Greenlet} for joins,
     *     {@code Event}, {@code Queue}, {@code Semaphore}, {@code Pool}, {@code sleep}, ...)
     */
    Map<String, Integer> getParkedByKind();

    /** @return live greenlets by state ({@code RUNNING}, {@code WAITING}, {@code BLOCKED}, ...) */
    Map<String, Integer> getGreenletsByState();

    /** @return the pools made while this hub was current and still reachable */
    List<PoolStats> getPools();

    /** @return the latest failures of this hub's greenlets, newest first (at most 32) */
    List<RecentFailure> getRecentFailures();

    /**
     * The greenlet tree as text ({@code Hub.dump()}), as a JMX operation.
     *
     * @return the tree
     */
    String dump();
}
