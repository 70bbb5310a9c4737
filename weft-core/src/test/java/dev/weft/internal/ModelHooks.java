package dev.weft.internal;

/**
 * Test-only access to the engine for the model checks in {@code dev.weft.model}: what the
 * clock's thread does, and a few package-private reads. Nothing here changes engine behaviour.
 */
public final class ModelHooks {
    private ModelHooks() {}

    /** The clock of {@code s}'s hub: the one its timed waits and Timeouts are armed in. */
    public static Clock clockOf(Strand s) {
        return s.hub.clock;
    }

    /**
     * What a clock's thread does with a due entry, in its two steps: takes it out of the clock
     * (the wheel's {@code collect}, the virtual clock's {@code advance}), then, outside the clock's
     * lock, expires it. A model checker can switch threads between the two, as the real timer can
     * be preempted there.
     *
     * @return false if the entry was not armed (never armed, cancelled, or taken already)
     */
    public static boolean fire(Clock clock, TimerEntry entry) {
        if (!clock.cancel(entry)) return false;
        entry.expire();
        return true;
    }

    /** True while {@code entry} is armed in a clock. */
    public static boolean isArmed(TimerEntry entry) {
        return entry.bucket != null;
    }

    /** Binds {@code s} to {@code thread}, as a greenlet is bound before its thread starts. */
    public static void bind(Strand s, Thread thread) {
        s.thread = thread;
    }
}
