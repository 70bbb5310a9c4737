package dev.weft;

import static java.util.concurrent.TimeUnit.DAYS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.*;

import dev.weft.sync.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Greenlet.asFuture() against the java.util.concurrent.Future contract, line by line, as
 * FutureTask keeps it: cancel, the states after cancel and after the end, get's exceptions,
 * interrupts at entry and while waiting (issue 9).
 */
class FutureContractTest extends HubTestBase {
    private final List<Event> toRelease = new ArrayList<>();

    @AfterEach
    void releaseBlockedTasks() {
        Thread.interrupted(); // a failed assertion must not leave the test thread interrupted
        toRelease.forEach(Event::set);
    }

    /** A task that has started and now waits for {@code release}, then returns "done". */
    private Greenlet<String> startedTask(Event release) {
        toRelease.add(release);
        Event started = new Event();
        Greenlet<String> g = hub.spawn(() -> {
            started.set();
            release.await();
            return "done";
        });
        started.await();
        return g;
    }

    /** Waits (yielding, never sleeping) until {@code t} is parked. */
    private static void awaitParked(Thread t) {
        long end = System.nanoTime() + LONG.toNanos();
        while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            if (!t.isAlive()) throw new AssertionError(t + " ended instead of waiting");
            if (System.nanoTime() > end) throw new AssertionError(t + " never parked");
            Thread.yield();
        }
    }

    // ------------------------------------------------------------------ cancel

    @Test
    void concurrentCancelsLetExactlyOneSucceed() throws Exception {
        int trials = 5_000;
        AtomicReference<Future<String>> target = new AtomicReference<>();
        AtomicInteger round = new AtomicInteger(), arrived = new AtomicInteger(), finished = new AtomicInteger();
        boolean[] rivalWon = new boolean[trials + 1];
        Thread rival = Thread.ofPlatform().start(() -> {
            for (int i = 1; i <= trials; i++) {
                spinUntil(round, i);
                arrived.incrementAndGet();
                spinUntil(arrived, 2 * i); // both threads leave this spin together
                rivalWon[i] = target.get().cancel(true);
                finished.incrementAndGet();
            }
        });
        try {
            for (int i = 1; i <= trials; i++) {
                Future<String> f = new Greenlet<String>(hub, () -> "never runs").asFuture();
                target.set(f);
                round.set(i);
                arrived.incrementAndGet();
                spinUntil(arrived, 2 * i);
                boolean won = f.cancel(true);
                spinUntil(finished, i);
                assertTrue(won ^ rivalWon[i], "round " + i + ": exactly one cancel returns true, got " + won + " and " + rivalWon[i]);
                assertTrue(f.isCancelled());
            }
        } finally {
            round.set(Integer.MAX_VALUE);
            arrived.set(1 << 30); // far above any round, and no overflow when the rival counts on
            rival.join();
        }
    }

    /** Spins (then yields, on a busy machine) until {@code counter} reaches {@code target}. */
    private static void spinUntil(AtomicInteger counter, int target) {
        for (int spins = 0; counter.get() < target; spins++) {
            if (spins < 2_000) Thread.onSpinWait();
            else Thread.yield();
        }
    }

    @Test
    void cancelFalseEndsAGreenletThatHasNotStartedSoItNeverRuns() {
        AtomicBoolean ran = new AtomicBoolean();
        Greenlet<Void> g = new Greenlet<>(hub, () -> {
            ran.set(true);
            return null;
        });
        assertTrue(g.asFuture().cancel(false));
        g.start();
        assertTrue(g.join(LONG));
        assertFalse(ran.get());
        assertTrue(g.isKilled());
    }

    @Test
    void cancelFalseLetsARunningGreenletRunToItsEnd() {
        Event started = new Event(), release = new Event();
        toRelease.add(release);
        Greenlet<String> g = hub.spawn(() -> {
            started.set();
            release.await();
            Greenlets.yieldNow(); // a blocking point: a kill queued by the cancel would be thrown here
            return "done";
        });
        started.await();
        Future<String> f = g.asFuture();
        assertTrue(f.cancel(false));
        release.set();
        assertTrue(g.join(LONG));
        assertEquals("done", g.value());
        assertTrue(f.isCancelled(), "the future stays cancelled");
        assertThrows(CancellationException.class, f::get);
    }

    @Test
    void cancelTrueKillsARunningGreenlet() {
        Greenlet<String> g = startedTask(new Event());
        assertTrue(g.asFuture().cancel(true));
        assertTrue(g.join(LONG));
        assertTrue(g.isKilled());
    }

    @Test
    void aCancelledFutureIsDoneAndCancelledAtOnceWhileTheGreenletStillRuns() throws Exception {
        Event release = new Event();
        Future<String> f = startedTask(release).asFuture();
        assertTrue(f.cancel(false));
        assertTrue(f.isDone());
        assertTrue(f.isCancelled());
        assertEquals(Future.State.CANCELLED, f.state());
        assertThrows(CancellationException.class, f::get);
        assertThrows(CancellationException.class, () -> f.get(1, SECONDS));
        assertThrows(IllegalStateException.class, f::resultNow);
        assertThrows(IllegalStateException.class, f::exceptionNow);
    }

    @Test
    void cancelWakesAGetWaitingForARunningGreenlet() {
        Event release = new Event();
        Greenlet<String> task = startedTask(release);
        Future<String> f = task.asFuture();
        Greenlet<Object> getter = hub.spawn(() -> {
            try {
                return f.get();
            } catch (CancellationException expected) {
                return expected;
            }
        });
        awaitWaiting(getter);
        assertTrue(f.cancel(false));
        assertTrue(getter.join(LONG));
        assertInstanceOf(CancellationException.class, getter.value());
        assertTrue(task.isAlive(), "woken by the cancel, not by the greenlet's end");
    }

    @Test
    void cancelWakesATimedGetWaitingForARunningGreenlet() {
        Event release = new Event();
        Future<String> f = startedTask(release).asFuture();
        Greenlet<Object> getter = hub.spawn(() -> {
            try {
                return f.get(1, DAYS);
            } catch (CancellationException expected) {
                return expected;
            }
        });
        awaitWaiting(getter);
        assertTrue(f.cancel(true));
        assertTrue(getter.join(LONG));
        assertInstanceOf(CancellationException.class, getter.value());
    }

    @Test
    void cancellingTwiceSucceedsOnce() {
        Future<String> f = startedTask(new Event()).asFuture();
        assertTrue(f.cancel(false));
        assertFalse(f.cancel(false));
        assertFalse(f.cancel(true));
        assertTrue(f.isCancelled());
    }

    @Test
    void aFinishedGreenletCannotBeCancelledAndItsValueStands() throws Exception {
        Greenlet<Integer> g = hub.spawn(() -> 7);
        g.join();
        Future<Integer> f = g.asFuture();
        assertFalse(f.cancel(false));
        assertFalse(f.cancel(true));
        assertTrue(f.isDone());
        assertFalse(f.isCancelled());
        assertEquals(7, f.get());
        assertEquals(7, f.get(0, SECONDS));
        assertEquals(Future.State.SUCCESS, f.state());
        assertEquals(7, f.resultNow());
        assertThrows(IllegalStateException.class, f::exceptionNow);
    }

    @Test
    void aFailedGreenletCannotBeCancelledAndItsFailureStands() throws Exception {
        IllegalStateException boom = new IllegalStateException("boom");
        Greenlet<Integer> g = hub.spawn(() -> {
            throw boom;
        });
        g.rawlink(x -> {}); // received: not reported
        g.join();
        Future<Integer> f = g.asFuture();
        assertFalse(f.cancel(true));
        assertFalse(f.isCancelled());
        assertSame(boom, assertThrows(ExecutionException.class, f::get).getCause());
        assertSame(boom, assertThrows(ExecutionException.class, () -> f.get(0, SECONDS)).getCause());
        assertEquals(Future.State.FAILED, f.state());
        assertSame(boom, f.exceptionNow());
        assertThrows(IllegalStateException.class, f::resultNow);
    }

    @Test
    void aRunningGreenletsFutureIsNotDoneAndHasNoResultYet() {
        Future<String> f = startedTask(new Event()).asFuture();
        assertFalse(f.isDone());
        assertFalse(f.isCancelled());
        assertEquals(Future.State.RUNNING, f.state());
        assertThrows(IllegalStateException.class, f::resultNow);
        assertThrows(IllegalStateException.class, f::exceptionNow);
    }

    // ------------------------------------------------------------------ get and time

    @Test
    void aTimedGetWithAnExpiredTimeoutThrowsTimeoutExceptionAtOnce() {
        Future<String> f = startedTask(new Event()).asFuture();
        for (long t : new long[] {0, -1, Long.MIN_VALUE}) {
            assertThrows(TimeoutException.class, () -> f.get(t, NANOSECONDS));
        }
    }

    @Test
    void aTimedGetWithANullUnitThrowsNullPointerExceptionAlsoWhenDone() {
        Greenlet<String> g = startedTask(new Event());
        assertThrows(NullPointerException.class, () -> g.asFuture().get(1, null));
        g.kill();
        assertThrows(NullPointerException.class, () -> g.asFuture().get(1, null));
    }

    @Test
    void getOnItsOwnFutureInsideTheGreenletIsAnError() {
        AtomicReference<Future<Object>> self = new AtomicReference<>();
        Event go = new Event();
        Greenlet<Object> g = hub.spawn(() -> {
            go.await();
            try {
                return self.get().get();
            } catch (IllegalStateException expected) {
                return expected;
            }
        });
        self.set(g.asFuture());
        go.set();
        assertTrue(g.join(LONG));
        assertInstanceOf(IllegalStateException.class, g.value());
    }

    // ------------------------------------------------------------------ interrupts

    @Test
    void getOfARunningGreenletThrowsInterruptedExceptionWhenInterruptedOnEntry() {
        Future<String> f = startedTask(new Event()).asFuture();
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, f::get);
        assertFalse(Thread.interrupted(), "the interrupt status is cleared");
    }

    @Test
    void aTimedGetWithAnExpiredTimeoutStillThrowsInterruptedExceptionWhenInterrupted() {
        Future<String> f = startedTask(new Event()).asFuture();
        for (long t : new long[] {0, -1, 1}) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> f.get(t, NANOSECONDS), "timeout " + t + " ns");
            assertFalse(Thread.interrupted(), "the interrupt status is cleared");
        }
    }

    @Test
    void anInterruptedThreadStillGetsAFinishedGreenletsValue() throws Exception {
        Greenlet<Integer> g = hub.spawn(() -> 3);
        g.join();
        Thread.currentThread().interrupt();
        assertEquals(3, g.asFuture().get());
        assertEquals(3, g.asFuture().get(0, SECONDS));
        assertTrue(Thread.interrupted(), "the interrupt status is left alone");
    }

    @Test
    void anInterruptWhileWaitingInGetThrowsInterruptedExceptionAndClearsTheStatus() throws Exception {
        Future<String> f = startedTask(new Event()).asFuture();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicBoolean statusAfter = new AtomicBoolean(true);
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                f.get(1, DAYS);
            } catch (Throwable e) {
                thrown.set(e);
            }
            statusAfter.set(Thread.currentThread().isInterrupted());
        });
        awaitParked(t);
        t.interrupt();
        t.join();
        assertInstanceOf(InterruptedException.class, thrown.get());
        assertFalse(statusAfter.get());
        assertFalse(f.isDone(), "the greenlet is not touched");
    }

    @Test
    void stateResultNowAndExceptionNowIgnoreAnInterrupt() {
        Greenlet<Integer> g = hub.spawn(() -> 4);
        g.join();
        Future<Integer> f = g.asFuture();
        Thread.currentThread().interrupt();
        assertEquals(Future.State.SUCCESS, f.state());
        assertEquals(4, f.resultNow());
        assertTrue(Thread.interrupted(), "the interrupt status is left alone");
    }

    // ------------------------------------------------------------------ failures are received

    @Test
    void aGetWaitingWhenTheGreenletFailsReceivesTheFailure() {
        List<Throwable> reported = new ArrayList<>();
        hub.setErrorHandler((source, error) -> reported.add(error));
        Event release = new Event();
        toRelease.add(release);
        IllegalStateException boom = new IllegalStateException("boom");
        Greenlet<String> g = hub.spawn(() -> {
            release.await();
            throw boom;
        });
        Future<String> f = g.asFuture();
        Greenlet<Object> getter = hub.spawn(() -> {
            try {
                return f.get();
            } catch (ExecutionException e) {
                return e.getCause();
            }
        });
        awaitWaiting(getter);
        release.set();
        assertTrue(getter.join(LONG));
        assertSame(boom, getter.value());
        assertEquals(List.of(), reported, "a waiting get counts as receiving the failure, as a join does");
    }

    @Test
    void aGetThatGaveUpDoesNotCountAsReceivingTheFailure() throws Exception {
        List<Throwable> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        Event reportedOnce = new Event();
        hub.setErrorHandler((source, error) -> {
            reported.add(error);
            reportedOnce.set();
        });
        Event release = new Event();
        toRelease.add(release);
        IllegalStateException boom = new IllegalStateException("boom");
        Greenlet<String> g = hub.spawn(() -> {
            release.await();
            throw boom;
        });
        assertThrows(TimeoutException.class, () -> g.asFuture().get(1, NANOSECONDS));
        release.set();
        assertTrue(reportedOnce.await(LONG));
        assertEquals(List.of(boom), reported);
    }

    @Test
    void aGetThatACancelWokeDoesNotCountAsReceivingAFailureThatCameAfter() {
        List<Throwable> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        hub.setErrorHandler((source, error) -> reported.add(error));
        IllegalStateException boom = new IllegalStateException("boom");
        inHub(() -> {
            Event release = new Event();
            Greenlet<String> g = Greenlet.spawn(() -> {
                release.await();
                throw boom;
            });
            Future<String> f = g.asFuture();
            Greenlet<Object> getter = Greenlet.spawn(() -> {
                try {
                    return f.get();
                } catch (java.util.concurrent.CancellationException e) {
                    return e; // the getter's own end is no failure to report
                }
            });
            awaitWaiting(getter);
            awaitWaiting(g);
            if (kind == HubKind.PARALLEL) {
                // another carrier may run the task at once: cancel first, so the cancel surely
                // wins; the getter may or may not have unlinked when the task fails
                assertTrue(f.cancel(false));
                release.set();
            } else {
                release.set(); // one carrier: the task fails when it next runs...
                assertTrue(f.cancel(false)); // ...after this woke the getter, before the getter unlinked
            }
            assertInstanceOf(java.util.concurrent.CancellationException.class, getter.get(LONG));
            // wait for the task without receiving its failure: a waiting join would count as a
            // receiver (§6) whenever the task had not failed yet, and then nothing is reported
            Greenlets.wait(List.of(g), LONG);
            assertTrue(g.isDead());
        });
        assertEquals(List.of(boom), reported, "the cancelled get saw nothing: the failure is nobody's, so it is reported");
    }
}
