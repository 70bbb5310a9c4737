package dev.weft;

import dev.weft.internal.CarrierScheduler;
import dev.weft.internal.Clock;
import dev.weft.internal.HubCore;
import dev.weft.internal.TimerWheel;
import dev.weft.internal.VirtualClock;
import dev.weft.internal.Selfish;
import dev.weft.internal.VirtualThreads;
import java.util.concurrent.ThreadFactory;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where greenlets run: a scheduler for their virtual threads, a clock with timers, a registry of
 * live greenlets and an error handler (ARCHITECTURE §2). Every greenlet belongs to one hub.
 *
 * <table class="striped">
 * <caption>Hub kinds</caption>
 * <tr><th>kind</th><th>scheduler</th><th>clock</th><th>for</th></tr>
 * <tr><td>{@link #parallel()}, {@link #defaultHub()}</td><td>the JDK's virtual-thread scheduler,
 *     all cores</td><td>real</td><td>production: throughput on every core</td></tr>
 * <tr><td>{@link #cooperative()}</td><td>one carrier thread, FIFO</td><td>real</td><td>gevent's
 *     semantics: one greenlet of the hub runs at a time; switches only where one blocks</td></tr>
 * <tr><td>{@link #simulated(long)}</td><td>one carrier, the next runnable picked by a seeded
 *     random generator</td><td>virtual</td><td>deterministic, instant tests of timing logic</td></tr>
 * </table>
 *
 * <h2>Single-carrier hubs: limits</h2>
 * The cooperative and simulated hubs run virtual threads on a scheduler of weft's own, which the
 * JDK allows only through a closed constructor: the JVM needs
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED} (class path) or {@code =dev.weft} (module
 * path), and they fail at once with that flag in the message otherwise. The JDK adds no spare
 * carrier for them: blocking file I/O, DNS lookups and native frames stall the whole hub, as
 * in gevent without its thread pool, and a greenlet that computes without blocking starves the
 * others until it calls {@link Greenlets#yieldNow()}. Socket I/O, weft's waits and contended
 * {@code synchronized} park and free the carrier.
 *
 * <p>Virtual time: in a simulated hub, while {@link #run} drives it, time moves only when every
 * greenlet of the hub is parked in a weft wait and none can run; it then jumps to the next
 * timer. Outside {@code run}, time moves the same way only while a thread outside the hub waits
 * in {@link Greenlet#join}/{@link Greenlet#get} for one of its greenlets (so
 * {@code hub.spawn(() -> ...).get()} works from a test thread); otherwise it stands still while
 * other threads act on the hub, and no deadlock is declared. Drive a simulated hub from inside
 * {@code run} for determinism. Code that reads real time
 * ({@link System#nanoTime()}, {@code Thread.sleep}, socket timeouts) does not see it: use
 * {@link #nanoTime()} and {@link Greenlets#sleep}. When nothing can run, no timer is armed and
 * greenlets are still waiting, that is a deadlock: the greenlets are killed and {@link #run}
 * throws a {@link DeadlockError} naming each of them and what it waited on. A wake-up from a
 * thread outside the hub cannot be foreseen: drive a simulated hub from inside. While a
 * greenlet is blocked in JDK code the hub waits in real time, or, made with
 * {@link #simulated(long, boolean) simulated(seed, true)}, fails at once naming it.
 *
 * <p>{@link #current()} is the hub of the current greenlet; code on a thread weft did not start
 * belongs to the default hub. {@link #run(Callable)} runs a main task to completion;
 * {@link #close()} releases the hub. Thread safety: all methods may be called from any thread.
 */
public final class Hub extends HubCore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.weft");
    private static final AtomicInteger HUBS = new AtomicInteger();

    /** Receives the failures nobody else received (ARCHITECTURE §6). */
    @FunctionalInterface
    public interface ErrorHandler {
        /**
         * Handles {@code error}.
         *
         * @param source the greenlet that died, or the object whose listener threw
         * @param error the failure
         */
        void handle(Object source, Throwable error);
    }

    /** The default handler: logs at WARNING on the {@code dev.weft} {@link System.Logger}. */
    public static final ErrorHandler LOGGING_HANDLER = (source, error) ->
            LOG.log(Level.WARNING, () -> source + " failed with " + error, error);

    // after every static field its constructor reads (LOGGING_HANDLER above all: the default
    // hub's handler was null when DEFAULT came first, and every failure on it was lost)
    private static final Hub DEFAULT = new Hub("default");

    private final String name;
    private final boolean isDefault;
    private volatile ErrorHandler errorHandler = LOGGING_HANDLER;
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile boolean closed;
    /** Started greenlets of this hub by id: O(1) lookup, no scan of other hubs (see {@link IdTable}). */
    private final IdTable<Greenlet<?>> live = new IdTable<>();
    /** Created, unstarted greenlets by id, weakly: an abandoned one can be collected. */
    private final IdTable<UnstartedRef> unstarted = new IdTable<>();
    private final java.lang.ref.ReferenceQueue<Greenlet<?>> collected = new java.lang.ref.ReferenceQueue<>();

    private static final class UnstartedRef extends java.lang.ref.WeakReference<Greenlet<?>> {
        final long id;

        UnstartedRef(Greenlet<?> g, java.lang.ref.ReferenceQueue<Greenlet<?>> q) {
            super(g, q);
            this.id = g.id();
        }
    }

    private final CarrierScheduler carrier; // null for the parallel kinds
    private final VirtualClock virtualClock; // the simulated hub's clock, else null
    private volatile DeadlockError deadlock;
    private volatile boolean strict; // simulated: fail rather than wait in real time
    private final AtomicInteger runs = new AtomicInteger(); // run() calls under way, leftovers included
    private final AtomicInteger outsideJoiners = new AtomicInteger(); // threads outside joining one of ours
    private final java.util.Set<Greenlet<?>> mains = ConcurrentHashMap.newKeySet(); // main tasks of run()
    private final java.util.Set<Greenlet<?>> deadlocked = ConcurrentHashMap.newKeySet(); // killed by a deadlock
    /** The kills of run()'s leftovers or of close() are all sent: who still waits can never run again. */
    private volatile boolean endgame;

    private Hub(String name) {
        this(name, new TimerWheel("weft-timer-" + name), Thread.ofVirtual().factory(), null, null);
    }

    private Hub(String name, Clock clock, ThreadFactory threads, CarrierScheduler carrier, VirtualClock virtualClock) {
        super(clock, threads, carrier != null);
        this.name = name;
        this.isDefault = name.equals("default");
        this.carrier = carrier;
        this.virtualClock = virtualClock;
        dev.weft.internal.Telemetry.hubOpened(this); // the hub registry, its MXBean
    }

    /**
     * A new hub on the JDK's virtual-thread scheduler (every core), with a real clock.
     *
     * @return a new, open hub; {@link #close()} it when done (that releases its timer)
     */
    public static Hub parallel() {
        return new Hub("parallel-" + HUBS.incrementAndGet());
    }

    /**
     * A new cooperative hub: all its greenlets run on one carrier thread, one at a time, in FIFO
     * order, with a real clock — gevent's and Shrapnel's model. State shared by greenlets of one
     * cooperative hub needs no locks between blocking points.
     *
     * @throws IllegalStateException if the JVM lacks {@code --add-opens java.base/java.lang=...}
     *     (the message names the exact flag)
     * @return a new, open hub whose carrier thread is running; {@link #close()} it to stop that
     *     thread
     */
    public static Hub cooperative() {
        int n = HUBS.incrementAndGet();
        CarrierScheduler scheduler = new CarrierScheduler("weft-carrier-cooperative-" + n, null);
        ThreadFactory threads = VirtualThreads.factory(scheduler);
        Hub hub = new Hub("cooperative-" + n, new TimerWheel("weft-timer-cooperative-" + n), threads, scheduler, null);
        scheduler.setDrained(hub::isDrained);
        scheduler.start();
        return hub;
    }

    /**
     * A new simulated hub: the cooperative hub with virtual time and a seeded choice of the next
     * runnable greenlet. The same seed replays the same interleaving; many seeds explore many.
     * Virtual time starts at 0.
     *
     * @param seed picks each next runnable greenlet; the same seed, the same interleaving
     * @return a new, open hub, not strict (see {@link #simulated(long, boolean)}); {@link #close()}
     *     it to stop its carrier thread
     * @throws IllegalStateException if the JVM lacks {@code --add-opens java.base/java.lang=...}
     */
    public static Hub simulated(long seed) {
        return simulated(seed, false);
    }

    /**
     * A simulated hub that, with {@code strict}, refuses to wait in real time: when nothing can
     * run and some greenlet is blocked outside weft (in JDK I/O, {@code Thread.sleep}, a JDK
     * lock), {@link #run} fails with a {@link DeadlockError} naming it, and it is killed (its
     * JDK call interrupted). Without {@code strict}, the hub waits for such calls in real time.
     *
     * @param seed picks each next runnable greenlet; the same seed, the same interleaving
     * @param strict true to fail rather than wait in real time for a greenlet blocked outside
     *     weft; false to wait
     * @return a new, open hub with virtual time starting at 0; {@link #close()} it to stop its
     *     carrier thread
     * @throws IllegalStateException if the JVM lacks {@code --add-opens java.base/java.lang=...}
     */
    public static Hub simulated(long seed, boolean strict) {
        int n = HUBS.incrementAndGet();
        CarrierScheduler scheduler = new CarrierScheduler("weft-carrier-simulated-" + n, seed);
        ThreadFactory threads = VirtualThreads.factory(scheduler);
        VirtualClock clock = new VirtualClock(0);
        Hub hub = new Hub("simulated-" + n + " (seed " + seed + (strict ? ", strict" : "") + ")", clock, threads,
                scheduler, clock);
        hub.strict = strict;
        scheduler.setIdler(hub::onSimulatedIdle);
        scheduler.setDrained(hub::isDrained);
        scheduler.start();
        return hub;
    }

    /**
     * True for the single-carrier kinds (cooperative, simulated).
     *
     * @return whether all greenlets of this hub run on one carrier thread, one at a time
     */
    public boolean isSingleCarrier() {
        return carrier != null;
    }

    /**
     * True for a hub whose greenlets run on the JDK's own virtual-thread scheduler (parallel,
     * default); false for the single-carrier kinds.
     *
     * @return whether greenlets run in parallel on every core
     */
    public boolean isParallelScheduler() {
        return carrier == null;
    }

    /**
     * True for a hub with virtual time.
     *
     * @return true for a {@linkplain #simulated(long) simulated} hub; false for the real-clock kinds
     */
    public boolean isSimulated() {
        return virtualClock != null;
    }

    /**
     * On the simulated hub's carrier when nothing is ready: move time, or find a deadlock. Time
     * moves while a {@link #run} or a {@link #close} drives the hub, or a thread outside it
     * joins one of its greenlets; a deadlock is declared only under {@code run}.
     */
    private boolean onSimulatedIdle() {
        // read before the scan: the kills of an endgame are all queued before it is set, so the
        // scan below sees every greenlet they are about to wake
        boolean endgameNow = endgame;
        boolean closingNow = closing.get();
        boolean driven = runs.get() > 0 || closingNow;
        boolean timeMoves = driven || outsideJoiners.get() > 0;
        List<Greenlet<?>> started = new ArrayList<>();
        List<Greenlet<?>> outside = new ArrayList<>();
        for (Greenlet<?> g : live.values()) {
            if (g.isDead() || !g.isStarted()) continue;
            // a signal queued or a hand-over decided: its wake-up is on its way, it is not stuck
            if (g.isWaiting() && g.isAboutToWake()) return false;
            if (g.isWaiting() && !g.waitsOnOutside()) started.add(g);
            else outside.add(g); // blocked outside weft (JDK I/O, Thread.sleep, a JDK lock)
        }
        if (!outside.isEmpty()) {
            if (!strict || !driven || deadlock != null || closingNow) return false; // wait for it in real time
            outside.sort(Comparator.comparingLong(Greenlet::id));
            StringBuilder sb = new StringBuilder("strict ").append(this)
                    .append(": nothing can run and these greenlets are blocked outside weft, where virtual time"
                            + " cannot follow (JDK I/O, Thread.sleep, a JDK lock):");
            for (Greenlet<?> g : outside) sb.append("\n  ").append(g.name());
            deadlock = new DeadlockError(sb.toString());
            for (Greenlet<?> g : outside) g.kill(new GreenletExit("blocked outside weft in a strict simulated hub"), false, null);
            return true;
        }
        if (!timeMoves) return false; // nobody drives it: time stands still, wake-ups come from outside
        if (virtualClock.advance()) return true;
        if (started.isEmpty() || !driven) return false; // outside run(): no deadlock is declared
        started.sort(Comparator.comparingLong(Greenlet::id));
        boolean mainAlive = false;
        for (Greenlet<?> m : mains) mainAlive |= !m.isDead();
        if (deadlock == null && mainAlive && !endgameNow) {
            StringBuilder sb = new StringBuilder("deadlock in ").append(this)
                    .append(": nothing can run, no timer is armed, and these greenlets wait:");
            for (Greenlet<?> g : started) sb.append("\n  ").append(g.name()).append(" waits on ").append(g.waitingOn());
            deadlock = new DeadlockError(sb.toString());
            for (Greenlet<?> g : started) {
                deadlocked.add(g); // run() lets them unwind this kill instead of killing them again
                g.kill(new GreenletExit("deadlock"), false, null);
            }
            return true;
        }
        if (!endgameNow && deadlock == null) return false; // main ended: run()'s kills are on their way
        // killed already (a deadlock, run()'s leftovers, close()) and waiting again with nothing
        // that could ever wake them: they can never run again, so they end as killed
        for (Greenlet<?> g : started) g.abandon(new GreenletExit("waits forever after its kill in " + this));
        return true;
    }

    /** True if other greenlets of this single-carrier hub are ready to run (for {@code idle}). */
    boolean hasReadyGreenlets() {
        return carrier != null && carrier.hasReadyTasks();
    }

    /**
     * The hub of threads weft did not start, and of greenlets created there: a parallel hub.
     *
     * @return the one default hub of the JVM; it cannot be closed
     */
    public static Hub defaultHub() {
        return DEFAULT;
    }

    /**
     * The hub of the current greenlet (the default hub on a thread weft did not start).
     *
     * @return the calling greenlet's hub; never null
     */
    public static Hub current() {
        return Greenlet.current().hub();
    }

    /**
     * This hub's name, such as {@code "default"} or {@code "parallel-3"}.
     *
     * @return the name: the kind and a number unique in the JVM (a simulated hub's also shows
     *     its seed), or {@code "default"}
     */
    public String name() {
        return name;
    }

    /**
     * This hub's clock, in nanoseconds: the time every weft timeout and sleep is measured on.
     * Only differences are meaningful. Use it (not {@link System#nanoTime()}) in code that
     * must also run under a hub with virtual time.
     *
     * @return the clock's reading in nanoseconds: {@link System#nanoTime()} on the real-clock
     *     kinds, virtual nanoseconds since the hub was made on a simulated hub
     */
    public long nanoTime() {
        return clock().nanoTime();
    }

    /**
     * Creates and starts a greenlet of this hub running {@code task}.
     *
     * @param task what to run
     * @param <T> the type of its value
     * @return the started greenlet
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if this hub is closed
     */
    public <T> Greenlet<T> spawn(Callable<? extends T> task) {
        return Greenlet.startedAtOnce(this, task);
    }

    /**
     * Creates and starts a greenlet of this hub running {@code task}; its value is null.
     *
     * @param task what to run
     * @return the started greenlet
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if this hub is closed
     */
    public Greenlet<Void> spawn(Runnable task) {
        return Greenlet.startedAtOnce(this, task == null ? null : dev.weft.internal.Tasks.runOnly(task));
    }

    /**
     * Creates and starts a greenlet of this hub running {@code task}, a void lambda that may
     * throw a checked exception; its value is null.
     *
     * @param task what to run; a checked exception it throws is the greenlet's exception
     * @return the started greenlet
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if this hub is closed
     */
    public Greenlet<Void> spawn(CheckedRunnable task) {
        return Greenlet.startedAtOnce(this, task == null ? null : dev.weft.internal.Tasks.runCheckedOnly(task));
    }

    /**
     * Creates a greenlet of this hub and starts it after {@code delay} on this hub's clock.
     *
     * @param delay how long from now
     * @param task what to run
     * @param <T> the type of its value
     * @return the scheduled greenlet
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public <T> Greenlet<T> spawnLater(Duration delay, Callable<? extends T> task) {
        Greenlet<T> g = new Greenlet<>(this, task);
        g.startLater(delay);
        return g;
    }

    /**
     * Creates a greenlet of this hub and starts it after {@code delay}; its value is null.
     *
     * @param delay how long from now
     * @param task what to run
     * @return the scheduled greenlet
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Greenlet<Void> spawnLater(Duration delay, Runnable task) {
        Greenlet<Void> g = new Greenlet<>(this, task);
        g.startLater(delay);
        return g;
    }

    /**
     * Creates a greenlet of this hub and starts it after {@code delay}; its value is null.
     *
     * @param delay how long from now
     * @param task what to run; a checked exception it throws is the greenlet's exception
     * @return the scheduled greenlet
     * @throws IllegalArgumentException if {@code delay} is negative
     */
    public Greenlet<Void> spawnLater(Duration delay, CheckedRunnable task) {
        Greenlet<Void> g = new Greenlet<>(this, task);
        g.startLater(delay);
        return g;
    }

    /**
     * {@link #run(Callable)} for a main task without a value.
     *
     * @param main the main task
     * @throws IllegalStateException if called from a greenlet of this hub, or the hub is closed
     */
    public void run(Runnable main) {
        Objects.requireNonNull(main, "main");
        run(() -> {
            main.run();
            return null;
        });
    }

    /**
     * {@link #run(Callable)} for a main task without a value that may throw a checked exception
     * (rethrown wrapped in {@link GreenletFailure}).
     *
     * @param main the main task
     * @throws IllegalStateException if called from a greenlet of this hub, or the hub is closed
     */
    public void run(CheckedRunnable main) {
        Objects.requireNonNull(main, "main");
        run(() -> {
            main.runChecked();
            return null;
        });
    }

    /**
     * Runs {@code main} in a new greenlet of this hub, waits for it, then kills and joins the
     * greenlets of this hub still alive, and returns main's value (or rethrows its failure, as
     * {@link Greenlet#get()} does). Greenlets that the leftovers' deaths set off — link
     * callbacks, and what they spawn — run to their end before {@code run} returns: it returns
     * only when everything it started or triggered is done. On a simulated hub virtual time goes
     * on moving until then; a leftover that waits forever after its kill ends as killed.
     *
     * @param main the main task
     * @param <T> the type of its value
     * @return main's value (null if main was killed)
     * @throws IllegalStateException if called from a greenlet of this hub (it would wait for
     *     itself), or the hub is closed
     * @throws DeadlockError on a simulated hub, when nothing could ever run again
     */
    public <T> T run(Callable<? extends T> main) {
        Objects.requireNonNull(main, "main");
        Greenlet<?> me = Greenlet.current();
        if (me.hub() == this && !me.isAdopted()) {
            throw new IllegalStateException("Hub.run called from inside " + this);
        }
        checkOpen();
        deadlock = null; // a deadlock of an earlier run is not this run's
        Greenlet<T> g = new Greenlet<>(this, main);
        runs.incrementAndGet();
        mains.add(g);
        try {
            g.start();
            T value = g.get();
            DeadlockError d = deadlock;
            if (d != null) throw d;
            return value;
        } catch (RuntimeException | Error e) {
            DeadlockError d = deadlock;
            if (d != null && d != e) d.addSuppressed(e);
            if (d != null) throw d;
            throw e;
        } finally {
            mains.remove(g);
            try {
                killLeftovers();
            } finally {
                runs.decrementAndGet();
            }
        }
    }

    /**
     * A rawlink on each of some greenlets, registered after their other listeners: once it has
     * run on all of them, so have those (a node list fires in registration order).
     */
    private static final class ListenersRan implements java.util.function.Consumer<Greenlet<?>>,
            dev.weft.internal.InternalListener {
        final dev.weft.sync.Event done = new dev.weft.sync.Event();
        private final AtomicInteger pending;

        private ListenersRan(int n) {
            pending = new AtomicInteger(n);
            if (n == 0) done.set();
        }

        static ListenersRan on(List<Greenlet<?>> greenlets) {
            ListenersRan r = new ListenersRan(greenlets.size());
            for (Greenlet<?> g : greenlets) g.rawlink(r); // internal: a failure is still reported
            return r;
        }

        @Override
        public void accept(Greenlet<?> g) {
            if (pending.decrementAndGet() == 0) done.set();
        }
    }

    private void killLeftovers() {
        try {
            List<Greenlet<?>> left = greenlets();
            ListenersRan ran = ListenersRan.on(left); // before the kills: after every earlier listener
            for (Greenlet<?> g : left) {
                if (!deadlocked.contains(g)) g.kill(new GreenletExit("the hub's main task ended"), false, null);
            }
            endgame = true;
            if (carrier != null) carrier.wakeUp(); // let the idle check look again
            while (!left.isEmpty()) {
                for (Greenlet<?> g : left) g.join();
                // a greenlet is ready before its listeners run: wait for them (they spawn the link
                // callbacks), so the next snapshot sees what the deaths set off
                ran.done.await();
                left = greenlets(); // set off by those deaths (link callbacks): they run to their end
                ran = ListenersRan.on(left);
            }
        } finally {
            endgame = closed;
            deadlocked.clear();
        }
    }

    // ---- Shrapnel's event loop and gevent's wait() with no objects

    private final java.util.concurrent.atomic.AtomicBoolean loopRunning = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Greenlet<?> loopGreenlet; // the greenlet runLoop waits in
    private final java.util.concurrent.atomic.AtomicBoolean exitRequested = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile int exitCode;
    private volatile boolean printExitString;

    /** How {@link #exit} wakes the loop's greenlet: a private kill it catches. */
    private static final class ExitLoop extends GreenletExit {
        private static final long serialVersionUID = 1L;

        ExitLoop() {
            super("Hub.exit");
        }
    }

    /**
     * Shrapnel's event loop ({@code coro.spawn(main); coro.event_loop()}): starts {@code main} in
     * a greenlet of this hub and runs until {@link #exit(int)} is called or the hub has nothing
     * left to do ({@link #join(Duration)}: every greenlet finished; on a simulated hub, nothing
     * can run and no timer is armed), then returns the exit code. After {@code exit}, greenlets
     * already scheduled get their turn (a single-carrier hub runs every ready one), then, as in
     * {@link #run(Callable)}, the greenlets still alive are killed and joined. A failure of
     * {@code main} goes to the error handler; the loop goes on.
     *
     * @param main the first greenlet's task (Shrapnel programs usually call {@link #exit} from it)
     * @return the code given to {@link #exit(int)}; 0 if the loop ended because nothing was left
     * @throws IllegalStateException if the loop of this hub is running already, the caller is a
     *     greenlet of this hub, or the hub is closed
     * @throws NullPointerException if {@code main} is null
     */
    public int runLoop(Runnable main) {
        Objects.requireNonNull(main, "main");
        if (!loopRunning.compareAndSet(false, true)) throw new IllegalStateException(this + ": its event loop is running already");
        try {
            exitRequested.set(false);
            exitCode = 0;
            return run(() -> {
                loopGreenlet = Greenlet.current();
                try {
                    try {
                        spawn(main);
                        if (!exitRequested.get()) join(null);
                    } catch (ExitLoop e) {
                        // exit(code) was called
                    }
                    if (exitRequested.get()) {
                        for (;;) {
                            try {
                                Greenlets.idle(); // those already scheduled run first
                                break;
                            } catch (ExitLoop late) {
                                // exit's wake-up came after we stopped waiting: consumed here
                            }
                        }
                    }
                } finally {
                    loopGreenlet = null;
                }
                return exitCode;
            });
        } finally {
            loopRunning.set(false);
            if (printExitString) System.out.println("Exiting");
        }
    }

    /**
     * Asks the running {@link #runLoop} to end with {@code code} (Shrapnel's {@code set_exit}).
     * Greenlets already scheduled still get their turn before it returns. Does nothing if the
     * loop is not running; a second call before it ends changes only the code.
     *
     * @param code what {@code runLoop} returns
     */
    public void exit(int code) {
        exitCode = code;
        if (!loopRunning.get() || !exitRequested.compareAndSet(false, true)) return;
        Greenlet<?> loop = loopGreenlet;
        if (loop != null) loop.kill(new ExitLoop(), false, null);
    }

    /**
     * True while {@link #runLoop} runs on this hub (Shrapnel's {@code coro_is_running}).
     *
     * @return whether this hub's event loop is running
     */
    public boolean isRunning() {
        return loopRunning.get();
    }

    /**
     * Whether {@link #runLoop} prints {@code Exiting} on {@link System#out} as it returns
     * (Shrapnel's {@code set_print_exit_string}). Shrapnel prints by default; weft does not (a
     * library should not write to standard output unasked).
     *
     * @param print true to print it
     */
    public void setPrintExitString(boolean print) {
        printExitString = print;
    }

    /**
     * gevent's {@code wait()} with no objects (its {@code hub.join()}): waits until this hub has
     * nothing left to do, at most {@code timeout}. On a simulated hub that is gevent's meaning
     * exactly: no greenlet can run and no timer is armed (greenlets parked forever on an event
     * nobody sets do not count). On the parallel and cooperative hubs, whose timers and JDK
     * wake-ups weft cannot see the end of, it means: every greenlet of the hub other than the
     * caller has finished (created greenlets never started are not waited for). Greenlets started
     * meanwhile are waited for too.
     *
     * @param timeout at most this long, on the caller's hub clock; {@code null}: no limit
     * @return true if the hub became idle; false if {@code timeout} passed first
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean join(Duration timeout) {
        dev.weft.internal.Waiter.checkTimeout(timeout);
        Greenlet<?> me = Greenlet.current();
        long deadline = dev.weft.internal.Waiter.deadline(me, timeout);
        if (virtualClock != null && me.hub() == this && !me.isAdopted()) return joinSimulated(deadline);
        for (;;) {
            boolean any = false;
            for (Greenlet<?> g : greenlets()) {
                if (g == me || !g.isStarted()) continue; // one never started never finishes
                any = true;
                if (deadline == dev.weft.internal.Waiter.NO_DEADLINE) {
                    g.join();
                } else {
                    long left = deadline - me.hub().nanoTime();
                    if (left <= 0 || !g.join(Duration.ofNanos(left))) return false;
                }
            }
            if (!any) return true;
        }
    }

    /** The same as {@link #join(Duration) join(null)}: waits until this hub has nothing left to do. */
    public void join() {
        join(null);
    }

    /** {@link #join(Duration)} from inside a simulated hub: until nothing can run and no timer is armed. */
    private boolean joinSimulated(long deadline) {
        for (;;) {
            Greenlets.idle(); // every other ready greenlet runs first
            if (!virtualClock.hasPending()) return true;
            if (virtualClock.nanoTime() - deadline >= 0) return false;
            long next = Math.max(Math.min(virtualClock.nextDeadline(), deadline), virtualClock.nanoTime() + 1);
            Greenlets.sleepUntil(next); // time jumps there; what it wakes runs in the next idle()
        }
    }

    /**
     * The live greenlets of this hub — created, scheduled or running — in id order.
     *
     * @return a new list, a snapshot taken at the call; not adopted greenlets, which no hub lists
     */
    public List<Greenlet<?>> greenlets() {
        List<Greenlet<?>> out = live.values();
        out.removeIf(Greenlet::isDead);
        for (UnstartedRef ref : unstarted.values()) {
            Greenlet<?> g = ref.get();
            if (g != null && !g.isDead() && live.get(g.id()) != g) out.add(g);
        }
        out.sort(Comparator.comparingLong(Greenlet::id));
        return out;
    }

    /**
     * The live greenlet of this hub with this id (Shrapnel's {@code get_thread_by_id}), in
     * constant time.
     *
     * @param id the id
     * @return the greenlet
     * @throws NoSuchElementException if there is none
     */
    public Greenlet<?> greenlet(long id) {
        Greenlet<?> g = live.get(id);
        if (g == null) {
            UnstartedRef ref = unstarted.get(id);
            g = ref == null ? null : ref.get();
        }
        if (g == null || g.isDead()) throw new NoSuchElementException("no live greenlet " + id + " in " + this);
        return g;
    }

    /**
     * The live greenlets as a tree by spawner, one per line, for debugging: each with its id,
     * state, what it waits on in weft and for how long, and its spawner (see
     * {@link dev.weft.management.GreenletTree}). Linear in the live greenlets after an id sort.
     *
     * @return this hub's {@code toString()}, then each live greenlet on its own line, indented
     *     under the greenlet that spawned it
     */
    public String dump() {
        return dev.weft.management.GreenletTree.of(this, false).toText();
    }

    /**
     * {@link #dump()}, with each greenlet's stack below it when {@code withStacks}.
     *
     * @param withStacks whether to print each greenlet's stack (costly for many greenlets)
     * @return the tree as text
     */
    public String dump(boolean withStacks) {
        return dev.weft.management.GreenletTree.of(this, withStacks).toText();
    }

    /**
     * {@link #dump()} of every open hub, in creation order (the default hub first).
     *
     * @return the trees as text, one after the other
     */
    public static String dumpAll() {
        StringBuilder sb = new StringBuilder();
        for (var tree : dev.weft.management.GreenletTree.ofAll(false)) tree.writeText(sb);
        return sb.toString();
    }

    /**
     * Replaces the error handler; {@code null} restores {@link #LOGGING_HANDLER}.
     *
     * @param handler given every failure of this hub's greenlets that nobody received, and what
     *     the listeners reported to this hub throw; {@code null} for the default
     */
    public void setErrorHandler(ErrorHandler handler) {
        errorHandler = handler == null ? LOGGING_HANDLER : handler;
    }

    /**
     * The current error handler.
     *
     * @return the handler in use; never null ({@link #LOGGING_HANDLER} unless replaced)
     */
    public ErrorHandler errorHandler() {
        return errorHandler;
    }

    /** Hands {@code error} to the error handler; a handler that throws is logged, never propagated. */
    @Override
    public void report(Object source, Throwable error) {
        dev.weft.internal.Telemetry.errorReported(this, source, error);
        try {
            errorHandler.handle(source, error);
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "weft error handler failed", t);
        }
    }

    /**
     * Releases the hub: kills its live greenlets and refuses new ones. The clock keeps running
     * until the killed greenlets have unwound (their cleanup may wait on it) and stops with the
     * last of them. A parallel hub does not wait for them. A single-carrier hub, closed from
     * outside, waits up to a second of real time for them to unwind (a simulated hub moves its
     * virtual time meanwhile), stops its carrier, and ends as killed any greenlet that ignored
     * the kill and still waits — it could never run again. Closing twice does nothing.
     *
     * @throws UnsupportedOperationException for the default hub
     */
    @Override
    public void close() {
        if (isDefault) throw new UnsupportedOperationException("the default hub cannot be closed");
        if (!closing.compareAndSet(false, true)) return;
        closed = true;
        if (carrier != null) dev.weft.internal.Selfish.hubClosed();
        dev.weft.internal.Telemetry.hubClosed(this); // out of the hub registry, MXBean unregistered
        for (Greenlet<?> g : greenlets()) g.kill(new GreenletExit("hub closed"), false, null);
        endgame = true;
        if (carrier != null) {
            carrier.shutdown(); // it ends once nothing is ready and no greenlet is left
            if (Greenlet.current().hub() != this) { // from inside, waiting for our own carrier would hang
                try {
                    if (!carrier.awaitTermination(1_000)) {
                        // still waiting after their kill: they can never run again
                        for (Greenlet<?> g : greenlets()) g.abandon(new GreenletExit("its hub closed while it waited"));
                        carrier.awaitTermination(1_000);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (isDrained()) clock().close(); // else the last greenlet to end closes it
    }

    /** True once closed and no greenlet of this hub is left. */
    private boolean isDrained() {
        return closed && live.isEmpty();
    }

    /**
     * True once {@link #close()} was called.
     *
     * @return true from the start of the first {@code close()} on, also while its greenlets are
     *     still unwinding; always false for the default hub
     */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "Hub[" + name + (closed ? ", closed" : "") + "]";
    }

    // ---- package-private plumbing for Greenlet and Timeout

    Clock timerClock() {
        return clock();
    }

    void checkOpen() {
        if (closed) throw new IllegalStateException(this + " is closed: it accepts no new greenlets");
    }

    /**
     * A thread outside this simulated hub starts ({@code +1}) or stops ({@code -1}) waiting for
     * one of its greenlets: while any does, virtual time moves outside {@link #run}.
     */
    void outsideJoiner(int delta) {
        if (outsideJoiners.addAndGet(delta) > 0 && carrier != null) carrier.wakeUp();
    }

    /** Before a greenlet of this hub starts. */
    void checkCanStart() {
        checkOpen();
    }

    void register(Greenlet<?> g) {
        live.add(g.id(), g);
    }

    void unregister(Greenlet<?> g) {
        if (live.remove(g.id(), g) && closed && live.isEmpty()) {
            clock().close(); // the last greenlet of a closed hub has unwound
            if (carrier != null) carrier.wakeUp();
        }
    }

    /** True while {@code g} is registered: started and not yet unwound (for tests). */
    boolean isRegistered(Greenlet<?> g) {
        return live.get(g.id()) == g;
    }

    /** True if no started greenlet of this hub is still registered (for tests). */
    boolean hasNoRegistered() {
        return live.isEmpty();
    }

    long newId() {
        return nextId();
    }

    Thread threadFor(Runnable body) {
        if (carrier == null && Selfish.singleCarrierHubsOpen() && Thread.currentThread().isVirtual()
                && Greenlet.current().hub().isSingleCarrier()) {
            return threadFromPlatform(body);
        }
        return newThread(body);
    }

    /**
     * A parallel hub's thread made on a platform thread: a virtual thread built without a
     * scheduler takes its creator's (the JDK's {@code VirtualThread} constructor), so one made
     * by a greenlet of a single-carrier hub would run on that hub's one carrier. Only for
     * cross-hub spawns from a single-carrier hub; the wait is a brief hand-over, not a blocking
     * point (a kill meanwhile is kept for the next one).
     */
    private Thread threadFromPlatform(Runnable body) {
        java.util.concurrent.FutureTask<Thread> make = new java.util.concurrent.FutureTask<>(() -> newThread(body));
        Thread.ofPlatform().daemon().name("weft-spawn-" + name()).start(make);
        boolean interrupted = false;
        try {
            for (;;) {
                try {
                    return make.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (java.util.concurrent.ExecutionException e) {
                    throw Greenlets.rethrow(e.getCause());
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    void trackUnstarted(Greenlet<?> g) {
        for (java.lang.ref.Reference<?> r; (r = collected.poll()) != null; ) {
            UnstartedRef u = (UnstartedRef) r;
            unstarted.remove(u.id, u); // an abandoned unstarted greenlet was collected
        }
        unstarted.add(g.id(), new UnstartedRef(g, collected));
    }

    /** True while an entry for the unstarted greenlet with this id is held (for tests). */
    boolean isTrackedUnstarted(long id) {
        return unstarted.get(id) != null;
    }

    void untrackUnstarted(Greenlet<?> g) {
        UnstartedRef ref = unstarted.get(g.id());
        if (ref != null) unstarted.remove(g.id(), ref); // the ref is garbage now: never enqueued
    }
}
