package dev.weft.pool;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.Timeout;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Pool: bounded admission, slots never leaked (the Pool half of gevent's test__pool). */
class PoolTest extends HubTestBase {

    @Test
    void aPoolOfOneMakesTheSecondSpawnWaitForTheFirstToFinish() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Event go = new Event();
            Greenlet<Void> first = pool.spawn(() -> go.await());
            assertTrue(pool.isFull());
            Greenlet<Greenlet<Integer>> spawner = Greenlet.spawn(() -> pool.spawn(() -> 2));
            awaitWaiting(spawner);
            assertEquals(1, pool.size());
            go.set();
            assertEquals(2, spawner.get().get());
            assertTrue(first.isDead());
            pool.join();
            assertEquals(1, pool.freeCount());
        });
    }

    @Test
    void freeCountCountsTheFreeSlots() {
        inHub(() -> {
            Pool pool = new Pool(2);
            Event go = new Event();
            assertEquals(2, pool.freeCount());
            pool.spawn(() -> go.await());
            assertEquals(1, pool.freeCount());
            assertFalse(pool.isFull());
            go.set();
            pool.join();
            assertEquals(2, pool.freeCount());
        });
    }

    @Test
    @SuppressWarnings("try")
    void aTimeoutWhileSpawnWaitsForASlotAdmitsNothing() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Event go = new Event();
            pool.spawn(() -> go.await());
            AtomicBoolean ran = new AtomicBoolean();
            assertThrows(Timeout.class, () -> {
                try (Timeout t = Timeout.start(Duration.ofMillis(10))) {
                    pool.spawn(() -> ran.set(true));
                }
            });
            assertEquals(1, pool.size());
            go.set();
            pool.join();
            assertEquals(1, pool.freeCount(), "no slot leaked");
            assertFalse(ran.get());
        });
    }

    @Test
    void aKillWhileSpawnWaitsForASlotAdmitsNothing() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Event go = new Event();
            pool.spawn(() -> go.await());
            AtomicBoolean ran = new AtomicBoolean();
            Greenlet<Void> spawner = Greenlet.spawn(() -> {
                pool.spawn(() -> ran.set(true));
            });
            awaitWaiting(spawner);
            spawner.kill();
            assertTrue(spawner.isKilled());
            go.set();
            pool.join();
            assertEquals(1, pool.freeCount(), "no slot leaked");
            assertFalse(ran.get());
        });
    }

    @Test
    @SuppressWarnings("try")
    void aPoolOfZeroNeverAdmits() {
        inHub(() -> {
            Pool pool = new Pool(0);
            assertEquals(0, pool.freeCount());
            assertTrue(pool.isFull());
            assertFalse(pool.waitAvailable(Duration.ofMillis(10)));
            assertThrows(Timeout.class, () -> {
                try (Timeout t = Timeout.start(Duration.ofMillis(10))) {
                    pool.spawn(() -> {});
                }
            });
            assertThrows(PoolFull.class, () -> pool.add(new Greenlet<>(() -> 1), true, Duration.ofMillis(10)));
            assertTrue(pool.isEmpty());
            assertEquals(0, pool.freeCount());
        });
    }

    @Test
    void aNegativeSizeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Pool(-1));
    }

    @Test
    void anUnboundedPoolNeverWaits() {
        inHub(() -> {
            Pool pool = Pool.unbounded();
            Event go = new Event();
            for (int i = 0; i < 50; i++) pool.spawn(() -> go.await());
            assertEquals(50, pool.size());
            assertFalse(pool.isFull());
            assertEquals(Integer.MAX_VALUE, pool.freeCount());
            assertTrue(pool.waitAvailable(Duration.ZERO));
            go.set();
            pool.join();
        });
    }

    @Test
    void addWithoutWaitingOrWithATimeoutRaisesPoolFull() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Event go = new Event();
            Greenlet<Void> first = Greenlet.spawn(() -> go.await());
            pool.add(first);
            assertEquals(0, pool.freeCount());
            Greenlet<Void> second = new Greenlet<>(() -> go.await());
            assertThrows(PoolFull.class, () -> pool.add(second, false, null));
            assertThrows(PoolFull.class, () -> pool.start(second, true, Duration.ofMillis(10)));
            assertFalse(second.isStarted());
            assertEquals(1, pool.size());
            go.set();
            pool.join();
            assertEquals(1, pool.freeCount());
        });
    }

    @Test
    void discardFreesTheSlot() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Event go = new Event();
            Greenlet<Void> g = pool.spawn(() -> go.await());
            pool.discard(g);
            assertEquals(1, pool.freeCount());
            g.kill();
            assertEquals(1, pool.freeCount(), "its end frees nothing more");
        });
    }

    @Test
    void waitAvailableReturnsWhenASlotFrees() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Event go = new Event();
            pool.spawn(() -> go.await());
            Greenlet<Boolean> waiter = Greenlet.spawn(() -> pool.waitAvailable(LONG));
            awaitWaiting(waiter);
            go.set();
            assertTrue(waiter.get());
            assertEquals(1, pool.freeCount(), "waitAvailable takes no slot");
        });
    }

    @Test
    void applyFromInsideAFullPoolRunsInline() {
        inHub(() -> {
            Pool pool = new Pool(1);
            assertEquals(6, pool.apply(() -> pool.apply(() -> 5 + 1)));
        });
    }

    @Test
    void applyAsyncOnAFullPoolReturnsAGreenletOutsideThePoolThatAppliesWhenASlotFrees() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Event go = new Event();
            pool.spawn(() -> go.await());
            Greenlet<Integer> later = pool.applyAsync(() -> 9); // does not wait
            assertFalse(pool.contains(later));
            assertEquals(1, pool.size());
            go.set();
            assertEquals(9, later.get());
            pool.join();
            assertEquals(1, pool.freeCount());
        });
    }

    @Test
    void spawnAsyncOnAFullPoolReturnsAtOnceAndRunsTheTaskAsAMemberWhenASlotFrees() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Event go = new Event();
            Greenlet<Void> first = pool.spawn(() -> go.await());
            AtomicBoolean ranAsMember = new AtomicBoolean();
            Greenlet<Integer> later = pool.spawnAsync(() -> { // proc.py's execute_async: never waits
                ranAsMember.set(pool.contains(Greenlet.current()));
                return 5;
            });
            assertFalse(later.isReady());
            assertEquals(List.of(first), pool.members());
            go.set();
            assertEquals(5, later.get());
            assertTrue(ranAsMember.get());
            pool.join();
            assertEquals(1, pool.freeCount());
        });
    }

    @Test
    void applyAsyncWithRoomSpawnsAMember() {
        inHub(() -> {
            Pool pool = new Pool(2);
            Event go = new Event();
            Greenlet<Void> g = pool.applyAsync(() -> go.await());
            assertTrue(pool.contains(g));
            go.set();
            g.join();
        });
    }

    @Test
    void theCallbackOfApplyAsyncRunsOnlyOnSuccessInItsOwnGreenlet() {
        hub.setErrorHandler((source, error) -> {});
        inHub(() -> {
            Pool pool = new Pool(2);
            List<Object> got = new CopyOnWriteArrayList<>();
            Event done = new Event();
            Greenlet<?> main = Greenlet.current();
            Greenlet<Integer> ok = pool.applyAsync(() -> 4, v -> {
                got.add(v);
                got.add(Greenlet.current() != main && !pool.contains(Greenlet.current()) ? "own" : "not its own");
                done.set();
            });
            Greenlet<Integer> bad = pool.applyAsync(() -> {
                throw new IllegalStateException("no");
            }, v -> got.add("failure callback"));
            ok.join();
            bad.join();
            done.await();
            pool.join();
            Greenlets.sleep(Duration.ofMillis(5)); // room for a wrong callback to run
            assertEquals(List.of(4, "own"), got);
        });
    }

    @Test
    void applyCbReturnsTheValueAndCallsBackWithIt() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Event called = new Event();
            List<Integer> got = new CopyOnWriteArrayList<>();
            assertEquals(3, pool.applyCb(() -> 3, v -> {
                got.add(v);
                called.set();
            }));
            called.await();
            assertEquals(List.of(3), got);
        });
    }

    @Test
    void killingThePoolFreesEverySlot() {
        inHub(() -> {
            Pool pool = new Pool(3);
            Event never = new Event();
            for (int i = 0; i < 3; i++) pool.spawn(() -> never.await());
            assertTrue(pool.isFull());
            pool.kill();
            assertEquals(3, pool.freeCount());
            assertTrue(pool.isEmpty());
        });
    }

    @Test
    void killWithAGreenletExitSubclassIsStillAKill() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Event never = new Event();
            Greenlet<Void> g = pool.spawn(() -> never.await());
            pool.kill(new GreenletExit("bye"), true, LONG);
            assertTrue(g.isKilled());
        });
    }

    @Test
    void applyRethrowsTheTasksVeryFailureFreesItsSlotAndNeverReportsIt() {
        AtomicInteger reported = new AtomicInteger();
        hub.setErrorHandler((s, e) -> reported.incrementAndGet());
        inHub(() -> { // gevent's test_apply_raises; the report is weft's rule: the caller receives it
            Pool pool = new Pool(1);
            for (int i = 0; i < 200; i++) { // on a parallel hub the task may fail before apply waits
                IllegalStateException boom = new IllegalStateException("boom " + i);
                assertSame(boom, assertThrows(IllegalStateException.class, () -> pool.apply(() -> {
                    throw boom;
                })));
            }
            java.io.IOException disk = new java.io.IOException("disk full");
            dev.weft.GreenletFailure f = assertThrows(dev.weft.GreenletFailure.class,
                    () -> pool.apply((dev.weft.CheckedRunnable) () -> {
                        throw disk;
                    }));
            assertSame(disk, f.getCause());
            pool.join();
            assertEquals(1, pool.freeCount());
        });
        assertEquals(0, reported.get(), "reported to the error handler although apply's caller received it");
    }

    @Test
    void anErrorHandlerThatThrowsLeavesThePoolWorking() {
        AtomicInteger handled = new AtomicInteger();
        hub.setErrorHandler((source, error) -> {
            handled.incrementAndGet();
            throw new IllegalStateException("the handler broke");
        });
        inHub(() -> { // gevent's test_stderr_raising
            Pool pool = new Pool(1);
            Greenlet<?> failing = pool.spawn(() -> {
                throw new IllegalArgumentException("task failed");
            });
            assertThrows(IllegalArgumentException.class, () -> failing.get(LONG));
            assertTrue(pool.join(LONG));
            assertEquals(1, pool.freeCount());
            assertEquals(7, pool.apply(() -> 7));
        });
        assertTrue(handled.get() <= 1, "reported at most once: " + handled.get());
    }
}
