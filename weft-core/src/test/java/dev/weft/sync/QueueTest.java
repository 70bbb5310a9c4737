package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.Trail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Queue, LifoQueue, PriorityQueue (gevent's test__queue cases, ARCHITECTURE §3). */
class QueueTest extends HubTestBase {
    private static final Duration SHORT = Duration.ofMillis(20);

    @Test
    void itemsComeOutInFifoOrder() {
        Queue<Integer> q = new Queue<>();
        for (int i = 0; i < 5; i++) q.put(i);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 5; i++) out.add(q.get());
        assertEquals(List.of(0, 1, 2, 3, 4), out);
    }

    @Test
    void aGetWaitsForAPut() {
        inHub(() -> {
            Queue<String> q = new Queue<>();
            Greenlet<String> getter = Greenlet.spawn(() -> q.get());
            awaitWaiting(getter);
            q.put("x");
            assertEquals("x", getter.get());
            assertTrue(q.isEmpty());
        });
    }

    @Test
    void severalBlockedGettersEachReceiveOneItemInOrder() {
        inHub(() -> {
            Queue<Integer> q = new Queue<>();
            List<Greenlet<Integer>> getters = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                Greenlet<Integer> g = Greenlet.spawn(() -> q.get());
                awaitWaiting(g);
                getters.add(g);
            }
            for (int i = 0; i < 4; i++) q.put(i);
            List<Integer> got = new ArrayList<>();
            for (Greenlet<Integer> g : getters) got.add(g.get());
            assertEquals(List.of(0, 1, 2, 3), got);
        });
    }

    @Test
    void aTimedGetThrowsEmptyAndConsumesNothing() {
        inHub(() -> {
            Queue<Integer> q = new Queue<>();
            assertThrows(Empty.class, () -> q.get(SHORT));
            assertEquals(0, q.getters());
            q.put(1);
            assertEquals(1, q.size());
            assertEquals(1, q.get());
        });
    }

    @Test
    void aKilledGetterConsumesNothing() {
        inHub(() -> {
            Queue<Integer> q = new Queue<>();
            Greenlet<Integer> g = Greenlet.spawn(() -> q.get());
            awaitWaiting(g);
            g.kill();
            q.put(1);
            assertEquals(1, q.size());
        });
    }

    @Test
    void theNonWaitingFormsReturnOrThrowAtOnce() {
        Queue<Integer> q = new Queue<>(1);
        assertNull(q.tryGet());
        assertThrows(Empty.class, q::getNowait);
        assertTrue(q.tryPut(1));
        assertFalse(q.tryPut(2));
        assertThrows(Full.class, () -> q.putNowait(2));
        assertTrue(q.isFull());
        assertEquals(1, q.getNowait());
    }

    @Test
    void aPutToAFullQueueWaitsForRoom() {
        inHub(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.put(1);
            Greenlet<Void> putter = Greenlet.spawn(() -> q.put(2));
            awaitWaiting(putter);
            assertEquals(1, q.get());
            putter.join();
            assertEquals(2, q.get());
        });
    }

    @Test
    void aTimedOutPutterLeavesNothingHalfPut() {
        inHub(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.put(1);
            assertThrows(Full.class, () -> q.put(2, SHORT));
            assertEquals(0, q.putters());
            assertEquals(1, q.get());
            assertNull(q.tryGet());
        });
    }

    @Test
    void aKilledPutterLeavesNothingHalfPut() {
        inHub(() -> {
            Queue<Integer> q = new Queue<>(1);
            q.put(1);
            Greenlet<Void> putter = Greenlet.spawn(() -> q.put(2));
            awaitWaiting(putter);
            putter.kill();
            assertEquals(1, q.get());
            assertNull(q.tryGet());
        });
    }

    @Test
    void putWaitersAreServedInFifoOrder() {
        inHub(() -> {
            Queue<String> q = new Queue<>(1);
            q.put("first");
            List<Greenlet<Void>> putters = new ArrayList<>();
            for (String s : List.of("a", "b", "c")) {
                Greenlet<Void> p = Greenlet.spawn(() -> q.put(s));
                awaitWaiting(p);
                putters.add(p);
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < 4; i++) out.add(q.get());
            assertEquals(List.of("first", "a", "b", "c"), out);
        });
    }

    @Test
    void peekWaitsForAnItemWithoutTakingIt() {
        inHub(() -> {
            Queue<Integer> q = new Queue<>();
            assertNull(q.tryPeek());
            Greenlet<Integer> peeker = Greenlet.spawn(() -> q.peek());
            awaitWaiting(peeker);
            q.put(3);
            assertEquals(3, peeker.get());
            assertEquals(1, q.size());
            assertThrows(Empty.class, () -> new Queue<Integer>().peek(SHORT));
        });
    }

    @Test
    void nullItemsAndBadSizesAreRefused() {
        assertThrows(NullPointerException.class, () -> new Queue<>().put(null));
        assertThrows(IllegalArgumentException.class, () -> new Queue<>(0));
        assertThrows(IllegalArgumentException.class, () -> new Queue<>(-1));
        assertThrows(IllegalArgumentException.class, () -> new Queue<>().put(1, Duration.ofMillis(-1)));
    }

    @Test
    void closingWakesBlockedGettersAndPuttersWithAClearError() {
        inHub(() -> {
            Queue<Integer> empty = new Queue<>();
            Greenlet<Integer> getter = Greenlet.spawn(() -> empty.get());
            Queue<Integer> full = new Queue<>(1);
            full.put(1);
            Greenlet<Void> putter = Greenlet.spawn(() -> full.put(2));
            awaitWaiting(getter);
            awaitWaiting(putter);
            getter.rawlink(x -> {});
            putter.rawlink(x -> {});
            empty.close();
            full.close();
            assertThrows(QueueClosedException.class, getter::get);
            assertThrows(QueueClosedException.class, putter::get);
            assertThrows(QueueClosedException.class, () -> full.put(3));
        });
    }

    @Test
    void itemsQueuedBeforeCloseCanStillBeDrained() {
        Queue<Integer> q = new Queue<>();
        q.put(1);
        q.put(2);
        q.close();
        assertEquals(1, q.get());
        assertEquals(2, q.get());
        assertThrows(QueueClosedException.class, q::get);
    }

    @Test
    void iterationTakesItemsUntilTheQueueIsClosedAndDrained() {
        inHub(() -> {
            Queue<Integer> q = new Queue<>();
            Greenlet.spawn(() -> {
                for (int i = 0; i < 3; i++) q.put(i);
                q.close();
            });
            List<Integer> seen = new ArrayList<>();
            for (int item : q) seen.add(item);
            assertEquals(List.of(0, 1, 2), seen);
        });
    }

    @Test
    void aLifoQueueHandsOutTheNewestFirst() {
        LifoQueue<Integer> q = new LifoQueue<>();
        q.put(1);
        q.put(2);
        q.put(3);
        assertEquals(3, q.get());
        assertEquals(2, q.get());
    }

    @Test
    void aPriorityQueueHandsOutTheLeastFirst() {
        PriorityQueue<Integer> q = new PriorityQueue<>();
        for (int i : List.of(5, 1, 4, 2)) q.put(i);
        assertEquals(1, q.get());
        assertEquals(2, q.get());
        PriorityQueue<String> byLength = new PriorityQueue<>(Comparator.comparingInt(String::length));
        byLength.put("ccc");
        byLength.put("a");
        assertEquals("a", byLength.get());
    }

    @Test
    void aFullBoundedPriorityQueueMakesPuttersWait() {
        inHub(() -> {
            PriorityQueue<Integer> q = new PriorityQueue<>(1, null);
            q.put(5);
            Greenlet<Void> putter = Greenlet.spawn(() -> q.put(1));
            awaitWaiting(putter);
            assertEquals(5, q.get());
            putter.join();
            assertEquals(1, q.get());
        });
    }

    @Test
    void producersAndConsumersHandOverEveryItemOnce() {
        inHub(() -> {
            Queue<Integer> q = new Queue<>(4);
            Trail unused = new Trail();
            List<Greenlet<Void>> producers = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                int base = p * 1000;
                producers.add(Greenlet.spawn(() -> {
                    for (int i = 0; i < 250; i++) q.put(base + i);
                }));
            }
            List<Greenlet<List<Integer>>> consumers = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                consumers.add(Greenlet.spawn(() -> {
                    List<Integer> got = new ArrayList<>();
                    for (int item : q) got.add(item);
                    return got;
                }));
            }
            Greenlets.joinAll(producers);
            q.close();
            List<Integer> all = new ArrayList<>();
            for (Greenlet<List<Integer>> c : consumers) all.addAll(c.get());
            all.sort(null);
            List<Integer> expected = new ArrayList<>();
            for (int p = 0; p < 4; p++) for (int i = 0; i < 250; i++) expected.add(p * 1000 + i);
            assertEquals(expected, all);
            assertTrue(unused.steps().isEmpty());
        });
    }
}
