package dev.weft.coro;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.Outcome;
import dev.weft.Trail;
import dev.weft.sync.Queue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Shrapnel's hand scheduling: Coro.start, Coro.suspend / resume, raiseException, shutdown,
 * isScheduled (issue 14; Shrapnel's coro/_coro.pyx and test/test_interrupt.py).
 */
@Timeout(120)
class SuspendResumeTest extends HubTestBase {
    /** An exception the tests raise into greenlets. */
    static final class Boom extends RuntimeException {
        Boom(String m) {
            super(m);
        }
    }

    private static Greenlet<Object> suspended() {
        Greenlet<Object> g = Greenlet.spawn(() -> Coro.suspend());
        awaitWaiting(g);
        return g;
    }

    @Test
    void suspendReturnsTheValueGivenToResume() {
        assertEquals("hello", inHub(() -> {
            Greenlet<Object> g = suspended();
            g.resume("hello");
            return g.get();
        }));
    }

    @Test
    void aSuspendedGreenletIsWaitingOnItsSuspensionAndNotScheduled() {
        inHub(() -> {
            Greenlet<Object> g = suspended();
            assertTrue(g.isWaiting());
            assertTrue(g.waitingOn().startsWith("suspend"), g.waitingOn());
            assertFalse(g.isScheduled());
            g.resume(null);
            g.join();
        });
    }

    @Test
    void aResumedGreenletIsScheduledUntilItRuns() {
        assumeTrue(hub.isSingleCarrier(), "only a single carrier keeps it from running at once");
        inHub(() -> {
            Greenlet<Object> g = suspended();
            g.resume(1);
            assertTrue(g.isScheduled());
            g.join();
            assertFalse(g.isScheduled());
        });
    }

    @Test
    void resumeOfTheCallingGreenletIsAScheduleError() {
        inHub(() -> assertThrows(ScheduleError.class, () -> Greenlet.current().resume(1)));
    }

    @Test
    void resumeOfADeadGreenletIsADeadCoroutineError() {
        inHub(() -> {
            Greenlet<Integer> g = Greenlet.spawn(() -> 1);
            g.join();
            assertThrows(DeadCoroutineError.class, () -> g.resume(2));
        });
    }

    @Test
    void resumeOfAGreenletNotSuspendedIsAScheduleError() {
        inHub(() -> {
            Greenlet<Integer> g = new Greenlet<>(() -> 1);
            assertThrows(ScheduleError.class, () -> g.resume(2), "new");
            g.kill(new GreenletExit(), false, null);
        });
    }

    @Test
    void resumeNeverStealsTheWakeUpOfAQueue() {
        inHub(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> getter = Greenlet.spawn(() -> q.get());
            awaitWaiting(getter);
            ScheduleError e = assertThrows(ScheduleError.class, () -> getter.resume("stolen"));
            assertTrue(e.getMessage().contains("not suspended"), e.getMessage());
            q.put("item");
            assertEquals("item", getter.get());
        });
    }

    @Test
    void aSecondResumeBeforeTheGreenletTookTheFirstIsAScheduleError() {
        inHub(() -> {
            Greenlet<Object> g = suspended();
            g.resume("first");
            assertThrows(ScheduleError.class, () -> g.resume("second"));
            assertEquals("first", g.get());
        });
    }

    @Test
    void raiseExceptionMakesSuspendThrowIt() {
        inHub(() -> {
            Greenlet<Object> g = suspended();
            Boom boom = new Boom("x");
            g.raiseException(boom);
            g.join();
            assertSame(boom, g.exception());
        });
    }

    @Test
    void raiseExceptionWithForceReplacesAPendingResume() {
        assumeTrue(hub.isSingleCarrier(), "the greenlet must not take the resume first");
        inHub(() -> { // Shrapnel's test_scheduled_pending_interrupt
            Greenlet<Object> g = suspended();
            g.resume("value");
            Boom boom = new Boom("replaces");
            g.raiseException(boom, true);
            g.join();
            assertSame(boom, g.exception());
        });
    }

    @Test
    void raiseExceptionWithoutForceOnAPendingResumeIsAScheduleError() {
        assumeTrue(hub.isSingleCarrier(), "the greenlet must not take the resume first");
        inHub(() -> {
            Greenlet<Object> g = suspended();
            g.resume("value");
            assertThrows(ScheduleError.class, () -> g.raiseException(new Boom("no"), false));
            assertEquals("value", g.get());
        });
    }

    @Test
    void raiseExceptionOnAGreenletNeverStartedIsANotStartedError() {
        inHub(() -> {
            Greenlet<Integer> g = new Greenlet<>(() -> 1);
            assertThrows(NotStartedError.class, () -> g.raiseException(new Boom("early")));
            assertFalse(g.isStarted());
            assertFalse(g.isDead());
            g.kill(new GreenletExit(), false, null);
        });
    }

    @Test
    void raiseExceptionOnAGreenletSpawnedButNotYetRunIsANotStartedErrorUnlessCancelStart() {
        assumeTrue(hub.isSingleCarrier(), "on the parallel hub a spawned greenlet may already run");
        AtomicBoolean ran = new AtomicBoolean();
        inHub(() -> { // Shrapnel's test_not_started_interrupt
            Greenlet<Void> g = Greenlet.spawn(() -> ran.set(true));
            assertThrows(NotStartedError.class, () -> g.raiseException(new Boom("early")));
            assertTrue(g.isScheduled());
            Boom boom = new Boom("cancel");
            g.raiseException(boom, true, true);
            assertTrue(g.isDead());
            assertFalse(g.isScheduled());
            assertSame(boom, g.exception());
            assertThrows(DeadCoroutineError.class, () -> g.raiseException(new Boom("again"), true, true));
            g.shutdown(); // never fails
            Greenlets.yieldNow();
        });
        assertFalse(ran.get());
    }

    @Test
    void raiseExceptionWithCancelStartEndsANewGreenletWithoutRunningIt() {
        AtomicBoolean ran = new AtomicBoolean();
        inHub(() -> {
            Greenlet<Void> g = new Greenlet<>(() -> ran.set(true));
            GreenletExit exit = new GreenletExit("cancelled");
            g.raiseException(exit, false, true);
            assertTrue(g.isDead());
            assertTrue(g.isKilled());
            assertSame(exit, ((Outcome.Killed<Void>) g.outcome()).exit());
            g.start();
        });
        assertFalse(ran.get());
    }

    @Test
    void raiseExceptionOnTheCallingGreenletIsAScheduleError() {
        inHub(() -> assertThrows(ScheduleError.class, () -> Greenlet.current().raiseException(new Boom("self"))));
    }

    @Test
    void raiseExceptionOnADeadGreenletIsADeadCoroutineError() {
        inHub(() -> {
            Greenlet<Integer> g = Greenlet.spawn(() -> 1);
            g.join();
            assertThrows(DeadCoroutineError.class, () -> g.raiseException(new Boom("late")));
        });
    }

    @Test
    void raiseExceptionRefusesACheckedException() {
        inHub(() -> {
            Greenlet<Object> g = suspended();
            assertThrows(IllegalArgumentException.class, () -> g.raiseException(new java.io.IOException()));
            g.resume(null);
            g.join();
        });
    }

    @Test
    void raiseExceptionOnAGreenletParkedInAQueueIsDeliveredLikeAKillAndTakesNothing() {
        inHub(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> getter = Greenlet.spawn(() -> q.get());
            awaitWaiting(getter);
            Boom boom = new Boom("in the queue");
            getter.raiseException(boom);
            getter.join();
            assertSame(boom, getter.exception());
            q.put("kept");
            assertEquals(1, q.size(), "the raised greenlet took nothing");
        });
    }

    @Test
    void raiseExceptionAfterAQueueHandedAnItemOverKeepsTheItemAndRaisesAtTheNextBlockingPoint() {
        assumeTrue(hub.isSingleCarrier(), "the getter must not run between the put and the raise");
        Trail trail = new Trail();
        inHub(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<Void> getter = Greenlet.spawn(() -> {
                trail.add("got " + q.get());
                try {
                    Greenlets.yieldNow();
                } catch (Boom b) {
                    trail.add("raised at the next blocking point");
                }
            });
            awaitWaiting(getter);
            q.put("item"); // handed over: the getter is scheduled
            assertTrue(getter.isScheduled());
            assertThrows(ScheduleError.class, () -> getter.raiseException(new Boom("no force"), false));
            getter.raiseException(new Boom("forced"), true);
            getter.join();
        });
        trail.assertSteps("got item", "raised at the next blocking point");
    }

    @Test
    void raiseExceptionInterruptsASleeper() {
        inHub(() -> { // Shrapnel's test_interrupt_sleeping_coro
            Greenlet<String> g = Greenlet.spawn(() -> {
                try {
                    Coro.sleepRelative(Duration.ofSeconds(30));
                    return "slept";
                } catch (Boom b) {
                    return "interrupted";
                }
            });
            awaitWaiting(g);
            g.raiseException(new Boom("wake"));
            assertEquals("interrupted", g.get());
        });
    }

    @Test
    void wakeUpWakesASleeperEarly() {
        inHub(() -> {
            Greenlet<String> g = Greenlet.spawn(() -> {
                try {
                    Coro.sleepRelative(Duration.ofHours(1));
                    return "slept";
                } catch (WakeUp w) {
                    return "woken";
                }
            });
            awaitWaiting(g);
            g.raiseException(new WakeUp());
            assertEquals("woken", g.get());
        });
    }

    @Test
    void aWakeUpIsNotSwallowedByCatchException() {
        assertTrue(Throwable.class.isAssignableFrom(WakeUp.class));
        assertFalse(Exception.class.isAssignableFrom(WakeUp.class));
        assertTrue(dev.weft.Interrupted.class.isAssignableFrom(WakeUp.class));
        assertTrue(dev.weft.Timeout.class.isAssignableFrom(TimeoutError.class));
        assertTrue(GreenletExit.class.isAssignableFrom(Shutdown.class));
        assertTrue(ScheduleError.class.isAssignableFrom(DeadCoroutineError.class));
        assertTrue(ScheduleError.class.isAssignableFrom(NotStartedError.class));
    }

    @Test
    void shutdownEndsAGreenletQuietly() {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        hub.setErrorHandler((source, error) -> reported.add(error));
        inHub(() -> {
            Greenlet<Void> g = Greenlet.spawn(() -> Greenlets.sleep(Duration.ofHours(1)));
            awaitWaiting(g);
            g.shutdown();
            g.join();
            assertTrue(g.isSuccessful());
            assertInstanceOf(Shutdown.class, ((Outcome.Killed<Void>) g.outcome()).exit());
        });
        assertEquals(List.of(), reported);
    }

    @Test
    void shutdownOfADeadGreenletDoesNothing() {
        inHub(() -> {
            Greenlet<Integer> g = Greenlet.spawn(() -> 7);
            g.join();
            g.shutdown();
            assertEquals(7, g.get());
        });
    }

    @Test
    void shutdownOfAnUnstartedGreenletMeansItNeverRuns() {
        AtomicBoolean ran = new AtomicBoolean();
        inHub(() -> {
            Greenlet<Void> g = new Greenlet<>(() -> ran.set(true));
            g.shutdown();
            assertTrue(g.isDead());
            g.start();
            Greenlets.sleep(Duration.ofMillis(10));
        });
        assertFalse(ran.get());
    }

    @Test
    void shutdownWakesASuspendedGreenlet() {
        inHub(() -> {
            Greenlet<Object> g = suspended();
            g.shutdown();
            g.join();
            assertInstanceOf(Shutdown.class, ((Outcome.Killed<Object>) g.outcome()).exit());
        });
    }

    @Test
    void aKillEndsASuspensionAndALaterResumeIsAScheduleError() {
        inHub(() -> {
            dev.weft.sync.Event unwinding = new dev.weft.sync.Event();
            dev.weft.sync.Event release = new dev.weft.sync.Event();
            Greenlet<Object> g = Greenlet.spawn(() -> {
                try {
                    return Coro.suspend();
                } finally {
                    unwinding.set();
                    release.await(); // unwinding, waiting on an Event: no longer suspended
                }
            });
            awaitWaiting(g);
            g.kill(new GreenletExit(), false, null);
            unwinding.await(); // the kill ended the suspension (on the parallel hub it takes a moment)
            awaitWaiting(g);
            assertThrows(ScheduleError.class, () -> g.resume("too late"));
            release.set();
            g.join();
            assertTrue(g.isKilled());
        });
    }

    @Test
    void coroStartIsStrictWhereGreenletStartIsLenient() {
        inHub(() -> {
            Greenlet<Integer> g = new Greenlet<>(() -> 1);
            Coro.start(g);
            assertThrows(ScheduleError.class, () -> Coro.start(g));
            g.start(); // gevent's start: does nothing
            assertEquals(1, g.get());
            assertThrows(ScheduleError.class, () -> Coro.start(g));
        });
    }

    @Test
    void yieldNowRunsEveryOtherReadyGreenletFirst() {
        assumeTrue(hub.isSingleCarrier() && !hub.isSimulated(), "FIFO order is the cooperative hub's");
        Trail trail = new Trail();
        inHub(() -> {
            for (int i = 0; i < 3; i++) {
                int n = i;
                Greenlet.spawn(() -> trail.add("g" + n));
            }
            Greenlets.yieldNow();
            trail.add("main");
        });
        trail.assertSteps("g0", "g1", "g2", "main");
    }

    @Test
    void suspendWorksOnAThreadWeftDidNotStart() throws Exception {
        java.util.concurrent.CompletableFuture<Greenlet<?>> me = new java.util.concurrent.CompletableFuture<>();
        java.util.concurrent.CompletableFuture<Object> got = new java.util.concurrent.CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            me.complete(Greenlet.current());
            got.complete(Coro.suspend());
        });
        Greenlet<?> adopted = me.get();
        awaitWaiting(adopted);
        adopted.resume("from outside");
        assertEquals("from outside", got.get());
        t.join();
    }
}
