package dev.weft.model;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.ModelAccess;
import dev.weft.internal.SignalQueue;
import dev.weft.model.Roles.Sig;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kill vs delivery, the target outside the waiting core (ARCHITECTURE §5): a killer sends two
 * kills to a greenlet (an adopted one, on a platform thread) that is running, not parked in weft;
 * the greenlet takes the first at a blocking point that does not park (a yield) and then goes on
 * into JDK code.
 *
 * <p>Invariants, checked by the target once the killer's {@code kill()} calls have returned:
 * <ol>
 * <li>no lost wake-up: if a signal is still queued, the target's interrupt flag is set (JDK
 *     blocking code it enters now would see the kill);</li>
 * <li>no stray interrupt: once the last signal is consumed, the flag is clear.</li>
 * </ol>
 */
@Tag("model")
public class SignalDeliveryModelTest {
    private final Sig first = new Sig("first kill"), second = new Sig("second kill");
    private volatile Greenlet<?> target;
    private volatile boolean killed;
    private String violation;

    /** The greenlet: takes one signal at a yield, then looks at its thread as JDK code would. */
    public void target() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        target = me;
        boolean delivered = false;
        while (!delivered) {
            try {
                Greenlets.yieldNow();
            } catch (Sig s) {
                delivered = true;
            }
        }
        Roles.await(() -> killed);
        if (SignalQueue.hasPending(me) && !Thread.currentThread().isInterrupted()) {
            violation = "a kill is queued after kill() returned, but the target's interrupt flag is clear:"
                    + " JDK blocking code would never see it";
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

    /** Another thread kills the running greenlet twice. */
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
    void killVsDeliveryOutsideTheCore() {
        Model.check(SignalDeliveryModelTest.class, "target", "killer");
    }
}
