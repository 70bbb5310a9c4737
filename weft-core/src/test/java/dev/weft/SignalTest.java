package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The signal queue's rules (ARCHITECTURE §5): delivery, interrupts, merging, foreign interrupts. */
class SignalTest extends HubTestBase {

    @Test
    void aKillReachesARunningGreenletOnlyAtItsNextBlockingPoint() {
        // driven from the test thread, outside the hub: on a single-carrier hub nothing of the
        // hub could run while the greenlet computes
        AtomicBoolean killSent = new AtomicBoolean();
        Trail trail = new Trail();
        AsyncResult<Boolean> running = new AsyncResult<>();
        Greenlet<Void> g = hub.spawn(() -> {
            running.set(true);
            while (!killSent.get()) Thread.onSpinWait(); // computing, never blocking
            trail.add("still running after the kill");
            try {
                Greenlets.sleep(Duration.ofSeconds(10));
            } catch (GreenletExit e) {
                trail.add("exit at sleep");
                throw e;
            }
        });
        running.get();
        g.kill(new GreenletExit(), false, null);
        killSent.set(true);
        g.join();
        trail.assertSteps("still running after the kill", "exit at sleep");
        assertTrue(g.isKilled());
    }

    @Test
    void aGreenletBlockedInJdkCodeIsInterruptedAndTheKillIsItsOutcome() {
        inHub(() -> {
            AsyncResult<Boolean> sleeping = new AsyncResult<>();
            Greenlet<Void> g = Greenlet.spawn(() -> {
                sleeping.set(true);
                Thread.sleep(60_000); // JDK code: only an interrupt ends it
                return null;
            });
            sleeping.get();
            GreenletExit exit = new GreenletExit();
            g.kill(exit);
            assertTrue(g.isKilled());
            assertEquals(new Outcome.Killed<Void>(exit), g.outcome());
            assertEquals(1, exit.getSuppressed().length);
            assertInstanceOf(InterruptedException.class, exit.getSuppressed()[0]);
        });
    }

    @Test
    void theInterruptWeftSentIsClearedWhenTheSignalIsConsumed() {
        inHub(() -> {
            AsyncResult<Boolean> sleeping = new AsyncResult<>();
            Greenlet<Boolean> g = Greenlet.spawn(() -> {
                sleeping.set(true);
                try {
                    Thread.sleep(60_000);
                } catch (InterruptedException expected) {
                    // the JDK cleared the flag; the signal is still queued
                }
                try {
                    Greenlets.yieldNow(); // a blocking point: the kill is thrown here
                    return false;
                } catch (IllegalStateException delivered) {
                    return !Thread.currentThread().isInterrupted();
                }
            });
            sleeping.get();
            g.kill(new IllegalStateException("stop"), false, null);
            assertTrue(g.get(), "no stray interrupt after the signal was consumed");
        });
    }

    @Test
    void killsAreNeverMergedEachIsDeliveredAtItsOwnBlockingPoint() {
        inHub(() -> {
            Event go = new Event();
            Trail trail = new Trail();
            Greenlet<Void> g = Greenlet.spawn(() -> {
                for (int i = 0; i < 3; i++) {
                    try {
                        go.await();
                        trail.add("woke");
                        return;
                    } catch (IllegalStateException e) {
                        trail.add(e.getMessage());
                    }
                }
            });
            awaitWaiting(g);
            g.kill(new IllegalStateException("first"), false, null);
            g.kill(new IllegalStateException("second"), false, null);
            while (trail.steps().size() < 2) Greenlets.yieldNow();
            awaitWaiting(g);
            go.set();
            g.join(LONG);
            trail.assertSteps("first", "second", "woke");
        });
    }

    @Test
    void aWaitWhoseDeadlineHasPassedIsStillABlockingPoint() {
        // driven from the test thread: a loop that never parks keeps a single carrier to itself
        AsyncResult<Boolean> looping = new AsyncResult<>();
        Greenlet<Void> g = hub.spawn(() -> {
            looping.set(true);
            dev.weft.sync.Queue<Integer> q = new dev.weft.sync.Queue<>();
            for (;;) {
                try {
                    q.get(Duration.ZERO); // never waits, but is a blocking point
                } catch (dev.weft.sync.Empty empty) {
                    // keep polling
                }
            }
        });
        looping.get();
        assertTrue(g.kill(new GreenletExit(), true, LONG));
        assertTrue(g.isKilled());
    }

    @Test
    void aKillSentWhileAHandOverWonStillInterruptsTheJdkCodeThatFollows() {
        // the kill finds the greenlet parked in weft and only unparks it; the hand-over wins;
        // the greenlet then blocks in JDK code, which must still be interrupted
        AsyncResult<Integer> value = new AsyncResult<>();
        Greenlet<String> g = hub.spawn(() -> {
            value.get();
            try {
                Thread.sleep(LONG.toMillis());
                return "slept through the kill";
            } catch (InterruptedException e) {
                return "interrupted";
            }
        });
        awaitWaiting(g);
        g.kill(new IllegalStateException("stop"), false, null);
        value.set(1);
        g.rawlink(x -> {});
        assertTrue(g.join(LONG));
        assertTrue(g.exception() instanceof IllegalStateException
                || "interrupted".equals(g.value()), g.toString());
    }

    @Test
    void killSaysWhetherItQueuedASignal() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> g = Greenlet.spawn(() -> never.await());
            awaitWaiting(g);
            assertTrue(g.kill(new GreenletExit(), false, null));
            g.join();
            assertFalse(g.kill(new GreenletExit(), false, null));
        });
    }

    @Test
    void aForeignInterruptInsideAGreenletActsAsAKill() {
        inHub(() -> {
            AsyncResult<Thread> thread = new AsyncResult<>();
            Event never = new Event();
            Greenlet<Void> g = Greenlet.spawn(() -> {
                thread.set(Thread.currentThread());
                never.await();
            });
            awaitWaiting(g);
            thread.get().interrupt(); // not sent by weft
            g.join(LONG);
            assertTrue(g.isKilled(), g.toString());
        });
    }

    @Test
    void aForeignInterruptOnAnAdoptedThreadThrowsCancellationAndKeepsTheFlag() throws Exception {
        boolean[] flagAfter = new boolean[1];
        Throwable[] thrown = new Throwable[1];
        Thread t = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt();
            try {
                new Event().await(LONG);
            } catch (Throwable e) {
                thrown[0] = e;
            }
            flagAfter[0] = Thread.currentThread().isInterrupted();
        });
        t.join();
        assertInstanceOf(CancellationException.class, thrown[0]);
        assertTrue(flagAfter[0]);
    }

    @Test
    void killingTheCurrentGreenletWithBlockThrowsAtOnce() {
        inHub(() -> {
            Greenlet<String> g = Greenlet.spawn(() -> {
                try {
                    Greenlet.current().kill();
                    return "not reached";
                } catch (GreenletExit e) {
                    return "thrown at once";
                }
            });
            assertEquals("thrown at once", g.get());
        });
    }

    @Test
    void killingTheCurrentGreenletWithoutBlockThrowsAtTheNextBlockingPoint() {
        inHub(() -> {
            Trail trail = new Trail();
            Greenlet<Void> g = Greenlet.spawn(() -> {
                Greenlet.current().kill(new GreenletExit(), false, null);
                trail.add("after kill");
                Greenlets.yieldNow();
                trail.add("not reached");
            });
            g.join();
            trail.assertSteps("after kill");
            assertTrue(g.isKilled());
        });
    }

    @Test
    void aKillWonByAHandOverStaysQueuedForTheNextBlockingPoint() {
        AsyncResult<Integer> value = new AsyncResult<>();
        Event next = new Event();
        AtomicBoolean go = new AtomicBoolean();
        AsyncResult<Boolean> running = new AsyncResult<>();
        Greenlet<Integer> g = hub.spawn(() -> { // driven from the test thread, outside the hub
            running.set(true);
            while (!go.get()) Thread.onSpinWait();
            int v = value.get(); // ready already: returns the value, the kill waits
            try {
                next.await();
                return -1;
            } catch (GreenletExit e) {
                return v;
            }
        });
        running.get();
        value.set(5);
        g.kill(new GreenletExit(), false, null);
        go.set(true);
        assertEquals(5, g.get());
    }

    @Test
    void aSignalThrownIntoAGreenletCarriesTheStackOfItsDeliveryPoint() {
        inHub(() -> {
            Event never = new Event();
            AsyncResult<GreenletExit> caught = new AsyncResult<>();
            Greenlet<Void> g = Greenlet.spawn(() -> {
                try {
                    never.await();
                } catch (GreenletExit e) {
                    caught.set(e);
                }
            });
            awaitWaiting(g);
            GreenletExit exit = new GreenletExit();
            assertEquals(0, exit.getStackTrace().length, "no stack captured at creation");
            g.kill(exit);
            assertTrue(caught.get().getStackTrace().length > 0);
        });
    }

    @Test
    void aWaitWhoseTimeoutHasPassedTurnsAForeignInterruptIntoAKill() {
        inHub(() -> { // as a wait that parks does: the interrupt must not outlive the blocking point
            Greenlet<Boolean> g = Greenlet.spawn(() -> {
                Thread.currentThread().interrupt(); // as a thread outside weft would
                return new Event().await(Duration.ZERO);
            });
            g.join();
            assertTrue(g.isKilled(), "outcome: " + g.outcome());
        });
    }

    @Test
    void aFuturesGetWithAZeroTimeoutInAGreenletTurnsAForeignInterruptIntoAKill() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> running = Greenlet.spawn(() -> never.await());
            java.util.concurrent.Future<Void> f = running.asFuture();
            Greenlet<Object> g = Greenlet.spawn(() -> {
                Thread.currentThread().interrupt();
                return f.get(0, java.util.concurrent.TimeUnit.NANOSECONDS); // was a TimeoutException, the flag left set
            });
            g.join();
            assertTrue(g.isKilled(), "outcome: " + g.outcome());
            running.kill();
        });
    }

    @Test
    void aForeignInterruptOfAGreenletThatOnlyYieldsKillsIt() {
        inHub(() -> { // yieldNow (gevent's sleep(0)) is a blocking point like any other
            Greenlet<Void> g = Greenlet.spawn(() -> {
                Thread.currentThread().interrupt(); // as a thread outside weft would
                while (true) Greenlets.yieldNow();
            });
            assertTrue(g.join(LONG), "it kept looping");
            assertTrue(g.isKilled(), "outcome: " + g.outcome());
        });
    }
}
