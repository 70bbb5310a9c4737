package dev.weft.coro;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.Interrupted;
import dev.weft.Timeout;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Coro.inParallel and Coro.withTimeout (Shrapnel's in_parallel, with_timeout and their tests). */
@org.junit.jupiter.api.Timeout(120)
class CoroTest extends HubTestBase {
    private static final Duration SHORT = Duration.ofMillis(30);

    static final class Boom extends RuntimeException {
        Boom(String m) {
            super(m);
        }
    }

    @Test
    void inParallelReturnsTheValuesInInputOrder() {
        List<Integer> got = inHub(() -> Coro.inParallel(List.<Callable<Integer>>of(
                () -> { Greenlets.sleep(Duration.ofMillis(30)); return 1; },
                () -> 2,
                () -> { Greenlets.sleep(Duration.ofMillis(10)); return 3; })));
        assertEquals(List.of(1, 2, 3), got);
    }

    @Test
    void inParallelRunsTheTasksAtTheSameTime() {
        inHub(() -> {
            Event a = new Event(), b = new Event();
            // each task waits for the other's event: only concurrent tasks can finish
            List<String> got = Coro.inParallel(List.<Callable<String>>of(
                    () -> { a.set(); b.await(); return "a"; },
                    () -> { b.set(); a.await(); return "b"; }));
            assertEquals(List.of("a", "b"), got);
        });
    }

    @Test
    void inParallelWithFailuresRaisesAfterAllFinishedWithEveryResultInInputOrder() {
        List<String> finished = new CopyOnWriteArrayList<>();
        Boom first = new Boom("first"), third = new Boom("third");
        InParallelError e = inHub(() -> assertThrows(InParallelError.class, () -> Coro.inParallel(List.<Callable<String>>of(
                () -> { finished.add("0"); throw first; },
                () -> { Greenlets.sleep(Duration.ofMillis(40)); finished.add("1"); return "ok"; },
                () -> { Greenlets.sleep(Duration.ofMillis(10)); finished.add("2"); throw third; }))));
        assertEquals(3, finished.size(), "raised only after every task finished");
        List<InParallelError.Result> r = e.results();
        assertEquals(InParallelError.Result.failure(first), r.get(0));
        assertEquals(InParallelError.Result.success("ok"), r.get(1));
        assertEquals(InParallelError.Result.failure(third), r.get(2));
        assertSame(first, e.getCause());
    }

    @Test
    void inParallelCountsAKilledTaskAsAFailure() {
        InParallelError e = inHub(() -> assertThrows(InParallelError.class, () -> Coro.inParallel(List.<Callable<Object>>of(
                () -> { throw new GreenletExit("gave up"); },
                () -> 1))));
        assertEquals(InParallelError.Status.FAILURE, e.results().get(0).status());
        assertInstanceOf(GreenletExit.class, e.results().get(0).error());
        assertEquals(1, e.results().get(1).value());
    }

    @Test
    void inParallelUnderAnOuterTimeoutKillsEveryChild() {
        inHub(() -> { // Shrapnel's test_in_parallel.test_timeout, scaled down
            List<Greenlet<?>> children = new CopyOnWriteArrayList<>();
            List<Callable<Integer>> sleepers = new ArrayList<>();
            Event release = new Event(); // unset: the children outlast any timeout, and only a kill ends them
            for (int i = 1; i <= 3; i++) {
                int n = i;
                sleepers.add(() -> {
                    children.add(Greenlet.current());
                    release.await();
                    return n;
                });
            }
            // long enough for every child to start, even on a loaded machine
            assertThrows(TimeoutError.class, () -> Coro.withTimeout(Duration.ofSeconds(1), () -> Coro.inParallel(sleepers)));
            assertEquals(3, children.size());
            for (Greenlet<?> c : children) assertTrue(c.isDead() && c.isKilled(), c.toString());
            children.clear();
            release.set();
            assertEquals(List.of(1, 2, 3), Coro.withTimeout(Duration.ofSeconds(10), () -> Coro.inParallel(sleepers)));
        });
    }

    @Test
    void inParallelUnderAKillOfTheCallerKillsEveryChild() {
        inHub(() -> {
            List<Greenlet<?>> children = new CopyOnWriteArrayList<>();
            Event started = new Event();
            Greenlet<List<Object>> caller = Greenlet.spawn(() -> Coro.inParallel(List.<Callable<Object>>of(
                    () -> { children.add(Greenlet.current()); started.set(); return Coro.suspend(); },
                    () -> { children.add(Greenlet.current()); return Coro.suspend(); })));
            started.await();
            awaitWaiting(caller);
            caller.kill();
            assertTrue(caller.isKilled());
            for (Greenlet<?> c : children) assertTrue(c.isDead(), c.toString());
        });
    }

    @Test
    void inParallelRefusesANullTask() {
        inHub(() -> assertThrows(NullPointerException.class, () -> Coro.inParallel(Arrays.asList(() -> 1, null))));
    }

    @Test
    void withTimeoutReturnsTheValueInTime() {
        assertEquals("done", inHub(() -> Coro.withTimeout(Duration.ofSeconds(10), () -> "done")));
    }

    @Test
    void withTimeoutRaisesTimeoutErrorWhenTheDelayPasses() {
        inHub(() -> {
            TimeoutError e = assertThrows(TimeoutError.class,
                    () -> Coro.withTimeout(SHORT, () -> Coro.sleepRelative(Duration.ofSeconds(30))));
            assertInstanceOf(Timeout.class, e);
            assertEquals(SHORT, e.duration());
        });
    }

    @Test
    void aNegativeDelayCountsAsZero() {
        inHub(() -> { // Shrapnel's test_interrupt_sleeping: with_timeout(0, sleep_relative, 0)
            assertThrows(TimeoutError.class, () -> Coro.withTimeout(Duration.ofSeconds(-5), () -> Coro.sleepRelative(Duration.ZERO)));
            assertThrows(TimeoutError.class, () -> Coro.withTimeout(Duration.ZERO, () -> Coro.sleepRelative(Duration.ZERO)));
        });
    }

    @Test
    void anOuterExpiryPassesThroughAnInnerWithTimeoutAndItsCatch() {
        inHub(() -> {
            List<String> trail = new ArrayList<>();
            TimeoutError outer = assertThrows(TimeoutError.class, () -> Coro.withTimeout(SHORT, () -> {
                try {
                    Coro.withTimeout(Duration.ofSeconds(30), () -> Coro.sleepRelative(Duration.ofSeconds(60)));
                } catch (TimeoutError inner) {
                    trail.add("caught as the inner one"); // must not happen
                }
                trail.add("after the inner call"); // must not happen either
            }));
            assertEquals(SHORT, outer.duration());
            assertEquals(List.of(), trail);
        });
    }

    @Test
    void anInnerExpiryIsCaughtByTheInnerWithTimeout() {
        inHub(() -> {
            String r = Coro.withTimeout(Duration.ofSeconds(30), () -> {
                try {
                    Coro.withTimeout(SHORT, () -> Coro.sleepRelative(Duration.ofSeconds(60)));
                    return "no";
                } catch (TimeoutError inner) {
                    return inner.duration().equals(SHORT) ? "inner" : "wrong";
                }
            });
            assertEquals("inner", r);
        });
    }

    @Test
    void aTimeoutErrorIsNotSwallowedByCatchException() {
        inHub(() -> {
            Throwable t = assertThrows(Throwable.class, () -> Coro.withTimeout(SHORT, () -> {
                try {
                    Coro.sleepRelative(Duration.ofSeconds(30));
                } catch (Exception swallowed) {
                    fail("caught " + swallowed);
                }
            }));
            assertInstanceOf(TimeoutError.class, t);
            assertInstanceOf(Interrupted.class, t);
        });
    }

    @Test
    void withTimeoutAroundWaitpidOfALiveProcessRaisesTimeoutErrorAndLeavesItAlive() {
        // a simulated hub waits for a process in real time, where its virtual timers stand still
        org.junit.jupiter.api.Assumptions.assumeFalse(hub.isSimulated());
        inHub(() -> { // Shrapnel's test_with_timeout: with_timeout(2, waitpid, getpid())
            long self = ProcessHandle.current().pid();
            assertThrows(TimeoutError.class, () -> Coro.withTimeout(SHORT, () -> Coro.waitpid(self)));
            assertTrue(ProcessHandle.current().isAlive());
        });
    }
}
