package dev.weft.pool;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The map family's behaviours that hold in every kind of group, run in each: a bounded pool,
 * whose maps run their items in workers, and the groups whose maps spawn a greenlet per item
 * through a feeder outside the group — a plain {@link Group}, {@link Pool#unbounded()} and a
 * bounded pool with a {@link GreenletFactory} (gevent runs its pool tests with {@code size=None}
 * too). {@link MapTest} has the bounded pool's own cases (slots, closing, a full pool).
 */
class MapInEveryGroupTest extends HubTestBase {

    enum Kind {
        BOUNDED_POOL {
            @Override
            Group create() {
                return new Pool(3);
            }
        },
        GROUP {
            @Override
            Group create() {
                return new Group();
            }
        },
        UNBOUNDED_POOL {
            @Override
            Group create() {
                return Pool.unbounded();
            }
        },
        FACTORY_POOL {
            @Override
            Group create() {
                return new Pool(3, new GreenletFactory() {
                    @Override
                    public <T> Greenlet<T> newGreenlet(java.util.concurrent.Callable<? extends T> task) {
                        return new Greenlet<>(task);
                    }
                });
            }
        };

        abstract Group create();
    }

    private static Event[] events(int n) {
        Event[] e = new Event[n];
        for (int i = 0; i < n; i++) e[i] = new Event();
        return e;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void imapYieldsInInputOrderWhateverTheOrderItemsFinish(Kind kind) {
        inHub(() -> {
            Group group = kind.create();
            Event[] go = events(3);
            try (MapIterator<Integer> it = group.imap(i -> {
                go[i].await();
                return i;
            }, List.of(0, 1, 2))) {
                go[2].set();
                go[1].set();
                go[0].set();
                List<Integer> got = new ArrayList<>();
                it.forEachRemaining(got::add);
                assertEquals(List.of(0, 1, 2), got);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void imapUnorderedYieldsInCompletionOrder(Kind kind) {
        inHub(() -> {
            Group group = kind.create();
            Event[] go = events(3);
            try (MapIterator<Integer> it = group.imapUnordered(i -> {
                go[i].await();
                return i;
            }, List.of(0, 1, 2))) {
                go[2].set();
                assertEquals(2, it.next());
                go[0].set();
                assertEquals(0, it.next());
                go[1].set();
                assertEquals(1, it.next());
                assertFalse(it.hasNext());
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void nextRethrowsAFailedItemAndTheMapGoesOn(Kind kind) {
        hub.setErrorHandler((s, e) -> {});
        inHub(() -> { // gevent's test__pool TestErrorInHandler.test_imap and test_imap_unordered
            for (boolean ordered : new boolean[] {true, false}) {
                Group group = kind.create();
                CheckedFunction<Integer, Integer> fn = i -> 10 / i;
                MapIterator<Integer> it = ordered ? group.imap(fn, List.of(1, 0, 2)) : group.imapUnordered(fn, List.of(1, 0, 2));
                if (ordered) {
                    assertEquals(10, it.next());
                    assertThrows(ArithmeticException.class, it::next);
                    assertEquals(5, it.next());
                } else { // completion order: the three may end in any order; none is lost
                    List<Object> got = new ArrayList<>();
                    for (int k = 0; k < 3; k++) {
                        try {
                            got.add(it.next());
                        } catch (ArithmeticException e) {
                            got.add("failed");
                        }
                    }
                    assertEquals(java.util.Set.of(10, 5, "failed"), java.util.Set.copyOf(got));
                }
                assertFalse(it.hasNext());
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void mapKeepsInputOrderAndRaisesTheFirstFailure(Kind kind) {
        hub.setErrorHandler((s, e) -> {});
        inHub(() -> {
            Group group = kind.create();
            List<Integer> in = IntStream.range(0, 20).boxed().toList();
            assertEquals(in.stream().map(i -> i * i).toList(), group.map(i -> i * i, in));
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> group.map(i -> {
                if (i % 2 == 1) throw new IllegalStateException("odd " + i);
                return i;
            }, List.of(0, 1, 2, 3)));
            assertEquals("odd 1", e.getMessage());
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anEmptyInputEndsTheMapAtOnce(Kind kind) {
        inHub(() -> {
            Group group = kind.create();
            assertEquals(List.of(), group.map(i -> i, List.<Integer>of()));
            try (MapIterator<Integer> it = group.imapUnordered(i -> i, List.<Integer>of())) {
                assertFalse(it.hasNext());
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void aNullItemFailsNamingItsIndexAndTheOthersGoOn(Kind kind) {
        inHub(() -> {
            List<Integer> in = new ArrayList<>(List.of(1, 2, 3));
            in.set(1, null);
            List<dev.weft.Outcome<Integer>> out = kind.create().mapOutcomes(i -> i * 2, in, MapOptions.DEFAULTS);
            assertEquals(new dev.weft.Outcome.Value<>(2), out.get(0));
            Throwable e = ((dev.weft.Outcome.Failed<Integer>) out.get(1)).error();
            assertInstanceOf(NullPointerException.class, e);
            assertTrue(e.getMessage().contains("item 1"), e.getMessage());
            assertEquals(new dev.weft.Outcome.Value<>(6), out.get(2));
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void anInputThatThrowsEndsTheMapAfterTheItemsPulledBeforeIt(Kind kind) {
        hub.setErrorHandler((s, e) -> {});
        inHub(() -> {
            Iterator<Integer> broken = new Iterator<>() {
                int n;

                @Override
                public boolean hasNext() {
                    if (n == 2) throw new IllegalStateException("input broke");
                    return true;
                }

                @Override
                public Integer next() {
                    return n++;
                }
            };
            MapIterator<Integer> it = kind.create().imap(i -> i, broken, MapOptions.DEFAULTS);
            assertEquals(0, it.next());
            assertEquals(1, it.next());
            assertEquals("input broke", assertThrows(IllegalStateException.class, it::next).getMessage());
            assertFalse(it.hasNext());
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void maxsizeBoundsTheItemsPulledAndNotYetReadInBothOrders(Kind kind) {
        inHub(() -> { // gevent's test_imap_unordered_bounded_queue checks imap too
            for (boolean ordered : new boolean[] {true, false}) {
                Group group = kind.create();
                MapInputs.Counting input = new MapInputs.Counting();
                AtomicInteger finished = new AtomicInteger();
                int maxsize = 2;
                CheckedFunction<Integer, Integer> fn = i -> {
                    finished.incrementAndGet();
                    return i;
                };
                MapOptions o = MapOptions.DEFAULTS.maxsize(maxsize);
                try (MapIterator<Integer> it = ordered ? group.imap(fn, input, o) : group.imapUnordered(fn, input, o)) {
                    for (int read = 0; read < 20; read++) {
                        Greenlets.sleep(Duration.ofMillis(1)); // a slow reader: let the feeder run ahead
                        assertTrue(input.pulled.get() - read <= maxsize, "pulled " + input.pulled + " read " + read);
                        assertTrue(finished.get() - read <= maxsize, "finished " + finished + " read " + read);
                        it.next();
                    }
                }
            }
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void closingEarlyKillsTheItemsInFlightAndStopsTheFeeder(Kind kind) {
        inHub(() -> {
            Group group = kind.create();
            Event never = new Event();
            List<Greenlet<?>> items = new CopyOnWriteArrayList<>();
            MapInputs.Counting input = new MapInputs.Counting();
            MapIterator<Integer> it = group.imapUnordered(i -> {
                items.add(Greenlet.current());
                never.await();
                return i;
            }, input, MapOptions.DEFAULTS.maxsize(3));
            while (items.size() < 3) Greenlets.yieldNow();
            it.close();
            for (Greenlet<?> g : items) assertTrue(g.isKilled());
            assertTrue(group.isEmpty());
            int pulled = input.pulled.get();
            assertTrue(pulled <= 4, "pulled " + pulled); // three items, and at most one the feeder held
            assertFalse(it.hasNext());
        });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void killingTheGroupMidImapStopsTheFeederAndEndsTheMapWithACancellation(Kind kind) {
        inHub(() -> {
            Group group = kind.create();
            Event never = new Event();
            AtomicInteger started = new AtomicInteger();
            MapIterator<Integer> it = group.imap(i -> {
                started.incrementAndGet();
                never.await();
                return i;
            }, List.of(0, 1, 2));
            while (started.get() < 3) Greenlets.yieldNow();
            group.kill();
            assertThrows(CancellationException.class, it::next);
            assertTrue(group.isEmpty());
        });
    }
}
