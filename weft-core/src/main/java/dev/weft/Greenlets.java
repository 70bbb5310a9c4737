package dev.weft;

import dev.weft.internal.Signals;
import dev.weft.internal.Waiter;
import java.time.Duration;
import java.util.Objects;

/**
 * gevent's top-level functions that are not methods of one greenlet: sleeping and yielding.
 *
 * <p>Each is a blocking point of the calling greenlet: a kill or an expired {@link Timeout}
 * aimed at it is thrown there. They work on any thread (a thread weft did not start has an
 * adopted greenlet). Time is the hub's clock.
 */
public final class Greenlets {
    private Greenlets() {}

    /**
     * Sleeps for {@code duration} on the current hub's clock. {@link Duration#ZERO} yields
     * instead (see {@link #yieldNow()}).
     *
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws NullPointerException if {@code duration} is null
     */
    public static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) throw new IllegalArgumentException("negative duration: " + duration);
        if (duration.isZero()) {
            yieldNow();
            return;
        }
        Greenlet<?> me = Greenlet.current();
        new Waiter(me, false).await(Waiter.deadline(me, duration));
    }

    /**
     * Sleeps until the current hub's clock reads {@code deadlineNanos} (a value of
     * {@link Hub#nanoTime()}, not of {@link System#nanoTime()}). Returns at once if it has passed.
     */
    public static void sleepUntil(long deadlineNanos) {
        Greenlet<?> me = Greenlet.current();
        new Waiter(me, false).await(deadlineNanos == Waiter.NO_DEADLINE ? deadlineNanos - 1 : deadlineNanos);
    }

    /**
     * Lets other greenlets run, then throws a signal queued for the current greenlet, if any
     * (gevent's {@code sleep(0)}, Shrapnel's {@code yield_slice}).
     */
    public static void yieldNow() {
        Greenlet<?> me = Greenlet.current();
        Thread.yield();
        Signals.deliverPending(me);
    }
}
