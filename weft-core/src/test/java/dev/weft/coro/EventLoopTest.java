package dev.weft.coro;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.HubTestBase;
import dev.weft.Trail;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hub.runLoop / exit / isRunning (Shrapnel's event_loop, set_exit) and Hub.join (gevent's wait()). */
@Timeout(120)
class EventLoopTest extends HubTestBase {

    @Test
    void runLoopReturnsTheCodeGivenToExit() {
        assertEquals(3, hub.runLoop(() -> Hub.current().exit(3)));
    }

    @Test
    void runLoopIsRunningUntilItReturns() {
        AtomicBoolean during = new AtomicBoolean();
        hub.runLoop(() -> {
            during.set(Hub.current().isRunning());
            Hub.current().exit(0);
        });
        assertTrue(during.get());
        assertFalse(hub.isRunning());
    }

    @Test
    void runLoopEndsWithZeroWhenNothingIsLeftToDo() {
        Trail trail = new Trail();
        Event mainDone = new Event();
        int code = hub.runLoop(() -> {
            Greenlet.spawn(() -> {
                mainDone.await(); // ordered after main by the event, not by timing
                Greenlets.sleep(Duration.ofMillis(20)); // a pending timer is still something to do
                trail.add("child");
            });
            trail.add("main");
            mainDone.set();
        });
        assertEquals(0, code);
        trail.assertSteps("main", "child");
    }

    @Test
    void greenletsAlreadyScheduledRunBeforeTheLoopExits() {
        assumeTrue(hub.isSingleCarrier(), "on the parallel hub they run on other cores anyway");
        Trail trail = new Trail();
        hub.runLoop(() -> {
            Greenlet.spawn(() -> trail.add("scheduled before exit"));
            Hub.current().exit(1);
            trail.add("main goes on after exit");
        });
        trail.assertSteps("main goes on after exit", "scheduled before exit");
    }

    @Test
    void exitKillsWhatIsStillWaiting() {
        Event never = new Event();
        Greenlet<?>[] waiter = new Greenlet<?>[1];
        int code = hub.runLoop(() -> {
            waiter[0] = Greenlet.spawn(() -> never.await());
            Greenlets.sleep(Duration.ofMillis(5));
            Hub.current().exit(7);
        });
        assertEquals(7, code);
        assertTrue(waiter[0].isKilled());
    }

    @Test
    void aSecondRunLoopOnARunningHubIsAnError() throws Exception {
        // the second runLoop comes from another thread, outside the simulation: a simulated hub
        // whose greenlets all wait on the outside with no timer pending is idle, and its loop
        // ends (sooner or later than that call: a race, not a test)
        assumeTrue(!hub.isSimulated(), "the test's two threads are outside any simulation");
        Event inLoop = new Event();
        Event release = new Event();
        Thread t = Thread.ofPlatform().start(() -> hub.runLoop(() -> {
            inLoop.set();
            release.await();
            Hub.current().exit(0);
        }));
        inLoop.await(LONG);
        assertThrows(IllegalStateException.class, () -> hub.runLoop(() -> {}));
        release.set();
        t.join();
        assertFalse(hub.isRunning());
    }

    @Test
    void joinWaitsUntilEveryOtherGreenletFinished() {
        inHub(() -> {
            Greenlet<?> a = Greenlet.spawn(() -> Greenlets.sleep(Duration.ofMillis(20)));
            Greenlet<?> b = Greenlet.spawn(() -> Greenlet.spawn(() -> Greenlets.sleep(Duration.ofMillis(40))));
            assertTrue(Hub.current().join(LONG));
            assertTrue(a.isDead() && b.isDead());
            assertEquals(1, Hub.current().greenlets().size(), "only the caller is left");
        });
    }

    @Test
    void joinGivesUpAfterItsTimeout() {
        assumeTrue(!hub.isSimulated(), "on a simulated hub a greenlet parked forever is idle: see the next test");
        inHub(() -> {
            Event never = new Event();
            Greenlet<?> g = Greenlet.spawn(() -> never.await());
            assertFalse(Hub.current().join(Duration.ofMillis(20)));
            g.kill();
        });
    }

    @Test
    void onASimulatedHubJoinReturnsWhenNothingCanRunAndNoTimerIsArmed() {
        assumeTrue(hub.isSimulated());
        inHub(() -> {
            Event never = new Event();
            Greenlet<?> parked = Greenlet.spawn(() -> never.await());
            Greenlet<?> sleeper = Greenlet.spawn(() -> Greenlets.sleep(Duration.ofSeconds(5)));
            long t0 = Hub.current().nanoTime();
            assertTrue(Hub.current().join(null));
            assertTrue(sleeper.isDead(), "the timer was waited for");
            assertFalse(parked.isDead(), "a greenlet parked forever does not count");
            assertTrue(Hub.current().nanoTime() - t0 >= Duration.ofSeconds(5).toNanos());
            parked.kill();
        });
    }

    @Test
    void onASimulatedHubJoinTimesOutOnVirtualTime() {
        assumeTrue(hub.isSimulated());
        inHub(() -> {
            Greenlet<?> sleeper = Greenlet.spawn(() -> Greenlets.sleep(Duration.ofSeconds(50)));
            assertFalse(Hub.current().join(Duration.ofSeconds(1)));
            assertFalse(sleeper.isDead());
            sleeper.kill();
        });
    }

    @Test
    void runLoopRefusesANullMain() {
        assertThrows(NullPointerException.class, () -> hub.runLoop(null));
    }
}
