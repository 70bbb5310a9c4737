package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.HubTestBase;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Channel: an unbuffered rendezvous (gevent's Channel). */
class ChannelTest extends HubTestBase {

    @Test
    void putReturnsOnlyOnceAGetterTookTheItem() {
        inHub(() -> {
            Channel<String> ch = new Channel<>();
            Greenlet<Void> putter = Greenlet.spawn(() -> ch.put("item"));
            awaitWaiting(putter);
            assertFalse(putter.isDead());
            assertEquals("item", ch.get());
            putter.join();
            assertTrue(putter.isSuccessful());
        });
    }

    @Test
    void aGetWaitsForAPutter() {
        inHub(() -> {
            Channel<Integer> ch = new Channel<>();
            Greenlet<Integer> getter = Greenlet.spawn(() -> ch.get());
            awaitWaiting(getter);
            ch.put(9);
            assertEquals(9, getter.get());
        });
    }

    @Test
    void tryPutSucceedsOnlyWhenAGetterWaits() {
        inHub(() -> {
            Channel<Integer> ch = new Channel<>();
            assertFalse(ch.tryPut(1));
            Greenlet<Integer> getter = Greenlet.spawn(() -> ch.get());
            awaitWaiting(getter);
            assertTrue(ch.tryPut(2));
            assertEquals(2, getter.get());
            assertEquals(0, ch.size());
        });
    }

    @Test
    void aPutWhoseItemWasTakenReturnsNormallyAndTheKillStaysQueued() {
        inHub(() -> {
            Channel<Integer> ch = new Channel<>();
            Greenlet<Integer> getter = Greenlet.spawn(() -> ch.get());
            awaitWaiting(getter);
            Greenlet<String> putter = Greenlet.spawn(() -> {
                Greenlet.current().kill(new GreenletExit(), false, null); // queued before the put
                ch.put(1); // a getter waits: taken at once, put returns
                try {
                    new Event().await(LONG);
                    return "no kill";
                } catch (GreenletExit e) {
                    return "put returned, then the kill";
                }
            });
            assertEquals("put returned, then the kill", putter.get());
            assertEquals(1, getter.get());
        });
    }

    @Test
    void aPutterThatTimesOutLeavesNoItemBehind() {
        inHub(() -> {
            Channel<Integer> ch = new Channel<>();
            assertThrows(Full.class, () -> ch.put(1, Duration.ofMillis(20)));
            assertNull(ch.tryGet());
            assertEquals(0, ch.putters());
        });
    }

    @Test
    void aKilledPutterLeavesNoItemBehind() {
        inHub(() -> {
            Channel<Integer> ch = new Channel<>();
            Greenlet<Void> putter = Greenlet.spawn(() -> ch.put(1));
            awaitWaiting(putter);
            putter.kill();
            assertNull(ch.tryGet());
        });
    }

    @Test
    void onOneCarrierAPutToAWaitingGetterLetsTheGetterRunFirst() {
        // the cooperative hub's FIFO ready queue is gevent's; the parallel hub runs both at once,
        // and the simulated one picks among the ready greenlets by its seed
        org.junit.jupiter.api.Assumptions.assumeTrue(kind == dev.weft.HubKind.COOPERATIVE, "gevent's order needs its scheduler");
        inHub(() -> { // gevent's test__queue TestChannel.test_send
            Channel<String> channel = new Channel<>();
            List<String> events = new CopyOnWriteArrayList<>();
            Greenlet<Void> other = Greenlet.spawn(() -> {
                events.add(channel.get());
                events.add(channel.get());
            });
            events.add("sending");
            channel.put("hello");
            events.add("sent hello");
            channel.put("world");
            events.add("sent world");
            other.join();
            assertEquals(List.of("sending", "hello", "sent hello", "world", "sent world"), events);
        });
    }

    @Test
    void aChannelIsAlwaysFullAndEmptyAsGeventsIs() {
        inHub(() -> {
            Channel<Integer> channel = new Channel<>();
            assertTrue(channel.isFull());
            assertTrue(channel.isEmpty());
            Greenlet<Integer> getter = Greenlet.spawn(() -> channel.get());
            awaitWaiting(getter);
            assertTrue(channel.isFull(), "even with a getter waiting (gevent's test_put_nowait_unlock)");
            assertTrue(channel.tryPut(1), "tryPut tells whether a put would go through");
            assertEquals(1, getter.get());
        });
    }

}
