package dev.weft;

import dev.weft.internal.Clock;
import dev.weft.internal.Signals;
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
 * not rethrow defeats the timeout.
 *
 * <p>Thread safety: start a timeout in the greenlet it is for; {@link #cancel()} and
 * {@link #isPending()} may be called from any thread.
 */
public class Timeout extends Interrupted implements AutoCloseable {
    private static final long serialVersionUID = 1L;

    /*
     * States:
     *   IDLE ──start()──▶ PENDING ──clock expires──▶ FIRING ──signal queued──▶ FIRED
     *     ▲                 │                                                  │
     *     └── start() ──── CANCELLED ◀────────── cancel(): withdraw the signal ─┘
     * FIRING is a few instructions on the timer thread; cancel() waits it out so the signal it
     * queues can be withdrawn (a timeout never fires outside its scope: TimeoutTest).
     */
    private static final int IDLE = 0, PENDING = 1, FIRING = 2, FIRED = 3, CANCELLED = 4;

    private final transient Duration duration;
    private final transient Throwable exception;
    private transient volatile int state;
    private transient volatile Strand owner;
    private transient Expiry expiry;
    private transient Clock clock; // the owner's hub clock, written before PENDING is published

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

    /** Creates and starts a timeout that raises itself after {@code duration}. */
    public static Timeout start(Duration duration) {
        return new Timeout(duration, null).start();
    }

    /** Creates and starts a timeout that raises {@code exception} after {@code duration}. */
    public static Timeout start(Duration duration, Throwable exception) {
        return new Timeout(duration, exception).start();
    }

    /**
     * Runs {@code body} under a timeout and says whether it finished: gevent's
     * {@code with Timeout(d, False)}. Only this call's own timeout is swallowed; an outer timeout
     * or a kill passes through.
     *
     * @return true if {@code body} finished, false if this call's timer ended it
     */
    public static boolean silently(Duration duration, Runnable body) {
        Objects.requireNonNull(body, "body");
        Timeout mine = start(duration);
        try {
            body.run();
            return true;
        } catch (Timeout t) {
            if (t != mine) throw t;
            return false;
        } finally {
            mine.cancel();
        }
    }

    /**
     * Starts the timer for the current greenlet.
     *
     * @return this timeout
     * @throws IllegalStateException if it is pending already (cancel it first)
     */
    public Timeout start() {
        int s = state;
        if (s == PENDING || s == FIRING) {
            throw new IllegalStateException(this + " is already started; cancel it before restarting");
        }
        if (s == FIRED) cancel(); // an earlier, undelivered signal of ours must not linger
        Greenlet<?> me = Greenlet.current();
        owner = me;
        if (duration == null) {
            state = IDLE;
            return this;
        }
        if (duration.isZero()) { // gevent: fires as soon as the greenlet next blocks
            state = FIRED;
            Signals.send(me, raised());
            return this;
        }
        long deadline = Waiter.deadline(me, duration);
        if (deadline == Waiter.NO_DEADLINE) {
            state = IDLE;
            return this;
        }
        expiry = new Expiry(); // a fresh entry: a stale expiry of an earlier start cannot fire this one
        Clock c = me.hub().timerClock();
        clock = c;
        state = PENDING;
        c.schedule(expiry, deadline);
        return this;
    }

    /**
     * Stops this timeout: its timer will not fire, and a signal it queued but that was not yet
     * delivered is withdrawn. Does nothing if it is not started or was cancelled.
     */
    public void cancel() {
        for (;;) {
            int s = state;
            if (s == PENDING) {
                if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
                    clock.cancel(expiry);
                    return;
                }
            } else if (s == FIRING) {
                Thread.onSpinWait(); // the timer thread is queuing the signal: a few instructions
            } else if (s == FIRED) {
                if (STATE.compareAndSet(this, FIRED, CANCELLED)) {
                    Signals.withdraw(owner, raised());
                    return;
                }
            } else {
                return;
            }
        }
    }

    /** The same as {@link #cancel()}, for try-with-resources. */
    @Override
    public void close() {
        cancel();
    }

    /** True while the timer is running: started, not cancelled, not yet expired. */
    public boolean isPending() {
        return state == PENDING;
    }

    /** The duration, or {@code null} for a timeout that never fires. */
    public Duration duration() {
        return duration;
    }

    /** What this timeout raises: the exception given at creation, or itself. */
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

    /** The timer entry: queues the signal on expiry (timer thread; no user code). */
    private final class Expiry extends TimerEntry {
        @Override
        protected void expire() {
            if (!STATE.compareAndSet(Timeout.this, PENDING, FIRING)) return;
            Signals.send(owner, raised());
            state = FIRED;
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Timeout.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
