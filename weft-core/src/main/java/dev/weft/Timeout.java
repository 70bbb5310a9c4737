package dev.weft;

import dev.weft.internal.Clock;
import dev.weft.internal.SignalQueue;
import dev.weft.internal.Strand;
import dev.weft.internal.TimerEntry;
import dev.weft.internal.Waiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;

/**
 * Raises an exception in the greenlet that started it, once a duration has passed on the hub's
 * clock (gevent's {@code Timeout}, Shrapnel's {@code with_timeout}).
 *
 * {@snippet :
 * try (Timeout t = Timeout.start(Duration.ofSeconds(5))) {
 *     reply = queue.get();              // raises t here if 5 s pass first
 * } catch (Timeout t) {
 *     // only catch your own: if (t != mine) throw t;
 * }
 * }
 *
 * <h2>Semantics</h2>
 * <ul>
 * <li>When it expires, the timeout queues a signal for its greenlet. The signal is thrown at the
 *     greenlet's next blocking point (a weft wait, a sleep, a yield) — it is cooperative: a
 *     greenlet computing without blocking sees it only when it next blocks. A greenlet blocked
 *     in JDK code (a socket read, {@code Thread.sleep}) is interrupted.</li>
 * <li>The exception raised is this very instance — or the exception given to
 *     {@link #start(Duration, Throwable)} — so code can tell its own timeout from an outer one.
 *     Nested timeouts each keep their own signal; an inner one never hides an outer one.</li>
 * <li>{@link #cancel()} (and {@link #close()}, so try-with-resources) withdraws a signal that has
 *     not been delivered: a timeout never fires outside its scope.</li>
 * <li>A {@code null} duration never fires (for functions with an optional timeout); a zero
 *     duration fires at the next blocking point; a negative one is an
 *     {@link IllegalArgumentException}.</li>
 * <li>The silent form, gevent's {@code Timeout(s, False)}, is {@link #silently(Duration, Runnable)}:
 *     Java's try-with-resources cannot swallow an exception of its body.</li>
 * </ul>
 *
 * <h2>Pitfalls</h2>
 * Interrupting a virtual thread blocked in socket or {@code FileChannel} I/O closes the channel:
 * a timeout around a read destroys the connection, so servers should detect idle peers with
 * read timeouts. {@code synchronized} entry, {@code ReentrantLock.lock()}, {@code FileInputStream}
 * and DNS lookups ignore interrupts. Code that catches {@link Throwable} or {@link Error} and does
 * not rethrow defeats the timeout. Around JDK code that throws a checked exception, the JDK's
 * exception (an {@code InterruptedException}, a {@code SocketException}) is what leaves the
 * blocking call: in try-with-resources, catch it and ask {@link #isExpired()} (the functional
 * forms {@link #silently} and {@code Greenlets.withTimeout} do this for you; ADR 5). A
 * {@link #cancel()} from another thread after the timeout fired into JDK code cannot take back
 * the interrupt the thread already holds (Java lets only a thread clear its own interrupt
 * status): the greenlet's next JDK blocking call may throw {@code InterruptedException}; its next
 * weft blocking point clears it. Cancel a timeout from its own greenlet where JDK code follows.
 *
 * <p>Thread safety: start a timeout in the greenlet it is for; {@link #cancel()} and
 * {@link #isPending()} may be called from any thread.
 */
public class Timeout extends Interrupted implements AutoCloseable {
    private static final long serialVersionUID = 1L;

    /*
     * Each start() makes a fresh Expiry: the timer entry, the signal-queue token and the state of
     * that one start, so a stale entry of an earlier start can never fire a later one:
     *   PENDING ──clock expires──▶ FIRING ──signal queued──▶ FIRED ──delivered / withdrawn──▶ ...
     *      │                                                  │
     *      └──────────── cancel() ──▶ CANCELLED ◀── cancel(): signal withdrawn ──┘
     * FIRING is a few instructions on the timer thread; cancel() waits it out so the signal it
     * queues can be withdrawn (a timeout never fires outside its scope: TimeoutTest).
     */
    private static final int PENDING = 1, FIRING = 2, FIRED = 3, CANCELLED = 4;

    private final transient Duration duration;
    private final transient Throwable exception;
    private transient volatile Expiry current; // the latest start; null before the first

    /**
     * An unstarted timeout that raises itself.
     *
     * @param duration how long after {@link #start()}; {@code null} never fires
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public Timeout(Duration duration) {
        this(duration, null);
    }

    /**
     * An unstarted timeout that raises {@code exception} instead of itself.
     *
     * @param duration how long after {@link #start()}; {@code null} never fires
     * @param exception what to raise, or {@code null} to raise this timeout
     * @throws IllegalArgumentException if {@code duration} is negative, or {@code exception} is a
     *     checked exception (it could not be thrown honestly through the greenlet's frames)
     */
    public Timeout(Duration duration, Throwable exception) {
        super(null);
        if (duration != null && duration.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + duration);
        }
        if (exception != null) Greenlet.checkUnchecked(exception);
        this.duration = duration;
        this.exception = exception;
    }

    /**
     * Creates and starts a timeout that raises itself after {@code duration}.
     *
     * @param duration how long; {@code null} never fires
     * @return the started timeout
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public static Timeout start(Duration duration) {
        return new Timeout(duration, null).start();
    }

    /**
     * Creates and starts a timeout that raises {@code exception} after {@code duration}.
     *
     * @param duration how long; {@code null} never fires
     * @param exception what to raise (unchecked), or {@code null} to raise the timeout itself
     * @return the started timeout
     * @throws IllegalArgumentException if {@code duration} is negative or {@code exception} checked
     */
    public static Timeout start(Duration duration, Throwable exception) {
        return new Timeout(duration, exception).start();
    }

    /**
     * Runs {@code body} under a timeout and says whether it finished: gevent's
     * {@code with Timeout(d, False)}. Only this call's own timeout is swallowed; an outer timeout
     * or a kill passes through. The decision is made by the timeout's own state: if it expired
     * and {@code body} then ended with any exception — the Timeout itself, or what JDK blocking
     * code threw when the timer interrupted it ({@code InterruptedException},
     * {@code SocketException}…) — the answer is {@code false}.
     *
     * @param duration how long; {@code null} never expires
     * @param body the code to run
     * @return true if {@code body} finished, false if this call's timer ended it
     */
    public static boolean silently(Duration duration, CheckedRunnable body) {
        Objects.requireNonNull(body, "body");
        Timeout mine = start(duration);
        try {
            body.runChecked();
            return true;
        } catch (Throwable t) {
            if (mine.endedBy(t)) return false;
            throw Greenlets.rethrow(t);
        } finally {
            mine.cancel();
        }
    }

    /**
     * {@link #silently(Duration, CheckedRunnable)} for a {@link Runnable}.
     *
     * @param duration how long; {@code null} never expires
     * @param body the code to run
     * @return true if {@code body} finished, false if this call's timer ended it
     */
    public static boolean silently(Duration duration, Runnable body) {
        Objects.requireNonNull(body, "body");
        return silently(duration, (CheckedRunnable) body::run);
    }

    /**
     * True if {@code t}, which ended the code this timeout guarded, means this timeout ended it:
     * it is this timeout's own signal, or the timeout expired and {@code t} is not another
     * weft signal (an outer Timeout, a kill), so that it is what JDK code threw when the timer
     * interrupted it. In the second case {@code t} is attached to this timeout as suppressed.
     */
    final boolean endedBy(Throwable t) {
        if (t == raised()) return true;
        if (!isExpired() || t instanceof Interrupted) return false;
        if (t != this) raised().addSuppressed(t);
        return true;
    }

    /**
     * Starts the timer for the current greenlet. A timeout that expired before may be started
     * again; a signal of the earlier start that was not delivered is withdrawn first.
     *
     * @return this timeout
     * @throws IllegalStateException if it is pending already (cancel it first)
     */
    public Timeout start() {
        Expiry e = current;
        if (e != null) {
            int s;
            while ((s = e.state) == FIRING) SignalQueue.pause(); // the timer is queuing its signal: it has expired
            if (s == PENDING) {
                throw new IllegalStateException(this + " is already started; cancel it before restarting");
            }
            if (s == FIRED) e.cancel(); // an earlier, undelivered signal of ours must not linger
        }
        Greenlet<?> me = Greenlet.current();
        if (duration == null) {
            current = null;
            return this;
        }
        if (duration.isZero()) { // gevent: fires as soon as the greenlet next blocks
            Expiry now = new Expiry(me, null);
            now.expired = true;
            now.state = FIRED;
            current = now;
            dev.weft.internal.Telemetry.timeoutArmed(me);
            dev.weft.internal.Telemetry.timeoutFired(me, this);
            SignalQueue.send(me, now);
            return this;
        }
        long deadline = Waiter.deadline(me, duration);
        if (deadline == Waiter.NO_DEADLINE) {
            current = null;
            return this;
        }
        Clock c = me.hub().timerClock();
        Expiry next = new Expiry(me, c); // a fresh entry: a stale expiry of an earlier start cannot fire this one
        next.state = PENDING;
        current = next;
        dev.weft.internal.Telemetry.timeoutArmed(me);
        c.schedule(next, deadline);
        return this;
    }

    /**
     * Stops this timeout: its timer will not fire, and a signal it queued but that was not yet
     * delivered is withdrawn. Does nothing if it is not started, was cancelled, or its signal was
     * delivered.
     *
     * <p>From a thread other than the one that started it, a timeout that has not expired is
     * stopped; one that has expired and whose owner weft had to interrupt (it was not parked in
     * a weft wait) cannot be recalled — only the owner can take back its own interrupt — so its
     * signal stays queued: the owner gets it at its next blocking point, or withdraws it in its
     * own {@code cancel()}/{@code close()}. This call then returns false.
     *
     * @return true if this call stopped the timer or withdrew the signal; false if there was
     *     nothing to stop or it was too late
     */
    public boolean cancel() {
        Expiry e = current;
        return e != null && e.cancel();
    }

    /** The same as {@link #cancel()}, for try-with-resources. */
    @Override
    public void close() {
        cancel();
    }

    /**
     * True while the timer is running: started, not cancelled, not yet expired.
     *
     * @return true while the latest start's timer is armed; false before any start, for a
     *     timeout that never fires ({@code null} duration), and once it was cancelled or has fired
     */
    public boolean isPending() {
        Expiry e = current;
        return e != null && e.state == PENDING;
    }

    /**
     * True if the latest start of this timeout expired — its timer fired — whether or not its
     * signal was delivered, and even after {@link #cancel()}/{@link #close()}. This is how code
     * in try-with-resources tells, in a {@code catch} (which runs after {@code close()}), that
     * JDK blocking code failed because this timeout interrupted it:
     *
     * {@snippet :
     * Timeout t = Timeout.start(Duration.ofMillis(50));
     * try (t) {
     *     jdkQueue.take();                          // JDK code: the timer interrupts it
     * } catch (Timeout | InterruptedException e) {
     *     if (!t.isExpired()) throw e;              // not ours
     *     // timed out
     * }
     * }
     *
     * @return true if the timer of the latest start fired; false if it was never started, has
     *     not fired yet, or was cancelled in time
     */
    public boolean isExpired() {
        Expiry e = current;
        return e != null && e.expired;
    }

    /**
     * The duration, or {@code null} for a timeout that never fires.
     *
     * @return the duration given at creation
     */
    public Duration duration() {
        return duration;
    }

    /**
     * What this timeout raises: the exception given at creation, or itself.
     *
     * @return the throwable its signal throws
     */
    public Throwable raised() {
        return exception != null ? exception : this;
    }

    @Override
    public String getMessage() {
        String m = super.getMessage();
        if (m != null) return m;
        return duration == null ? "timeout that never fires" : "timed out after " + format(duration);
    }

    private static String format(Duration d) {
        long ms = d.toMillis();
        if (d.toNanos() % 1_000_000 != 0 && ms < 1000) return d.toNanos() / 1000.0 + " µs";
        if (ms < 10_000) return ms + " ms";
        return d.toString();
    }

    /**
     * One start: the timer entry, the token its signal is queued as, and the start's state. The
     * expiry runs on the timer thread (no user code): it queues the signal.
     */
    private final class Expiry extends TimerEntry implements SignalQueue.Token {
        private final Strand owner;
        private final Clock clock; // null for a zero duration (fired at start)
        volatile int state;
        volatile boolean expired;

        Expiry(Strand owner, Clock clock) {
            this.owner = owner;
            this.clock = clock;
        }

        @Override
        protected void expire() {
            if (!STATE.compareAndSet(this, PENDING, FIRING)) return;
            expired = true;
            dev.weft.internal.Telemetry.timeoutFired(owner, Timeout.this);
            SignalQueue.send(owner, this);
            state = FIRED;
        }

        @Override
        public Throwable throwable() {
            return raised();
        }

        boolean cancel() {
            for (;;) {
                int s = state;
                if (s == PENDING) {
                    if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
                        clock.cancel(this);
                        return true;
                    }
                } else if (s == FIRING) {
                    SignalQueue.pause(); // the timer is queuing the signal
                } else if (s == FIRED) {
                    if (!SignalQueue.withdraw(owner, this)) return false; // delivered, or not ours to recall
                    state = CANCELLED;
                    return true;
                } else {
                    return false;
                }
            }
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Expiry.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
