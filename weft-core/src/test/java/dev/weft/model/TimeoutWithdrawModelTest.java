package dev.weft.model;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.ModelAccess;
import dev.weft.Timeout;
import dev.weft.internal.Clock;
import dev.weft.internal.ModelHooks;
import dev.weft.internal.SignalQueue;
import dev.weft.internal.TimerEntry;
import java.time.Duration;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Kill vs withdraw: a greenlet (adopted, on a platform thread, running outside the waiting core)
 * starts a Timeout; once the clock's thread has taken its deadline (the signal is being queued, or
 * is queued and the greenlet interrupted), the greenlet cancels the Timeout itself, which withdraws
 * the signal — while another thread kills the greenlet. (A cancel that comes before the deadline
 * is the other models' business: {@link TimeoutCrossCancelModelTest}, {@link TimeoutRestartModelTest}.)
 *
 * <p>Invariants, checked by the owner once its {@code cancel()}, the expiry and the
 * {@code kill()} have all returned:
 * <ol>
 * <li>a timeout never fires outside its scope: its signal is not queued after {@code cancel()};</li>
 * <li>no lost wake-up: the kill is still queued (kills are never dropped), and the owner's
 *     interrupt flag is set (JDK blocking code it enters now would see the kill);</li>
 * <li>no stray interrupt: once the kill is consumed, the flag is clear.</li>
 * </ol>
 */
@Tag("model")
public class TimeoutWithdrawModelTest {
    private final GreenletExit kill = new GreenletExit("model kill");
    private volatile Greenlet<?> owner;
    private volatile TimerEntry expiry;
    private volatile Clock clock;
    private volatile boolean expired, killed;
    private String violation;

    /** The owner: starts the timeout, cancels it, then looks at its thread as JDK code would. */
    public void owner() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        Timeout t = Timeout.start(Duration.ofHours(1));
        clock = ModelAccess.clockOf(me);
        expiry = ModelAccess.expiryOf(t);
        owner = me;
        Roles.await(() -> !t.isPending()); // the clock's thread has taken the deadline (firing or fired)
        t.cancel();
        Roles.await(() -> expired && killed);
        if (SignalQueue.withdraw(me, t)) {
            violation = "the timeout's signal is still queued after its own cancel() returned";
        } else if (!SignalQueue.hasPending(me)) {
            violation = "the kill was dropped: nothing is queued after kill() returned";
        } else if (!Thread.currentThread().isInterrupted()) {
            violation = "a kill is queued, but the owner's interrupt flag is clear: JDK blocking code would"
                    + " never see it";
        }
        Roles.drain(me);
    }

    /** The clock's thread: the timeout's deadline has come. */
    public void timer() {
        Roles.await(() -> owner != null);
        ModelHooks.fire(clock, expiry);
        expired = true;
    }

    /** Another thread kills the owner. */
    public void killer() {
        Roles.await(() -> owner != null);
        owner.kill(kill, false, null);
        killed = true;
    }

    @Validate
    public void validate() {
        Roles.check(violation);
    }

    @Test
    void killVsWithdrawVsExpiry() {
        Model.check(TimeoutWithdrawModelTest.class, "owner", "timer", "killer");
    }
}
