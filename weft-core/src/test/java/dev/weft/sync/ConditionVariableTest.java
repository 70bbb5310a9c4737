package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ConditionVariable: Shrapnel's condition_variable. */
class ConditionVariableTest extends HubTestBase {

    @Test
    void awaitReturnsTheValueTheWakerPassed() {
        inHub(() -> {
            ConditionVariable<String> cv = new ConditionVariable<>();
            Greenlet<String> g = Greenlet.spawn(() -> cv.await());
            awaitWaiting(g);
            assertEquals(1, cv.wakeOne("hello"));
            assertEquals("hello", g.get());
        });
    }

    @Test
    void wakeCountsOnlyTheWaitersItWoke() {
        inHub(() -> {
            ConditionVariable<Integer> cv = new ConditionVariable<>();
            List<Greenlet<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Greenlet<Integer> g = Greenlet.spawn(() -> cv.await());
                awaitWaiting(g);
                all.add(g);
            }
            assertEquals(2, cv.wakeN(2, 7));
            assertEquals(3, cv.wakeAll(8));
            assertEquals(0, cv.wakeOne(9));
            List<Integer> got = new ArrayList<>();
            for (Greenlet<Integer> g : all) got.add(g.get());
            assertEquals(List.of(7, 7, 8, 8, 8), got);
        });
    }

    @Test
    void cancelledWaitersAreSkipped() {
        inHub(() -> {
            ConditionVariable<String> cv = new ConditionVariable<>();
            Greenlet<String> killed = Greenlet.spawn(() -> cv.await());
            awaitWaiting(killed);
            Greenlet<String> alive = Greenlet.spawn(() -> cv.await());
            awaitWaiting(alive);
            killed.kill();
            assertEquals(1, cv.wakeOne("for the living"));
            assertEquals("for the living", alive.get());
        });
    }

    @Test
    void aTimedAwaitThrowsTimeout() {
        inHub(() -> assertThrows(Timeout.class, () -> new ConditionVariable<>().await(Duration.ofMillis(20))));
    }

    @Test
    void aNegativeWakeCountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ConditionVariable<>().wakeN(-1, null));
    }

    @Test
    void waitingCountsTheParkedGreenlets() {
        inHub(() -> {
            ConditionVariable<Object> cv = new ConditionVariable<>();
            Greenlet<Object> g = Greenlet.spawn(() -> cv.await());
            awaitWaiting(g);
            assertEquals(1, cv.waiting());
            cv.wakeAll(null);
            g.join();
            Greenlets.yieldNow();
            assertEquals(0, cv.waiting());
        });
    }
}
