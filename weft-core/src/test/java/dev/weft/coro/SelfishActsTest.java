package dev.weft.coro;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.HubTestBase;
import dev.weft.sync.Event;
import dev.weft.sync.Lock;
import dev.weft.sync.Queue;
import dev.weft.sync.Semaphore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Shrapnel's selfish acts: setMaxSelfishActs and the fast paths that spend them (issue 14, ADR 7). */
@Timeout(120)
class SelfishActsTest extends HubTestBase {

    @Test
    void theDefaultIsFourAndSettingReturnsThePrevious() {
        inHub(() -> {
            Greenlet<?> me = Greenlet.current();
            assertEquals(4, me.maxSelfishActs());
            assertEquals(4, me.setMaxSelfishActs(1));
            assertEquals(1, me.setMaxSelfishActs(32768));
            assertEquals(32768, me.maxSelfishActs());
        });
    }

    @Test
    void aMaximumOutside1To32768IsAnIllegalArgument() {
        inHub(() -> {
            Greenlet<?> me = Greenlet.current();
            assertThrows(IllegalArgumentException.class, () -> me.setMaxSelfishActs(0));
            assertThrows(IllegalArgumentException.class, () -> me.setMaxSelfishActs(32769));
            assertThrows(IllegalArgumentException.class, () -> me.setMaxSelfishActs(-1));
            assertEquals(4, me.maxSelfishActs());
        });
    }

    /** Runs {@code op} 20 times in a greenlet with budget 3 while another greenlet records how many ops were done at each of its turns. */
    private List<Integer> turnsSeenDuring(Runnable op) {
        List<Integer> seen = new ArrayList<>();
        AtomicInteger done = new AtomicInteger();
        Greenlet<?> busy = Greenlet.spawn(() -> {
            Greenlet.current().setMaxSelfishActs(3);
            for (int i = 0; i < 20; i++) {
                op.run();
                done.incrementAndGet();
            }
        });
        Greenlet<?> other = Greenlet.spawn(() -> {
            while (!busy.isDead()) {
                seen.add(done.get());
                Greenlets.yieldNow();
            }
        });
        busy.join();
        other.join();
        return seen;
    }

    private void assertYieldsEveryFourthOperation(Runnable op) {
        assumeTrue(hub.isSingleCarrier() && !hub.isSimulated(), "exact turns are the cooperative hub's FIFO");
        // the busy greenlet runs first (spawned first); it yields before ops 3, 7, 11, 15 and 19
        inHub(() -> assertEquals(List.of(3, 7, 11, 15, 19), turnsSeenDuring(op)));
    }

    @Test
    void queueGetsThatNeedNotWaitYieldAfterTheBudget() {
        Queue<Integer> q = new Queue<>();
        for (int i = 0; i < 20; i++) q.put(i);
        assertYieldsEveryFourthOperation(q::get);
    }

    @Test
    void queuePutsThatNeedNotWaitYieldAfterTheBudget() {
        Queue<Integer> q = new Queue<>();
        assertYieldsEveryFourthOperation(() -> q.put(1));
    }

    @Test
    void semaphoreAcquiresThatNeedNotWaitYieldAfterTheBudget() {
        Semaphore s = new Semaphore(100);
        assertYieldsEveryFourthOperation(s::acquire);
    }

    @Test
    void lockTakesThatNeedNotWaitYieldAfterTheBudget() {
        Lock l = new Lock();
        assertYieldsEveryFourthOperation(() -> {
            l.lock();
            l.unlock();
        });
    }

    @Test
    void awaitsOnASetEventYieldAfterTheBudget() {
        Event e = new Event();
        e.set();
        assertYieldsEveryFourthOperation(e::await);
    }

    @Test
    void theTryFormsNeverYield() {
        assumeTrue(hub.isSingleCarrier() && !hub.isSimulated(), "exact turns are the cooperative hub's FIFO");
        Queue<Integer> q = new Queue<>();
        Semaphore s = new Semaphore(100);
        inHub(() -> assertEquals(List.of(), turnsSeenDuring(() -> { // the other never gets a turn
            q.tryPut(1);
            q.tryGet();
            s.tryAcquire();
        })));
    }

    @Test
    void aParkRefillsTheBudget() {
        assumeTrue(hub.isSingleCarrier() && !hub.isSimulated(), "exact turns are the cooperative hub's FIFO");
        Queue<Integer> q = new Queue<>();
        for (int i = 0; i < 20; i++) q.put(i);
        AtomicInteger n = new AtomicInteger();
        // every third op sleeps (a park) after its get: the budget of 3 never runs out, so no get
        // yields; the other runs only while the busy one sleeps, when 2, 5, 8... ops are done
        inHub(() -> {
            List<Integer> seen = turnsSeenDuring(() -> {
                q.get();
                if (n.incrementAndGet() % 3 == 0) Greenlets.sleep(Duration.ofMillis(1));
            });
            assertFalse(seen.isEmpty());
            for (int s : seen) assertEquals(2, s % 3, "the other ran only when the busy one parked: " + seen);
        });
    }

    @Test
    void aTickerKeepsItsPeriodWhileAnotherGreenletDrainsAnAlwaysFullQueue() {
        assumeTrue(hub.isSingleCarrier() && !hub.isSimulated(), "the cooperative hub, where it matters");
        Duration period = Duration.ofMillis(10);
        int ticks = 10;
        long maxGets = 200_000_000L; // without selfish acts the drainer would reach this: the ticker starves
        inHub(() -> {
            Queue<Integer> q = new Queue<>(100);
            Greenlet<?> producer = Greenlet.spawn(() -> {
                for (int i = 0; ; i++) q.put(i); // keeps it full: parks only while it is
            });
            List<Long> at = new ArrayList<>();
            Greenlet<?> ticker = Greenlet.spawn(() -> {
                for (int i = 0; i < ticks; i++) {
                    Greenlets.sleep(period);
                    at.add(Hub.current().nanoTime());
                }
            });
            long gets = 0;
            while (!ticker.isDead()) {
                q.get(); // always ready: never parks
                if (++gets > maxGets) fail("the ticker starved: " + at.size() + " ticks in " + gets + " gets");
            }
            producer.kill();
            assertEquals(ticks, at.size());
            for (int i = 1; i < at.size(); i++) {
                long gap = at.get(i) - at.get(i - 1);
                // generous for a loaded machine: starving would mean seconds or forever
                assertTrue(gap < period.toNanos() + Duration.ofMillis(250).toNanos(), "tick gap " + gap / 1_000_000 + " ms");
            }
        });
    }
}
