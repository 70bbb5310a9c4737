package dev.weft.actor;

import dev.weft.internal.Completion;
import dev.weft.internal.Strand;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One queued call: the method, its arguments, and — for a {@code sync} call — the outcome the
 * caller waits on (the waiting core's one-shot completion, as {@code AsyncResult} uses).
 *
 * <h2>Overview (for maintainers)</h2>
 * <pre>
 *   PENDING ──take()──────▶ TAKEN      the handler runs it; its outcome completes the call
 *      │
 *      └──withdraw()─────▶ WITHDRAWN  the caller gave up (timeout, kill): it never runs
 * </pre>
 * One CAS decides between the handler and a caller that gives up, so a call withdrawn before
 * the handler took it never runs, and one the handler took runs to its end (its outcome is then
 * dropped): {@code DeferredCallHandlerTest.aSyncCallThatTimesOutBeforeItIsTakenNeverRuns} and
 * {@code ...aSyncCallAlreadyTakenRunsToItsEndWhenItsCallerTimesOut}.
 */
final class Call extends Completion {
    private static final int PENDING = 0, TAKEN = 1, WITHDRAWN = 2;

    final Invoker invoker; // null for the stop marker
    final Object[] args;
    final boolean oneway;
    final Chain origin; // the handlers the caller was processing for; null outside any
    final long queuedAt = dev.weft.internal.Telemetry.handlerCallQueued(); // for the HandlerCall event
    private volatile int state;

    Call(Invoker invoker, Object[] args, boolean oneway, Chain origin) {
        this.invoker = invoker;
        this.args = args;
        this.oneway = oneway;
        this.origin = origin;
    }

    /** The handler claims the call; false if the caller withdrew it. */
    boolean take() {
        return state == PENDING && STATE.compareAndSet(this, PENDING, TAKEN);
    }

    /** The caller gives up; true if the call will never run. */
    boolean withdraw() {
        return state == PENDING && STATE.compareAndSet(this, PENDING, WITHDRAWN);
    }

    boolean isWithdrawn() {
        return state == WITHDRAWN;
    }

    void succeed(Object value) {
        complete(value, null);
    }

    void fail(Throwable error) {
        complete(null, error);
    }

    boolean await(Strand me, long deadline) {
        return awaitComplete(me, deadline);
    }

    Object value() {
        return resultValue();
    }

    Throwable error() {
        return resultError();
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Call.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
