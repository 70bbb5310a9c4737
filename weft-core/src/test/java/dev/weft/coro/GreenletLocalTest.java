package dev.weft.coro;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.HubTestBase;
import dev.weft.sync.Event;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Java's ThreadLocal per greenlet and GreenletLocal (Shrapnel's ThreadLocal, test/test_local.py). */
@Timeout(120)
class GreenletLocalTest extends HubTestBase {

    @Test
    void javasThreadLocalHoldsOneValuePerGreenlet() {
        ThreadLocal<Integer> shared = new ThreadLocal<>();
        inHub(() -> {
            shared.set(1);
            Event go = new Event();
            Greenlet<Integer> t1 = Greenlet.spawn(() -> {
                assertNull(shared.get());
                go.await();
                shared.set(2);
                go.await();
                return shared.get();
            });
            Greenlet<Integer> t2 = Greenlet.spawn(() -> {
                assertNull(shared.get());
                go.await();
                shared.set(3);
                return shared.get();
            });
            go.set();
            assertEquals(2, t1.get());
            assertEquals(3, t2.get());
            assertEquals(1, shared.get());
        });
    }

    @Test
    void aGreenletLocalHoldsOneValuePerGreenlet() {
        GreenletLocal<Integer> shared = new GreenletLocal<>();
        inHub(() -> { // Shrapnel's test_local
            shared.set(1);
            Event go = new Event();
            Greenlet<Integer> t1 = Greenlet.spawn(() -> {
                assertNull(shared.get());
                go.await();
                shared.set(2);
                return shared.get();
            });
            Greenlet<Integer> t2 = Greenlet.spawn(() -> {
                assertNull(shared.get());
                go.await();
                shared.set(3);
                return shared.get();
            });
            go.set();
            assertEquals(2, t1.get());
            assertEquals(3, t2.get());
            assertEquals(1, shared.get());
        });
    }

    @Test
    void anInitialValueIsMadeOncePerGreenlet() {
        GreenletLocal<StringBuilder> local = GreenletLocal.withInitial(StringBuilder::new);
        inHub(() -> {
            local.get().append("main");
            assertEquals("", Greenlet.spawn(() -> local.get().toString()).get());
            assertEquals("main", local.get().toString());
            local.remove();
            assertEquals("", local.get().toString());
        });
    }

    @Test
    void childrenSeeTheInheritableValueTheirCreatorHadWhenItCreatedThem() {
        GreenletLocal<String> id = GreenletLocal.inheritable();
        GreenletLocal<String> plain = new GreenletLocal<>();
        inHub(() -> {
            id.set("r-42");
            plain.set("mine");
            Greenlet<String> later = new Greenlet<>(() -> id.get()); // created now, started later
            id.set("r-43");
            assertEquals("r-43|null", Greenlet.spawn(() -> id.get() + "|" + plain.get()).get());
            later.startLater(Duration.ofMillis(5));
            assertEquals("r-42", later.get());
            assertEquals("r-43/child/grandchild", Greenlet.spawn(() -> {
                id.set(id.get() + "/child");
                return Greenlet.spawn(() -> id.get() + "/grandchild").get();
            }).get());
            assertEquals("r-43", id.get(), "a child's change is its own");
            assertTrue(id.isInheritable());
            assertFalse(plain.isInheritable());
        });
    }
}
