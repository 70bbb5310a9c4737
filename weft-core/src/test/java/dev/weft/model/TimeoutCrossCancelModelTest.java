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
 * Timeout cancel from another thread vs expiry: a greenlet (adopted, on a platform thread,
 * running outside the waiting core) starts a Timeout; the clock's thread expires it while another
 * thread cancels it ({@code cancel()} may be called from any thread).
 *
 * <p>Invariant (ADR 5: only a thread can clear its own interrupt), checked by the owner once the
 * expiry and the {@code cancel()} have returned: if {@code cancel()} returned true, the timeout
 * left nothing behind — its signal is not queued and the owner's interrupt flag is clear (its
 * next JDK blocking call would not be interrupted by a timeout that no longer exists); if it
 * returned false, the timeout had fired and its signal is still queued with the owner's
 * interrupt set, so JDK blocking code sees it and the next weft blocking point throws it.
 */
@Tag("model")
public class TimeoutCrossCancelModelTest {
    private volatile Greenlet<?> owner;
    private volatile Timeout timeout;
    private volatile TimerEntry expiry;
    private volatile Clock clock;
    private volatile boolean expired, cancelled, cancelWon;
    private String violation;

    /** The owner: starts the timeout and goes on computing; then looks at its thread. */
    public void owner() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        Timeout t = Timeout.start(Duration.ofHours(1));
        clock = ModelAccess.clockOf(me);
        expiry = ModelAccess.expiryOf(t);
        owner = me;
        timeout = t;
        Roles.await(() -> expired && cancelled);
        boolean queued = SignalQueue.hasPending(me), interrupted = Thread.currentThread().isInterrupted();
        if (cancelWon && queued) {
            violation = "cancel() on another thread returned true, yet the timeout's signal is still queued";
        } else if (cancelWon && interrupted) {
            violation = "the timeout was cancelled on another thread, yet weft's interrupt is left set on the"
                    + " owner: its next JDK blocking call would be interrupted";
        } else if (!cancelWon && !queued) {
            violation = "cancel() on another thread returned false, yet the timeout's signal is gone";
        } else if (!cancelWon && !interrupted) {
            violation = "the timeout's signal stays queued, but the owner's interrupt is clear: JDK code would miss it";
        }
        Roles.drain(me);
    }

    /** The clock's thread: the timeout's deadline has come. */
    public void timer() {
        Roles.await(() -> timeout != null);
        ModelHooks.fire(clock, expiry);
        expired = true;
    }

    /** Another thread cancels the timeout. */
    public void canceller() {
        Roles.await(() -> timeout != null);
        cancelWon = timeout.cancel();
        cancelled = true;
    }

    @Validate
    public void validate() {
        Roles.check(violation);
    }

    @Test
    void crossThreadCancelVsExpiry() {
        Model.check(TimeoutCrossCancelModelTest.class, "owner", "timer", "canceller");
    }
}
