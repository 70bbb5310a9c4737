package dev.weft.model;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.ModelAccess;
import dev.weft.internal.SignalQueue;
import dev.weft.internal.Waiter;
import dev.weft.model.Roles.Sig;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kill vs delivery, the target waiting in the core (ARCHITECTURE §3, §5): a greenlet (adopted,
 * on a platform thread) parks in the waiting core on a wait that nothing completes; a killer sends
 * it two kills. The first ends the wait; the second must wait for the next blocking point, and
 * since the greenlet leaves the core, JDK code it enters must see it.
 *
 * <p>Invariants, checked by the target once the killer's {@code kill()} calls have returned:
 * <ol>
 * <li>the wait ended with the first kill, the very instance sent;</li>
 * <li>no lost wake-up: the second kill is still queued and the target's interrupt flag is set;</li>
 * <li>no stray interrupt: once the second kill is consumed, the flag is clear.</li>
 * </ol>
 */
@Tag("model")
public class KillParkedModelTest {
    private final Sig first = new Sig("first kill"), second = new Sig("second kill");
    private volatile Greenlet<?> target;
    private volatile boolean killed;
    private String violation;

    /** Waits in the core until killed, then looks at its thread as JDK code would. */
    public void target() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        target = me;
        Throwable ended = null;
        try {
            new Waiter(me, false, "a wait nothing completes").await(Waiter.NO_DEADLINE);
        } catch (Sig s) {
            ended = s;
        }
        Roles.await(() -> killed);
        if (ended != first) {
            violation = "the wait ended with " + ended + ", not the first kill";
        } else if (!SignalQueue.hasPending(me)) {
            violation = "the second kill was dropped";
        } else if (!Thread.currentThread().isInterrupted()) {
            violation = "the target left the core with a kill queued but its interrupt flag is clear: JDK"
                    + " blocking code would never see it";
        }
        while (SignalQueue.hasPending(me)) {
            try {
                Greenlets.yieldNow();
            } catch (Sig s) {
                // the second kill
            }
        }
        if (violation == null && Thread.currentThread().isInterrupted()) {
            violation = "every signal was consumed, yet the target's interrupt flag is still set";
        }
        Roles.drain(me);
    }

    /** Another thread kills the waiting greenlet twice. */
    public void killer() {
        Roles.await(() -> target != null);
        target.kill(first, false, null);
        target.kill(second, false, null);
        killed = true;
    }

    @Validate
    public void validate() {
        Roles.check(violation);
    }

    @Test
    void killVsDeliveryInTheCore() {
        Model.check(KillParkedModelTest.class, "target", "killer");
    }
}
