package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.sync.Event;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Typed outcomes and task overloads (issue 10 §2/§3; ARCHITECTURE §1 "typed outcomes", "task
 * overloads"). The overload tests are compile-time checks too: each call must resolve, without
 * ambiguity, to the overload its comment names, and the static type it returns is asserted by
 * the assignment.
 */
class OutcomeAndOverloadsTest extends HubTestBase {
    private final IOException diskFull = new IOException("disk full");
    private final AtomicInteger work = new AtomicInteger();

    @BeforeEach
    void quietErrorHandler() {
        hub.setErrorHandler((source, error) -> {}); // failures here are looked at, not reported
    }

    /** A void method that throws a checked exception, not overloaded (so its reference is exact). */
    void writeToAFullDisk() throws IOException {
        throw diskFull;
    }

    void work() {
        work.incrementAndGet();
    }

    private static Greenlet<String> waitingForever(Event never) {
        return Greenlet.spawn(() -> {
            never.await();
            return "never";
        });
    }

    // ---------------------------------------------------------------- typed outcomes

    @Test
    void getValueAndGetNowOfAKilledStringGreenletReturnNull() {
        inHub(() -> {
            Greenlet<String> g = waitingForever(new Event());
            awaitWaiting(g);
            g.kill();
            String got = g.get(); // a GreenletExit here would be a ClassCastException
            String value = g.value();
            String now = g.getNow();
            assertNull(got);
            assertNull(value);
            assertNull(now);
        });
    }

    @Test
    void theOutcomeOfAKilledGreenletIsKilledWithTheVeryExit() {
        inHub(() -> {
            Greenlet<String> g = waitingForever(new Event());
            awaitWaiting(g);
            GreenletExit exit = new GreenletExit("enough");
            g.kill(exit);
            Outcome.Killed<?> killed = assertInstanceOf(Outcome.Killed.class, g.outcome());
            assertSame(exit, killed.exit());
        });
    }

    @Test
    void theOutcomeOfAGreenletKilledBeforeItStartedIsKilledWithTheVeryExit() {
        inHub(() -> {
            Greenlet<String> g = new Greenlet<>(() -> "never runs");
            GreenletExit exit = new GreenletExit("before it started");
            g.kill(exit, false, null);
            assertEquals(new Outcome.Killed<String>(exit), g.outcome());
        });
    }

    @Test
    void theOutcomeOfAnUncheckedFailureIsFailedWithTheVeryException() {
        inHub(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Greenlet<String> g = Greenlet.spawn(() -> {
                throw boom;
            });
            g.join();
            Outcome.Failed<?> failed = assertInstanceOf(Outcome.Failed.class, g.outcome());
            assertSame(boom, failed.error());
        });
    }

    @Test
    void theOutcomeOfACheckedFailureIsFailedWithTheUnwrappedException() {
        inHub(() -> {
            Greenlet<String> g = Greenlet.spawn(() -> {
                throw diskFull;
            });
            g.join();
            assertEquals(new Outcome.Failed<String>(diskFull), g.outcome());
            assertSame(diskFull, g.exception());
            assertSame(diskFull, assertThrows(GreenletFailure.class, g::get).getCause(), "get() wraps it");
        });
    }

    @Test
    void theOutcomeOfAValueIsValue() {
        inHub(() -> {
            Greenlet<String> g = Greenlet.spawn(() -> "done");
            g.join();
            assertEquals(new Outcome.Value<>("done"), g.outcome());
        });
    }

    @Test
    void outcomeBeforeTheEndThrowsIllegalStateException() {
        inHub(() -> {
            Greenlet<String> g = waitingForever(new Event());
            assertThrows(IllegalStateException.class, g::outcome);
            Greenlet<String> unstarted = new Greenlet<>(() -> "later");
            assertThrows(IllegalStateException.class, unstarted::outcome);
            g.kill();
            unstarted.kill();
        });
    }

    private static String describe(Outcome<String> outcome) {
        return switch (outcome) { // exhaustive over the sealed Outcome: no default branch
            case Outcome.Value<String>(String v) -> "value " + v;
            case Outcome.Failed<String>(Throwable e) -> "failed " + e.getMessage();
            case Outcome.Killed<String>(GreenletExit x) -> "killed " + x.getMessage();
        };
    }

    @Test
    void aSwitchWithRecordPatternsOverTheOutcomePicksTheMatchingBranch() {
        inHub(() -> {
            Greenlet<String> value = Greenlet.spawn(() -> "v");
            Greenlet<String> failed = Greenlet.spawn(() -> {
                throw new IllegalStateException("e");
            });
            Greenlet<String> killed = waitingForever(new Event());
            awaitWaiting(killed);
            killed.kill(new GreenletExit("x"));
            Greenlets.joinAll(java.util.List.of(value, failed, killed));
            assertEquals("value v", describe(value.outcome()));
            assertEquals("failed e", describe(failed.outcome()));
            assertEquals("killed x", describe(killed.outcome()));
        });
    }

    // ---------------------------------------------------------------- task overloads

    @Test
    void aVoidLambdaThrowingACheckedExceptionIsACheckedRunnable() {
        inHub(() -> {
            Greenlet<Void> g = Greenlet.spawn(() -> Thread.sleep(1)); // CheckedRunnable
            assertNull(g.get());
            assertTrue(g.isSuccessful());
        });
    }

    @Test
    void aValueLambdaIsACallable() {
        inHub(() -> {
            Greenlet<Integer> g = Greenlet.spawn(() -> 42); // Callable<Integer>
            int v = g.get();
            assertEquals(42, v);
        });
    }

    @Test
    void aReferenceToAVoidMethodThrowingACheckedExceptionIsACheckedRunnableWhoseFailureIsTheVeryInstance() {
        inHub(() -> {
            Greenlet<Void> g = Greenlet.spawn(this::writeToAFullDisk); // CheckedRunnable
            g.join();
            assertSame(diskFull, g.exception(), "not wrapped");
        });
    }

    @Test
    void aRunnableVariablePicksTheRunnableOverload() {
        inHub(() -> {
            AtomicBoolean ran = new AtomicBoolean();
            Runnable task = () -> ran.set(true);
            Greenlet<Void> g = Greenlet.spawn(task);
            assertNull(g.get());
            assertTrue(ran.get());
        });
    }

    @Test
    void aCallableVariablePicksTheCallableOverload() {
        inHub(() -> {
            Callable<Integer> task = () -> 7;
            Greenlet<Integer> g = Greenlet.spawn(task);
            assertEquals(7, g.get());
        });
    }

    @Test
    void hubRunTakesAVoidBlockLambda() {
        hub.run(() -> { work(); }); // CheckedRunnable
        assertEquals(1, work.get());
    }

    @Test
    void hubRunRethrowsACheckedFailureOfAVoidTaskWrappedWithTheVeryCause() {
        GreenletFailure f = assertThrows(GreenletFailure.class, () -> hub.run(this::writeToAFullDisk));
        assertSame(diskFull, f.getCause());
    }

    @Test
    void spawnLaterTakesAVoidBlockLambda() {
        inHub(() -> {
            Greenlet<Void> g = hub.spawnLater(Duration.ofMillis(5), () -> { work(); }); // CheckedRunnable
            g.join();
            assertEquals(new Outcome.Value<Void>(null), g.outcome());
            assertEquals(1, work.get());
        });
    }

    @Test
    void withTimeoutTakesAVoidLambdaThrowingACheckedException() {
        inHub(() -> {
            Greenlets.withTimeout(LONG, () -> Thread.sleep(1)); // CheckedRunnable: returns normally
            GreenletFailure f = assertThrows(GreenletFailure.class, () -> Greenlets.withTimeout(LONG, this::writeToAFullDisk));
            assertSame(diskFull, f.getCause());
        });
    }

    @Test
    void silentlyTakesAVoidLambdaThrowingACheckedException() {
        inHub(() -> assertTrue(Timeout.silently(LONG, () -> Thread.sleep(1)))); // CheckedRunnable
    }

    /** Both a Runnable and a Callable: given where a Runnable is asked for, only run() may run. */
    private static final class RunnableAndCallable implements Runnable, Callable<String> {
        final AtomicInteger ran = new AtomicInteger(), called = new AtomicInteger();

        @Override
        public void run() {
            ran.incrementAndGet();
        }

        @Override
        public String call() {
            called.incrementAndGet();
            return "called";
        }
    }

    @Test
    void aTaskThatIsAlsoACallableGivenAsARunnableRunsItsRunMethodEverywhere() {
        inHub(() -> {
            RunnableAndCallable both = new RunnableAndCallable();
            Runnable asRunnable = both;
            java.util.List<Greenlet<Void>> gs = java.util.List.of(
                    Greenlet.spawn(asRunnable),
                    hub.spawn(asRunnable),
                    started(new Greenlet<>(asRunnable)),
                    new dev.weft.pool.Group().spawn(asRunnable),
                    new dev.weft.pool.Pool(1).applyAsync(asRunnable),
                    dev.weft.link.Links.spawnLinkException(asRunnable)); // raises in us only on a failure
            for (Greenlet<Void> g : gs) assertNull(g.get(), g + " returned call()'s value");
            assertEquals(gs.size(), both.ran.get());
            assertEquals(0, both.called.get());
        });
    }

    private static Greenlet<Void> started(Greenlet<Void> g) {
        g.start();
        return g;
    }
}
