package dev.weft.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Shrapnel's selfish acts: how a greenlet whose queue, lock or event is always ready cannot
 * starve its hub. Each greenlet has a budget ({@code setMaxSelfishActs}, default 4): a blocking
 * operation that completes without parking spends one act; when none is left, the next such
 * operation first yields — a plain {@code Thread.yield()}, before the operation did anything, and
 * not a blocking point: no signal is delivered there, so a primitive called from a rawlink
 * listener on a dying greenlet's thread cannot throw that greenlet's kill — and the budget is
 * refilled. A real park refills it too ({@link Waiter#await}).
 *
 * <h2>Where it applies</h2>
 * The primitives call {@link #act()} at the entry of their blocking operations (queue
 * {@code get}/{@code put}, semaphore {@code acquire}, lock {@code lock}, event {@code await});
 * the {@code try*} forms never yield. It takes effect on the single-carrier hubs (cooperative,
 * simulated), where one greenlet's busy loop stops every other; on the parallel hubs it costs one
 * volatile read while no single-carrier hub is open and is otherwise skipped (docs/adr/0007).
 * Tests: coro/SelfishActsTest.
 */
public final class Selfish {
    private Selfish() {}

    /** The default budget of a greenlet (Shrapnel's). */
    public static final int DEFAULT = 4;
    /** The largest budget accepted (Shrapnel's). */
    public static final int MAX = 32768;

    /** Open single-carrier hubs: while there are none, {@link #act()} returns at once. */
    private static final AtomicInteger SINGLE_CARRIER_HUBS = new AtomicInteger();

    /** The current thread's strand; set by {@code Greenlet}'s class initialisation. */
    public static volatile Supplier<Strand> current;

    /** A single-carrier hub opened. */
    public static void hubOpened() {
        SINGLE_CARRIER_HUBS.incrementAndGet();
    }

    /**
     * True if a single-carrier hub is open now (a cheap test before a costlier one).
     *
     * @return whether any cooperative or simulated hub is open
     */
    public static boolean singleCarrierHubsOpen() {
        return SINGLE_CARRIER_HUBS.get() != 0;
    }

    /** A single-carrier hub closed. */
    public static void hubClosed() {
        SINGLE_CARRIER_HUBS.decrementAndGet();
    }

    /**
     * At the entry of a blocking operation: spends one selfish act of the current greenlet, or,
     * when none is left, refills the budget and yields (nothing has happened yet; no signal is
     * delivered here).
     */
    public static void act() {
        if (SINGLE_CARRIER_HUBS.get() == 0) return;
        Supplier<Strand> c = current;
        if (c == null) return; // no greenlet exists yet
        Strand s = c.get();
        if (!s.hub.singleCarrier) return;
        if (s.selfishLeft > 0) {
            s.selfishLeft--;
            return;
        }
        s.selfishLeft = s.maxSelfishActs;
        Thread.yield();
    }

    /** A park refills the budget: the greenlet gave the others their turn. */
    static void parked(Strand s) {
        s.selfishLeft = s.maxSelfishActs;
    }

    /**
     * Sets the budget of {@code s}.
     *
     * @return the previous maximum
     * @throws IllegalArgumentException outside 1..{@link #MAX}
     */
    public static int setMax(Strand s, int max) {
        if (max < 1) throw new IllegalArgumentException("max selfish acts must be at least 1: " + max);
        if (max > MAX) throw new IllegalArgumentException("max selfish acts must be at most " + MAX + ": " + max);
        int old = s.maxSelfishActs;
        s.maxSelfishActs = max;
        if (s.thread == Thread.currentThread()) s.selfishLeft = max; // the owner refills (Shrapnel resets)
        return old;
    }

    /** The budget of {@code s}. */
    public static int max(Strand s) {
        return s.maxSelfishActs;
    }

    /** The acts {@code s} has left before its next fast operation yields. */
    public static int left(Strand s) {
        return s.selfishLeft;
    }
}
