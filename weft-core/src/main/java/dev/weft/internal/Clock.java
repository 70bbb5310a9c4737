package dev.weft.internal;

/**
 * A hub's clock and its timers. Every timed wait of the library goes through one of these,
 * so that a simulated hub can make time virtual.
 *
 * <p>Contract for {@link #schedule}: an entry never expires before its deadline and, on a real
 * clock, at most about one tick after it. {@link #cancel} is O(1) and frees the entry at once.
 */
public interface Clock {
    /** Nanoseconds on this clock; only differences are meaningful, as with {@link System#nanoTime()}. */
    long nanoTime();

    /** Arms {@code entry} to expire at {@code deadline} (on this clock). The entry must be in no timer. */
    void schedule(TimerEntry entry, long deadline);

    /**
     * Disarms {@code entry}.
     *
     * @return true if the entry was armed and will now never expire; false if it has expired,
     *     is expiring, or was never armed
     */
    boolean cancel(TimerEntry entry);

    /** Stops the clock's thread, if it has one. Entries still armed never expire. */
    void close();
}
