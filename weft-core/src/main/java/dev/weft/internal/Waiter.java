package dev.weft.internal;

import java.util.concurrent.CancellationException;
import java.util.concurrent.locks.LockSupport;

/**
 * The waiting core: the one place in weft that parks a thread (ARCHITECTURE §3). Every blocking
 * operation — join, get, sleep, Event.await, AsyncResult.get, and later semaphores, queues and
 * pool slots — creates a waiter, registers it where the hand-over will come from, and calls
 * {@link #await(long)}.
 *
 * <h2>Overview (for maintainers)</h2>
 * <pre>
 *   await loop:  outcome decided?  ── hand-over ──▶ return true
 *                      │            ── cancelled ─▶ return false (only the deadline cancels it)
 *                      ▼
 *                signal queued?  ── poll it, then tryCancel():
 *                      │              won  ──▶ throw the signal (delivered here)
 *                      │              lost ──▶ the hand-over won: put the signal back first in
 *                      │                       the queue (it waits for the next blocking point)
 *                      ▼                       and return true
 *                interrupted?    ── weft's own / a signal: loop; foreign: kill (greenlet) or
 *                      │            CancellationException (adopted thread, flag set again)
 *                      ▼
 *                LockSupport.park
 * </pre>
 * Exactly one CAS decides the node (see {@link Node}). A timed wait arms the waiter itself in
 * the hub's clock; expiry cancels it and unparks. The core never spins on a single carrier; on
 * a multi-core parallel hub an untimed wait spins for a few dozen {@code onSpinWait}s first
 * (48: measured against ping-pong and fan-out in weft-bench, where more spinning helps the one
 * and starves the other of the second core).
 */
public class Waiter extends Node {
    /** The deadline of a wait without limit. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;
    /** How long an untimed wait on a multi-core parallel hub spins before it parks. */
    private static final int SPINS = 48;

    /**
     * Refuses a negative timeout at the call site, before any fast path.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static void checkTimeout(java.time.Duration timeout) {
        if (timeout != null && timeout.isNegative()) throw new IllegalArgumentException("negative timeout: " + timeout);
    }

    /**
     * The deadline {@code timeout} from now on {@code s}'s hub clock: {@link #NO_DEADLINE} for
     * {@code null} or a timeout too long to represent.
     *
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static long deadline(Strand s, java.time.Duration timeout) {
        if (timeout == null) return NO_DEADLINE;
        if (timeout.isNegative()) throw new IllegalArgumentException("negative timeout: " + timeout);
        long nanos;
        try {
            nanos = timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return NO_DEADLINE;
        }
        long now = s.hub.clock.nanoTime();
        long d = now + nanos;
        return ((now ^ d) & (nanos ^ d)) < 0 || d == NO_DEADLINE ? NO_DEADLINE : d;
    }

    /** {@link #parkedSince} of a waiter that has not parked (yet). */
    static final long NOT_PARKED = Long.MIN_VALUE;

    private final Strand strand; // its thread is the one that waits
    private final boolean receives;
    private final Object blocker;
    long parkedSince = NOT_PARKED; // the hub clock when it first parked: the dump's "for how long" (Telemetry)

    /**
     * A waiter for the current thread, which must be {@code strand}'s (its bound thread).
     *
     * @param receives whether this wait receives a greenlet's failure (join/get do; plumbing does not)
     * @param blocker what it waits on, for dumps and deadlock reports (an object or a description)
     */
    public Waiter(Strand strand, boolean receives, Object blocker) {
        this.strand = strand;
        this.receives = receives;
        this.blocker = blocker;
    }

    /** What this waiter waits on, as given at creation. */
    public Object blocker() {
        return blocker;
    }

    @Override
    public final boolean offer(Object value) {
        if (!tryComplete(value)) return false;
        LockSupport.unpark(strand.thread);
        return true;
    }

    /** Wakes the waiting thread after a {@link #claim}. */
    public final void wake() {
        LockSupport.unpark(strand.thread);
    }

    /** The strand that waits. */
    public final Strand strand() {
        return strand;
    }

    @Override
    protected final void expire() {
        if (tryCancel()) LockSupport.unpark(strand.thread);
    }

    @Override
    boolean receives() {
        return receives;
    }

    /** The value handed over ({@code null} if none, or if the wait did not succeed). */
    public Object value() {
        return completedValue();
    }

    /**
     * On a parallel hub with several cores, a hand-over often comes within a microsecond (a
     * ping-pong): spinning that long saves a park and the wake-up of an idle carrier, as
     * {@code SynchronousQueue} does. Never on a single carrier, never for timed waits (sleeps).
     */
    private void spinBriefly(Strand s) {
        for (int i = 0; i < SPINS; i++) {
            if (rawOutcome() != null || s.signals != null) return;
            Thread.onSpinWait();
        }
    }

    /**
     * Parks until a hand-over completes this waiter, the deadline passes, or a signal arrives.
     *
     * @param deadline on the strand's hub clock, or {@link #NO_DEADLINE}
     * @return true if the hand-over won; false if the deadline passed first
     * @throws dev.weft.Interrupted the first queued signal (a kill, a Timeout), if it won
     * @throws CancellationException on a thread weft did not start, if it was interrupted by
     *     someone else (the interrupt flag is set again)
     */
    public final boolean await(long deadline) {
        Strand s = strand;
        Clock clock = s.hub.clock;
        boolean timed = deadline != NO_DEADLINE;
        if (timed) {
            if (deadline - clock.nanoTime() <= 0) return awaitExpired(s);
            clock.schedule(this, deadline);
        }
        s.parkedOn = this;
        Selfish.parked(s); // a wait that parks gives the others their turn: the selfish budget refills
        try {
            if (!timed && s.hub.spinBeforePark) spinBriefly(s);
            for (;;) {
                Object o = rawOutcome();
                if (o != null) {
                    // cancelled by a kill's sender (or by the deadline while a signal is queued)
                    if (o == CANCELLED && s.signals != null) {
                        Object sig = SignalQueue.poll(s);
                        if (sig != null) throw SignalQueue.sneakyThrow(SignalQueue.delivered(s, sig));
                    }
                    return o != CANCELLED;
                }
                if (s.signals != null) {
                    Object sig = SignalQueue.poll(s);
                    if (sig != null) {
                        if (tryCancel() || isCancelled()) throw SignalQueue.sneakyThrow(SignalQueue.delivered(s, sig));
                        SignalQueue.pushFront(s, sig); // the hand-over won; the signal waits its turn
                        continue;
                    }
                }
                if (Thread.interrupted()) {
                    if (!SignalQueue.onInterrupt(s) && tryCancel()) {
                        throw new CancellationException("interrupted while waiting in weft");
                    }
                    continue;
                }
                if (parkedSince == NOT_PARKED) parkedSince = clock.nanoTime(); // Telemetry: waiting since
                LockSupport.park(this);
            }
        } finally {
            s.parkedOn = null;
            if (timed) clock.cancel(this);
            // senders that saw us parked only unparked us: interrupt ourselves for what is still
            // queued (JDK code may come next), or take back an interrupt whose signal is gone
            if (SignalQueue.unsettled(s)) SignalQueue.settle(s);
        }
    }

    /**
     * A wait whose deadline has passed already is still a blocking point: it yields (so a loop
     * of expired waits cannot starve a single carrier), takes a queued signal, and is decided.
     */
    private boolean awaitExpired(Strand s) {
        Selfish.parked(s); // it yields: the others get their turn, the selfish budget refills
        Thread.yield();
        SignalQueue.foreignInterruptIsAKill(s);
        if (s.signals != null) {
            Object sig = SignalQueue.poll(s);
            if (sig != null) {
                if (tryCancel()) throw SignalQueue.sneakyThrow(SignalQueue.delivered(s, sig));
                SignalQueue.pushFront(s, sig);
            }
        }
        if (SignalQueue.unsettled(s)) SignalQueue.settle(s);
        if (tryCancel()) return false;
        return !isCancelled();
    }
}
