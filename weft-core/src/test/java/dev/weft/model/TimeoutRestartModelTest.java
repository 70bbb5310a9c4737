package dev.weft.model;

import dev.weft.Greenlet;
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
 * Timeout restart vs the previous start's expiry: a greenlet starts a Timeout, cancels it and
 * starts it again, while the clock's thread expires the first start (its deadline has come; the
 * restarted one's, an hour later, has not).
 *
 * <p>Invariant, checked by the owner once the expiry has returned: the restarted timeout is
 * pending and has not fired — no signal of it is queued. Only the restart's own deadline may fire
 * it; a stale expiry of the earlier start must not.
 */
@Tag("model")
public class TimeoutRestartModelTest {
    private volatile TimerEntry firstExpiry;
    private volatile Clock clock;
    private volatile boolean expired;
    private String violation;

    /** The owner: start, cancel, start again; then looks at the timeout and its queue. */
    public void owner() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        Timeout t = new Timeout(Duration.ofHours(1));
        t.start();
        clock = ModelAccess.clockOf(me);
        firstExpiry = ModelAccess.expiryOf(t);
        t.cancel();
        t.start(); // its deadline is an hour from now: nothing may fire it in this model
        Roles.await(() -> expired);
        if (!t.isPending() || SignalQueue.hasPending(me)) {
            violation = "the restarted timeout fired early: the expiry of its previous start fired it"
                    + " (pending=" + t.isPending() + ", signal queued=" + SignalQueue.hasPending(me) + ")";
        }
        t.cancel();
        Roles.drain(me);
    }

    /** The clock's thread: the first start's deadline has come. */
    public void timer() {
        Roles.await(() -> firstExpiry != null);
        ModelHooks.fire(clock, firstExpiry);
        expired = true;
    }

    @Validate
    public void validate() {
        Roles.check(violation);
    }

    @Test
    void restartVsStaleExpiry() {
        Model.check(TimeoutRestartModelTest.class, "owner", "timer");
    }
}
