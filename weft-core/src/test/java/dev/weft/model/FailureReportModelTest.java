package dev.weft.model;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Hub;
import dev.weft.ModelAccess;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Error reporting vs a receiver's cancellation (ARCHITECTURE §6): a greenlet dies with a failure
 * while the one greenlet waiting in its {@code get()} (an adopted one, on a platform thread) is
 * killed. The dying greenlet runs its own {@code body()} on a model thread.
 *
 * <p>Invariant: the failure is never lost and never reported twice — it is reported to the hub's
 * error handler exactly once, unless the waiter received it from {@code get()} (then at most
 * once: a waiter that came after the death receives it too).
 */
@Tag("model")
public class FailureReportModelTest {
    /** The hub of the dying greenlets; its error handler counts the reports of each. */
    private static final Hub HUB = Hub.parallel();

    static {
        HUB.setErrorHandler((source, error) -> {
            if (source instanceof Failing f) f.reports.incrementAndGet();
        });
    }

    /** A greenlet whose task fails. */
    static final class Failing extends Greenlet<Object> {
        final IllegalStateException boom = new IllegalStateException("boom");
        final AtomicInteger reports = new AtomicInteger();

        Failing() {
            super(HUB);
        }

        @Override
        protected Object run() {
            throw boom;
        }
    }

    private final Failing failing = ModelAccess.scheduled(new Failing());
    private volatile Greenlet<?> waiter;
    private volatile boolean killed;
    private boolean received;

    /** The failing greenlet's own thread: its body runs, fails and notifies. */
    public void dies() {
        ModelAccess.runHere(failing);
    }

    /** A greenlet waits for the failing one. */
    public void waits() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        waiter = me;
        try {
            failing.get();
        } catch (IllegalStateException e) {
            received = e == failing.boom;
        } catch (GreenletExit e) {
            // killed while waiting
        }
        Roles.await(() -> killed);
        Roles.drain(me);
    }

    /** Another thread kills the waiter. */
    public void killer() {
        Roles.await(() -> waiter != null);
        waiter.kill(new GreenletExit("model kill"), false, null);
        killed = true;
    }

    @Validate
    public void validate() {
        int reports = failing.reports.get();
        if (reports > 1) throw new AssertionError("the failure was reported " + reports + " times");
        if (reports == 0 && !received) {
            throw new AssertionError("the failure was lost: its waiter was killed without receiving it, and it was"
                    + " never reported to the hub's error handler");
        }
    }

    @Test
    void failureVsReceiverKilled() {
        Model.check(FailureReportModelTest.class, "dies", "waits", "killer");
    }
}
