package dev.weft.model;

import dev.weft.Greenlet;
import dev.weft.ModelAccess;
import dev.weft.coro.Coro;
import dev.weft.coro.ScheduleError;
import dev.weft.internal.SignalQueue;
import dev.weft.model.Roles.Sig;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Shrapnel's hand scheduling (issue 14): a greenlet (adopted, on a platform thread) suspends in
 * {@code Coro.suspend()}; a resumer resumes it and a raiser raises an exception in it with
 * {@code force}, both at any moment — before it suspended, while it is suspended, after it took
 * the value.
 *
 * <p>Invariants:
 * <ol>
 * <li>the raise always succeeds (force, target alive and not the caller), so the target always wakes;</li>
 * <li>the target returns the value only if the resume succeeded;</li>
 * <li>nothing raised is lost: if the target returned the value, the raised exception is still
 *     queued for its next blocking point;</li>
 * <li>a resume that succeeded is either what the target returned or was replaced by the raise.</li>
 * </ol>
 */
@Tag("model")
public class ResumeRaiseModelTest {
    private final Sig raised = new Sig("raised");
    private volatile Greenlet<?> target;
    private volatile boolean resumed, raisedOk, done;
    private volatile Object returned;
    private volatile Throwable thrown;
    private volatile String violation;

    /** Suspends until resumed or raised. */
    public void target() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        target = me;
        try {
            returned = Coro.suspend();
        } catch (Sig s) {
            thrown = s;
        }
        Roles.await(() -> done);
        if (thrown == null && returned == null) {
            violation = "the target woke with neither a value nor an exception";
        } else if ("v".equals(returned) && !resumed) {
            violation = "the target returned the value of a resume that failed";
        } else if (thrown != null && thrown != raised) {
            violation = "the target threw " + thrown;
        } else if ("v".equals(returned) && raisedOk && !SignalQueue.hasPending(me)) {
            violation = "the raise succeeded after the value was taken, but it is not queued: lost";
        }
        Roles.drain(me);
    }

    /** Resumes the target once it exists. */
    public void resumer() {
        Roles.await(() -> target != null);
        try {
            target.resume("v");
            resumed = true;
        } catch (ScheduleError e) {
            // not suspended yet, or already scheduled by the raise
        }
        if (raisedDone()) done = true;
    }

    private volatile int finished;

    private synchronized boolean raisedDone() {
        return ++finished == 2;
    }

    /** Raises in the target with force once it exists. */
    public void raiser() {
        Roles.await(() -> target != null);
        try {
            target.raiseException(raised, true);
            raisedOk = true;
        } catch (ScheduleError e) {
            violation = "a forced raise on a live greenlet failed: " + e;
        }
        if (raisedDone()) done = true;
    }

    @Validate
    public void validate() {
        Roles.check(violation);
    }

    @Test
    void resumeVsForcedRaise() {
        Model.check(ResumeRaiseModelTest.class, "target", "resumer", "raiser");
    }
}
