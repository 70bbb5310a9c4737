package dev.weft.internal;

/**
 * An entry in a hub's timer: something to do, without user code, once the hub's clock
 * reaches {@link #deadline()}.
 *
 * <p>A subclass implements {@link #expire()}, which runs on the timer's own thread (or on a
 * carrier thread the timer hands a large batch to) and must only wake waiters or queue
 * signals: it never runs user code and never blocks.
 *
 * <p>An entry is in at most one timer at a time. Membership is guarded by the timer bucket's
 * monitor; {@code bucket} is volatile so that a cancel from another thread sees it.
 */
public abstract class TimerEntry {
    /** The deadline on the hub's clock, in nanoseconds. Written before the entry is linked. */
    long deadline;
    /** The bucket holding this entry, or {@code null} when it is in no timer. */
    volatile Object bucket;
    TimerEntry timerPrev, timerNext; // guarded by the clock (the bucket's or the VirtualClock's monitor)

    /** The deadline this entry was last scheduled for, on the hub's clock. */
    public final long deadline() {
        return deadline;
    }

    /** Called once when the deadline has passed and the entry was not cancelled first. */
    protected abstract void expire();
}
