package dev.weft.link;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.Outcome;
import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import dev.weft.sync.Queue;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** OTP monitors: exactly one Down, never raised; demonitor and its flush. Every hub. */
class MonitorTest extends HubTestBase {

    @Test
    void aMonitorDeliversOneDownWithTheOutcomeAndRaisesNothing() {
        inHub(() -> {
            Queue<Down> q = new Queue<>();
            IllegalStateException boom = new IllegalStateException("boom");
            Event go = new Event();
            Greenlet<Integer> g = Greenlet.spawn(() -> {
                go.await();
                throw boom;
            });
            Monitor m = Links.monitor(g, q);
            go.set();
            Down d = q.get(LONG);
            assertSame(g, d.source());
            assertSame(m, d.ref());
            assertSame(boom, ((Outcome.Failed<?>) d.outcome()).error());
            assertTrue(m.isDelivered());
            Greenlets.sleep(Duration.ofMillis(1)); // nothing raised here
            assertTrue(q.isEmpty(), "exactly one Down");
        });
    }

    @Test
    void aMonitorOfAKilledGreenletSaysKilled() {
        inHub(() -> {
            Queue<Down> q = new Queue<>();
            Event never = new Event();
            Greenlet<Void> g = Greenlet.spawn(() -> never.await());
            Links.monitor(g, q);
            g.kill();
            assertInstanceOf(Outcome.Killed.class, q.get(LONG).outcome());
        });
    }

    @Test
    void aMonitorOfAnEndedSourceDeliversAtOnce() {
        inHub(() -> {
            Greenlet<Integer> g = Greenlet.spawn(() -> 3);
            g.join();
            Queue<Down> q = new Queue<>();
            Links.monitor(g, q);
            assertEquals(new Outcome.Value<>(3), q.tryGet().outcome());
        });
    }

    @Test
    void aMonitorMayDeliverToAReceiverOrACallback() {
        inHub(() -> {
            AsyncResult<Down> r = new AsyncResult<>();
            List<Down> seen = new CopyOnWriteArrayList<>();
            AsyncResult<String> src = new AsyncResult<>();
            Links.monitor(src, r);
            Links.monitor(src, seen::add);
            src.set("x");
            assertEquals(new Outcome.Value<>("x"), r.get(LONG).outcome());
            assertEquals(1, seen.size());
        });
    }

    @Test
    void demonitorBeforeTheEndDeliversNothing() {
        inHub(() -> {
            Queue<Down> q = new Queue<>();
            Event go = new Event();
            Greenlet<Integer> g = Greenlet.spawn(() -> {
                go.await();
                return 1;
            });
            Monitor m = Links.monitor(g, q);
            assertTrue(m.demonitor());
            assertFalse(m.demonitor(), "a second demonitor has nothing to withdraw");
            go.set();
            g.join();
            assertTrue(q.isEmpty());
        });
    }

    @Test
    void demonitorWithFlushTakesBackAQueuedDown() {
        inHub(() -> {
            Queue<Down> q = new Queue<>();
            Greenlet<Integer> g = Greenlet.spawn(() -> 1);
            Monitor m = Links.monitor(g, q);
            g.join();
            assertEquals(1, q.size());
            assertTrue(Links.demonitor(m, true));
            assertTrue(q.isEmpty(), "the queued Down is not delivered after the flush");
        });
    }

    @Test
    void demonitorWithoutFlushLeavesAQueuedDown() {
        inHub(() -> {
            Queue<Down> q = new Queue<>();
            Greenlet<Integer> g = Greenlet.spawn(() -> 1);
            Monitor m = Links.monitor(g, q);
            g.join();
            assertFalse(m.demonitor(false));
            assertEquals(1, q.size());
        });
    }

    @Test
    void demonitorWithFlushRacingTheEndNeverLeavesADown() {
        inHub(() -> {
            Queue<Down> q = new Queue<>();
            int rounds = 500;
            AtomicInteger taken = new AtomicInteger();
            for (int i = 0; i < rounds; i++) {
                Greenlet<Integer> g = Greenlet.spawn(() -> 1);
                Monitor m = Links.monitor(g, q);
                if (i % 2 == 0) Greenlets.yieldNow();
                boolean withdrew = m.demonitor(true);
                if (!withdrew) taken.incrementAndGet();
                assertTrue(q.isEmpty(), "round " + i);
            }
            assertEquals(0, taken.get(), "the flush always found the Down it delivered");
        });
    }

    @Test
    void aMonitorCountsAsReceivingAFailure() {
        inHub(() -> {
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            hub.setErrorHandler((s, e) -> reported.add(e));
            Queue<Down> q = new Queue<>();
            Event go = new Event();
            Greenlet<Integer> g = Greenlet.spawn(() -> {
                go.await();
                throw new IllegalStateException("watched");
            });
            Links.monitor(g, q);
            go.set();
            q.get(LONG);
            assertTrue(reported.isEmpty());
        });
    }

    @Test
    void aBoundedQueueIsRefused() {
        inHub(() -> assertThrows(IllegalArgumentException.class,
                () -> Links.monitor(new AsyncResult<Integer>(), new Queue<Down>(3))));
    }
}
