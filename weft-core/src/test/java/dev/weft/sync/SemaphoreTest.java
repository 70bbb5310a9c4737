package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.Linkable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Semaphore and BoundedSemaphore (gevent's test__semaphore cases, ARCHITECTURE §3). */
class SemaphoreTest extends HubTestBase {

    @Test
    void acquireTakesAFreePermitAtOnce() {
        inHub(() -> {
            Semaphore s = new Semaphore(2);
            s.acquire();
            assertTrue(s.acquire(Duration.ZERO));
            assertEquals(0, s.availablePermits());
            assertTrue(s.isLocked());
        });
    }

    @Test
    void tryAcquireNeverWaits() {
        Semaphore s = new Semaphore(1);
        assertTrue(s.tryAcquire());
        assertFalse(s.tryAcquire());
    }

    @Test
    void aTimedAcquireReturnsFalseAndTakesNothingOnTimeout() {
        inHub(() -> {
            Semaphore s = new Semaphore(0);
            assertFalse(s.acquire(Duration.ofMillis(20)));
            s.release();
            assertEquals(1, s.availablePermits());
            assertEquals(0, s.waiting());
        });
    }

    @Test
    void waitersGetPermitsInFifoOrder() {
        inHub(() -> {
            Semaphore s = new Semaphore(0);
            List<Greenlet<Void>> queued = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Greenlet<Void> g = Greenlet.spawn(() -> s.acquire());
                awaitWaiting(g); // queue them in this order
                queued.add(g);
            }
            List<Greenlet<Void>> waiting = new ArrayList<>(queued);
            for (Greenlet<Void> expected : queued) {
                s.release(); // one permit: only the first in line can take it
                assertSame(expected, Greenlets.wait(waiting, LONG, 1).get(0));
                waiting.remove(expected);
            }
        });
    }

    @Test
    void aReleaseWhileSomeoneWaitsCannotBeTakenByABarger() {
        inHub(() -> {
            Semaphore s = new Semaphore(0);
            Greenlet<Void> waiter = Greenlet.spawn(() -> s.acquire());
            awaitWaiting(waiter);
            s.release(); // handed to the waiter, not to the pool
            assertFalse(s.tryAcquire());
            waiter.join();
            assertEquals(0, s.availablePermits());
        });
    }

    @Test
    void aKilledWaiterTakesNoPermitAndTheNextWaiterGetsIt() {
        inHub(() -> {
            Semaphore s = new Semaphore(0);
            Greenlet<Void> first = Greenlet.spawn(() -> s.acquire());
            awaitWaiting(first);
            Greenlet<Void> second = Greenlet.spawn(() -> s.acquire());
            awaitWaiting(second);
            first.kill();
            s.release();
            second.join();
            assertTrue(second.isSuccessful() && !second.isKilled());
            assertEquals(0, s.availablePermits());
            assertEquals(0, s.waiting());
        });
    }

    @Test
    void overReleasingAPlainSemaphoreIsAllowed() {
        Semaphore s = new Semaphore(1);
        s.release();
        assertEquals(2, s.availablePermits());
    }

    @Test
    void overReleasingABoundedSemaphoreIsAnError() {
        BoundedSemaphore s = new BoundedSemaphore(1);
        assertThrows(IllegalStateException.class, s::release);
        assertTrue(s.tryAcquire());
        s.release();
        assertEquals(1, s.availablePermits());
    }

    @Test
    void aNegativeTimeoutIsRefusedEvenWhenAPermitIsFree() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(1).acquire(Duration.ofSeconds(-1)));
        Event set = new Event();
        set.set();
        assertThrows(IllegalArgumentException.class, () -> set.await(Duration.ofSeconds(-1)));
        AsyncResult<Integer> done = new AsyncResult<>();
        done.set(1);
        assertThrows(IllegalArgumentException.class, () -> done.await(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> done.get(Duration.ofSeconds(-1)));
    }

    @Test
    void aNegativeCountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Semaphore(-1));
        assertThrows(IllegalArgumentException.class, () -> new BoundedSemaphore(-1));
    }

    @Test
    void itIsLinkableAndNotifiesOnlyWhenAPermitIsFree() {
        inHub(() -> {
            Semaphore s = new Semaphore(0);
            AtomicInteger fired = new AtomicInteger();
            s.rawlink(x -> fired.incrementAndGet());
            Greenlet<Void> waiter = Greenlet.spawn(() -> s.acquire());
            awaitWaiting(waiter);
            s.release(); // goes to the waiter: no permit becomes free
            waiter.join();
            assertEquals(0, fired.get());
            s.release();
            assertEquals(1, fired.get());
        });
    }

    @Test
    void greenletsWaitCanWaitForAPermit() {
        inHub(() -> {
            Semaphore s = new Semaphore(0);
            Greenlet.spawn(() -> s.release());
            List<Linkable<?>> ready = Greenlets.wait(List.of(s), LONG);
            assertEquals(List.of(s), ready);
        });
    }

    @Test
    void permitsAreBoundedUnderConcurrentUse() {
        inHub(() -> {
            Semaphore s = new Semaphore(3);
            AtomicInteger inside = new AtomicInteger(), max = new AtomicInteger();
            List<Greenlet<Void>> all = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                all.add(Greenlet.spawn(() -> {
                    for (int k = 0; k < 20; k++) {
                        s.acquire();
                        try {
                            max.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            Greenlets.yieldNow();
                            inside.decrementAndGet();
                        } finally {
                            s.release();
                        }
                    }
                }));
            }
            Greenlets.joinAll(all, null, true, Integer.MAX_VALUE);
            assertTrue(max.get() <= 3, "at most 3 inside, saw " + max.get());
            assertEquals(3, s.availablePermits());
        });
    }

    @Test
    void aWaiterKilledAfterThePermitWasHandedOverKeepsThePermit() {
        inHub(() -> {
            Semaphore s = new Semaphore(1);
            Greenlet<Boolean> g = Greenlet.spawn(() -> {
                Greenlet.current().kill(new GreenletExit(), false, null);
                boolean got = s.acquire(LONG); // free: taken without blocking, the kill waits
                try {
                    Greenlets.yieldNow();
                    return false;
                } catch (GreenletExit e) {
                    return got;
                }
            });
            assertTrue(g.get());
            assertEquals(0, s.availablePermits());
        });
    }

    @Test
    void theConstructorsWithoutArgumentsHaveOnePermitAsGeventsDo() {
        inHub(() -> {
            Semaphore s = new Semaphore();
            assertEquals(1, s.availablePermits());
            BoundedSemaphore b = new BoundedSemaphore();
            assertEquals(1, b.availablePermits());
            assertThrows(IllegalStateException.class, b::release, "bounded at one");
        });
    }

    @Test
    @SuppressWarnings("try")
    void anOuterTimeoutIsNotLostThroughTheTimedWaitsOfTheSyncPrimitives() {
        inHub(() -> { // gevent's test_outer_timeout_is_not_lost, for each primitive's own timed wait
            Duration longWait = Duration.ofSeconds(20);
            Queue<Integer> empty = new Queue<>();
            Queue<Integer> full = new Queue<>(1);
            full.put(0);
            Semaphore none = new Semaphore(0);
            AsyncResult<Integer> unset = new AsyncResult<>();
            Event unsetEvent = new Event();
            List<dev.weft.CheckedRunnable> waits = List.of(
                    () -> empty.get(longWait),
                    () -> full.put(1, longWait),
                    () -> unsetEvent.await(longWait),
                    () -> unset.get(longWait),
                    () -> none.acquire(longWait));
            for (dev.weft.CheckedRunnable wait : waits) {
                dev.weft.Timeout outer = dev.weft.Timeout.start(Duration.ofMillis(5));
                try (dev.weft.Timeout t = outer) {
                    assertSame(outer, assertThrows(dev.weft.Timeout.class, wait::runChecked));
                }
            }
            assertEquals(List.of(0), List.copyOf(full.asBlockingQueue()), "the timed-out put put nothing");
            assertTrue(empty.isEmpty());
            assertEquals(0, none.availablePermits());
        });
    }

}
