package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.HubTestBase;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A kill sent to a greenlet parked in a primitive decides its wait at once: a hand-over that
 * comes after the kill (an unlock, a release, a put, a wake) passes the killed waiter over, as
 * gevent's and Shrapnel's scheduled throw does (Shrapnel's test_*_interrupt_schedule and
 * test_sem_buildup). Each kill here is non-blocking and the hand-over follows it at once, before
 * the killed greenlet has run again.
 */
class KillBeforeHandOverTest extends HubTestBase {

    private static List<Greenlet<?>> parkedWaiters(int n, dev.weft.CheckedRunnable wait, AtomicInteger got) {
        List<Greenlet<?>> gs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            gs.add(Greenlet.spawn(() -> {
                wait.runChecked();
                got.incrementAndGet();
            }));
        }
        for (Greenlet<?> g : gs) awaitWaiting(g);
        return gs;
    }

    private static void killWithoutWaiting(List<Greenlet<?>> gs) {
        for (Greenlet<?> g : gs) assertTrue(g.kill(new GreenletExit("shut down"), false, null));
    }

    private static void assertAllKilled(List<Greenlet<?>> gs) {
        for (Greenlet<?> g : gs) {
            assertTrue(g.join(LONG), g + " never ended");
            assertTrue(g.isKilled(), g + ": " + g.outcome());
        }
    }

    @Test
    void anUnlockAfterTheKillGoesToTheNextWaiter() {
        inHub(() -> {
            Lock lock = new Lock();
            lock.lock();
            AtomicInteger got = new AtomicInteger();
            List<Greenlet<?>> killed = parkedWaiters(5, lock::lock, got);
            List<Greenlet<?>> last = parkedWaiters(1, () -> {
                lock.lock();
                lock.unlock();
            }, got);
            killWithoutWaiting(killed);
            lock.unlock();
            assertTrue(last.get(0).join(LONG), "the waiter nobody killed never got the lock");
            assertAllKilled(killed);
            assertEquals(1, got.get(), "only the waiter nobody killed got the lock");
            assertFalse(lock.isLocked(), "no killed greenlet ended up owning it");
        });
    }

    @Test
    void aReleaseAfterEveryWaiterWasKilledKeepsThePermit() {
        inHub(() -> { // Shrapnel's test_sem_buildup
            Semaphore sem = new Semaphore(0);
            AtomicInteger got = new AtomicInteger();
            List<Greenlet<?>> killed = parkedWaiters(5, sem::acquire, got);
            killWithoutWaiting(killed);
            sem.release();
            assertAllKilled(killed);
            assertEquals(0, got.get());
            assertEquals(1, sem.availablePermits(), "the permit is not lost to a dead greenlet");
        });
    }

    @Test
    void aWakeAllAfterTheKillsWakesOnlyTheWaitersLeft() {
        inHub(() -> {
            ConditionVariable<String> cv = new ConditionVariable<>();
            AtomicInteger got = new AtomicInteger();
            List<Greenlet<?>> killed = parkedWaiters(5, cv::await, got);
            List<Greenlet<?>> left = parkedWaiters(1, cv::await, got);
            killWithoutWaiting(killed);
            assertEquals(1, cv.wakeAll("go"));
            assertTrue(left.get(0).join(LONG), "the waiter left was never woken");
            assertAllKilled(killed);
            assertEquals(1, got.get());
        });
    }

    @Test
    void aPutAfterTheKillGoesToTheNextGetter() {
        inHub(() -> {
            Queue<Integer> q = new Queue<>();
            AtomicInteger got = new AtomicInteger();
            List<Greenlet<?>> killed = parkedWaiters(2, q::get, got);
            List<Greenlet<?>> left = parkedWaiters(1, q::get, got);
            killWithoutWaiting(killed);
            q.put(1);
            assertTrue(left.get(0).join(LONG), "the waiter left was never woken");
            assertAllKilled(killed);
            assertEquals(1, got.get());
            assertTrue(q.isEmpty());
        });
    }

    @Test
    void aHandOverBeforeTheKillWinsAndTheKillWaitsForTheNextBlockingPoint() {
        inHub(() -> { // the other order: the waiter has the item; the kill meets it later
            Queue<Integer> q = new Queue<>();
            Event next = new Event();
            AtomicInteger got = new AtomicInteger();
            Greenlet<Void> g = Greenlet.spawn(() -> {
                got.set(q.get());
                next.await(); // the next blocking point
            });
            awaitWaiting(g);
            q.put(7);
            assertTrue(g.kill(new GreenletExit("late"), false, null));
            g.join();
            assertEquals(7, got.get(), "the item was handed over before the kill");
            assertTrue(g.isKilled());
        });
    }
}
