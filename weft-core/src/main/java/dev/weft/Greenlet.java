package dev.weft;

import dev.weft.internal.InternalListener;
import dev.weft.internal.ListenerNode;
import dev.weft.internal.SignalQueue;
import dev.weft.internal.Strand;
import dev.weft.internal.TimerEntry;
import dev.weft.internal.Waiter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A cheap task: one virtual thread running a {@link Callable}, with gevent's handle around it —
 * join it, get its value, kill it with a chosen exception, link to its end.
 *
 * {@snippet :
 * Greenlet<String> g = Greenlet.spawn(() -> fetch(url));
 * String body = g.get();                 // waits; rethrows the task's failure
 * g.kill();                              // GreenletExit: a quiet, successful end
 * }
 *
 * <h2>Life cycle</h2>
 * <pre>
 *   NEW ──start()──▶ SCHEDULED ──▶ RUNNING ──▶ DONE(value | exception)
 *    │                  │
 *    └──── kill() ──────┴── (before the body starts) ──▶ DONE: it never runs
 * </pre>
 * A task that ends with a {@link GreenletExit} (the default of {@link #kill()}) counts as
 * successful but has no value: {@link #get()} and {@link #value()} return {@code null} and the
 * exit is in {@link #outcome()}; any other exception is a failure. A
 * failure nobody receives (no {@code join}/{@code get} waiting, no link) is reported once, when
 * the greenlet dies, to the hub's {@linkplain Hub#setErrorHandler error handler}.
 *
 * <h2>Blocking, kills and interruption</h2>
 * Blocking methods ({@link #join()}, {@link #get()}, a blocking {@link #kill()}) park through
 * weft's waiting core, and are blocking points: a kill or an expired {@link Timeout} aimed at the
 * <em>calling</em> greenlet is thrown there. A kill is delivered into the target at its next
 * blocking point; a target blocked in JDK code is interrupted. Signals are never checked
 * exceptions; no method here declares one.
 *
 * <h2>Identity</h2>
 * {@link #current()} is never null: on a thread weft did not start it is a per-thread
 * <em>adopted</em> greenlet of the default hub, which can be killed, time out and join like any
 * other. Each greenlet has an {@link #id()} unique in its hub and a lazily computed
 * {@link #name()}.
 *
 * <p>Thread safety: every method may be called from any thread.
 *
 * @param <T> the type of the task's value
 */
public class Greenlet<T> extends Strand implements Linkable<Greenlet<T>> {
    /*
     * Overview (for maintainers). `state` is changed by CAS only (VarHandle STATE):
     *   NEW -> SCHEDULED       start()/startLater(); registered strongly from here on
     *   NEW|SCHEDULED -> DONE  kill before the body starts: completes at once, body never runs
     *   SCHEDULED -> RUNNING   the thread starts the body (it loses to a kill that came first)
     *   RUNNING -> DONE        the body ended; the outcome is set by Completion.complete
     *   ADOPTED                the identity of a foreign thread; never ends
     * The outcome (value/exception) and the listeners live in Completion; signals in Strand.
     * Invariants and their tests: GreenletTest (life cycle, kill before start), SignalTest
     * (delivery, interrupts), ErrorReportingTest (§6 table).
     * Shrapnel's hand scheduling: resume and a raise on a suspended greenlet complete its
     * internal.Suspension waiter (the only wait a resume may end); a raise on any other greenlet
     * takes kill's signal path. Tests: coro/SuspendResumeTest, coro/ScheduleRaceTest,
     * model/ResumeRaiseModelTest.
     */
    private static final int NEW = 0, SCHEDULED = 1, RUNNING = 2, DONE = 3, ADOPTED = 4;

    /**
     * Live started greenlets by thread: how {@link #current()} and a greenlet's thread find the
     * greenlet. A map keyed by the {@code Thread} itself, so a lookup allocates nothing whatever
     * the thread's id (an {@link IdTable} keyed by thread id was tried in session 6: its chunk
     * lookup boxed the index, ~24 B per {@code current()} once thread ids pass a few thousand).
     */
    private static final ConcurrentHashMap<Thread, Greenlet<?>> LIVE = new ConcurrentHashMap<>();

    /**
     * The one task every greenlet thread runs: it finds its greenlet in {@code LIVE} (registered
     * before the thread starts), so no per-greenlet lambda is kept alive for the thread's life.
     */
    private static final Runnable BODY = new Body();

    static {
        dev.weft.internal.GreenletAccess.newStartedSoon = (hub, task) -> {
            if (hub != null) return new Greenlet<>((Hub) hub, task, false, current());
            Greenlet<?> spawner = current(); // one registry lookup for the hub and the parent
            return new Greenlet<>(spawner.hub(), task, false, spawner);
        };
        dev.weft.internal.Selfish.current = Greenlet::current;
        dev.weft.internal.GreenletAccess.startStrict = g -> ((Greenlet<?>) g).startIfNew();
    }

    private static final ThreadLocal<Greenlet<?>> ADOPTED_CURRENT =
            ThreadLocal.withInitial(() -> new Greenlet<>(Thread.currentThread()));

    private Object task; // a Callable, a (Checked)Runnable (value null), or null: run() overridden, or dropped at the end
    private final long id;
    private final long parentId;
    private volatile String name;
    private volatile int state;
    private TimerEntry startTimer; // written before SCHEDULED is published
    private final boolean tracked; // registered weakly in the hub while unstarted
    private volatile Object cancelled; // asFuture()'s state word: GreenletFuture gives it meaning

    /**
     * A new, unstarted greenlet of the current hub that will run {@code task}.
     *
     * @param task what to run; what it returns is the greenlet's value
     * @throws NullPointerException if {@code task} is null
     */
    public Greenlet(Callable<? extends T> task) {
        this(Hub.current(), task);
    }

    /**
     * A new, unstarted greenlet of {@code hub} that will run {@code task}.
     *
     * @param hub the hub it belongs to: its scheduler runs it, its clock times its waits
     * @param task what to run; what it returns is the greenlet's value
     * @throws NullPointerException if {@code hub} or {@code task} is null
     */
    public Greenlet(Hub hub, Callable<? extends T> task) {
        this(hub, Objects.requireNonNull(task, "task"), true);
    }

    /**
     * A new, unstarted greenlet of the current hub that will run {@code task}; its value is null.
     *
     * @param task what to run
     * @throws NullPointerException if {@code task} is null
     */
    public Greenlet(Runnable task) {
        this(Hub.current(), task);
    }

    /**
     * A new, unstarted greenlet of the current hub that will run {@code task}, which may throw a
     * checked exception (it becomes the greenlet's {@link #exception()}); its value is null.
     *
     * @param task what to run
     * @throws NullPointerException if {@code task} is null
     */
    public Greenlet(CheckedRunnable task) {
        this(Hub.current(), task);
    }

    /**
     * A new, unstarted greenlet of {@code hub} that will run {@code task}; its value is null.
     *
     * @param hub the hub it belongs to
     * @param task what to run
     * @throws NullPointerException if {@code hub} or {@code task} is null
     */
    public Greenlet(Hub hub, Runnable task) {
        this(hub, dev.weft.internal.Tasks.runOnly(Objects.requireNonNull(task, "task")), true);
    }

    /**
     * A new, unstarted greenlet of {@code hub} that will run {@code task}; its value is null.
     *
     * @param hub the hub it belongs to
     * @param task what to run; a checked exception it throws is the greenlet's {@link #exception()}
     * @throws NullPointerException if {@code hub} or {@code task} is null
     */
    public Greenlet(Hub hub, CheckedRunnable task) {
        this(hub, dev.weft.internal.Tasks.runCheckedOnly(Objects.requireNonNull(task, "task")), true);
    }

    /**
     * For {@code spawn}: a greenlet started at once needs no weak registration while unstarted;
     * {@code task} is a {@link Callable} or a {@link Runnable} (kept as is: no wrapper object).
     */
    static <T> Greenlet<T> startedAtOnce(Hub hub, Object task) {
        Greenlet<T> g = new Greenlet<>(hub, Objects.requireNonNull(task, "task"), false);
        g.start();
        return g;
    }

    /**
     * For subclasses that override {@link #run()} instead of passing a task (gevent's
     * {@code _run}): a new, unstarted greenlet of {@code hub}.
     *
     * @param hub the hub it belongs to: its scheduler runs it, its clock times its waits
     * @throws NullPointerException if {@code hub} is null
     */
    protected Greenlet(Hub hub) {
        this(hub, null, true);
    }

    private Greenlet(Hub hub, Object task, boolean trackUnstarted) {
        this(hub, task, trackUnstarted, current());
    }

    private Greenlet(Hub hub, Object task, boolean trackUnstarted, Greenlet<?> spawner) {
        super(Objects.requireNonNull(hub, "hub"));
        this.task = task;
        this.id = hub.newId();
        this.parentId = spawner.hub() == hub && !spawner.isAdopted() ? spawner.id : 0;
        dev.weft.internal.Locals.inherit(spawner, this); // GreenletLocal.inheritable values
        this.tracked = trackUnstarted;
        if (trackUnstarted) hub.trackUnstarted(this);
    }

    /** The adopted identity of {@code thread}, a thread weft did not start. */
    private Greenlet(Thread thread) {
        super(Hub.defaultHub());
        this.task = null;
        this.id = Hub.defaultHub().newId();
        this.parentId = 0;
        this.state = ADOPTED;
        this.tracked = false;
        bindThread(thread);
    }

    // ---------------------------------------------------------------- creating and starting

    /**
     * Creates and starts a greenlet of the current hub running {@code task}.
     *
     * @param task what to run
     * @param <T> the type of its value
     * @return the started greenlet
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the current hub is closed
     */
    public static <T> Greenlet<T> spawn(Callable<? extends T> task) {
        return Hub.current().spawn(task);
    }

    /**
     * Creates and starts a greenlet of the current hub running {@code task}; its value is null.
     *
     * @param task what to run
     * @return the started greenlet
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the current hub is closed
     */
    public static Greenlet<Void> spawn(Runnable task) {
        return Hub.current().spawn(task);
    }

    /**
     * Creates and starts a greenlet of the current hub running {@code task}, a void lambda that
     * may throw a checked exception ({@code () -> Files.delete(path)}); its value is null.
     *
     * @param task what to run; a checked exception it throws is the greenlet's {@link #exception()}
     * @return the started greenlet
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the current hub is closed
     */
    public static Greenlet<Void> spawn(CheckedRunnable task) {
        return Hub.current().spawn(task);
    }

    /**
     * Creates a greenlet of the current hub and starts it after {@code delay}.
     *
     * @param delay how long from now, on the hub's clock
     * @param task what to run
     * @param <T> the type of its value
     * @return the greenlet, scheduled
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static <T> Greenlet<T> spawnLater(Duration delay, Callable<? extends T> task) {
        return Hub.current().spawnLater(delay, task);
    }

    /**
     * Creates a greenlet of the current hub and starts it after {@code delay}; its value is null.
     *
     * @param delay how long from now, on the hub's clock
     * @param task what to run
     * @return the greenlet, scheduled
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static Greenlet<Void> spawnLater(Duration delay, Runnable task) {
        return Hub.current().spawnLater(delay, task);
    }

    /**
     * Creates a greenlet of the current hub and starts it after {@code delay}; its value is null.
     *
     * @param delay how long from now, on the hub's clock
     * @param task what to run; a checked exception it throws is the greenlet's {@link #exception()}
     * @return the greenlet, scheduled
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public static Greenlet<Void> spawnLater(Duration delay, CheckedRunnable task) {
        return Hub.current().spawnLater(delay, task);
    }

    /**
     * Schedules the greenlet to run now. Starting a greenlet that was started (or killed)
     * already does nothing, as in gevent.
     *
     * @throws IllegalStateException if its hub is closed
     */
    public final void start() {
        if (state != NEW) return;
        hub().checkCanStart();
        if (STATE.compareAndSet(this, NEW, SCHEDULED)) launch();
    }

    /** Shrapnel's strict start ({@code Coro.start}): true if this call started it. */
    final boolean startIfNew() {
        if (state != NEW) return false;
        hub().checkCanStart();
        if (!STATE.compareAndSet(this, NEW, SCHEDULED)) return false;
        launch();
        return true;
    }

    /** True while parked in a wait whose wake-up comes from outside the hub ({@code Coro.waitpid}). */
    final boolean waitsOnOutside() {
        return parkedBlocker() instanceof dev.weft.internal.ExternalWake;
    }

    /**
     * Schedules the greenlet to run after {@code delay} on its hub's clock. Does nothing if it
     * was started (or killed) already. A kill before then stops it from ever running.
     *
     * @param delay how long from now, on its hub's clock
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws NullPointerException if {@code delay} is null
     * @throws IllegalStateException if its hub is closed
     */
    public final void startLater(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) throw new IllegalArgumentException("negative delay: " + delay);
        if (state != NEW) return;
        hub().checkCanStart();
        long deadline = Waiter.deadline(this, delay);
        TimerEntry timer = new TimerEntry() {
            @Override
            protected void expire() {
                launch();
            }
        };
        startTimer = timer;
        if (STATE.compareAndSet(this, NEW, SCHEDULED)) {
            if (deadline == Waiter.NO_DEADLINE) return; // so far away it never comes
            hub().timerClock().schedule(timer, deadline);
            // a kill between the CAS and the schedule found no armed timer to cancel: disarm it
            if (state == DONE) hub().timerClock().cancel(timer);
        }
    }

    private void launch() {
        if (state != SCHEDULED) return; // killed before its time came
        Thread t = hub().threadFor(BODY);
        bindThread(t);
        LIVE.put(t, this);
        hub().register(this);
        if (tracked) hub().untrackUnstarted(this);
        if (hub().isClosed()) { // close() took its snapshot before we were registered
            abandon(new GreenletExit("its hub closed before it started"));
            return;
        }
        t.start();
    }

    /**
     * The one task every greenlet thread runs (see {@link #BODY}): the greenlet's whole life,
     * from one small frame. A parked greenlet keeps every frame below its blocking call in its
     * stack chunk, a million times over: the lambda → body() → run() → task chain this replaced
     * cost ~100 B each, and so does a large frame here. So {@code run} only finds the greenlet and
     * calls its task; the start ({@link #begin}) and the end ({@link #afterRun}) are methods of
     * their own, kept out of this frame (class histograms of 200,000 parked greenlets, warm:
     * stack chunks 535–611 B each, mean 589, with the whole life in this one method; 486–581 B,
     * mean 520, split — BENCHMARKS.md, "Session 6"). For a plain {@code Greenlet} the task is
     * called from here directly.
     */
    private static final class Body implements Runnable {
        @Override
        public void run() {
            Thread t = Thread.currentThread();
            Greenlet<?> g = LIVE.get(t);
            if (g == null) return; // one abandoned before it ran (its hub closed)
            boolean began;
            try {
                began = begin(g);
            } catch (Throwable e) { // the start's telemetry failed: that is the outcome
                afterRun(t, g, null, e, true);
                return;
            }
            if (!began) { // killed before it started
                afterRun(t, g, null, null, false);
                return;
            }
            Object value = null;
            Throwable error = null;
            try {
                Object task = g.task;
                if (g.getClass() != Greenlet.class) value = g.run(); // a subclass may override run()
                else if (task instanceof Callable<?> c) value = c.call();
                else if (task instanceof CheckedRunnable r) r.runChecked();
                else if (task instanceof Runnable r) r.run();
                else value = g.run();
            } catch (Throwable e) {
                error = e;
            }
            afterRun(t, g, value, error, true);
        }
    }

    /** SCHEDULED to RUNNING, unless a kill came first (false); the start is counted. */
    private static boolean begin(Greenlet<?> g) {
        if (!STATE.compareAndSet(g, SCHEDULED, RUNNING)) return false;
        dev.weft.internal.Telemetry.greenletStarted(g);
        return true;
    }

    /**
     * The end of a greenlet's thread: if its body {@code ran}, the outcome is set (a kill that
     * caused the body's exception is the outcome, the exception attached as suppressed); in any
     * case it leaves the registries.
     */
    private static void afterRun(Thread t, Greenlet<?> g, Object value, Throwable error, boolean ran) {
        try {
            if (!ran) return;
            if (error != null) {
                // a kill that caused this exception (an interrupted socket read, a wrapped
                // InterruptedException) is the outcome; the exception rides along as suppressed
                Throwable kill = SignalQueue.takeForOutcome(g);
                if (kill != null && kill != error) {
                    kill.addSuppressed(error);
                    error = kill;
                }
            }
            g.task = null; // gevent drops _run and its args: what the task captured can be collected
            g.finish(value, error);
        } finally {
            LIVE.remove(t, g);
            g.hub().unregister(g);
        }
    }

    /**
     * What the greenlet runs: by default the task given to the constructor. A subclass made
     * with {@link #Greenlet(Hub)} overrides this instead (gevent's {@code _run}).
     *
     * @return the value
     * @throws Exception any failure; it becomes this greenlet's {@link #exception()}
     */
    @SuppressWarnings("unchecked")
    protected T run() throws Exception {
        Object t = task;
        if (t instanceof Callable<?> c) return (T) c.call();
        if (t instanceof CheckedRunnable r) {
            r.runChecked();
            return null;
        }
        if (t instanceof Runnable r) {
            r.run();
            return null;
        }
        throw new UnsupportedOperationException(this + ": override run() or pass a task");
    }

    /** How a kill is kept as the completion's value: never confused with a value of type T. */
    private record Exit(GreenletExit exit) {}

    private void finish(Object value, Throwable error) {
        state = DONE;
        task = null;
        dev.weft.internal.Telemetry.greenletEnded(this, error);
        if (error == null || error instanceof GreenletExit) {
            complete(error != null ? new Exit((GreenletExit) error) : value, null);
        } else {
            // §6: reported once, as it dies, before anyone it wakes can look, unless received
            complete(null, error, receivers -> {
                if (receivers == 0) hub().report(this, error);
            });
        }
    }

    // ---------------------------------------------------------------- waiting

    /**
     * Waits until the greenlet has finished. Returns at once if it has.
     *
     * <p>A {@code join} that waits counts as receiving a failure (§6), so a failure with a join
     * waiting is not reported to the error handler (gevent prints every failure): look at
     * {@link #exception()} after it, or use {@link #get()}, which rethrows it.
     *
     * <p>It returns after every {@link #rawlink} listener registered before it has run (gevent's
     * order, where a join is a link behind the earlier ones), also when it comes while the ending
     * greenlet is running them: a count kept by a rawlink, or a group's membership, is up to date
     * when it returns. Called from one of this greenlet's own listeners, it returns at once.
     *
     * @throws IllegalStateException if called by this greenlet itself (it would wait forever)
     */
    public final void join() {
        join(null);
    }

    /**
     * Waits at most {@code timeout} ({@code null}: no limit) for the greenlet to finish. Never
     * throws on expiry: look at {@link #isReady()} or the result.
     *
     * @param timeout at most this long, on the caller's hub clock; {@code null}: no limit
     * @return true if it has finished; false if {@code timeout} passed first
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if called by this greenlet itself
     */
    public final boolean join(Duration timeout) {
        Waiter.checkTimeout(timeout);
        if (isSettled()) return true;
        Greenlet<?> me = current();
        if (me == this) {
            if (isComplete()) return true; // one of its own listeners, as it ends
            throw new IllegalStateException(this + " cannot join itself");
        }
        long deadline = Waiter.deadline(me, timeout);
        boolean drive = drivesFromOutside(me);
        try {
            return awaitComplete(me, deadline);
        } finally {
            if (drive) hub().outsideJoiner(-1);
        }
    }

    /**
     * A thread outside this greenlet's simulated hub that waits for it moves the hub's virtual
     * time meanwhile (see {@link Hub}); registers it if so.
     */
    private boolean drivesFromOutside(Greenlet<?> me) {
        Hub h = hub();
        if (!h.isSimulated() || (me.hub() == h && !me.isAdopted())) return false;
        h.outsideJoiner(+1);
        return true;
    }

    /**
     * Waits for the greenlet and returns its value, or rethrows its failure: an unchecked one as
     * the very instance, a checked one wrapped in {@link GreenletFailure}. A greenlet ended by a
     * {@link GreenletExit} (killed) returns {@code null}; its exit is in {@link #outcome()}.
     *
     * @return the value; null if it was killed
     * @throws IllegalStateException if called by this greenlet itself before it ended
     */
    public final T get() {
        return get(null);
    }

    /**
     * Like {@link #get()}, waiting at most {@code timeout}.
     *
     * @param timeout at most this long; {@code null}: no limit
     * @return the value; null if it was killed
     * @throws Timeout if the greenlet has not finished in time (a new, unstarted one)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if called by this greenlet itself before it ended
     */
    public final T get(Duration timeout) {
        Greenlet<?> me = current();
        if (me == this && !isComplete()) throw new IllegalStateException(this + " cannot wait for itself");
        if (isSettled()) return typed(getNowOrThrow());
        Waiter.checkTimeout(timeout);
        boolean drive = drivesFromOutside(me);
        try {
            return typed(getOrThrow(me, timeout));
        } finally {
            if (drive) hub().outsideJoiner(-1);
        }
    }

    /**
     * The value or failure now, without waiting (gevent's {@code get(block=False)}).
     *
     * @return the value; null if it was killed
     * @throws Timeout if the greenlet has not finished
     */
    public final T getNow() {
        return typed(getNowOrThrow());
    }

    /**
     * How the greenlet ended: {@link Outcome.Value}, {@link Outcome.Failed} or
     * {@link Outcome.Killed}, for {@code switch} with patterns.
     *
     * @return the outcome
     * @throws IllegalStateException if it has not ended yet (as {@code Future.resultNow()})
     */
    public final Outcome<T> outcome() {
        if (!isComplete()) throw new IllegalStateException(this + " has not ended");
        Throwable e = resultError();
        if (e != null) return new Outcome.Failed<>(e);
        Object v = resultValue();
        if (v instanceof Exit x) return new Outcome.Killed<>(x.exit());
        return new Outcome.Value<>(typed(v));
    }

    @SuppressWarnings("unchecked")
    private T typed(Object v) {
        return v instanceof Exit ? null : (T) v;
    }

    // ---------------------------------------------------------------- killing

    /**
     * Kills the greenlet with a new {@link GreenletExit} and waits for it to die.
     * {@code kill(new GreenletExit(), true, null)}: see {@link #kill(Throwable, boolean, Duration)}.
     *
     * @return true if a signal was queued or the unstarted greenlet was ended; false if it had
     *     finished already
     */
    public final boolean kill() {
        return kill(new GreenletExit(), true, null);
    }

    /**
     * Kills the greenlet with {@code exception} and waits for it to die.
     * {@code kill(exception, true, null)}: see {@link #kill(Throwable, boolean, Duration)}.
     *
     * @param exception what to raise; must be unchecked. A {@link GreenletExit} ends the greenlet
     *     successfully, another exception ends it as a failure with that very instance
     * @return true if a signal was queued or the unstarted greenlet was ended; false if it had
     *     finished already
     * @throws IllegalArgumentException if {@code exception} is a checked exception
     * @throws NullPointerException if {@code exception} is null
     */
    public final boolean kill(Throwable exception) {
        return kill(exception, true, null);
    }

    /**
     * Raises {@code exception} in the greenlet.
     *
     * <p>A greenlet that has not started yet dies at once without ever running — even with
     * {@code block=false} — and its links fire. A running greenlet gets the exception at its next
     * blocking point (if it is blocked in JDK code, its thread is interrupted); if it ends
     * without reaching one, the kill is dropped, as in gevent. Each kill queues its own signal:
     * kills are never merged. A {@link GreenletExit} ends it successfully; another exception
     * ends it as a failure with that very exception.
     *
     * <p>Killing the current greenlet with {@code block=true} throws the first queued signal at
     * once; with {@code block=false} it is thrown at the next blocking point.
     *
     * @param exception what to raise; must be unchecked
     * @param block wait until it has died (at most {@code timeout}); never raises on expiry
     * @param timeout how long to wait when blocking; {@code null}: no limit
     * @return true if a signal was queued or the unstarted greenlet was ended; false if it had
     *     finished already
     * @throws IllegalArgumentException if {@code exception} is a checked exception, or
     *     {@code timeout} is negative
     * @throws NullPointerException if {@code exception} is null
     */
    public final boolean kill(Throwable exception, boolean block, Duration timeout) {
        Objects.requireNonNull(exception, "exception");
        checkUnchecked(exception);
        if (timeout != null && timeout.isNegative()) throw new IllegalArgumentException("negative timeout: " + timeout);
        for (;;) {
            int s = state;
            if (s == DONE || isComplete()) return false;
            if (s == NEW || s == SCHEDULED) {
                if (STATE.compareAndSet(this, s, DONE)) {
                    dev.weft.internal.Telemetry.killSent(this, exception);
                    TimerEntry timer = startTimer;
                    if (timer != null) hub().timerClock().cancel(timer);
                    if (tracked) hub().untrackUnstarted(this);
                    finish(null, exception);
                    return true;
                }
                continue;
            }
            dev.weft.internal.Telemetry.killSent(this, exception);
            SignalQueue.sendKill(this, exception);
            if (this == current()) {
                if (block) SignalQueue.deliverPending(this);
                return true;
            }
            if (block && s != ADOPTED) join(timeout);
            return true;
        }
    }

    /**
     * Ends a greenlet whose single-carrier hub stopped its carrier while it still waited: it can
     * never run again, so it is completed as killed and dropped from the registry (joiners wake).
     */
    final void abandon(GreenletExit exit) {
        Thread t = boundThread();
        if (t != null) LIVE.remove(t, this);
        hub().unregister(this);
        for (;;) {
            int s = state;
            if (s == DONE || s == ADOPTED || isComplete()) return;
            if (STATE.compareAndSet(this, s, DONE)) {
                finish(null, exit);
                return;
            }
        }
    }

    static void checkUnchecked(Throwable t) {
        if (!(t instanceof RuntimeException) && !(t instanceof Error)) {
            throw new IllegalArgumentException("a checked exception cannot be raised in a greenlet: " + t
                    + " (wrap it in an unchecked exception)");
        }
    }

    /**
     * This greenlet seen as a {@link java.util.concurrent.Future}, for code that wants the JDK
     * contract: {@code get} wraps a failure in {@code ExecutionException} and a timed-out wait in
     * {@code TimeoutException}; {@code cancel} follows {@code FutureTask}: of concurrent cancels
     * exactly one returns true, and only before the greenlet finished; {@code cancel(false)} ends
     * a greenlet that has not started (it never runs) and lets a running one finish (the future
     * reports cancelled at once); {@code cancel(true)} kills it without waiting. Any end by a
     * {@link GreenletExit} counts as cancelled too — a kill by other means, a body that throws
     * one itself, a hub that closed before it started, an executor's {@code shutdownNow} — even
     * though {@link #isSuccessful()} is true then; a kill with another exception is a failure
     * ({@code ExecutionException}, {@code exceptionNow()}). The views of one greenlet share its
     * state: they agree. A {@code get} that gave up (cancelled, timed out, interrupted) does not
     * count as receiving a failure that comes after: the hub still reports it (§6).
     *
     * @return a new view of this greenlet on each call
     */
    public final java.util.concurrent.Future<T> asFuture() {
        return new GreenletFuture<>(this);
    }

    private static final VarHandle CANCELLED;

    static {
        try {
            CANCELLED = MethodHandles.lookup().findVarHandle(Greenlet.class, "cancelled", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** {@link #asFuture()}'s state word (null at first); {@code GreenletFuture} gives it meaning. */
    final Object cancelled() {
        return cancelled;
    }

    /** Changes {@link #asFuture()}'s state word by CAS: the one step that decides a cancel. */
    final boolean markCancelled(Object expected, Object next) {
        return CANCELLED.compareAndSet(this, expected, next);
    }

    /**
     * For a {@code Future.cancel(false)} and {@code raiseException(..., cancelStart)}: ends the
     * greenlet with {@code exit} if it has not started (it never runs), as {@link #kill} does; a
     * running one is left alone, never signalled. Returns true if this call ended it.
     */
    final boolean killIfUnstarted(Throwable exit) {
        for (int s; (s = state) == NEW || s == SCHEDULED; ) {
            if (STATE.compareAndSet(this, s, DONE)) {
                TimerEntry timer = startTimer;
                if (timer != null) hub().timerClock().cancel(timer);
                if (tracked) hub().untrackUnstarted(this);
                finish(null, exit);
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- Shrapnel's hand scheduling

    /**
     * Wakes this greenlet, suspended in {@link dev.weft.coro.Coro#suspend()}, with {@code value}
     * as what {@code suspend()} returns (Shrapnel's {@code schedule(value)}). It only schedules:
     * the caller goes on running.
     *
     * <p>Only a suspension is resumed: a greenlet parked in any other weft wait (a queue, a
     * join, a sleep) is not suspended, and a resume never steals that primitive's wake-up.
     *
     * @param value what {@code suspend()} returns in it; may be null
     * @throws dev.weft.coro.DeadCoroutineError if it has finished
     * @throws dev.weft.coro.ScheduleError if it is the calling greenlet, is not suspended in
     *     {@code Coro.suspend()} (running, not started, parked elsewhere, or its suspension was
     *     ended by a kill or a Timeout), or a resume or raise is already pending
     */
    public final void resume(Object value) {
        if (isDead()) throw new dev.weft.coro.DeadCoroutineError("cannot resume " + this + ": it is dead");
        if (this == current()) throw new dev.weft.coro.ScheduleError(this + " cannot resume itself: it is running");
        switch (dev.weft.internal.Suspension.resume(this, value)) {
            case DELIVERED -> {}
            case ALREADY_SCHEDULED -> throw new dev.weft.coro.ScheduleError(
                    "cannot resume " + this + ": it is already scheduled (a resume or raise is pending)");
            case NOT_SUSPENDED -> {
                if (isDead()) throw new dev.weft.coro.DeadCoroutineError("cannot resume " + this + ": it is dead");
                throw new dev.weft.coro.ScheduleError("cannot resume " + this
                        + ": it is not suspended in Coro.suspend()" + (waitingOn() != null ? " (it waits on " + waitingOn() + ")" : ""));
            }
        }
    }

    /**
     * {@code raiseException(exception, true, false)}: Shrapnel's default.
     *
     * @param exception what to raise in it; must be unchecked
     * @throws dev.weft.coro.DeadCoroutineError if it has finished
     * @throws dev.weft.coro.NotStartedError if its body has not begun
     * @throws dev.weft.coro.ScheduleError if it is the calling greenlet
     * @throws IllegalArgumentException if {@code exception} is a checked exception
     * @throws NullPointerException if {@code exception} is null
     * @see #raiseException(Throwable, boolean, boolean)
     */
    public final void raiseException(Throwable exception) {
        raiseException(exception, true, false);
    }

    /**
     * {@code raiseException(exception, force, false)}.
     *
     * @param exception what to raise in it; must be unchecked
     * @param force replace a resume that is pending; without it, a pending wake-up is a
     *     {@code ScheduleError}
     * @throws dev.weft.coro.DeadCoroutineError if it has finished
     * @throws dev.weft.coro.NotStartedError if its body has not begun
     * @throws dev.weft.coro.ScheduleError if it is the calling greenlet, or (without
     *     {@code force}) a wake-up is pending
     * @throws IllegalArgumentException if {@code exception} is a checked exception
     * @throws NullPointerException if {@code exception} is null
     * @see #raiseException(Throwable, boolean, boolean)
     */
    public final void raiseException(Throwable exception, boolean force) {
        raiseException(exception, force, false);
    }

    /**
     * Schedules this greenlet to wake with {@code exception} instead of a value (Shrapnel's
     * {@code raise_exception}). The caller goes on running.
     *
     * <ul>
     * <li>Suspended in {@link dev.weft.coro.Coro#suspend()}: {@code suspend()} throws it. If a
     *     {@link #resume} is pending, {@code force} replaces it; without {@code force} that is a
     *     {@code ScheduleError}.</li>
     * <li>Parked in any other weft wait (a queue, a lock, a sleep, a join): it is delivered like
     *     a {@link #kill(Throwable, boolean, Duration) kill}, through the signal queue, and it
     *     decides the wait at once, so the primitive's "did not happen" guarantee holds: a
     *     hand-over that comes after it passes this greenlet over (ADR 10). An item or permit
     *     handed over already is kept, and the exception waits for the next blocking point —
     *     lost if the greenlet ends before one, as a gevent kill of a greenlet that finishes
     *     first is. Without {@code force},
     *     a wait that was decided already (a wake-up pending: {@link #isScheduled()}) is a
     *     {@code ScheduleError}.</li>
     * <li>Running (on another core, or in JDK code): delivered like a kill, at its next
     *     blocking point (JDK code is interrupted) — and, as with a kill, never if it ends
     *     without reaching one.</li>
     * <li>Its body has not begun (new, or started and waiting for its turn — on the parallel hub
     *     a greenlet just spawned may already be running): {@code NotStartedError}, unless
     *     {@code cancelStart}, which ends it at once without running, with {@code exception} as
     *     its outcome (a {@link GreenletExit} is a quiet end, another exception a failure).</li>
     * </ul>
     *
     * @param exception what to raise in it; must be unchecked
     * @param force replace a pending resume, and deliver even when a wake-up is pending
     * @param cancelStart end a greenlet whose body has not begun instead of failing
     * @throws dev.weft.coro.DeadCoroutineError if it has finished
     * @throws dev.weft.coro.NotStartedError if its body has not begun and not {@code cancelStart}
     * @throws dev.weft.coro.ScheduleError if it is the calling greenlet, or (without
     *     {@code force}) a wake-up is pending
     * @throws IllegalArgumentException if {@code exception} is a checked exception
     * @throws NullPointerException if {@code exception} is null
     */
    public final void raiseException(Throwable exception, boolean force, boolean cancelStart) {
        Objects.requireNonNull(exception, "exception");
        checkUnchecked(exception);
        if (isDead()) throw new dev.weft.coro.DeadCoroutineError("cannot raise " + exception + " in " + this + ": it is dead");
        if (this == current()) throw new dev.weft.coro.ScheduleError(this + " cannot raise in itself: it is running");
        int s = state;
        if (s == NEW || s == SCHEDULED) {
            if (!cancelStart) throw new dev.weft.coro.NotStartedError("cannot raise " + exception + " in " + this + ": it has not started");
            if (killIfUnstarted(exception)) return; // it never runs
            if (isDead()) throw new dev.weft.coro.DeadCoroutineError("cannot raise " + exception + " in " + this + ": it is dead");
            // its body began meanwhile (parallel hub): deliver as to a running greenlet
        }
        switch (dev.weft.internal.Suspension.raise(this, exception, force)) {
            case DELIVERED -> { return; }
            case ALREADY_SCHEDULED -> throw new dev.weft.coro.ScheduleError(
                    "cannot raise in " + this + ": a resume is pending (use force to replace it)");
            case NOT_SUSPENDED -> {}
        }
        if (!force && isScheduled()) {
            throw new dev.weft.coro.ScheduleError("cannot raise in " + this + ": it is already scheduled to wake");
        }
        if (!kill(exception, false, null)) {
            throw new dev.weft.coro.DeadCoroutineError("cannot raise " + exception + " in " + this + ": it is dead");
        }
    }

    /**
     * Raises {@link dev.weft.coro.Shutdown} in it (Shrapnel's {@code shutdown()}): never fails.
     * A greenlet whose body has not begun never runs; a dead one is left alone; a suspended one
     * wakes with it; any other is delivered it like a kill. A greenlet that dies of
     * {@code Shutdown} dies quietly (it is a {@link GreenletExit}). On the calling greenlet
     * itself it is thrown at its next blocking point.
     */
    public final void shutdown() {
        if (isDead()) return;
        dev.weft.coro.Shutdown exit = new dev.weft.coro.Shutdown();
        if (this == current()) {
            kill(exit, false, null);
            return;
        }
        try {
            raiseException(exit, true, true);
        } catch (dev.weft.coro.DeadCoroutineError diedMeanwhile) {
            // "This method will not fail": it died on its own
        }
    }

    /**
     * True if this greenlet will run again without anyone's help (Shrapnel's {@code scheduled}):
     * started and waiting for its body to begin, or parked in a weft wait that has been decided
     * (resumed, handed an item, timed out) or has a signal queued. False while it runs (it is not
     * waiting for a turn), while it is parked with nothing pending, in JDK code, new or dead.
     *
     * @return whether a wake-up of it is pending, at the moment of the call
     */
    public final boolean isScheduled() {
        int s = state;
        if (s == SCHEDULED) return !isComplete();
        if (s != RUNNING && s != ADOPTED) return false;
        return isParkedInCore() && isWakePending() && !isComplete();
    }

    /**
     * Sets how many operations that did not need to block this greenlet may complete before the
     * next one yields (Shrapnel's {@code set_max_selfish_acts}; the default is 4). The operations
     * are weft's blocking ones completing at once: queue {@code get}/{@code put}, semaphore
     * {@code acquire}, lock {@code lock}, event {@code await} on a set event. It takes effect on
     * the single-carrier hubs (cooperative, simulated); see docs/adr/0007.
     *
     * @param max the new maximum, 1 to 32768
     * @return the previous maximum
     * @throws IllegalArgumentException if {@code max} is below 1 or above 32768
     */
    public final int setMaxSelfishActs(int max) {
        return dev.weft.internal.Selfish.setMax(this, max);
    }

    /**
     * The maximum number of selfish acts (see {@link #setMaxSelfishActs}).
     *
     * @return the current maximum; 4 unless set
     */
    public final int maxSelfishActs() {
        return dev.weft.internal.Selfish.max(this);
    }

    // ---------------------------------------------------------------- links

    /**
     * Registers {@code listener} to run with this greenlet when it finishes; if it has finished
     * and told its listeners already, runs it now in the caller. Listeners run on the greenlet's
     * own thread as it ends, in registration order (one registered while they run comes after
     * them, on that thread), and must not block. A rawlink counts as receiving a failure, which
     * is then not reported to the error handler.
     */
    @Override
    public final void rawlink(Consumer<? super Greenlet<T>> listener) {
        Objects.requireNonNull(listener, "listener");
        boolean receives = !(listener instanceof InternalListener);
        addNode(new ListenerNode<>(listener, listener, this, receives, hub()));
    }

    @Override
    public final boolean unlink(Object listener) {
        Objects.requireNonNull(listener, "listener");
        return unlinkListener(listener);
    }

    /**
     * Runs {@code callback} with this greenlet, in a new greenlet of the caller's hub, when this
     * one finishes (gevent 1.x's {@code link}). Callbacks are spawned in registration order and
     * may block; only a single-carrier hub also runs them in that order. Linking after the end
     * still fires. A link counts as receiving a failure (it is not reported to the error
     * handler); a callback that throws is reported like any greenlet's failure.
     *
     * @param callback given this greenlet once it has finished; {@link #unlink} takes it
     * @throws NullPointerException if {@code callback} is null
     */
    public final void link(Consumer<? super Greenlet<T>> callback) {
        linkWhen(callback, true, true, true);
    }

    /**
     * Like {@link #link(Consumer)}, but only when this greenlet ends successfully (a kill included).
     * It does not count as receiving a failure.
     *
     * @param callback given this greenlet once it has ended successfully; {@link #unlink} takes it
     * @throws NullPointerException if {@code callback} is null
     */
    public final void linkValue(Consumer<? super Greenlet<T>> callback) {
        linkWhen(callback, true, false, false);
    }

    /**
     * Like {@link #link(Consumer)}, but only when this greenlet ends with a failure.
     *
     * @param callback given this greenlet once it has failed ({@link #exception()} is not null);
     *     {@link #unlink} takes it
     * @throws NullPointerException if {@code callback} is null
     */
    public final void linkException(Consumer<? super Greenlet<T>> callback) {
        linkWhen(callback, false, true, true);
    }

    private void linkWhen(Consumer<? super Greenlet<T>> callback, boolean onValue, boolean onFailure, boolean receives) {
        Objects.requireNonNull(callback, "callback");
        Hub where = Hub.current();
        Consumer<Greenlet<T>> spawner = g -> {
            boolean failed = g.exception() != null;
            if (failed ? onFailure : onValue) where.spawn(() -> callback.accept(g));
        };
        addNode(new ListenerNode<>(spawner, callback, this, receives, where));
    }

    /**
     * Hands this greenlet's end to {@code receiver} when it finishes: {@link Receiver#send} with
     * the value (for a kill, {@code null}: gevent sends the exit object, which is not a
     * {@code T}), or
     * {@link Receiver#sendException} with the very exception. The hand-over runs on the
     * finishing thread and must not block (an {@code AsyncResult} does not). It counts as
     * receiving a failure. {@link #unlink} takes the receiver.
     *
     * @param receiver handed the value or the exception, once
     * @throws NullPointerException if {@code receiver} is null
     */
    @SuppressWarnings("unchecked")
    public final void link(Receiver<? super T> receiver) {
        Objects.requireNonNull(receiver, "receiver");
        Consumer<Greenlet<T>> deliver = g -> {
            Throwable e = g.exception();
            if (e != null) receiver.sendException(e);
            else receiver.send(g.typed(g.resultValue()));
        };
        addNode(new ListenerNode<>(deliver, receiver, this, true, hub()));
    }

    // ---------------------------------------------------------------- state

    /**
     * The value if finished successfully; null if not finished, failed or killed.
     *
     * @return the value, or null
     */
    public final T value() {
        return typed(resultValue());
    }

    /**
     * The exception if the greenlet failed (never a {@link GreenletExit}); else null.
     *
     * @return the very exception the task ended with (a checked one not wrapped); null if not
     *     finished, successful or killed
     */
    public final Throwable exception() {
        return resultError();
    }

    /** True if the greenlet has finished (also: killed before it started). */
    @Override
    public final boolean isReady() {
        return isComplete();
    }

    /**
     * True if it finished without an exception, or with a {@link GreenletExit}.
     *
     * @return true if finished with a value or a kill; false if failed or not finished
     */
    public final boolean isSuccessful() {
        return isComplete() && resultError() == null;
    }

    /**
     * True if it has been started and has not finished (gevent's {@code bool(g)}).
     *
     * @return true from {@link #start()} (or {@link #startLater}) until it finishes; always true
     *     for an adopted greenlet
     */
    public final boolean isAlive() {
        int s = state;
        return (s == SCHEDULED || s == RUNNING || s == ADOPTED) && !isComplete();
    }

    /**
     * True if it has finished.
     *
     * @return true once it has an outcome, also when killed before it started; the same as
     *     {@link #isReady()}
     */
    public final boolean isDead() {
        return isComplete();
    }

    /**
     * True once it has been started or has finished.
     *
     * @return true after {@link #start()} or {@link #startLater} (even before the delay is over),
     *     after a kill before it started, and for an adopted greenlet; false while new
     */
    public final boolean isStarted() {
        return state != NEW;
    }

    /**
     * True if it ended with a {@link GreenletExit}: killed (also before starting), or exited.
     *
     * @return true if {@link #outcome()} is an {@link Outcome.Killed}; false if not finished or
     *     ended otherwise
     */
    public final boolean isKilled() {
        return resultValue() instanceof Exit;
    }

    /**
     * True while the greenlet is blocked in a weft wait (join, get, sleep, an event, a queue):
     * the observable "parked" state. A greenlet blocked in JDK code is not counted.
     *
     * @return true while parked in weft's waiting core, at the moment of the call
     */
    public final boolean isWaiting() {
        return isParkedInCore();
    }

    /** True while parked in a weft wait that is already decided, or with a signal queued. */
    final boolean isAboutToWake() {
        return isWakePending();
    }

    /**
     * What the greenlet is blocked on in a weft wait — the greenlet it joins, the event, the
     * result, {@code "sleep"} — as a short description; null if it is not waiting in weft.
     *
     * @return the joined greenlet's {@link #name()}, or the {@code toString()} of what else it
     *     waits on; null if it is not waiting in weft
     */
    public final String waitingOn() {
        Object b = parkedBlocker();
        if (b == null) return null;
        if (b instanceof Greenlet<?> g) return g.name();
        return b.toString();
    }

    /** True for the adopted identity of a thread weft did not start. */
    @Override
    public final boolean isAdopted() {
        return state == ADOPTED;
    }

    /**
     * The id: unique in its hub, increasing in creation order.
     *
     * @return the id, at least 1; fixed at creation
     */
    public final long id() {
        return id;
    }

    /**
     * The id of the greenlet of the same hub that created this one; 0 if it was created from
     * another hub or a thread weft did not start.
     *
     * @return the {@link #id()} of the spawner, or 0 if there is none in this hub
     */
    public final long parentId() {
        return parentId;
    }

    /**
     * The name: {@code "Greenlet-<id>"} unless {@linkplain #setName set}.
     *
     * @return the name; never null
     */
    public final String name() {
        String n = name;
        // the default is not cached: dumps, the console and JFR events read every greenlet's
        // name, and caching it would add a string to each of a million parked greenlets
        return n != null ? n : "Greenlet-" + id;
    }

    /**
     * Sets the name.
     *
     * @param name the new name, shown by {@link #name()}, {@code toString()} and hub dumps
     * @throws NullPointerException if {@code name} is null
     */
    public final void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /**
     * The hub this greenlet belongs to.
     *
     * @return the hub given at creation (the default hub for an adopted greenlet); never null
     */
    public final Hub hub() {
        return (Hub) hubCore();
    }

    /**
     * The greenlet of the calling thread: never null (an adopted one on a foreign thread).
     *
     * @return the running greenlet, or the calling thread's adopted greenlet (the same one on
     *     every call from that thread)
     */
    public static Greenlet<?> current() {
        Greenlet<?> g = LIVE.get(Thread.currentThread());
        return g != null ? g : ADOPTED_CURRENT.get();
    }

    /** Every started, live greenlet of the JVM (for tests that check nothing leaked). */
    static java.util.List<Greenlet<?>> liveGreenlets() {
        return new java.util.ArrayList<>(LIVE.values());
    }

    @Override
    public final int hashCode() {
        return Long.hashCode(id * 0x9E3779B97F4A7C15L); // ids are sequential: spread them
    }

    @Override
    public final boolean equals(Object o) {
        return this == o;
    }

    /** Name and state, e.g. {@code Greenlet-7[RUNNING]} or {@code Greenlet-7[DONE, value=42]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(name()).append('[');
        if (isComplete()) {
            Throwable e = resultError();
            if (e != null) sb.append("DONE, failed: ").append(e);
            else if (isKilled()) sb.append("DONE, killed");
            else sb.append("DONE, value=").append(resultValue());
        } else {
            switch (state) {
                case NEW -> sb.append("NEW");
                case SCHEDULED -> sb.append("SCHEDULED");
                case ADOPTED -> sb.append("ADOPTED ").append(boundThread());
                default -> {
                    String on = waitingOn();
                    sb.append(on != null ? "RUNNING, waiting on " + on : "RUNNING");
                }
            }
        }
        return sb.append(']').toString();
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Greenlet.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
