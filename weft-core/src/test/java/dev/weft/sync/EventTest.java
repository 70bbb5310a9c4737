package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.HubTestBase;
import dev.weft.Trail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Event (gevent's test__event cases) and the rawlink rules of ARCHITECTURE §4. */
class EventTest extends HubTestBase {

    @Test
    void awaitReturnsAtOnceWhenTheEventIsSet() {
        inHub(() -> {
            Event e = new Event();
            e.set();
            assertTrue(e.await(Duration.ZERO));
            e.await();
        });
    }

    @Test
    void setWakesEveryWaiter() {
        inHub(() -> {
            Event e = new Event();
            List<Greenlet<Boolean>> waiters = new ArrayList<>();
            for (int i = 0; i < 50; i++) waiters.add(Greenlet.spawn(() -> e.await(LONG)));
            for (Greenlet<Boolean> w : waiters) awaitWaiting(w);
            e.set();
            for (Greenlet<Boolean> w : waiters) assertTrue(w.get());
        });
    }

    @Test
    void waitersPresentAtSetWakeEvenIfClearFollowsAtOnce() {
        inHub(() -> {
            Event e = new Event();
            List<Greenlet<Boolean>> waiters = new ArrayList<>();
            for (int i = 0; i < 20; i++) waiters.add(Greenlet.spawn(() -> e.await(LONG)));
            for (Greenlet<Boolean> w : waiters) awaitWaiting(w);
            e.set();
            e.clear();
            for (Greenlet<Boolean> w : waiters) assertTrue(w.get());
            assertFalse(e.isSet());
        });
    }

    @Test
    void awaitWithATimeoutReturnsFalseOnExpiry() {
        inHub(() -> assertFalse(new Event().await(Duration.ofMillis(20))));
    }

    @Test
    void afterClearLaterWaitersBlockAgain() {
        inHub(() -> {
            Event e = new Event();
            e.set();
            e.clear();
            assertFalse(e.await(Duration.ofMillis(10)));
        });
    }

    @Test
    void aNegativeTimeoutIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Event().await(Duration.ofMillis(-1)));
    }

    @Test
    void aKilledWaiterLeavesNoWaiterBehind() {
        inHub(() -> {
            Event e = new Event();
            Greenlet<Void> g = Greenlet.spawn(() -> e.await());
            awaitWaiting(g);
            g.kill();
            assertTrue(g.isKilled());
            assertTrue(e.toString().contains("waiters=0"), e.toString());
        });
    }

    @Test
    void rawlinksFireOnceOnTheNextSetInRegistrationOrder() {
        inHub(() -> {
            Event e = new Event();
            Trail trail = new Trail();
            e.rawlink(x -> trail.add("a"));
            e.rawlink(x -> trail.add("b"));
            e.set();
            e.clear();
            e.set();
            trail.assertSteps("a", "b");
        });
    }

    @Test
    void aRawlinkOnASetEventRunsAtOnceInTheCaller() {
        inHub(() -> {
            Event e = new Event();
            e.set();
            Thread[] ranOn = new Thread[1];
            e.rawlink(x -> ranOn[0] = Thread.currentThread());
            assertSame(Thread.currentThread(), ranOn[0]);
        });
    }

    @Test
    void unlinkingFromInsideAnotherListenerStopsAListenerNotYetRun() {
        inHub(() -> {
            Event e = new Event();
            Trail trail = new Trail();
            Consumer<Event> second = x -> trail.add("second");
            e.rawlink(x -> {
                trail.add("first");
                assertTrue(e.unlink(second));
            });
            e.rawlink(second);
            e.set();
            trail.assertSteps("first");
        });
    }

    @Test
    void unlinkingAnUnknownListenerDoesNothing() {
        assertFalse(new Event().unlink((Consumer<Event>) x -> {}));
    }

    @Test
    void aThrowingListenerIsReportedAndTheOthersStillRun() {
        inHub(() -> {
            List<Throwable> reported = new ArrayList<>();
            hub.setErrorHandler((source, error) -> reported.add(error));
            Event e = new Event();
            AtomicInteger ran = new AtomicInteger();
            IllegalStateException boom = new IllegalStateException("listener");
            e.rawlink(x -> {
                throw boom;
            });
            e.rawlink(x -> ran.incrementAndGet());
            e.set();
            assertEquals(1, ran.get());
            assertEquals(List.of(boom), reported);
        });
    }

    @Test
    void aSetFromAThreadWeftDidNotStartWakesAGreenlet() throws Exception {
        Event e = new Event();
        // untimed: outside run() a simulated hub's time jumps whenever all its greenlets wait
        Greenlet<Boolean> g = hub.spawn(() -> e.await(null));
        awaitWaiting(g);
        Thread t = Thread.ofPlatform().start(e::set);
        t.join();
        assertTrue(g.get(LONG)); // from this thread: a real-time bound
    }

    @Test
    void aWaiterKilledAfterTheSetWonStillReturnsTrueAndKeepsTheKill() {
        inHub(() -> {
            Event e = new Event();
            e.set();
            Greenlet<String> g = Greenlet.spawn(() -> {
                Greenlet.current().kill(new GreenletExit(), false, null);
                boolean ok = e.await(LONG); // ready: returns, the kill stays queued
                try {
                    new Event().await(LONG);
                    return "no kill";
                } catch (GreenletExit exit) {
                    return "set=" + ok + ", then killed";
                }
            });
            assertEquals("set=true, then killed", g.get());
        });
    }
}
