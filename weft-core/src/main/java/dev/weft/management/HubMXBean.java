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
    /**
     * The hub's name, e.g. {@code parallel-3}.
     *
     * @return the hub's name, e.g. {@code parallel-3}
     */
    String getName();

    /**
     * {@code default}, {@code parallel}, {@code cooperative} or {@code simulated}.
     *
     * @return {@code default}, {@code parallel}, {@code cooperative} or {@code simulated}
     */
    String getKind();

    /**
     * Whether the hub was closed.
     *
     * @return whether the hub was closed
     */
    boolean isClosed();

    /**
     * Live greenlets now: created, scheduled, running or waiting (a gauge).
     *
     * @return live greenlets now: created, scheduled, running or waiting (a gauge)
     */
    int getLiveGreenlets();

    /**
     * Greenlets whose body started.
     *
     * @return greenlets whose body started
     */
    long getStartedGreenlets();

    /**
     * Greenlets that ended, whatever the outcome (those killed before starting included).
     *
     * @return greenlets that ended, whatever the outcome (those killed before starting included)
     */
    long getFinishedGreenlets();

    /**
     * Greenlets that ended with a {@code GreenletExit} (killed).
     *
     * @return greenlets that ended with a {@code GreenletExit} (killed)
     */
    long getKilledGreenlets();

    /**
     * Greenlets that ended with another exception (failed).
     *
     * @return greenlets that ended with another exception (failed)
     */
    long getFailedGreenlets();

    /**
     * Kills sent to live greenlets of this hub.
     *
     * @return kills sent to live greenlets of this hub
     */
    long getKillsSent();

    /**
     * Timeouts started with a finite duration by greenlets of this hub.
     *
     * @return timeouts started with a finite duration by greenlets of this hub
     */
    long getTimeoutsArmed();

    /**
     * Timeouts of greenlets of this hub that fired.
     *
     * @return timeouts of greenlets of this hub that fired
     */
    long getTimeoutsFired();

    /**
     * Failures handed to the hub's error handler.
     *
     * @return failures handed to the hub's error handler
     */
    long getErrorsReported();

    /**
     * Greenlets parked in a weft wait now (a gauge).
     *
     * @return greenlets parked in a weft wait now (a gauge)
     */
    int getParkedGreenlets();

    /**
     * Parked greenlets by kind of primitive, at the moment of the call.
     *
     * @return greenlets parked now by kind of primitive ({@code Greenlet} for joins,
     *     {@code Event}, {@code Queue}, {@code Semaphore}, {@code Pool}, {@code sleep}, ...)
     */
    Map<String, Integer> getParkedByKind();

    /**
     * Live greenlets by state ({@code RUNNING}, {@code WAITING}, {@code BLOCKED}, ...).
     *
     * @return live greenlets by state ({@code RUNNING}, {@code WAITING}, {@code BLOCKED}, ...)
     */
    Map<String, Integer> getGreenletsByState();

    /**
     * The pools made while this hub was current and still reachable.
     *
     * @return the pools made while this hub was current and still reachable
     */
    List<PoolStats> getPools();

    /**
     * The latest failures of this hub's greenlets, newest first (at most 32).
     *
     * @return the latest failures of this hub's greenlets, newest first (at most 32)
     */
    List<RecentFailure> getRecentFailures();

    /**
     * The greenlet tree as text ({@code Hub.dump()}), as a JMX operation.
     *
     * @return the tree
     */
    String dump();
}
