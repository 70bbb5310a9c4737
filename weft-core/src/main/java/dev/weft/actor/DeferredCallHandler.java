package dev.weft.actor;

import dev.weft.internal.Telemetry;

import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.Interrupted;
import dev.weft.Outcome;
import dev.weft.Timeout;
import dev.weft.internal.SignalQueue;
import dev.weft.internal.Waiter;
import dev.weft.sync.Queue;
import dev.weft.sync.QueueClosedException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An object whose methods can be called from any greenlet but run in the handler's own context,
 * at points the handler chooses (gevent_async's {@code DeferredCallHandler}): its state is never
 * touched in the middle of an update.
 *
 * <p>The callable surface is a Java interface {@code I} that the handler implements (subclass
 * this class and implement {@code I}, or {@link #wrap} an existing implementation):
 * <ul>
 * <li>{@link #sync()} returns an {@code I} whose calls are queued and block the caller until
 *     the handler has run them; they return the method's value or rethrow its exception — the
 *     very instance, a checked one as the method declares it. {@link #sync(Duration)} raises a
 *     {@link Timeout} in the caller on expiry.</li>
 * <li>{@link #oneway()} returns an {@code I} whose calls are queued and return at once (void
 *     methods only: calling a value-returning method one-way throws
 *     {@link UnsupportedOperationException} at the call). Their exceptions are reported to the
 *     processing greenlet's hub error handler ({@link Hub#report}) once, and processing goes on.</li>
 * <li>{@link #process()} runs the calls already queued, in FIFO order, in the calling greenlet;
 *     {@link #process(boolean, Set)} may keep processing new calls until {@link #stopProcessing()}
 *     and may restrict which methods run now.</li>
 * <li>{@link #spawnProcessing()} starts a greenlet that processes forever; when it ends (a
 *     failure, a kill, or a stop), callers waiting fail fast with a
 *     {@link HandlerStoppedException} carrying its failure, and later calls fail at once.</li>
 * <li>Calling a method of the handler directly still works and bypasses the queue, at your own
 *     risk (the seed's words): it may run in the middle of an update.</li>
 * </ul>
 *
 * {@snippet :
 * interface Counter { void add(int n); int total(); }
 *
 * final class CounterHandler extends DeferredCallHandler<Counter> implements Counter {
 *     private int total;
 *     CounterHandler() { super(Counter.class); }
 *     public void add(int n) { total += n; }
 *     public int total() { return total; }
 * }
 *
 * CounterHandler counter = new CounterHandler();
 * counter.spawnProcessing();              // or: a loop of your own that calls process()
 * counter.oneway().add(2);                // queued, returns at once
 * int now = counter.sync().total();       // 2: runs in the handler's greenlet, waits for it
 * }
 *
 * <h2>Cancellation: a call happens once or not at all</h2>
 * A {@code sync} caller that times out, or is killed (or gets any other weft signal) while it
 * waits, withdraws its call: if the handler had not taken it, it never runs; if the handler is
 * running it already, it runs to its end and its outcome is dropped. Either way the caller gets
 * its {@code Timeout} or its kill.
 *
 * <h2>Calls from inside the handler</h2>
 * A {@code sync} call made while processing for this handler — the handler calling its own
 * {@code sync()} proxy, or a method it calls synchronously on another handler calling back —
 * runs inline, at once, instead of waiting for itself forever. A {@code oneway} call from inside
 * is queued like any other.
 *
 * <h2>Differences from gevent_async</h2>
 * With a whitelist, calls to other methods stay queued, in order, for a later {@code process}
 * without that whitelist (gevent_async consumes and silently drops them, which leaves a
 * {@code sync} caller waiting forever). {@link #stopProcessing()} ends processing after the call
 * being run, leaving the calls behind it queued (gevent_async queues a stop marker behind them).
 *
 * <p>Thread safety: {@code sync()}, {@code oneway()}, their calls and {@link #stopProcessing()}
 * may be used from any thread; one greenlet at a time processes (a second one calling
 * {@code process} meanwhile gets an {@link IllegalStateException}). Memory consistency: actions
 * of a caller before its call happen-before the call runs; actions of the call happen-before
 * the {@code sync} caller returns.
 *
 * @param <I> the interface whose calls are deferred
 */
public class DeferredCallHandler<I> {
    /*
     * Overview (for maintainers). Calls are Call objects in a weft Queue (unbounded, so a put
     * never waits). The greenlet that processes is the owner (CAS from null; nested process
     * calls of the owner are allowed). Calls set aside by a whitelist go to `held`, touched only
     * by the owner, and run before the queue on the next process that accepts them: they were
     * queued before anything still in the queue, so FIFO order holds. stopProcessing sets a flag
     * and queues a STOP marker to wake an idle owner; markers carry no meaning by themselves.
     * A Chain in a ThreadLocal tells which handlers the current greenlet processes for, so a
     * sync call to one of them runs inline. When the spawned processing greenlet ends, the
     * queue is closed and every call left is failed (closeWith).
     */
    private static final ThreadLocal<Chain> CHAIN = new ThreadLocal<>();
    private static final Call STOP = new Call(null, null, true, null);

    private final Class<I> api;
    private final I target;
    private final Map<Method, Invoker> invokers;
    private final Queue<Call> queue = new Queue<>();
    private final ArrayList<Call> held = new ArrayList<>(); // owner only
    private final I syncProxy;
    private final I onewayProxy;
    private volatile Greenlet<?> owner;
    private volatile Greenlet<?> processor; // the spawnProcessing greenlet, once
    private volatile boolean stopRequested;
    private volatile boolean stopped;
    private volatile Throwable stoppedCause;
    private volatile TimedProxy<I> lastTimed;

    private record TimedProxy<I>(Duration timeout, I proxy) {}

    /**
     * A handler whose target is {@code this}: the subclass implements {@code api}.
     *
     * @param api the interface whose calls are deferred; the subclass must implement it
     * @throws IllegalArgumentException if {@code api} is not an interface, this object does not
     *     implement it, or weft cannot call its methods (a non-public interface in a package not
     *     open to {@code dev.weft}: use the constructor taking a lookup)
     * @throws NullPointerException if {@code api} is null
     */
    protected DeferredCallHandler(Class<I> api) {
        this(api, null, null);
    }

    /**
     * Like {@link #DeferredCallHandler(Class)}, reaching the methods through {@code lookup}: for an
     * interface weft cannot see (a non-public one in a named module), pass
     * {@code MethodHandles.lookup()} from code that can.
     *
     * @param api the interface whose calls are deferred; the subclass must implement it
     * @param lookup a lookup with access to {@code api}'s methods
     * @throws IllegalArgumentException if {@code api} is not an interface, this object does not
     *     implement it, or {@code lookup} cannot reach its methods
     * @throws NullPointerException if an argument is null
     */
    protected DeferredCallHandler(Class<I> api, MethodHandles.Lookup lookup) {
        this(api, null, Objects.requireNonNull(lookup, "lookup"));
    }

    private DeferredCallHandler(Class<I> api, I target, MethodHandles.Lookup lookup) {
        Objects.requireNonNull(api, "api");
        if (!api.isInterface()) throw new IllegalArgumentException(api.getName() + " is not an interface");
        Object t = target == null ? this : target;
        if (!api.isInstance(t)) {
            throw new IllegalArgumentException(t.getClass().getName() + " does not implement " + api.getName());
        }
        this.api = api;
        this.target = api.cast(t);
        this.invokers = Invoker.tableFor(api, lookup);
        this.syncProxy = proxy(new CallProxy(this, false, null));
        this.onewayProxy = proxy(new CallProxy(this, true, null));
    }

    /**
     * A handler deferring calls to {@code target}, an existing implementation of {@code api}.
     *
     * @param <I> the interface
     * @param api the interface whose calls are deferred
     * @param target receives the calls, in the processing greenlet
     * @return a new handler; calling {@code target} directly bypasses it
     * @throws IllegalArgumentException if {@code api} is not an interface or weft cannot call its
     *     methods (a non-public interface in a package not open to {@code dev.weft})
     * @throws NullPointerException if an argument is null
     */
    public static <I> DeferredCallHandler<I> wrap(Class<I> api, I target) {
        return new DeferredCallHandler<>(api, Objects.requireNonNull(target, "target"), null);
    }

    /** The invoker of {@code m}, a method of the interface; null for {@code Object}'s methods. */
    final Invoker invoker(Method m) {
        return invokers.get(m);
    }

    private I proxy(InvocationHandler h) {
        return api.cast(Proxy.newProxyInstance(api.getClassLoader(), new Class<?>[] {api}, h));
    }

    // ------------------------------------------------------------------ callers

    /**
     * The synchronous view: each call is queued, the caller waits until the handler has run it,
     * then gets its value or its exception (the very instance).
     *
     * @return the same proxy every time; calls on it may throw {@link HandlerStoppedException} if
     *     the handler stopped for good (the cause is its failure)
     */
    public final I sync() {
        return syncProxy;
    }

    /**
     * The synchronous view with a time limit: a call not finished within {@code timeout} raises
     * a {@link Timeout} (a new, unstarted one) in the caller. If the handler had not taken the
     * call yet it never runs; if it had, it runs to its end and its outcome is dropped.
     *
     * @param timeout at most this long per call, on the caller's hub clock; {@code null}: no limit
     * @return a proxy with that limit
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public final I sync(Duration timeout) {
        if (timeout == null) return syncProxy;
        Waiter.checkTimeout(timeout);
        TimedProxy<I> last = lastTimed;
        if (last != null && last.timeout.equals(timeout)) return last.proxy;
        I p = proxy(new CallProxy(this, false, timeout));
        lastTimed = new TimedProxy<>(timeout, p);
        return p;
    }

    /**
     * The one-way view: each call is queued and returns at once. Only {@code void} methods may
     * be called one-way: calling a value-returning method on it throws
     * {@link UnsupportedOperationException} at the call. A one-way call's exception is reported
     * once to the processing greenlet's hub ({@link Hub#report}) and processing goes on.
     *
     * @return the same proxy every time; calls on it may throw {@link HandlerStoppedException} if
     *     the handler stopped for good
     */
    public final I oneway() {
        return onewayProxy;
    }

    Object callSync(Invoker inv, Object[] args, Duration timeout) throws Throwable {
        Chain chain = CHAIN.get();
        if (chain != null && chain.contains(this)) return inv.invoke(target, args); // waiting would wait for itself
        Call c = new Call(inv, args, false, chain);
        enqueue(c);
        Greenlet<?> me = Greenlet.current();
        boolean done;
        try {
            done = c.await(me, timeout == null ? Waiter.NO_DEADLINE : Waiter.deadline(me, timeout));
        } catch (Throwable signal) { // a kill, a Timeout of the caller's: the call is withdrawn
            c.withdraw();
            throw signal;
        }
        if (!done) {
            c.withdraw(); // if the handler took it already, it runs to its end, unread
            Timeout t = new Timeout(timeout);
            t.fillInStackTrace();
            throw t;
        }
        Throwable e = c.error();
        if (e != null) throw e;
        return c.value();
    }

    Object callOneway(Invoker inv, Object[] args) {
        if (inv.returnsValue()) {
            throw new UnsupportedOperationException("a one-way call cannot return a value: "
                    + inv.signature() + " returns one (call it through sync())");
        }
        enqueue(new Call(inv, args, true, null));
        return null;
    }

    private void enqueue(Call c) {
        if (stopped) throw stoppedException(c);
        try {
            queue.put(c);
        } catch (QueueClosedException e) {
            throw stoppedException(c);
        }
    }

    private HandlerStoppedException stoppedException(Call c) {
        Throwable cause = stoppedCause;
        String what = c.invoker == null ? "" : " (" + c.invoker.signature() + ")";
        return new HandlerStoppedException(this + " has stopped processing" + what
                + (cause == null ? "" : ": " + cause), cause);
    }

    // ------------------------------------------------------------------ the handler's side

    /**
     * Runs the calls queued now, in FIFO order, in the calling greenlet, and returns (gevent_async's
     * {@code process()}). Calls queued while it runs are run too, until the queue is empty.
     *
     * @throws IllegalStateException if another greenlet is processing this handler, or the
     *     handler has a {@link #spawnProcessing()} greenlet (only that one processes)
     * @throws HandlerStoppedException if the handler stopped for good
     */
    public final void process() {
        process(false, null);
    }

    /**
     * Runs queued calls in the calling greenlet.
     *
     * <p>With {@code forever}, it keeps waiting for and running new calls until
     * {@link #stopProcessing()}, which lets the call being run finish (a stop requested while no
     * greenlet processes forever stops the next one that does, at once). Without it, it returns
     * once the queue is empty. A {@code whitelist} of method names runs only calls to those
     * methods now: the others stay queued, in order, for a later {@code process} without that
     * whitelist (gevent_async drops them).
     *
     * <p>A kill or {@code Timeout} raised in the processing greenlet while it runs a {@code sync}
     * call fails that call with a {@link HandlerStoppedException} (cause: the signal) and
     * propagates; the calls behind it stay queued.
     *
     * @param forever keep processing new calls until {@link #stopProcessing()}
     * @param whitelist names of the methods allowed to run now; {@code null}: all
     * @throws IllegalArgumentException if a name in {@code whitelist} is not a method of the
     *     interface
     * @throws IllegalStateException if another greenlet is processing this handler, or the
     *     handler has a {@link #spawnProcessing()} greenlet (only that one processes)
     * @throws HandlerStoppedException if the handler stopped for good
     */
    public final void process(boolean forever, Set<String> whitelist) {
        if (whitelist != null) checkNames(whitelist);
        Greenlet<?> me = Greenlet.current();
        Greenlet<?> spawned = processor;
        if (spawned != null && spawned != me) {
            if (stopped) throw stoppedException(STOP);
            throw new IllegalStateException(this + " is processed by its own greenlet " + spawned);
        }
        boolean nested = owner == me;
        if (!nested && !OWNER.compareAndSet(this, null, me)) {
            throw new IllegalStateException(this + " is being processed by " + owner + " already");
        }
        Chain outer = CHAIN.get();
        Chain base = new Chain(this, outer);
        CHAIN.set(base);
        try {
            if (stopped) throw stoppedException(STOP);
            if (!held.isEmpty() && runHeld(forever, whitelist, base)) return;
            for (;;) {
                if (forever && consumeStop()) return;
                Call c = forever ? queue.get() : queue.tryGet();
                if (c == null) return;
                if (c == STOP) continue;
                if (whitelist != null && !whitelist.contains(c.invoker.name())) {
                    if (!c.isWithdrawn()) held.add(c);
                    continue;
                }
                run(c, base);
            }
        } catch (QueueClosedException e) {
            throw stoppedException(STOP);
        } finally {
            CHAIN.set(outer);
            if (!nested) owner = null;
        }
    }

    /** Runs the held calls the whitelist accepts, in order; true if a stop ended processing. */
    private boolean runHeld(boolean forever, Set<String> whitelist, Chain base) {
        for (int i = 0; i < held.size(); ) {
            if (forever && consumeStop()) return true;
            Call c = held.get(i);
            if (c.isWithdrawn()) {
                held.remove(i);
            } else if (whitelist == null || whitelist.contains(c.invoker.name())) {
                held.remove(i);
                run(c, base);
            } else {
                i++;
            }
        }
        return false;
    }

    private boolean consumeStop() {
        if (!stopRequested) return false;
        stopRequested = false;
        return true;
    }

    private void run(Call c, Chain base) {
        if (!c.take()) return; // withdrawn by its caller: it never runs
        Chain chain = c.origin == null ? base : new Chain(this, c.origin);
        if (chain != base) CHAIN.set(chain);
        Object event = Telemetry.handlerCallBegin(c.queuedAt);
        boolean failed = true;
        try {
            Object v = c.invoker.invoke(target, c.args);
            failed = false;
            if (!c.oneway) c.succeed(v);
        } catch (Interrupted signal) {
            // a signal to the processing greenlet (killed, timed out, a linked exit) stops it and
            // is never swallowed; an Interrupted the method threw or passed on (a nested sync
            // call's Timeout, a callee's linked exit) is the call's failure like any other
            if (!SignalQueue.wasDelivered(Greenlet.current(), signal)) {
                failCall(c, signal);
                return;
            }
            if (!c.oneway) {
                c.fail(new HandlerStoppedException("the greenlet processing " + this + " was stopped by "
                        + signal + " while it ran " + c.invoker.signature(), signal));
            }
            throw signal;
        } catch (Throwable e) {
            failCall(c, e);
        } finally {
            if (event != null) Telemetry.handlerCallEnd(event, this, c.invoker.signature(), c.oneway, failed);
            if (chain != base) CHAIN.set(base);
        }
    }

    /** The call's own failure: a sync caller gets it; a one-way call's is reported. */
    private void failCall(Call c, Throwable e) {
        if (c.oneway) {
            Hub.current().report("one-way call " + c.invoker.signature() + " on " + this, e);
        } else {
            c.fail(e);
        }
    }

    private void checkNames(Set<String> whitelist) {
        for (String name : whitelist) {
            boolean known = false;
            for (Invoker inv : invokers.values()) {
                if (inv.name().equals(name)) {
                    known = true;
                    break;
                }
            }
            if (!known) throw new IllegalArgumentException(name + " is not a method of " + api.getName());
        }
    }

    /**
     * Asks the greenlet processing forever to stop after the call it is running; the calls behind
     * it stay queued. A stop requested while no greenlet processes forever stops the next one
     * that does, at once (gevent_async's {@code stop_processing} queues a marker behind the
     * pending calls instead). Returns at once.
     */
    public final void stopProcessing() {
        stopRequested = true;
        try {
            queue.tryPut(STOP); // wakes an idle processor
        } catch (QueueClosedException stoppedForGood) {
            // the handler has stopped already: there is nothing left to stop
        }
    }

    /**
     * Starts a greenlet, in the current hub, that processes forever ({@code process(true, null)}).
     * When it ends — it failed, was killed, or {@link #stopProcessing()} stopped it — the handler
     * stops for good: the calls still queued fail, so their {@code sync} callers get a
     * {@link HandlerStoppedException} whose cause is the greenlet's failure (or the kill), and
     * later calls fail at once. Link to or join the returned greenlet to watch it.
     *
     * @return the started processing greenlet
     * @throws IllegalStateException if it was started already
     */
    public final Greenlet<Void> spawnProcessing() {
        Greenlet<Void> g = new Greenlet<>((Runnable) () -> process(true, null));
        if (!PROCESSOR.compareAndSet(this, null, g)) {
            throw new IllegalStateException(this + " has a processing greenlet already: " + processor);
        }
        g.rawlink(done -> stopWith(switch (done.outcome()) {
            case Outcome.Value<Void> v -> null;
            case Outcome.Failed<Void>(Throwable e) -> e;
            case Outcome.Killed<Void>(var exit) -> exit;
        }));
        g.start();
        return g;
    }

    /** Stops the handler for good: later calls fail at once, queued ones now. */
    private void stopWith(Throwable cause) {
        stoppedCause = cause;
        stopped = true;
        queue.close();
        Call c;
        while ((c = queue.tryGet()) != null) failStopped(c);
        for (Call h : held) failStopped(h); // the owner has ended: nobody else touches it
        held.clear();
    }

    private void failStopped(Call c) {
        if (c != STOP && c.take() && !c.oneway) c.fail(stoppedException(c));
    }

    /**
     * True once the handler stopped for good (its {@link #spawnProcessing()} greenlet ended).
     *
     * @return true if calls now fail at once with {@link HandlerStoppedException}
     */
    public final boolean isStopped() {
        return stopped;
    }

    /**
     * How many calls wait to be run: queued, or set aside by a whitelist (withdrawn ones that
     * were not skipped yet included).
     *
     * @return a snapshot count (the set-aside ones are exact only in the processing greenlet)
     */
    public final int pending() {
        int n = 0;
        for (Call c : queue.asBlockingQueue()) if (c != STOP) n++;
        return n + held.size();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "<" + api.getSimpleName() + ">@" + Integer.toHexString(System.identityHashCode(this));
    }

    // VarHandle mechanics
    private static final VarHandle OWNER;
    private static final VarHandle PROCESSOR;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            OWNER = l.findVarHandle(DeferredCallHandler.class, "owner", Greenlet.class);
            PROCESSOR = l.findVarHandle(DeferredCallHandler.class, "processor", Greenlet.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
