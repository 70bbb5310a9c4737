package dev.weft;

import dev.weft.internal.NodeList;
import dev.weft.internal.SignalQueue;
import dev.weft.internal.Waiter;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@link Greenlet#asFuture()}: a greenlet seen through the JDK's {@link Future} contract, which
 * it follows as {@link java.util.concurrent.FutureTask} does.
 *
 * <ul>
 * <li>{@code get} waits (through weft's waiting core), wraps a failure in
 *     {@link ExecutionException}, throws {@link TimeoutException} when a timed wait expires
 *     (a timeout of zero or less does not wait), and {@link CancellationException} once the
 *     future is cancelled. A finished greenlet's outcome is returned even to an interrupted
 *     thread; while it runs, an interrupted thread weft did not start gets
 *     {@link InterruptedException} (at entry too, with an expired timeout too) and its interrupt
 *     status is cleared.</li>
 * <li>{@code cancel} succeeds for exactly one caller, and only before the greenlet finished.
 *     The future reports cancelled at once and waiting {@code get}s throw
 *     {@link CancellationException} at once. A greenlet that has not started yet is ended: it
 *     never runs. A running one is killed without waiting ({@code kill(block=false)}) if
 *     {@code mayInterruptIfRunning}; with {@code cancel(false)} it is left to run to its end (its
 *     outcome is no longer reported through this future, and a failure nobody else receives goes
 *     to the hub's error handler).</li>
 * <li>A greenlet that ended with a {@link GreenletExit} (killed, also by other means) counts as
 *     cancelled.</li>
 * <li>{@code state()}, {@code resultNow()} and {@code exceptionNow()} never wait and never look
 *     at the interrupt status.</li>
 * </ul>
 * Inside a greenlet, a kill or a {@link Timeout} aimed at the caller is thrown from {@code get}
 * as itself, and an interrupt that did not come from weft is a kill (ARCHITECTURE §5). A
 * greenlet calling {@code get} on its own future gets {@link IllegalStateException}.
 */
final class GreenletFuture<T> implements Future<T> {
    /*
     * Overview (for maintainers). The view holds no state: views of one greenlet agree because
     * the greenlet keeps the future's state word (Greenlet.cancelled(), changed by CAS only):
     *
     *   null ──a get() waits──▶ NodeList (the waiting gets a cancel wakes)
     *   null | NodeList ──a cancel wins──▶ CANCELLED         the list is notified and closed
     *   null | NodeList ──the end is reported──▶ OUTCOME_STANDS   only once the greenlet finished
     *
     * A cancel fails once the greenlet has finished; reporting a finished greenlet's own outcome
     * (isDone, isCancelled, get, state, ...) first seals the word, so a cancel racing with the end
     * either wins before anyone saw the end or fails, and of concurrent cancels exactly one wins
     * (FutureContractTest). A waiting get parks on one waiter that two hand-overs race for: a
     * rawlink on the greenlet (which, pending at its death, counts as receiving its failure, as
     * a join does) and the cancel's notification of the list.
     */
    private static final Object CANCELLED = new Object() {
        @Override
        public String toString() {
            return "CANCELLED";
        }
    };
    private static final Object OUTCOME_STANDS = new Object() {
        @Override
        public String toString() {
            return "OUTCOME_STANDS";
        }
    };

    private final Greenlet<T> greenlet;

    GreenletFuture(Greenlet<T> greenlet) {
        this.greenlet = greenlet;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        Object c;
        do {
            c = greenlet.cancelled();
            if (c == CANCELLED || c == OUTCOME_STANDS || greenlet.isReady()) return false;
        } while (!greenlet.markCancelled(c, CANCELLED));
        if (c instanceof NodeList waiting) waiting.notifyAll(CANCELLED, true);
        GreenletExit exit = new GreenletExit("cancelled through its Future");
        if (mayInterruptIfRunning) greenlet.kill(exit, false, null);
        else greenlet.killIfUnstarted(exit);
        return true;
    }

    /**
     * The future's state now; once the greenlet has finished, seals its outcome (no cancel can
     * win afterwards).
     */
    private State verdict() {
        for (;;) {
            Object c = greenlet.cancelled();
            if (c == CANCELLED) return State.CANCELLED;
            if (c != OUTCOME_STANDS) {
                if (!greenlet.isReady()) return State.RUNNING;
                if (!greenlet.markCancelled(c, OUTCOME_STANDS)) continue; // a cancel or a waiter came first
            }
            if (greenlet.isKilled()) return State.CANCELLED;
            return greenlet.exception() != null ? State.FAILED : State.SUCCESS;
        }
    }

    @Override
    public boolean isCancelled() {
        return verdict() == State.CANCELLED;
    }

    @Override
    public boolean isDone() {
        return verdict() != State.RUNNING;
    }

    @Override
    public State state() {
        return verdict();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        State s = verdict();
        if (s == State.RUNNING) s = await(null);
        return report(s);
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        State s = verdict();
        if (s == State.RUNNING) {
            s = await(Duration.ofNanos(Math.max(0, unit.toNanos(timeout))));
            if (s == State.RUNNING) throw new TimeoutException(greenlet + " not done within " + timeout + " " + unit);
        }
        return report(s);
    }

    @Override
    public T resultNow() {
        return switch (verdict()) {
            case SUCCESS -> greenlet.value();
            case FAILED -> throw new IllegalStateException(greenlet + " failed: " + greenlet.exception());
            case CANCELLED -> throw new IllegalStateException(greenlet + " was cancelled");
            case RUNNING -> throw new IllegalStateException(greenlet + " has not finished");
        };
    }

    @Override
    public Throwable exceptionNow() {
        return switch (verdict()) {
            case FAILED -> greenlet.exception();
            case SUCCESS -> throw new IllegalStateException(greenlet + " finished with a value");
            case CANCELLED -> throw new IllegalStateException(greenlet + " was cancelled");
            case RUNNING -> throw new IllegalStateException(greenlet + " has not finished");
        };
    }

    /**
     * Waits at most {@code timeout} ({@code null}: no limit) for the greenlet's end or a cancel.
     *
     * @return the state after the wait ({@link State#RUNNING} if it timed out)
     */
    private State await(Duration timeout) throws InterruptedException {
        Greenlet<?> me = Greenlet.current();
        checkInterrupt(me);
        if (me == greenlet) throw new IllegalStateException(greenlet + " cannot wait for its own Future");
        long deadline = Waiter.deadline(me, timeout);
        NodeList waiting = waitingList();
        Waiter w = new Waiter(me, false, greenlet);
        if (waiting == null || !waiting.add(w)) return verdict(); // decided meanwhile
        GetEnd<T> onEnd = new GetEnd<>(w);
        try {
            greenlet.rawlink(onEnd); // runs at once if it has finished
            w.await(deadline);
        } catch (CancellationException foreignInterrupt) { // a thread weft did not start
            throw interrupted(foreignInterrupt);
        } finally {
            greenlet.unlink(onEnd);
            waiting.remove(w);
        }
        return verdict();
    }

    /**
     * A waiting get's link to the greenlet's end: it receives a failure only if its get was
     * still waiting (one that a cancel woke, or that was interrupted, reports nothing).
     */
    private static final class GetEnd<T> implements Consumer<Greenlet<T>>, dev.weft.internal.ConditionalReceiver {
        private final Waiter w;
        private volatile boolean took;

        GetEnd(Waiter w) {
            this.w = w;
        }

        @Override
        public void accept(Greenlet<T> g) {
            took = w.offer(Boolean.TRUE);
        }

        @Override
        public boolean received() {
            return took;
        }
    }

    /** The list waiting gets park in, installed by the first; null once the verdict is in. */
    private NodeList waitingList() {
        for (;;) {
            Object c = greenlet.cancelled();
            if (c instanceof NodeList l) return l;
            if (c != null) return null;
            NodeList l = new NodeList();
            if (greenlet.markCancelled(null, l)) return l;
        }
    }

    /**
     * The interrupt check at the entry of a wait (the JDK's contract, also for an expired
     * timeout): a signal of weft's own that reached this thread as an interrupt is thrown as
     * itself (this is a blocking point); on a thread weft did not start, an interrupt is an
     * {@link InterruptedException} and the status is cleared. In a greenlet, an interrupt from
     * outside weft is left to the waiting core, which makes it a kill.
     */
    private static void checkInterrupt(Greenlet<?> me) throws InterruptedException {
        if (!Thread.currentThread().isInterrupted()) return;
        SignalQueue.deliverPending(me);
        if (me.isAdopted() && Thread.interrupted()) throw new InterruptedException("interrupted before waiting");
    }

    private InterruptedException interrupted(CancellationException e) {
        if (!Thread.interrupted()) throw e; // not an interrupt: keep it as it is
        InterruptedException ie = new InterruptedException("interrupted while waiting for " + greenlet);
        ie.initCause(e);
        return ie;
    }

    private T report(State s) throws ExecutionException {
        return switch (s) {
            case SUCCESS -> greenlet.value();
            case FAILED -> throw new ExecutionException(greenlet.exception());
            case CANCELLED -> throw new CancellationException(greenlet + " was cancelled");
            case RUNNING -> throw new IllegalStateException("not finished: " + greenlet);
        };
    }

    /** The state and the greenlet, e.g. {@code Future[SUCCESS] of Greenlet-7[DONE, value=42]}. */
    @Override
    public String toString() {
        return "Future[" + verdict() + "] of " + greenlet;
    }
}
