package dev.weft;

import dev.weft.internal.Clock;
import dev.weft.internal.HubCore;
import dev.weft.internal.TimerWheel;
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
 *     all cores</td><td>real</td><td>production</td></tr>
 * </table>
 * (The cooperative and simulated hubs plug into the same shape.)
 *
 * <p>{@link #current()} is the hub of the current greenlet; code on a thread weft did not start
 * belongs to the default hub. {@link #run(Callable)} runs a main task to completion;
 * {@link #close()} releases the hub. Thread safety: all methods may be called from any thread.
 */
public final class Hub extends HubCore implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.weft");
    private static final AtomicInteger HUBS = new AtomicInteger();
    private static final Hub DEFAULT = new Hub("default");

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

    private final String name;
    private final boolean isDefault;
    private volatile ErrorHandler errorHandler = LOGGING_HANDLER;
    private volatile boolean closed;
    private final ConcurrentHashMap<Long, java.lang.ref.WeakReference<Greenlet<?>>> unstarted =
            new ConcurrentHashMap<>();

    private Hub(String name) {
        super(new TimerWheel("weft-timer-" + name), Thread.ofVirtual().factory());
        this.name = name;
        this.isDefault = name.equals("default");
    }

    /** A new hub on the JDK's virtual-thread scheduler (every core), with a real clock. */
    public static Hub parallel() {
        return new Hub("parallel-" + HUBS.incrementAndGet());
    }

    /** The hub of threads weft did not start, and of greenlets created there: a parallel hub. */
    public static Hub defaultHub() {
        return DEFAULT;
    }

    /** The hub of the current greenlet (the default hub on a thread weft did not start). */
    public static Hub current() {
        return Greenlet.current().hub();
    }

    /** This hub's name, such as {@code "default"} or {@code "parallel-3"}. */
    public String name() {
        return name;
    }

    /**
     * This hub's clock, in nanoseconds: the time every weft timeout and sleep is measured on.
     * Only differences are meaningful. Use it (not {@link System#nanoTime()}) in code that
     * must also run under a hub with virtual time.
     */
    public long nanoTime() {
        return clock().nanoTime();
    }

    /** Creates and starts a greenlet of this hub running {@code task}. */
    public <T> Greenlet<T> spawn(Callable<? extends T> task) {
        return Greenlet.startedAtOnce(this, task);
    }

    /** Creates and starts a greenlet of this hub running {@code task}; its value is null. */
    public Greenlet<Void> spawn(Runnable task) {
        return spawn(Greenlet.callable(task));
    }

    /** Creates a greenlet of this hub and starts it after {@code delay}. */
    public <T> Greenlet<T> spawnLater(Duration delay, Callable<? extends T> task) {
        Greenlet<T> g = new Greenlet<>(this, task);
        g.startLater(delay);
        return g;
    }

    /**
     * Runs {@code main} in a new greenlet of this hub, waits for it, then kills and joins the
     * greenlets of this hub still alive, and returns main's value (or rethrows its failure, as
     * {@link Greenlet#get()} does).
     *
     * @throws IllegalStateException if called from a greenlet of this hub (it would wait for itself)
     */
    public <T> T run(Callable<? extends T> main) {
        Objects.requireNonNull(main, "main");
        Greenlet<?> me = Greenlet.current();
        if (me.hub() == this && !me.isAdopted()) {
            throw new IllegalStateException("Hub.run called from inside " + this);
        }
        Greenlet<T> g = spawn(main);
        try {
            return g.get();
        } finally {
            killLeftovers();
        }
    }

    private void killLeftovers() {
        List<Greenlet<?>> left = greenlets();
        for (Greenlet<?> g : left) g.kill(new GreenletExit("the hub's main task ended"), false, null);
        for (Greenlet<?> g : left) g.join();
    }

    /** The live greenlets of this hub — created, scheduled or running — in id order. */
    public List<Greenlet<?>> greenlets() {
        List<Greenlet<?>> out = new ArrayList<>();
        for (Greenlet<?> g : Greenlet.liveGreenlets()) if (g.hub() == this && !g.isDead()) out.add(g);
        for (var ref : unstarted.values()) {
            Greenlet<?> g = ref.get();
            if (g != null && !g.isDead() && !out.contains(g)) out.add(g);
        }
        out.sort(Comparator.comparingLong(Greenlet::id));
        return out;
    }

    /**
     * The live greenlet of this hub with this id (Shrapnel's {@code get_thread_by_id}).
     *
     * @throws NoSuchElementException if there is none
     */
    public Greenlet<?> greenlet(long id) {
        for (Greenlet<?> g : greenlets()) if (g.id() == id) return g;
        throw new NoSuchElementException("no live greenlet " + id + " in " + this);
    }

    /** The live greenlets as a tree by spawner, one per line, for debugging. */
    public String dump() {
        List<Greenlet<?>> all = greenlets();
        StringBuilder sb = new StringBuilder(toString()).append('\n');
        for (Greenlet<?> g : all) {
            boolean parentListed = false;
            for (Greenlet<?> p : all) if (p.id() == g.parentId()) parentListed = true;
            if (!parentListed) dumpTree(sb, g, all, 1);
        }
        return sb.toString();
    }

    private static void dumpTree(StringBuilder sb, Greenlet<?> g, List<Greenlet<?>> all, int depth) {
        sb.append("  ".repeat(depth)).append(g).append('\n');
        for (Greenlet<?> c : all) if (c.parentId() == g.id() && c != g) dumpTree(sb, c, all, depth + 1);
    }

    /** Replaces the error handler; {@code null} restores {@link #LOGGING_HANDLER}. */
    public void setErrorHandler(ErrorHandler handler) {
        errorHandler = handler == null ? LOGGING_HANDLER : handler;
    }

    /** The current error handler. */
    public ErrorHandler errorHandler() {
        return errorHandler;
    }

    /** Hands {@code error} to the error handler; a handler that throws is logged, never propagated. */
    @Override
    public void report(Object source, Throwable error) {
        try {
            errorHandler.handle(source, error);
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "weft error handler failed", t);
        }
    }

    /**
     * Releases the hub: kills its live greenlets (without waiting) and stops its timer. A closed
     * hub refuses new greenlets. Closing twice does nothing.
     *
     * @throws UnsupportedOperationException for the default hub
     */
    @Override
    public void close() {
        if (isDefault) throw new UnsupportedOperationException("the default hub cannot be closed");
        if (closed) return;
        closed = true;
        for (Greenlet<?> g : greenlets()) g.kill(new GreenletExit("hub closed"), false, null);
        clock().close();
    }

    /** True once {@link #close()} was called. */
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

    long newId() {
        return nextId();
    }

    Thread threadFor(Runnable body) {
        return newThread(body);
    }

    void trackUnstarted(Greenlet<?> g) {
        unstarted.put(g.id(), new java.lang.ref.WeakReference<>(g));
        if ((g.id() & 1023) == 0) unstarted.values().removeIf(r -> r.get() == null);
    }

    void untrackUnstarted(Greenlet<?> g) {
        unstarted.remove(g.id());
    }
}
