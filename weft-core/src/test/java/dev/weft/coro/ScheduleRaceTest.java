package dev.weft.coro;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The races of Shrapnel's hand scheduling, each run over many seeds of the simulated hub (every
 * seed a different interleaving) and a few rounds of the parallel hub: resume vs raiseException
 * vs kill on one greenlet, raiseException with and without force and cancelStart, inParallel under
 * an outer timeout, selfish acts.
 */
@Timeout(120)
class ScheduleRaceTest {
    private static final int SCALE = Integer.getInteger("weft.stress.scale", 1);
    private static final int SEEDS = 300 * SCALE;
    private static final int PARALLEL_ROUNDS = 100 * SCALE;

    static final class Boom extends RuntimeException {
        Boom() {
            super("boom");
        }
    }

    /** Runs {@code scenario} as the main task of a simulated hub per seed, then of parallel hubs. */
    private static void overSeeds(Consumer<String> scenario) {
        for (long seed = 0; seed < SEEDS; seed++) {
            String where = "seed " + seed;
            try (Hub hub = Hub.simulated(seed)) {
                hub.run(() -> scenario.accept(where));
            }
        }
        try (Hub hub = Hub.parallel()) {
            for (int i = 0; i < PARALLEL_ROUNDS; i++) {
                String where = "parallel round " + i;
                hub.run(() -> scenario.accept(where));
            }
        }
    }

    /** Calls {@code action}; true if it did not throw a ScheduleError. */
    private static boolean attempt(Runnable action) {
        try {
            action.run();
            return true;
        } catch (ScheduleError e) {
            return false;
        }
    }

    @Test
    void resumeRacingRaiseExceptionWithoutForceDeliversExactlyWhatSucceeded() {
        overSeeds(where -> {
            AtomicReference<Object> value = new AtomicReference<>();
            Greenlet<Void> target = Greenlet.spawn(() -> {
                value.set(Coro.suspend());
                Greenlets.yieldNow(); // the next blocking point: a raise that came late lands here
            });
            while (!Coro_isSuspended(target)) Greenlets.yieldNow();
            AtomicBoolean resumed = new AtomicBoolean(), raised = new AtomicBoolean();
            Greenlet<?> a = Greenlet.spawn(() -> resumed.set(attempt(() -> target.resume("v"))));
            Greenlet<?> b = Greenlet.spawn(() -> raised.set(attempt(() -> target.raiseException(new Boom(), false))));
            a.join();
            b.join();
            target.join();
            assertTrue(resumed.get() || raised.get(), where + ": neither succeeded");
            assertEquals(resumed.get(), "v".equals(value.get()), where + ": resumed=" + resumed + " value=" + value);
            if (Hub.current().isSingleCarrier() || !resumed.get()) {
                assertEquals(raised.get(), target.exception() instanceof Boom, where + ": raised=" + raised + " " + target);
            } else {
                // parallel: the target took "v" and runs on; a raise sent then is delivered like a
                // kill, at its next blocking point — or never, if it passed its last one (kill's rule)
                assertTrue(target.exception() == null || (raised.get() && target.exception() instanceof Boom),
                        where + ": raised=" + raised + " " + target);
            }
        });
    }

    @Test
    void raiseExceptionOnAnAlreadyResumedGreenletReplacesTheResumeOnlyWithForce() {
        overSeeds(where -> {
            for (boolean force : new boolean[] {false, true}) {
                Greenlet<Object> target = Greenlet.spawn(() -> Coro.suspend());
                while (!Coro_isSuspended(target)) Greenlets.yieldNow();
                target.resume("v"); // scheduled: on a single carrier it cannot run before the raise
                boolean ok = attempt(() -> target.raiseException(new Boom(), force));
                target.join();
                if (force) {
                    // parallel: the target may have taken the value and ended before the raise (DeadCoroutineError)
                    assertTrue(ok || "v".equals(target.value()), where);
                    // parallel: the target may have taken the value first; the raise then waits for a blocking point it never reaches
                    assertTrue(target.exception() instanceof Boom || "v".equals(target.value()), where + " " + target);
                    if (Hub.current().isSingleCarrier()) assertInstanceOf(Boom.class, target.exception(), where);
                } else if (Hub.current().isSingleCarrier()) {
                    assertFalse(ok, where + ": without force a pending resume is a ScheduleError");
                    assertEquals("v", target.value(), where);
                }
            }
        });
    }

    @Test
    void resumeRacingAKillNeverLosesTheKillAndResumesOnlyIfItWon() {
        overSeeds(where -> {
            AtomicReference<Object> value = new AtomicReference<>();
            Greenlet<Void> target = Greenlet.spawn(() -> {
                value.set(Coro.suspend());
                Greenlets.sleep(Duration.ofHours(1)); // the kill lands here if the resume won
            });
            while (!Coro_isSuspended(target)) Greenlets.yieldNow();
            AtomicBoolean resumed = new AtomicBoolean();
            Greenlet<?> a = Greenlet.spawn(() -> resumed.set(attempt(() -> target.resume("v"))));
            Greenlet<?> b = Greenlet.spawn(() -> target.kill(new GreenletExit(), false, null));
            a.join();
            b.join();
            target.join();
            assertTrue(target.isKilled(), where + ": the kill was lost: " + target);
            assertEquals(resumed.get(), "v".equals(value.get()), where + ": resumed=" + resumed + " value=" + value);
        });
    }

    @Test
    void raiseExceptionWithCancelStartRacingTheStartEitherPreventsTheBodyOrInterruptsIt() {
        overSeeds(where -> {
            AtomicBoolean ran = new AtomicBoolean();
            Greenlet<Void> target = Greenlet.spawn(() -> {
                ran.set(true);
                Greenlets.sleep(Duration.ofHours(1));
            });
            Greenlet<?> raiser = Greenlet.spawn(() -> {
                for (;;) {
                    try {
                        target.raiseException(new Boom(), true, true);
                        return;
                    } catch (ScheduleError e) { // only NotStartedError is possible here, and only without cancelStart
                        fail(where + ": " + e);
                    }
                }
            });
            raiser.join();
            target.join();
            assertInstanceOf(Boom.class, target.exception(), where);
        });
    }

    @Test
    void raiseExceptionWithoutCancelStartIsNotStartedErrorOrDelivered() {
        overSeeds(where -> {
            AtomicBoolean ran = new AtomicBoolean();
            Greenlet<Void> target = Greenlet.spawn(() -> {
                ran.set(true);
                Greenlets.sleep(Duration.ofHours(1));
            });
            boolean delivered;
            try {
                target.raiseException(new Boom(), true, false);
                delivered = true;
            } catch (NotStartedError e) {
                delivered = false;
                target.kill(new GreenletExit(), false, null);
            }
            target.join();
            if (delivered) {
                assertTrue(ran.get(), where);
                assertInstanceOf(Boom.class, target.exception(), where);
            } else {
                assertTrue(target.isKilled(), where);
            }
        });
    }

    @Test
    void inParallelUnderAnOuterTimeoutLeavesNoChildRunning() {
        overSeeds(where -> {
            List<Greenlet<?>> children = new ArrayList<>();
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                int n = i;
                tasks.add(() -> {
                    synchronized (children) {
                        children.add(Greenlet.current());
                    }
                    // 5 and 8 ms race the 6 ms timeout; the last cannot finish before even a late
                    // timer (on the parallel hub a loaded machine fired it after all three once)
                    Greenlets.sleep(n < 2 ? Duration.ofMillis(5 + 3 * n) : Duration.ofSeconds(60));
                    return n;
                });
            }
            assertThrows(TimeoutError.class, () -> Coro.withTimeout(Duration.ofMillis(6), () -> Coro.inParallel(tasks)), where);
            synchronized (children) {
                for (Greenlet<?> c : children) assertTrue(c.isDead(), where + ": " + c + " left running");
            }
        });
    }

    @Test
    void selfishActsAreCountedWhateverTheInterleaving() {
        AtomicInteger yieldsSeen = new AtomicInteger();
        for (long seed = 0; seed < SEEDS; seed++) {
            String where = "seed " + seed;
            try (Hub hub = Hub.simulated(seed)) {
                hub.run(() -> {
                    dev.weft.sync.Queue<Integer> q = new dev.weft.sync.Queue<>();
                    for (int i = 0; i < 100; i++) q.put(i);
                    AtomicInteger got = new AtomicInteger();
                    List<Integer> seenByOther = new ArrayList<>();
                    Greenlet<?> drainer = Greenlet.spawn(() -> {
                        Greenlet.current().setMaxSelfishActs(3);
                        while (got.get() < 40) {
                            q.get();
                            got.incrementAndGet();
                        }
                    });
                    Greenlet<?> other = Greenlet.spawn(() -> {
                        while (!drainer.isDead()) {
                            seenByOther.add(got.get());
                            Greenlets.yieldNow();
                        }
                    });
                    drainer.join();
                    other.join();
                    // budget 3: gets 0..2 spend it, get 3 yields first (and refills), then 4..6, get 7 yields...
                    // so the other greenlet can only ever run when 3, 7, 11, ... gets are done
                    for (int seen : seenByOther) {
                        assertTrue(seen == 0 || seen == 40 || seen % 4 == 3, where + ": the other ran after " + seen
                                + " gets, between two gets that did not yield: " + seenByOther);
                        if (seen % 4 == 3) yieldsSeen.incrementAndGet();
                    }
                });
            }
        }
        assertTrue(yieldsSeen.get() > SEEDS, "the drainer's yields let the other greenlet run only " + yieldsSeen + " times");
    }

    @Test
    void twoSimultaneousWaitpidsOnOnePidGiveExactlyOneSimultaneousError() throws Exception {
        for (long seed = 0; seed < 20L * SCALE; seed++) {
            String where = "seed " + seed;
            Process p = new ProcessBuilder("sleep", "30").start();
            try (Hub hub = Hub.simulated(seed)) {
                hub.run(() -> {
                    AtomicInteger simultaneous = new AtomicInteger();
                    List<Greenlet<ProcessExit>> waiters = new ArrayList<>();
                    for (int i = 0; i < 2; i++) {
                        waiters.add(Greenlet.spawn(() -> {
                            try {
                                return Coro.waitpid(p);
                            } catch (SimultaneousError e) {
                                simultaneous.incrementAndGet();
                                return null;
                            }
                        }));
                    }
                    while (waiters.stream().noneMatch(Greenlet::isWaiting)) Greenlets.yieldNow();
                    while (simultaneous.get() == 0) Greenlets.yieldNow();
                    p.destroy();
                    int exited = 0;
                    for (Greenlet<ProcessExit> w : waiters) if (w.get() != null) exited++;
                    assertEquals(1, simultaneous.get(), where);
                    assertEquals(1, exited, where);
                });
            } finally {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void outcomesOfTheRacesAreTypedOutcomes() {
        try (Hub hub = Hub.simulated(1)) {
            Outcome<?> o = hub.run(() -> {
                Greenlet<Object> g = Greenlet.spawn(() -> Coro.suspend());
                while (!Coro_isSuspended(g)) Greenlets.yieldNow();
                g.raiseException(new Boom());
                g.join();
                return g.outcome();
            });
            assertInstanceOf(Outcome.Failed.class, o);
        }
    }

    private static boolean Coro_isSuspended(Greenlet<?> g) {
        String on = g.waitingOn();
        return on != null && on.startsWith("suspend");
    }
}
