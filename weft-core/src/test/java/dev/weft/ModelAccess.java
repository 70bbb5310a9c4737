package dev.weft;

import dev.weft.internal.Clock;
import dev.weft.internal.ModelHooks;
import dev.weft.internal.TimerEntry;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Test-only seams for the model checks in {@code dev.weft.model}: they run weft's own code on the
 * platform threads the model checker schedules, instead of on virtual threads it cannot control.
 * Private members are reached by reflection (named here once, so a rename fails loudly at class
 * initialisation); nothing here changes what the library does.
 */
public final class ModelAccess {
    private ModelAccess() {}

    private static final ThreadLocal<?> ADOPTED_CURRENT;
    private static final java.util.Map<Thread, Greenlet<?>> LIVE;
    private static final VarHandle STATE;
    private static final VarHandle EXPIRY;
    private static final Runnable BODY;
    private static final int SCHEDULED = 1;

    static {
        try {
            MethodHandles.Lookup g = MethodHandles.privateLookupIn(Greenlet.class, MethodHandles.lookup());
            ADOPTED_CURRENT = (ThreadLocal<?>) g.findStaticVarHandle(Greenlet.class, "ADOPTED_CURRENT", ThreadLocal.class).get();
            @SuppressWarnings("unchecked")
            java.util.Map<Thread, Greenlet<?>> live = (java.util.Map<Thread, Greenlet<?>>) g.findStaticVarHandle(
                    Greenlet.class, "LIVE", java.util.concurrent.ConcurrentHashMap.class).get();
            LIVE = live;
            STATE = g.findVarHandle(Greenlet.class, "state", int.class);
            BODY = (Runnable) g.findStaticVarHandle(Greenlet.class, "BODY", Runnable.class).get();
            Class<?> expiry = Class.forName("dev.weft.Timeout$Expiry");
            EXPIRY = MethodHandles.privateLookupIn(Timeout.class, MethodHandles.lookup())
                    .findVarHandle(Timeout.class, "current", expiry);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * A new adopted greenlet for the calling thread, as a thread weft did not start gets on its
     * first {@link Greenlet#current()}: the thread's previous adopted identity is dropped, so every
     * run of a model starts from a clean signal queue.
     */
    public static Greenlet<?> freshAdopted() {
        ADOPTED_CURRENT.remove();
        return Greenlet.current();
    }

    /** The clock {@code g}'s timed waits and Timeouts are armed in. */
    public static Clock clockOf(Greenlet<?> g) {
        return g.hub().timerClock();
    }

    /** The timer entry of {@code t}'s current start (null before the first start). */
    public static TimerEntry expiryOf(Timeout t) {
        return (TimerEntry) EXPIRY.get(t);
    }

    /**
     * Moves new {@code g} to SCHEDULED, as {@code start()} does, without launching a thread: the
     * model runs its body later with {@link #runHere}. A kill from now on ends it before its body
     * starts, as for any started greenlet whose thread has not run yet.
     */
    public static <G extends Greenlet<?>> G scheduled(G g) {
        if (!STATE.compareAndSet(g, 0, SCHEDULED)) throw new IllegalStateException(g + " is not new");
        g.hub().untrackUnstarted(g);
        return g;
    }

    /**
     * Runs {@linkplain #scheduled scheduled} {@code g}'s life on the calling thread, through the same
     * code as its own thread would ({@code body()}: SCHEDULED to RUNNING unless a kill came first,
     * {@code run()}, the outcome, the notifications): the greenlet is bound to this thread and
     * registered as its current greenlet for the duration, as {@code launch()} does before it
     * starts a virtual thread.
     */
    public static void runHere(Greenlet<?> g) {
        Thread me = Thread.currentThread();
        ModelHooks.bind(g, me);
        LIVE.put(me, g);
        try {
            BODY.run(); // the greenlet thread's own task: finds g as this thread's greenlet
        } finally {
            LIVE.remove(me, g);
        }
    }
}
