package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.HubTestBase;
import java.time.Duration;
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
}
