package dev.weft.pool;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.Outcome;
import dev.weft.Timeout;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The apply/map family: order, failures, back-pressure, laziness, early close (gevent's test__pool map cases). */
class MapTest extends HubTestBase {

    private static Event[] events(int n) {
        Event[] e = new Event[n];
        for (int i = 0; i < n; i++) e[i] = new Event();
        return e;
    }

    @Test
    void aFailureLeavingATryWithResourcesBlockClosesTheMapAndKillsTheItemsStillRunning() {
        hub.setErrorHandler((s, e) -> {});
        inHub(() -> {
            Pool pool = new Pool(3);
            Event never = new Event();
            List<Greenlet<?>> items = new CopyOnWriteArrayList<>();
            MapIterator<Integer> map = pool.imap(i -> {
                items.add(Greenlet.current());
                if (i == 1) throw new IllegalArgumentException("bad " + i);
                if (i == 2) never.await();
                return i;
            }, List.of(0, 1, 2));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                try (MapIterator<Integer> it = map) {
                    while (it.hasNext()) it.next();
                }
            });
            assertEquals("bad 1", e.getMessage());
            assertFalse(map.hasNext());
            for (Greenlet<?> g : items) assertTrue(g.isDead());
            assertEquals(3, pool.freeCount());
        });
    }

    @Test
    void aFailedItemEndsTheStreamViewAndClosesTheMap() {
        hub.setErrorHandler((s, e) -> {});
        inHub(() -> {
            Pool pool = new Pool(3);
            Event never = new Event();
            List<Greenlet<?>> items = new CopyOnWriteArrayList<>();
            MapIterator<Integer> it = pool.imap(i -> {
                items.add(Greenlet.current());
                if (i == 1) throw new IllegalArgumentException("bad " + i);
                if (i == 2) never.await();
                return i;
            }, List.of(0, 1, 2));
            Stream<Integer> s = it.stream(); // never closed: the failure closes the map
            assertEquals("bad 1", assertThrows(IllegalArgumentException.class, s::toList).getMessage());
            assertFalse(it.hasNext());
            for (Greenlet<?> g : items) assertTrue(g.isDead());
            assertEquals(3, pool.freeCount());
        });
    }

    @Test
    void nextOutcomeDeliversAFailedItemAndTheMapGoesOn() {
        inHub(() -> {
            Pool pool = new Pool(2);
            List<Outcome<Integer>> out = pool.mapOutcomes(i -> 10 / i, List.of(1, 0, 2), MapOptions.DEFAULTS);
            assertEquals(new Outcome.Value<>(10), out.get(0));
            assertInstanceOf(ArithmeticException.class, ((Outcome.Failed<Integer>) out.get(1)).error());
            assertEquals(new Outcome.Value<>(5), out.get(2));
        });
    }

    @Test
    void anItemTimeoutFailsTheSlowItemOnly() {
        inHub(() -> {
            Pool pool = new Pool(2);
            Event never = new Event();
            List<Outcome<Integer>> out = pool.mapOutcomes(i -> {
                if (i == 1) never.await();
                return i;
            }, List.of(0, 1, 2), MapOptions.DEFAULTS.itemTimeout(Duration.ofMillis(10)));
            assertEquals(new Outcome.Value<>(0), out.get(0));
            assertInstanceOf(Timeout.class, ((Outcome.Failed<Integer>) out.get(1)).error());
            assertEquals(new Outcome.Value<>(2), out.get(2));
        });
    }

    @Test
    void anInfiniteInputIsConsumedLazilyAndClosingStopsTheFeeder() {
        inHub(() -> {
            Pool pool = new Pool(4);
            MapInputs.Counting input = new MapInputs.Counting();
            MapIterator<Integer> it = pool.imap(i -> i + 1, input, MapOptions.DEFAULTS.maxsize(5));
            for (int i = 0; i < 10; i++) assertEquals(i + 1, it.next());
            it.close();
            int pulled = input.pulled.get();
            assertTrue(pulled <= 15, "pulled " + pulled);
            Greenlets.sleep(Duration.ofMillis(5));
            assertEquals(pulled, input.pulled.get(), "the feeder stopped");
            assertFalse(it.hasNext());
            assertTrue(pool.isEmpty());
        });
    }

    @Test
    void closingAnImapEarlyKillsTheItemsInFlight() {
        inHub(() -> {
            Pool pool = new Pool(5);
            Event never = new Event();
            List<Greenlet<?>> items = new CopyOnWriteArrayList<>();
            MapIterator<Integer> it = pool.imapUnordered(i -> {
                items.add(Greenlet.current());
                never.await();
                return i;
            }, IntStream.range(0, 100).boxed().toList());
            while (items.size() < 5) Greenlets.yieldNow();
            it.close();
            for (Greenlet<?> g : items) assertTrue(g.isKilled());
            assertTrue(pool.isEmpty());
            assertEquals(5, pool.freeCount());
        });
    }

    @Test
    void afterCloseHasNextIsFalseEvenWithAResultAlreadyPeeked() {
        inHub(() -> {
            Pool pool = new Pool(2);
            MapIterator<Integer> it = pool.imap(i -> i, List.of(1, 2, 3));
            assertTrue(it.hasNext()); // the first result is waiting in the iterator now
            it.close();
            assertFalse(it.hasNext());
            assertThrows(java.util.NoSuchElementException.class, it::next);
        });
    }

    @Test
    void closeReturnsOnlyOnceTheKilledItemsHaveLeftThePoolAndFreedTheirSlots() {
        // a greenlet is ready before its links run; close() waits for the links (regression: a
        // join-based close returned while the last item still held its slot)
        for (int round = 0; round < 100; round++) {
            inHub(() -> {
                Pool pool = new Pool(3);
                Event never = new Event();
                AtomicInteger started = new AtomicInteger();
                Event allStarted = new Event();
                MapIterator<Integer> it = pool.imap(i -> {
                    if (started.incrementAndGet() == 3) allStarted.set();
                    never.await();
                    return i;
                }, IntStream.range(0, 10).boxed().toList());
                allStarted.await();
                it.close();
                assertEquals(List.of(), pool.members());
                assertEquals(3, pool.freeCount());
            });
        }
    }

    @Test
    void killingThePoolMidImapStopsTheFeederAndEndsTheMap() {
        inHub(() -> {
            Pool pool = new Pool(2);
            Event never = new Event();
            MapInputs.Counting input = new MapInputs.Counting();
            AtomicInteger started = new AtomicInteger();
            MapIterator<Integer> it = pool.imap(i -> {
                started.incrementAndGet();
                never.await();
                return i;
            }, input, MapOptions.DEFAULTS);
            while (started.get() < 2) Greenlets.yieldNow();
            pool.kill();
            int pulled = input.pulled.get();
            assertTrue(pulled <= 3, "pulled " + pulled); // two running, one waiting for a slot
            assertThrows(CancellationException.class, it::next);
            Greenlets.sleep(Duration.ofMillis(5));
            assertEquals(pulled, input.pulled.get(), "the feeder stopped");
            assertEquals(2, pool.freeCount());
        });
    }

    @Test
    void theStreamViewYieldsTheResultsAndItsCloseClosesTheMap() {
        inHub(() -> {
            Pool pool = new Pool(3);
            try (Stream<Integer> s = pool.imap(i -> i * 3, Stream.of(1, 2, 3), MapOptions.DEFAULTS).stream()) {
                assertEquals(List.of(3, 6, 9), s.toList());
            }
            MapInputs.Counting input = new MapInputs.Counting();
            MapIterator<Integer> it = pool.imap(i -> i, input, MapOptions.DEFAULTS.maxsize(2));
            try (Stream<Integer> s = it.stream()) {
                assertEquals(List.of(0, 1, 2), s.limit(3).toList());
            }
            assertFalse(it.hasNext(), "closed with its stream");
        });
    }

    @Test
    void mapAsyncReturnsAtOnceAndCallsBackWithTheResults() {
        inHub(() -> {
            Pool pool = new Pool(2);
            List<List<Integer>> got = new CopyOnWriteArrayList<>();
            Greenlet<List<Integer>> g = pool.mapAsync(i -> i + 1, List.of(1, 2), got::add);
            assertFalse(pool.contains(g));
            assertEquals(List.of(2, 3), g.get());
            assertEquals(List.of(List.of(2, 3)), got);
        });
    }

    @Test
    void badMapArgumentsFailAtTheCall() {
        inHub(() -> {
            Pool pool = new Pool(2);
            assertThrows(NullPointerException.class, () -> pool.imap(null, List.of(1)));
            assertThrows(NullPointerException.class, () -> pool.imap(i -> i, (Iterable<Integer>) null));
            assertThrows(IllegalArgumentException.class, () -> pool.imap(i -> i, List.of(1), 0));
            assertThrows(IllegalArgumentException.class, () -> MapOptions.DEFAULTS.itemTimeout(Duration.ofMillis(-1)));
        });
    }

    @Test
    void anEmptyInputEndsTheMapAtOnceEvenWhenThePoolIsFull() {
        inHub(() -> { // gevent's test_empty_imap: its feeder reads the input outside the pool
            Pool pool = new Pool(1);
            Event never = new Event();
            pool.spawn(() -> never.await()); // holds the only slot
            Greenlets.withTimeout(LONG, () -> {
                assertEquals(List.of(), pool.map(i -> i, List.<Integer>of()));
                try (MapIterator<Integer> it = pool.imapUnordered(i -> i, List.<Integer>of())) {
                    assertFalse(it.hasNext());
                }
                assertEquals(List.of(), new Pool(0).map(i -> i, List.<Integer>of()));
            });
            assertEquals(0, pool.freeCount());
            pool.kill();
        });
    }

    @Test
    void aMemberOfAFullPoolMappingAnEmptyInputGetsNoResultsInsteadOfDeadlocking() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Greenlet<List<Integer>> member = pool.spawn(() -> pool.map(i -> i, List.<Integer>of()));
            assertEquals(List.of(), member.get(LONG));
        });
    }

    @Test
    void anInputThatThrowsWhileThePoolIsFullEndsTheMapWithItsException() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Event never = new Event();
            pool.spawn(() -> never.await());
            Iterator<Integer> broken = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    throw new IllegalStateException("input broke");
                }

                @Override
                public Integer next() {
                    throw new AssertionError("never asked");
                }
            };
            Greenlets.withTimeout(LONG, () -> {
                MapIterator<Integer> it = pool.imap(i -> i, broken, MapOptions.DEFAULTS);
                assertEquals("input broke", assertThrows(IllegalStateException.class, it::next).getMessage());
                assertFalse(it.hasNext());
            });
            pool.kill();
        });
    }
}
