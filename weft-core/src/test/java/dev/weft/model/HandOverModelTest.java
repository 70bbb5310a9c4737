package dev.weft.model;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.ModelAccess;
import dev.weft.internal.Clock;
import dev.weft.internal.ModelHooks;
import dev.weft.internal.Node;
import dev.weft.internal.NodeList;
import dev.weft.internal.SignalQueue;
import dev.weft.internal.Waiter;
import java.time.Duration;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Waiter hand-over vs cancellation (ARCHITECTURE §3): two greenlets (adopted, on platform
 * threads) park in the waiting core on one {@link NodeList}, the first without a deadline, the
 * second with one; a producer hands one item to the first waiter in the list the way the
 * primitives do ({@code poll}, {@code offer}, and on to the next node if that one had lost to its
 * cancellation); meanwhile another thread kills the first waiter and the clock's thread expires
 * the second's deadline. A waiter that gives up takes its node off the list ({@code remove}).
 *
 * <p>Invariants:
 * <ol>
 * <li>the item is handed over exactly once: exactly one waiter returns true, with that item, or
 *     the producer found no taker and keeps it;</li>
 * <li>the killed waiter either threw the kill (and took nothing) or won the hand-over and returned
 *     normally — then the kill is still queued (kills are never dropped) and, as it has left the
 *     core, its thread's interrupt flag is set, so JDK code it enters next sees the kill;</li>
 * <li>the timed waiter returns true (the item) or false (its deadline), and never throws;</li>
 * <li>no waiter is left parked (the model checker reports a deadlock otherwise).</li>
 * </ol>
 */
@Tag("model")
public class HandOverModelTest {
    private final NodeList list = new NodeList();
    private final Object item = "the item";
    private volatile Greenlet<?> first;
    private volatile Waiter timed;
    private volatile Clock clock;
    private volatile boolean cancellerDone, secondDone;
    private boolean firstGot, firstKilled, secondGot, kept;
    private Object firstValue, secondValue;
    private String violation;

    /** Waits without a deadline; is killed. */
    public void waitsUntimed() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        Waiter w = new Waiter(me, false, "model hand-over");
        list.add(w);
        first = me;
        try {
            firstGot = list.await(w, Waiter.NO_DEADLINE);
            firstValue = w.value();
        } catch (GreenletExit e) {
            firstKilled = true;
        }
        Roles.await(() -> cancellerDone);
        if (firstGot && !SignalQueue.hasPending(me)) {
            violation = "the kill that lost to the hand-over was dropped instead of staying queued";
        } else if (SignalQueue.hasPending(me) && !Thread.currentThread().isInterrupted()) {
            violation = "the waiter left the core with a kill queued but no interrupt: JDK code would not see it";
        }
        Roles.drain(me);
    }

    /** Waits with a deadline; the deadline comes. */
    public void waitsTimed() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        Waiter w = new Waiter(me, false, "model hand-over, timed");
        list.add(w);
        long deadline = Waiter.deadline(me, Duration.ofHours(1));
        clock = ModelHooks.clockOf(me);
        timed = w;
        try {
            secondGot = list.await(w, deadline);
            secondValue = w.value();
        } catch (Throwable t) {
            violation = "the timed waiter threw " + t;
        }
        secondDone = true;
    }

    /** Hands one item to the first waiter still waiting, as a primitive's release does. */
    public void produces() {
        boolean given = false;
        for (Node n; !given && (n = list.poll()) != null; ) given = n.offer(item);
        kept = !given;
    }

    /** Kills the untimed waiter, then expires the timed waiter's deadline (the clock's thread). */
    public void cancels() {
        Roles.await(() -> first != null);
        first.kill(new GreenletExit("model kill"), false, null);
        Roles.await(() -> (timed != null && ModelHooks.isArmed(timed)) || secondDone);
        if (timed != null) ModelHooks.fire(clock, timed);
        cancellerDone = true;
    }

    @Validate
    public void validate() {
        Roles.check(violation);
        int takers = (firstGot ? 1 : 0) + (secondGot ? 1 : 0) + (kept ? 1 : 0);
        if (takers != 1) {
            throw new AssertionError("the item was handed over " + takers + " times (first=" + firstGot
                    + ", second=" + secondGot + ", kept by the producer=" + kept + ")");
        }
        if (firstGot && firstValue != item || secondGot && secondValue != item) {
            throw new AssertionError("a waiter returned true without the item");
        }
        if (firstKilled && firstGot) throw new AssertionError("the killed waiter both threw and took the item");
    }

    @Test
    void handOverVsKillVsDeadline() {
        Model.check(HandOverModelTest.class, "waitsUntimed", "waitsTimed", "produces", "cancels");
    }
}
