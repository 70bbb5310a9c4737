package dev.weft.internal;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where the engine tells what happens, for JFR, JMX and the greenlet tree. Every hook the engine
 * calls is here, one line at its call site (the hub's creation and close, a greenlet's start and
 * end, a kill, a timeout armed and fired, an error reported, a pool made; {@link Waiter} stamps
 * when it parks).
 *
 * <h2>Overview (for maintainers)</h2>
 * <ul>
 * <li>JFR: each event type has one static <em>probe</em> instance that is never committed; its
 *     {@code isEnabled()} reads the event type's static configuration (a constant false until a
 *     recording enables the type), so with JFR off a hook allocates nothing and costs a static
 *     load and a branch. An event is created only when its type is enabled.</li>
 * <li>Counters: a {@link HubStats} per hub ({@code LongAdder}s); gauges are computed on read.</li>
 * <li>Hubs: a registry of open hubs in creation order ({@link #hubs()}), for
 *     {@code Hub.dumpAll()}, the console and JMX; a hub leaves it when it closes.</li>
 * </ul>
 * Backed by TelemetryJfrTest (events), HubMXBeanTest (counters and JMX) and GreenletTreeTest.
 */
public final class Telemetry {
    private Telemetry() {}

    private static final WeftEvents.GreenletStart START = new WeftEvents.GreenletStart();
    private static final WeftEvents.GreenletEnd END = new WeftEvents.GreenletEnd();
    private static final WeftEvents.Kill KILL = new WeftEvents.Kill();
    private static final WeftEvents.TimeoutFired TIMEOUT = new WeftEvents.TimeoutFired();
    private static final WeftEvents.ErrorReported ERROR = new WeftEvents.ErrorReported();
    private static final WeftEvents.PoolAdmissionWait POOL_WAIT = new WeftEvents.PoolAdmissionWait();
    private static final WeftEvents.LinkedExitDelivered LINKED_EXIT = new WeftEvents.LinkedExitDelivered();
    private static final WeftEvents.HandlerCall HANDLER_CALL = new WeftEvents.HandlerCall();
    private static final WeftEvents.StateTransition TRANSITION = new WeftEvents.StateTransition();

    /** Open hubs, each with its creation number (the registry's order). */
    private static final ConcurrentHashMap<HubCore, Long> HUBS = new ConcurrentHashMap<>();
    private static final AtomicLong HUB_SEQ = new AtomicLong();

    /** The run-time start of a greenlet whose start was not stamped (the end event was off). */
    static final long NOT_STAMPED = Long.MIN_VALUE;

    // ---------------------------------------------------------------- hubs

    /**
     * A hub was made: it joins the registry and gets its MXBean (registered asynchronously).
     *
     * @param hub the new hub
     */
    public static void hubOpened(HubCore hub) {
        HUBS.put(hub, HUB_SEQ.incrementAndGet());
        Jmx.register(hub);
    }

    /**
     * A hub was closed: it leaves the registry and its MXBean is unregistered.
     *
     * @param hub the hub
     */
    public static void hubClosed(HubCore hub) {
        if (HUBS.remove(hub) != null) Jmx.unregister(hub);
    }

    /**
     * The open hubs, in creation order (the default hub first).
     *
     * @return a new list
     */
    public static List<HubCore> hubs() {
        List<java.util.Map.Entry<HubCore, Long>> e = new ArrayList<>(HUBS.entrySet());
        e.sort(java.util.Map.Entry.comparingByValue());
        List<HubCore> out = new ArrayList<>(e.size());
        for (var x : e) out.add(x.getKey());
        return out;
    }

    /**
     * The counters of {@code hub}.
     *
     * @param hub a hub
     * @return its stats; never null
     */
    public static HubStats stats(HubCore hub) {
        return hub.stats;
    }

    // ---------------------------------------------------------------- greenlets

    /**
     * A greenlet's body starts, on its own thread.
     *
     * @param g the greenlet
     */
    public static void greenletStarted(Greenlet<?> g) {
        Strand s = g;
        s.hub.stats.started.increment();
        if (END.isEnabled()) s.runStart = System.nanoTime();
        if (START.isEnabled()) {
            WeftEvents.GreenletStart e = new WeftEvents.GreenletStart();
            e.hub = hubName(s.hub);
            e.greenletId = g.id();
            e.parentId = g.parentId();
            e.name = g.name();
            e.commit();
        }
    }

    /**
     * A greenlet ended (also one killed before it started).
     *
     * @param g the greenlet
     * @param error its exception: null for a value, a {@link GreenletExit} for a kill
     */
    public static void greenletEnded(Greenlet<?> g, Throwable error) {
        Strand s = g;
        HubStats st = s.hub.stats;
        st.ended.increment();
        boolean killed = error instanceof GreenletExit;
        if (killed) st.killed.increment();
        else if (error != null) {
            st.failed.increment();
            st.recordFailure(g.id(), g.name(), error);
        }
        if (END.isEnabled()) {
            WeftEvents.GreenletEnd e = new WeftEvents.GreenletEnd();
            e.hub = hubName(s.hub);
            e.greenletId = g.id();
            e.parentId = g.parentId();
            e.name = g.name();
            e.outcome = error == null ? "value" : killed ? "killed" : "failed";
            e.exceptionType = error == null ? null : error.getClass().getName();
            long t0 = s.runStart;
            e.runTime = t0 == 0 ? NOT_STAMPED : System.nanoTime() - t0;
            e.commit();
        }
    }

    /**
     * A kill is sent to a live greenlet (from the sender's thread).
     *
     * @param target the greenlet killed
     * @param exception what it raises
     */
    public static void killSent(Greenlet<?> target, Throwable exception) {
        Strand s = target;
        s.hub.stats.killsSent.increment();
        if (KILL.isEnabled()) {
            WeftEvents.Kill e = new WeftEvents.Kill();
            Greenlet<?> sender = Greenlet.current();
            e.hub = hubName(s.hub);
            e.senderId = sender.isAdopted() ? 0 : sender.id();
            e.sender = sender.isAdopted() ? Thread.currentThread().toString() : sender.name();
            e.targetId = target.id();
            e.target = target.name();
            e.exceptionType = exception.getClass().getName();
            e.commit();
        }
    }

    /**
     * A timeout with a finite duration was started by {@code owner}.
     *
     * @param owner the greenlet it is for
     */
    public static void timeoutArmed(Strand owner) {
        owner.hub.stats.timeoutsArmed.increment();
    }

    /**
     * A timeout expired and queued its signal for {@code owner} (on the timer thread, or at once
     * for a zero duration).
     *
     * @param owner the greenlet it is for
     * @param timeout the {@code dev.weft.Timeout}
     */
    public static void timeoutFired(Strand owner, dev.weft.Timeout timeout) {
        owner.hub.stats.timeoutsFired.increment();
        if (TIMEOUT.isEnabled()) {
            WeftEvents.TimeoutFired e = new WeftEvents.TimeoutFired();
            e.hub = hubName(owner.hub);
            if (owner instanceof Greenlet<?> g) {
                e.greenletId = g.isAdopted() ? 0 : g.id();
                e.greenlet = g.isAdopted() ? String.valueOf(owner.thread) : g.name();
            }
            java.time.Duration d = timeout.duration();
            e.timeout = d == null ? NOT_STAMPED : d.toNanos();
            e.exceptionType = timeout.raised().getClass().getName();
            e.commit();
        }
    }

    /**
     * A failure was handed to {@code hub}'s error handler.
     *
     * @param hub the hub
     * @param source the greenlet that died, or the object whose listener threw
     * @param error the failure
     */
    public static void errorReported(HubCore hub, Object source, Throwable error) {
        hub.stats.errorsReported.increment();
        if (ERROR.isEnabled()) {
            WeftEvents.ErrorReported e = new WeftEvents.ErrorReported();
            e.hub = hubName(hub);
            e.source = String.valueOf(source);
            e.exceptionType = error.getClass().getName();
            e.message = error.getMessage();
            e.commit();
        }
    }

    /**
     * A pool was made: the hub current now lists it while it is reachable.
     *
     * @param pool the pool
     */
    public static void poolCreated(Object pool) {
        ((HubCore) Greenlet.current().hub()).stats.trackPool(pool);
    }

    // ---------------------------------------------------------------- reading a greenlet

    /**
     * What {@code s} waits on in the waiting core, or null.
     *
     * @param s a strand
     * @return the blocker its waiter was made with; null if it is not parked in weft
     */
    public static Object blocker(Strand s) {
        Waiter w = s.parkedOn;
        return w == null ? null : w.blocker();
    }

    /**
     * How long {@code s} has been parked in its current weft wait, on its hub's clock.
     *
     * @param s a strand
     * @return nanoseconds since it parked; -1 if it is not parked (or has been spinning, not
     *     parked, so far)
     */
    public static long parkedNanos(Strand s) {
        Waiter w = s.parkedOn;
        if (w == null) return -1;
        long since = w.parkedSince;
        return since == Waiter.NOT_PARKED ? -1 : Math.max(0, s.hub.clock.nanoTime() - since);
    }

    /**
     * The thread {@code s} runs on.
     *
     * @param s a strand
     * @return its thread, or null before it was launched
     */
    public static Thread thread(Strand s) {
        return s.thread;
    }

    /**
     * The kind of primitive a blocker is, for "parked by kind": the class's simple name
     * ({@code Greenlet} for a join, {@code Event}, {@code Queue}, {@code Semaphore},
     * {@code Pool}, ...), or the description of a wait that has no object ({@code sleep},
     * {@code iwait}).
     *
     * @param blocker what a waiter waits on; not null
     * @return a short kind name
     */
    public static String kindOf(Object blocker) {
        if (blocker instanceof String d) {
            if (d.startsWith("any of ")) return "iwait";
            int sp = d.indexOf(' ');
            return sp < 0 ? d : d.substring(0, sp);
        }
        Class<?> c = blocker.getClass();
        while (c.isAnonymousClass() || c.getSimpleName().isEmpty()) c = c.getSuperclass();
        return c.getSimpleName();
    }

    private static String hubName(HubCore hub) {
        return hub instanceof dev.weft.Hub h ? h.name() : hub.toString();
    }

    // ---------------------------------------------------------------- pools, links, handlers, states

    /**
     * Before a pool's spawn waits for a slot: the event to end with {@link #poolWaitEnd}, or null
     * when the event is off (then nothing is recorded).
     *
     * @return an opaque event, or null
     */
    public static Object poolWaitBegin() {
        if (!POOL_WAIT.isEnabled()) return null;
        WeftEvents.PoolAdmissionWait e = new WeftEvents.PoolAdmissionWait();
        e.begin();
        return e;
    }

    /**
     * After the wait {@link #poolWaitBegin} began (committed only past the event's threshold).
     *
     * @param event what {@code poolWaitBegin} returned (not null)
     * @param pool the pool
     * @param capacity its size
     * @param admitted whether a slot was taken
     */
    public static void poolWaitEnd(Object event, Object pool, int capacity, boolean admitted) {
        WeftEvents.PoolAdmissionWait e = (WeftEvents.PoolAdmissionWait) event;
        e.end();
        if (!e.shouldCommit()) return;
        e.hub = hubName((HubCore) Greenlet.current().hub());
        e.pool = String.valueOf(pool);
        e.capacity = capacity;
        e.admitted = admitted;
        e.commit();
    }

    /**
     * A linked source's end was queued for {@code target} (dev.weft.link).
     *
     * @param target the linked greenlet
     * @param source the source that ended
     * @param outcome "value", "failed" or "killed"
     */
    public static void linkedExitSent(Greenlet<?> target, Object source, String outcome) {
        if (!LINKED_EXIT.isEnabled()) return;
        WeftEvents.LinkedExitDelivered e = new WeftEvents.LinkedExitDelivered();
        e.hub = hubName(((Strand) target).hub);
        e.targetId = target.id();
        e.target = target.name();
        e.source = String.valueOf(source);
        e.outcome = outcome;
        e.commit();
    }

    /**
     * When a handler call is queued: a time stamp for its queue wait, or {@link #NOT_STAMPED}
     * when the event is off.
     *
     * @return {@code System.nanoTime()}, or {@code NOT_STAMPED}
     */
    public static long handlerCallQueued() {
        return HANDLER_CALL.isEnabled() ? System.nanoTime() : NOT_STAMPED;
    }

    /**
     * Before a handler runs a call: the event to end with {@link #handlerCallEnd}, or null.
     *
     * @param queuedAt {@link #handlerCallQueued()}'s stamp for the call
     * @return an opaque event, or null when the event is off
     */
    public static Object handlerCallBegin(long queuedAt) {
        if (!HANDLER_CALL.isEnabled()) return null;
        WeftEvents.HandlerCall e = new WeftEvents.HandlerCall();
        e.queueWait = queuedAt == NOT_STAMPED ? NOT_STAMPED : System.nanoTime() - queuedAt;
        e.begin();
        return e;
    }

    /**
     * After a handler ran a call.
     *
     * @param event what {@code handlerCallBegin} returned (not null)
     * @param handler the handler
     * @param method the method's signature
     * @param oneway a one-way call
     * @param failed whether it threw
     */
    public static void handlerCallEnd(Object event, Object handler, String method, boolean oneway, boolean failed) {
        WeftEvents.HandlerCall e = (WeftEvents.HandlerCall) event;
        e.end();
        if (!e.shouldCommit()) return;
        e.hub = hubName((HubCore) Greenlet.current().hub());
        e.handler = String.valueOf(handler);
        e.method = method;
        e.oneway = oneway;
        e.failed = failed;
        e.commit();
    }

    /**
     * A state machine moved on (dev.weft.state), in the greenlet issuing the transition.
     *
     * @param machine the machine
     * @param from the state left
     * @param to the state entered
     * @param arguments how many arguments the transition carries
     */
    public static void stateTransition(Object machine, Object from, Object to, int arguments) {
        if (!TRANSITION.isEnabled()) return;
        WeftEvents.StateTransition e = new WeftEvents.StateTransition();
        e.hub = hubName((HubCore) Greenlet.current().hub());
        e.machine = String.valueOf(machine);
        e.from = String.valueOf(from);
        e.to = String.valueOf(to);
        e.arguments = arguments;
        e.commit();
    }

    /**
     * What is linked to {@code g} and has not fired yet, for the greenlet tree: proc.py links
     * ({@code "link → #7 name"} for a greenlet listener, {@code "link → callback"} or the
     * receiver's type otherwise) and monitors ({@code "monitor"}); the engine's own listeners
     * (a group's membership, joins) are left out.
     *
     * @param g the greenlet (the source)
     * @return one description per pending link or monitor, in registration order
     */
    public static List<String> linksOf(Greenlet<?> g) {
        List<Object> listeners = ((Completion) g).pendingListenerKeys();
        if (listeners.isEmpty()) return List.of();
        List<String> out = new ArrayList<>();
        for (Object l : listeners) {
            if (l instanceof KeyedListener kl) { // a proc.py link: its key is the user's listener
                Object k = kl.listenerKey();
                if (k instanceof Greenlet<?> t) out.add("link \u2192 #" + t.id() + " " + t.name());
                else if (k instanceof dev.weft.Receiver<?>) out.add("link \u2192 " + k.getClass().getSimpleName());
                else out.add("link \u2192 callback");
            } else if (l.getClass().getName().startsWith("dev.weft.link.Monitor")) {
                out.add("monitor");
            }
        }
        return out;
    }
}
