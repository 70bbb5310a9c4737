package dev.weft.pool;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.Outcome;
import dev.weft.sync.Event;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A bounded Pool's map runs its items in workers that pull the input themselves and run one item
 * after another: what that keeps of gevent's one-greenlet-per-item (slots, fairness, laziness,
 * close) and what it changes (which greenlet runs an item).
 */
class MapWorkersTest extends HubTestBase {

    @Test
    void aFullPoolsMapRunsItsItemsOneAfterAnotherInTheSameWorker() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Set<Greenlet<?>> ranIn = ConcurrentHashMap.newKeySet();
            List<Integer> out = pool.map(i -> {
                ranIn.add(Greenlet.current());
                return i * 2;
            }, IntStream.range(0, 50).boxed().toList());
            assertEquals(IntStream.range(0, 50).map(i -> i * 2).boxed().toList(), out);
            assertEquals(1, ranIn.size(), "nobody else wanted the slot: one worker ran every item");
            assertTrue(pool.isEmpty());
            assertEquals(1, pool.freeCount());
        });
    }

    @Test
    void aGroupsMapAndAFactoryPoolsMapRunEachItemInAGreenletOfItsOwn() {
        inHub(() -> {
            Pool withFactory = new Pool(1, new GreenletFactory() {
                @Override
                public <T> Greenlet<T> newGreenlet(Callable<? extends T> task) {
                    return new Greenlet<>(task);
                }
            });
            for (Group group : List.of(new Group(), withFactory)) {
                Set<Greenlet<?>> ranIn = ConcurrentHashMap.newKeySet();
                group.map(i -> ranIn.add(Greenlet.current()), IntStream.range(0, 20).boxed().toList());
                assertEquals(20, ranIn.size(), group + ": a greenlet per item");
            }
        });
    }

    @Test
    void aSpawnWaitingForASlotGetsItAfterTheItemTheWorkerRuns() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Event finish = new Event();
            Event admitted = new Event();
            try (MapIterator<Integer> it = pool.imap(i -> {
                if (i == 0) finish.await();
                return i * 10;
            }, IntStream.range(0, 5).boxed().toList())) {
                Greenlet<?> spawner = hub.spawn(() -> pool.spawn(admitted::set));
                awaitWaiting(spawner); // queued for the slot the running item holds
                finish.set();
                assertEquals(0, it.next());
                assertTrue(admitted.await(LONG), "the worker gave its slot up after its item");
                spawner.join();
                for (int i = 1; i < 5; i++) assertEquals(i * 10, it.next(), "the map goes on after the spawn had its turn");
                assertFalse(it.hasNext());
            }
            assertTrue(pool.isEmpty());
            assertEquals(1, pool.freeCount());
        });
    }

    @Test
    void aSpawnGetsTheSlotOfAWorkerWaitingInTheInputAndTheItemItReadsWaitsItsTurn() {
        inHub(() -> {
            Pool pool = new Pool(1);
            MapInputs.Queued input = new MapInputs.Queued();
            Event admitted = new Event();
            Event release = new Event();
            try (MapIterator<Integer> it = pool.imap(i -> i * 10, input, MapOptions.DEFAULTS)) {
                input.queue.put(0);
                assertEquals(0, it.next()); // the worker holds the slot, waiting in the input
                Greenlet<Void> member = pool.spawn(() -> { // at once: the worker gives its slot up
                    admitted.set();
                    release.await();
                });
                assertTrue(admitted.await(LONG));
                assertEquals(1, pool.capacity() - pool.freeCount());
                input.queue.put(1); // read now, run once the member gives the slot back
                release.set();
                assertEquals(10, it.next());
                member.join();
                input.queue.put(MapInputs.STOP);
                assertFalse(it.hasNext());
            }
            assertTrue(pool.isEmpty());
            assertEquals(1, pool.freeCount());
        });
    }

    @Test
    void waitAvailableGetsTheSlotOfAWorkerWaitingInTheInput() {
        inHub(() -> {
            Pool pool = new Pool(1);
            MapInputs.Queued input = new MapInputs.Queued();
            try (MapIterator<Integer> it = pool.imap(i -> i, input, MapOptions.DEFAULTS)) {
                input.queue.put(5);
                assertEquals(5, it.next());
                awaitWaiting(pool.members().get(0)); // the worker holds the one slot, waiting in the input
                // it reserves nothing: the map may take the slot again at once
                assertTrue(pool.waitAvailable(LONG), "the worker in the input gave its slot up");
                input.queue.put(6); // read without a slot; it runs once it has taken one again
                assertEquals(6, it.next());
                input.queue.put(MapInputs.STOP);
                assertFalse(it.hasNext());
            }
            assertEquals(1, pool.freeCount());
        });
    }

    @Test
    void aWorkerKilledWithAnExceptionOfItsOwnEndsAfterTheItemItFailed() {
        // the kill is no GreenletExit: the running item fails with it, and its worker must end
        // all the same (the group sends each member one kill only, so close() could not kill it)
        hub.setErrorHandler((s, e) -> {});
        inHub(() -> {
            Pool pool = new Pool(2);
            Event never = new Event();
            AtomicInteger running = new AtomicInteger();
            IllegalStateException stop = new IllegalStateException("stop");
            try (MapIterator<Integer> it = pool.imapUnordered(i -> {
                running.incrementAndGet();
                never.await();
                return i;
            }, IntStream.range(0, 100).boxed().toList())) {
                awaitUntil(() -> running.get() == 2, "two items running");
                Greenlet<?> worker = pool.members().get(0);
                assertTrue(pool.killOne(worker, stop, true, LONG), "the worker ended after its item");
                Outcome<Integer> first = it.nextOutcome();
                assertTrue(first instanceof Outcome.Failed<Integer>(Throwable e) && e == stop, String.valueOf(first));
                Greenlets.withTimeout(LONG, (Runnable) it::close);
            }
            assertTrue(pool.isEmpty());
            assertEquals(2, pool.freeCount());
        });
    }

    @Test
    void anInputFedByAProducerInTheSameFullPoolDoesNotDeadlock() {
        // gevent's feeder reads the input outside the pool; a worker reading it gives its slot up
        // to the producer that waits for one
        inHub(() -> {
            Pool pool = new Pool(1);
            MapInputs.Queued input = new MapInputs.Queued();
            try (MapIterator<Integer> it = pool.imap(i -> i * 10, input, MapOptions.DEFAULTS)) {
                Greenlet<Void> producer = pool.spawn(() -> {
                    for (int i = 0; i < 5; i++) input.queue.put(i);
                    input.queue.put(MapInputs.STOP);
                });
                List<Integer> out = new java.util.ArrayList<>();
                while (it.hasNext()) out.add(it.next());
                assertEquals(List.of(0, 10, 20, 30, 40), out);
                producer.join();
            }
            Pool two = new Pool(1);
            MapInputs.Queued later = new MapInputs.Queued();
            try (MapIterator<Integer> it = two.imapUnordered(i -> i, later, MapOptions.DEFAULTS)) {
                later.queue.put(1);
                assertEquals(1, it.next()); // now the worker waits in the input, holding the one slot
                Greenlet<Void> producer = two.spawn(() -> later.queue.put(MapInputs.STOP));
                assertFalse(it.hasNext());
                producer.join();
            }
            assertEquals(1, two.freeCount());
        });
    }

    @Test
    void anItemReadWithoutASlotRunsOnTheSlotOfTheWorkerNextAtTheInput() {
        // an input fed by the results (the reader puts the next item after each result), and an
        // outside member that holds its slot for as long as the map runs
        inHub(() -> {
            Pool pool = new Pool(2);
            MapInputs.Queued input = new MapInputs.Queued();
            Event item0 = new Event();
            Event mapDone = new Event();
            java.util.concurrent.atomic.AtomicReference<Greenlet<?>> first = new java.util.concurrent.atomic.AtomicReference<>();
            try (MapIterator<Integer> it = pool.imap(i -> {
                if (i == 0) {
                    first.set(Greenlet.current());
                    item0.await();
                }
                return i * 10;
            }, input, MapOptions.DEFAULTS)) {
                input.queue.put(0);
                awaitUntil(() -> first.get() != null && pool.size() == 2, "one worker runs item 0, another started");
                Greenlet<?> second = pool.members().stream().filter(g -> g != first.get()).findFirst().orElseThrow();
                awaitWaiting(second); // it waits in the input, holding the other slot
                Greenlet<Void> outside = pool.spawn(() -> mapDone.await()); // the worker in the input gives its slot up
                item0.set(); // the first worker ends item 0 and waits next in line, with its slot
                assertEquals(0, it.next());
                input.queue.put(1); // read without a slot: it runs on the slot of the worker next in line
                assertEquals(10, Greenlets.withTimeout(LONG, () -> it.next()));
                input.queue.put(2);
                assertEquals(20, Greenlets.withTimeout(LONG, () -> it.next()));
                input.queue.put(MapInputs.STOP);
                assertFalse(it.hasNext());
                mapDone.set();
                outside.join();
            }
            assertTrue(pool.join(LONG));
            assertEquals(2, pool.freeCount());
        });
    }

    @Test
    void aDiscardedWorkerStillDeliversItsItemAndTheMapEnds() {
        inHub(() -> {
            for (Group group : List.<Group>of(new Pool(2), new Group())) {
                Event go = new Event();
                List<Greenlet<?>> ranIn = new java.util.concurrent.CopyOnWriteArrayList<>();
                try (MapIterator<Integer> it = group.imap(i -> {
                    ranIn.add(Greenlet.current());
                    if (i == 0) go.await();
                    return i;
                }, IntStream.range(0, 6).boxed().toList())) {
                    awaitUntil(() -> !ranIn.isEmpty(), "item 0 runs");
                    group.discard(ranIn.get(0));
                    go.set();
                    List<Integer> out = new java.util.ArrayList<>();
                    Greenlets.withTimeout(LONG, (Runnable) () -> { // before the fix: hasNext() waited for ever
                        while (it.hasNext()) out.add(it.next());
                    });
                    assertEquals(List.of(0, 1, 2, 3, 4, 5), out, group.toString());
                }
                assertTrue(group.join(LONG), group.toString());
                if (group instanceof Pool p) assertEquals(2, p.freeCount());
            }
        });
    }

    @Test
    void aGreenletStartedWhileAMapOfTrivialItemsRunsGetsItsTurnSoon() {
        // a worker whose items never block leaves after RENEW items; without that, on the JDK's
        // scheduler a greenlet started meanwhile waited for up to ~1,000,000 items (the reader
        // must be a greenlet too: it and the worker it wakes then share a carrier's own queue)
        inHub(() -> {
            int[] waits = new int[7];
            for (int round = 0; round < waits.length; round++) {
                waits[round] = hub.spawn(() -> {
                    Pool pool = new Pool(1); // one worker at a time: none queued ahead of the new greenlet
                    MapInputs.Counting endless = new MapInputs.Counting();
                    AtomicInteger pulled = endless.pulled;
                    try (MapIterator<Integer> it = pool.imap(i -> i, endless, MapOptions.DEFAULTS.maxsize(1_000_000))) {
                        for (int i = 0; i < 1000; i++) assertEquals(i, it.next());
                        AtomicInteger pulledWhenStarted = new AtomicInteger(-1);
                        int before = pulled.get();
                        hub.spawn(() -> pulledWhenStarted.set(pulled.get()));
                        for (int i = 1000; pulledWhenStarted.get() < 0; i++) assertEquals(i, it.next());
                        return pulledWhenStarted.get() - before;
                    }
                }).get();
            }
            int[] sorted = waits.clone();
            java.util.Arrays.sort(sorted);
            // typically RENEW (a cold first round may wait longer); without the renewal the median
            // was thousands to a million
            assertTrue(sorted[sorted.length / 2] <= 4 * MapIterator.RENEW,
                    "started after " + java.util.Arrays.toString(waits) + " items");
        });
    }

    @Test
    void whileTheInputWaitsAtMostTwoWorkersHoldASlot() {
        inHub(() -> {
            Pool pool = new Pool(5);
            MapInputs.Queued input = new MapInputs.Queued();
            Event go = new Event();
            AtomicInteger running = new AtomicInteger();
            try (MapIterator<Integer> it = pool.imapUnordered(i -> {
                running.incrementAndGet();
                go.await();
                return i;
            }, input, MapOptions.DEFAULTS)) {
                for (int i = 0; i < 5; i++) input.queue.put(i);
                awaitUntil(() -> running.get() == 5, "five items running");
                go.set(); // the five workers come back to an input that waits: one waits in it,
                          // one waits for it, and the other three give their slots back
                int sum = 0;
                for (int i = 0; i < 5; i++) sum += it.next();
                assertEquals(10, sum);
                awaitUntil(() -> pool.freeCount() == 3, "three slots given back");
                assertEquals(2, pool.size());
                input.queue.put(MapInputs.STOP);
                assertFalse(it.hasNext());
            }
            assertTrue(pool.isEmpty());
            assertEquals(5, pool.freeCount());
        });
    }

    /** Yields (never sleeps) until {@code condition} holds; fails after {@link #LONG}. */
    private static void awaitUntil(java.util.function.BooleanSupplier condition, String what) {
        long end = System.nanoTime() + LONG.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) throw new AssertionError("never: " + what);
            Greenlets.yieldNow();
        }
    }

    @Test
    void itemsThatFeedTheInputKeepTheMapGoing() {
        // a crawler: each item may add the next one to the input the map is reading
        inHub(() -> {
            Pool pool = new Pool(2);
            MapInputs.Queued input = new MapInputs.Queued();
            input.queue.put(0);
            java.util.Set<Integer> got = new java.util.TreeSet<>();
            try (MapIterator<Integer> it = pool.imapUnordered(i -> {
                input.queue.put(i < 100 ? i + 1 : MapInputs.STOP);
                return i;
            }, input, MapOptions.DEFAULTS)) {
                // completion order: item i+1 may end before item i's result is stored
                while (it.hasNext()) assertTrue(got.add(it.next()), "a result twice");
            }
            assertEquals(IntStream.rangeClosed(0, 100).boxed().toList(), List.copyOf(got));
        });
    }

    @Test
    void closingWhileAWorkerWaitsInTheInputKillsItAndFreesItsSlot() {
        inHub(() -> {
            Pool pool = new Pool(3);
            MapInputs.Queued input = new MapInputs.Queued();
            input.queue.put(7);
            MapIterator<Integer> it = pool.imap(i -> i + 1, input, MapOptions.DEFAULTS);
            assertEquals(8, it.next());
            it.close();
            assertTrue(pool.isEmpty(), "members " + pool.members());
            assertEquals(3, pool.freeCount());
            assertFalse(it.hasNext());
        });
    }

    @Test
    void anItemsFailureDoesNotEndItsWorker() {
        inHub(() -> {
            Pool pool = new Pool(1);
            Set<Greenlet<?>> ranIn = ConcurrentHashMap.newKeySet();
            long failed;
            try (MapIterator<Integer> it = pool.imap(i -> {
                ranIn.add(Greenlet.current());
                if (i % 3 == 0) throw new IllegalArgumentException("bad " + i);
                return i;
            }, IntStream.range(0, 12).boxed().toList())) {
                failed = it.outcomes().filter(o -> !(o instanceof Outcome.Value<?>)).count();
            }
            assertEquals(4, failed);
            assertEquals(1, ranIn.size());
        });
    }
}
