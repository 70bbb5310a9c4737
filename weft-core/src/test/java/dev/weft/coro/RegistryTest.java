package dev.weft.coro;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Hub;
import dev.weft.HubTestBase;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Hub.greenlets() / Hub.greenlet(id) against Shrapnel's all_threads / get_thread_by_id contract. */
@Timeout(120)
class RegistryTest extends HubTestBase {

    @Test
    void idsStartAtOneInEveryHubAndIncrease() {
        try (Hub other = kind.create()) {
            long first = other.run(() -> Greenlet.current().id());
            assertEquals(1, first, "run()'s main greenlet is the hub's first");
            long a = other.run(() -> new Greenlet<>(other, () -> 1).id());
            assertTrue(a > first);
        }
    }

    @Test
    void anUnknownIdIsANoSuchElementExceptionNotNull() {
        inHub(() -> {
            NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> Hub.current().greenlet(9_999));
            assertTrue(e.getMessage().contains("9999"), e.getMessage());
        });
    }

    @Test
    void aCreatedButUnstartedGreenletIsListedAndFound() {
        inHub(() -> {
            Greenlet<Integer> g = new Greenlet<>(() -> 1);
            assertTrue(Hub.current().greenlets().contains(g));
            assertSame(g, Hub.current().greenlet(g.id()));
            g.kill(new GreenletExit(), false, null);
        });
    }

    @Test
    void aDeadGreenletLeavesAtOnce() {
        inHub(() -> {
            dev.weft.sync.Event go = new dev.weft.sync.Event();
            Greenlet<Integer> g = Greenlet.spawn(() -> {
                go.await(); // alive until it has been looked up
                return 1;
            });
            assertSame(g, Hub.current().greenlet(g.id()));
            go.set();
            g.join();
            assertFalse(Hub.current().greenlets().contains(g));
            assertThrows(NoSuchElementException.class, () -> Hub.current().greenlet(g.id()));
        });
    }

    @Test
    void theNameHasAGeneratedDefaultAndCanBeSet() {
        inHub(() -> {
            Greenlet<Integer> g = new Greenlet<>(() -> 1);
            assertEquals("Greenlet-" + g.id(), g.name());
            g.setName("worker");
            assertEquals("worker", g.name());
            g.kill(new GreenletExit(), false, null);
        });
    }
}
