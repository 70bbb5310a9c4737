package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.sync.Event;
import java.time.Duration;
import java.util.List;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

/** The hub: run, close, registry, clock. */
class HubTest extends HubTestBase {

    @Test
    void runReturnsTheValueOfMain() {
        assertEquals("done", hub.run(() -> "done"));
    }

    @Test
    void runRethrowsTheFailureOfMain() {
        IllegalStateException boom = new IllegalStateException("main failed");
        assertSame(boom, assertThrows(IllegalStateException.class, () -> hub.run(() -> {
            throw boom;
        })));
    }

    @Test
    void runKillsAndJoinsTheGreenletsLeftBehind() {
        Greenlet<?>[] child = new Greenlet<?>[1];
        hub.run(() -> {
            child[0] = Greenlet.spawn(() -> new Event().await());
            awaitWaiting(child[0]);
            return null;
        });
        assertTrue(child[0].isDead());
        assertTrue(child[0].isKilled());
        assertTrue(hub.greenlets().isEmpty());
    }

    @Test
    void greenletsOfTheHubBelongToIt() {
        inHub(() -> {
            assertSame(hub, Hub.current());
            assertSame(hub, Greenlet.spawn(() -> 1).hub());
        });
    }

    @Test
    void theRegistryListsLiveGreenletsIncludingUnstartedOnesInIdOrder() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> running = Greenlet.spawn(() -> never.await());
            Greenlet<Integer> unstarted = new Greenlet<>(() -> 1);
            awaitWaiting(running);
            List<Greenlet<?>> live = hub.greenlets();
            assertTrue(live.contains(running));
            assertTrue(live.contains(unstarted));
            assertTrue(live.contains(Greenlet.current()));
            for (int i = 1; i < live.size(); i++) assertTrue(live.get(i - 1).id() < live.get(i).id());
            assertSame(running, hub.greenlet(running.id()));
            unstarted.kill();
            running.kill();
            assertFalse(hub.greenlets().contains(running));
            assertThrows(NoSuchElementException.class, () -> hub.greenlet(running.id()));
        });
    }

    @Test
    void anUnstartedGreenletNobodyHoldsIsCollectedAndLeavesTheRegistry() {
        long[] ids = new long[1];
        java.lang.ref.WeakReference<Greenlet<Integer>> dropped = unstartedNobodyHolds(ids);
        long id = ids[0];
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (dropped.get() != null && System.nanoTime() < deadline) System.gc(); // the hub holds it weakly
        assertNull(dropped.get(), "the hub kept an unstarted greenlet nobody holds");
        // the next registration drops the collected one's entry (once its reference is enqueued)
        while (hub.isTrackedUnstarted(id) && System.nanoTime() < deadline) {
            new Greenlet<>(hub, () -> 2).kill();
            System.gc();
        }
        assertFalse(hub.isTrackedUnstarted(id));
        assertThrows(NoSuchElementException.class, () -> hub.greenlet(id));
    }

    private java.lang.ref.WeakReference<Greenlet<Integer>> unstartedNobodyHolds(long[] id) {
        Greenlet<Integer> g = new Greenlet<>(hub, () -> 1);
        id[0] = g.id();
        return new java.lang.ref.WeakReference<>(g);
    }

    @Test
    void aStartedGreenletIsNoLongerTrackedAsUnstarted() {
        Greenlet<Integer> g = new Greenlet<>(hub, () -> 1);
        assertTrue(hub.isTrackedUnstarted(g.id()));
        g.start();
        assertFalse(hub.isTrackedUnstarted(g.id()));
        inHub(() -> assertEquals(1, g.get()));
    }

    @Test
    void dumpShowsGreenletsUnderTheirSpawner() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> child = Greenlet.spawn(() -> never.await());
            child.setName("child");
            awaitWaiting(child);
            String dump = hub.dump();
            int parentAt = dump.indexOf(Greenlet.current().name());
            int childAt = dump.indexOf("child[");
            assertTrue(parentAt >= 0 && childAt > parentAt, dump);
            child.kill();
        });
    }

    @Test
    void aClosedHubRefusesNewGreenlets() {
        hub.close();
        assertTrue(hub.isClosed());
        assertThrows(IllegalStateException.class, () -> hub.spawn(() -> 1));
        hub.close(); // closing twice does nothing
    }

    @Test
    void closingKillsTheLiveGreenlets() {
        Greenlet<Void> g = hub.spawn(() -> new Event().await());
        awaitWaiting(g);
        hub.close();
        assertTrue(g.join(LONG));
        assertTrue(g.isKilled());
    }

    @Test
    void theDefaultHubCannotBeClosed() {
        assertThrows(UnsupportedOperationException.class, () -> Hub.defaultHub().close());
    }

    @Test
    void runFromInsideTheHubIsRefused() {
        inHub(() -> assertThrows(IllegalStateException.class, () -> hub.run(() -> 1)));
    }

    @Test
    void theClockMovesForwardWithSleeps() {
        inHub(() -> {
            long t0 = hub.nanoTime();
            Greenlets.sleep(Duration.ofMillis(15));
            assertTrue(hub.nanoTime() - t0 >= Duration.ofMillis(15).toNanos());
        });
    }

    @Test
    void sleepUntilAPastDeadlineReturnsAtOnce() {
        inHub(() -> Greenlets.sleepUntil(hub.nanoTime() - 1));
    }

    @Test
    void aNegativeSleepIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Greenlets.sleep(Duration.ofMillis(-5)));
    }

    @Test
    void runReturnsOnlyAfterTheLinkCallbacksItsLeftoversDeathsSetOff() {
        // a greenlet is ready before its listeners run: run() waits for them (regression: R9)
        java.util.concurrent.atomic.AtomicBoolean callbackDone = new java.util.concurrent.atomic.AtomicBoolean();
        hub.run(() -> {
            Greenlet<Void> child = Greenlet.spawn(() -> new Event().await());
            child.link(g -> {
                Greenlets.sleep(Duration.ofMillis(20));
                callbackDone.set(true);
            });
            Greenlets.yieldNow();
            return null;
        });
        assertTrue(callbackDone.get(), "the link callback was still running when run() returned");
        assertEquals(List.of(), hub.greenlets());
    }
}
