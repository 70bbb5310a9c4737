package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Greenlet's life cycle, waiting and killing (ARCHITECTURE §1; gevent's test__greenlet cases). */
class GreenletTest extends HubTestBase {

    @Test
    void spawnRunsTheTaskAndGetReturnsItsValue() {
        assertEquals(42, (int) inHub(() -> Greenlet.spawn(() -> 42).get()));
    }

    @Test
    void killBeforeStartNeverRunsTheBody() {
        AtomicBoolean ran = new AtomicBoolean();
        inHub(() -> {
            Greenlet<Void> g = Greenlet.spawnLater(Duration.ofMillis(200), () -> ran.set(true));
            g.kill();
            Greenlets.sleep(Duration.ofMillis(400)); // past the time it would have started
        });
        assertFalse(ran.get());
    }

    @Test
    void unstartedGreenletKilledWithoutBlockingIsDeadAtOnce() {
        inHub(() -> {
            Greenlet<Integer> g = new Greenlet<>(() -> 1);
            assertTrue(g.kill(new GreenletExit(), false, null));
            assertTrue(g.isDead());
            assertTrue(g.isReady());
            assertFalse(g.isAlive());
            assertTrue(g.isKilled());
            g.start(); // starting a dead greenlet does nothing
            assertNull(g.getNow(), "a killed greenlet has no value");
            assertInstanceOf(Outcome.Killed.class, g.outcome());
        });
    }

    @Test
    void killBeforeStartStillFiresRawlinks() {
        inHub(() -> {
            Greenlet<Integer> g = new Greenlet<>(() -> 1);
            AtomicInteger fired = new AtomicInteger();
            g.rawlink(x -> fired.incrementAndGet());
            g.kill(new GreenletExit(), false, null);
            assertEquals(1, fired.get());
        });
    }

    @Test
    void defaultKillIsASuccessWithNoValueAndTheExitInItsOutcome() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> g = Greenlet.spawn(() -> never.await());
            awaitWaiting(g);
            assertTrue(g.kill());
            assertTrue(g.isSuccessful());
            assertTrue(g.isKilled());
            assertNull(g.exception());
            assertNull(g.value());
            assertNull(g.get());
            assertInstanceOf(Outcome.Killed.class, g.outcome());
        });
    }

    @Test
    void killWithAnotherExceptionIsAFailureAndGetRethrowsThatInstance() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> g = Greenlet.spawn(() -> never.await());
            awaitWaiting(g);
            IllegalStateException boom = new IllegalStateException("boom");
            g.rawlink(x -> {}); // receives the failure: keeps the error handler quiet
            g.kill(boom);
            assertFalse(g.isSuccessful());
            assertFalse(g.isKilled());
            assertSame(boom, g.exception());
            assertSame(boom, assertThrows(IllegalStateException.class, g::get));
        });
    }

    @Test
    void uncheckedFailureIsRethrownAsTheSameInstance() {
        RuntimeException boom = new RuntimeException("boom");
        inHub(() -> {
            Greenlet<Object> g = Greenlet.spawn(() -> {
                throw boom;
            });
            assertSame(boom, assertThrows(RuntimeException.class, g::get));
            assertSame(boom, g.exception());
        });
    }

    @Test
    void checkedFailureIsWrappedInGreenletFailureButExceptionIsTheOriginal() {
        IOException io = new IOException("disk");
        inHub(() -> {
            Greenlet<Object> g = Greenlet.spawn(() -> {
                throw io;
            });
            GreenletFailure f = assertThrows(GreenletFailure.class, g::get);
            assertSame(io, f.getCause());
            assertSame(io, g.exception());
        });
    }

    @Test
    void joinWithTimeoutReturnsWithoutThrowingOnExpiry() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> g = Greenlet.spawn(() -> never.await());
            assertFalse(g.join(Duration.ofMillis(20)));
            assertTrue(g.isAlive());
            g.kill();
        });
    }

    @Test
    void getWithTimeoutThrowsTimeout() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> g = Greenlet.spawn(() -> never.await());
            Timeout t = assertThrows(Timeout.class, () -> g.get(Duration.ofMillis(20)));
            assertFalse(t.isPending());
            g.kill();
        });
    }

    @Test
    void getNowOnAnUnfinishedGreenletThrowsTimeoutAtOnce() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> g = Greenlet.spawn(() -> never.await());
            assertThrows(Timeout.class, g::getNow);
            g.kill();
        });
    }

    @Test
    void startingAStartedGreenletDoesNothing() {
        AtomicInteger runs = new AtomicInteger();
        inHub(() -> {
            Greenlet<Integer> g = new Greenlet<>(runs::incrementAndGet);
            g.start();
            g.start();
            g.join();
            g.start();
            assertEquals(1, g.get());
        });
        assertEquals(1, runs.get());
    }

    @Test
    void nullTaskFailsAtTheCallSite() {
        assertThrows(NullPointerException.class, () -> new Greenlet<>((java.util.concurrent.Callable<Object>) null));
        assertThrows(NullPointerException.class, () -> hub.spawn((Runnable) null));
    }

    @Test
    void killWithACheckedExceptionIsRefused() {
        inHub(() -> {
            Greenlet<Integer> g = new Greenlet<>(() -> 1);
            assertThrows(IllegalArgumentException.class, () -> g.kill(new IOException("x")));
            assertFalse(g.isDead());
        });
    }

    @Test
    void killOfAFinishedGreenletReturnsFalse() {
        inHub(() -> {
            Greenlet<Integer> g = Greenlet.spawn(() -> 1);
            g.join();
            assertFalse(g.kill());
            assertEquals(1, g.get());
        });
    }

    @Test
    void blockingKillWithTimeoutReturnsWhenTheTargetIgnoresTheExit() {
        inHub(() -> {
            Event release = new Event();
            Greenlet<String> stubborn = Greenlet.spawn(() -> {
                try {
                    release.await();
                } catch (GreenletExit ignored) {
                    release.await(); // ignores the kill
                }
                return "survived";
            });
            awaitWaiting(stubborn);
            assertTrue(stubborn.kill(new GreenletExit(), true, Duration.ofMillis(30)));
            assertTrue(stubborn.isAlive());
            release.set();
            assertEquals("survived", stubborn.get());
        });
    }

    @Test
    void aGreenletCannotJoinItself() {
        inHub(() -> {
            Greenlet<Object> g = Greenlet.spawn(() -> {
                Greenlet.current().join();
                return null;
            });
            g.rawlink(x -> {});
            assertThrows(IllegalStateException.class, g::get);
        });
    }

    @Test
    void currentInsideAGreenletIsThatGreenlet() {
        inHub(() -> {
            Greenlet<Greenlet<?>> g = Greenlet.spawn(() -> Greenlet.current());
            assertSame(g, g.get());
        });
    }

    @Test
    void currentOnAForeignThreadIsAnAdoptedGreenletThatStaysTheSame() throws Exception {
        Greenlet<?>[] seen = new Greenlet<?>[2];
        Thread t = Thread.ofPlatform().start(() -> {
            seen[0] = Greenlet.current();
            seen[1] = Greenlet.current();
        });
        t.join();
        assertNotNull(seen[0]);
        assertSame(seen[0], seen[1]);
        assertTrue(seen[0].isAdopted());
        assertTrue(seen[0].isAlive());
        assertSame(Hub.defaultHub(), seen[0].hub());
    }

    @Test
    void aGreenletKnowsTheIdOfItsSpawner() {
        inHub(() -> {
            Greenlet<?> me = Greenlet.current();
            Greenlet<Long> child = Greenlet.spawn(() -> Greenlet.current().parentId());
            assertEquals(me.id(), child.get());
        });
    }

    @Test
    void idsIncreaseAndTheNameIsDerivedFromTheIdUnlessSet() {
        inHub(() -> {
            Greenlet<Integer> a = new Greenlet<>(() -> 1);
            Greenlet<Integer> b = new Greenlet<>(() -> 2);
            assertTrue(b.id() > a.id());
            assertEquals("Greenlet-" + a.id(), a.name());
            b.setName("worker");
            assertEquals("worker", b.name());
            a.kill();
            b.kill();
        });
    }

    @Test
    void toStringShowsTheState() {
        inHub(() -> {
            Greenlet<Integer> g = new Greenlet<>(() -> 7);
            assertTrue(g.toString().contains("NEW"), g.toString());
            g.start();
            g.join();
            assertTrue(g.toString().contains("DONE, value=7"), g.toString());
        });
    }

    @Test
    void stateFlagsFollowTheLifeCycle() {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Integer> g = new Greenlet<>(() -> {
                go.await();
                return 1;
            });
            assertFalse(g.isStarted());
            assertFalse(g.isAlive());
            assertFalse(g.isDead());
            g.start();
            assertTrue(g.isStarted());
            assertTrue(g.isAlive());
            awaitWaiting(g);
            go.set();
            g.join();
            assertTrue(g.isDead());
            assertFalse(g.isAlive());
            assertTrue(g.isSuccessful());
        });
    }

    @Test
    void startLaterRunsTheBodyAfterTheDelay() {
        inHub(() -> {
            long start = hub.nanoTime();
            Greenlet<Long> g = Greenlet.spawnLater(Duration.ofMillis(30), () -> hub.nanoTime());
            assertTrue(g.get() - start >= Duration.ofMillis(30).toNanos());
        });
    }

    @Test
    void aSubclassCanOverrideRunInsteadOfPassingATask() {
        class Doubler extends Greenlet<Integer> {
            Doubler(Hub hub) {
                super(hub);
            }

            @Override
            protected Integer run() {
                return 21 * 2;
            }
        }
        inHub(() -> {
            Doubler d = new Doubler(Hub.current());
            d.start();
            assertEquals(42, d.get());
        });
    }

    @Test
    void aRunnableTaskHasANullValue() {
        inHub(() -> {
            AtomicBoolean ran = new AtomicBoolean();
            Greenlet<Void> g = Greenlet.spawn(() -> ran.set(true));
            assertNull(g.get());
            assertTrue(ran.get());
        });
    }

    @Test
    void killingAKilledGreenletAgainReturnsFalseAndItsLinksFiredOnce() {
        inHub(() -> { // gevent's TestKill: "kill second time must not hurt"
            Event never = new Event();
            java.util.concurrent.atomic.AtomicInteger fired = new java.util.concurrent.atomic.AtomicInteger();
            Greenlet<Void> g = Greenlet.spawn(() -> never.await());
            g.rawlink(x -> fired.incrementAndGet());
            awaitWaiting(g);
            assertTrue(g.kill());
            assertFalse(g.kill());
            assertTrue(g.isKilled());
            assertEquals(1, fired.get());
        });
    }

    @Test
    void insideItsBodyAGreenletIsNeitherDeadNorReadyAndItsOwnRawlinkWaitsForItsEnd() {
        inHub(() -> { // gevent's TestDeadPropertyDuringSwitch
            java.util.concurrent.atomic.AtomicBoolean firedEarly = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger fired = new java.util.concurrent.atomic.AtomicInteger();
            Greenlet<String> g = Greenlet.spawn(() -> {
                Greenlet<?> me = Greenlet.current();
                assertFalse(me.isDead());
                assertFalse(me.isReady());
                me.rawlink(x -> fired.incrementAndGet());
                Greenlets.yieldNow();
                firedEarly.set(fired.get() != 0);
                return "done";
            });
            assertEquals("done", g.get());
            assertFalse(firedEarly.get(), "the rawlink fired while the body ran");
            assertEquals(1, fired.get());
        });
    }

    @Test
    void linkValueFiresOnAKillAsGevent1sDoes() {
        inHub(() -> { // gevent's TestReturn_link_value.test_kill: a kill is a success there
            Event never = new Event();
            AsyncResult<String> fired = new AsyncResult<>();
            Greenlet<Void> g = Greenlet.spawn(() -> never.await());
            g.linkValue(x -> fired.set("fired"));
            awaitWaiting(g);
            g.kill();
            assertEquals("fired", fired.get(LONG));
        });
    }
}
