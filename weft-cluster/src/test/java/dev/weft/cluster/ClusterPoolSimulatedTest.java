package dev.weft.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.Outcome;
import dev.weft.Timeout;
import dev.weft.pool.MapOptions;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * ClusterPool's semantics on a simulated hub over {@link InProcessBackend}: every task, item,
 * value and failure makes the round trip through serialisation, deterministically, in virtual
 * time.
 */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class ClusterPoolSimulatedTest {
    /** What "remote" tasks (run in this JVM) report to the test, by key. */
    static final ConcurrentHashMap<String, AtomicInteger> COUNTERS = new ConcurrentHashMap<>();
    static final ConcurrentHashMap<String, Event> EVENTS = new ConcurrentHashMap<>();

    static AtomicInteger counter(String key) {
        return COUNTERS.computeIfAbsent(key, k -> new AtomicInteger());
    }

    static Event event(String key) {
        return EVENTS.computeIfAbsent(key, k -> new Event());
    }

    static String key() {
        return UUID.randomUUID().toString();
    }

    /** A backend that is not in-process (so a simulated hub must be refused) and must never be reached. */
    static final class NeverSubmitted implements ClusterBackend {
        @Override
        public Submission submit(Job job, Consumer<Reply> onReply) {
            throw new AssertionError("never submitted");
        }

        @Override
        public int memberCount() {
            return 1;
        }

        @Override
        public List<String> allowList() {
            return List.of();
        }
    }

    private static void simulated(Consumer<Hub> body) {
        try (Hub hub = Hub.simulated(42)) {
            hub.run(() -> body.accept(hub));
        }
    }

    @Test
    void spawnRunsTheTaskThroughSerialisationAndReturnsItsValue() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(4, new InProcessBackend());
            ArrayList<String> captured = new ArrayList<>(List.of("a", "b"));
            Greenlet<List<String>> g = pool.spawn(() -> {
                captured.add("c");
                return captured;
            });
            List<String> value = g.get();
            assertEquals(List.of("a", "b", "c"), value);
            assertNotSame(captured, value, "the value is a copy made by the round trip");
            assertEquals(List.of("a", "b"), captured, "the caller's object was not touched");
        });
    }

    @Test
    void aTaskCapturingSomethingNotSerializableIsRefusedAtSpawnWithoutTakingAPermit() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(2, new InProcessBackend());
            Object notSerializable = new Object();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pool.spawn(() -> notSerializable.hashCode()));
            assertTrue(e.getMessage().contains("not serializable"), e.getMessage());
            assertEquals(2, pool.freeCount());
            assertEquals(0, pool.size());
        });
    }

    @Test
    void aLambdaTypedAsAPlainCallableIsRefusedWithAHint() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(2, new InProcessBackend());
            Callable<Integer> plain = () -> 1;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.spawn(plain));
            assertTrue(e.getMessage().contains("ClusterPool.Task"), e.getMessage());
        });
    }

    @Test
    void aNonSerializableTaskIsRefusedAtOnceWhenThePoolIsFull() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(1, new InProcessBackend());
            Greenlet<Integer> busy = pool.spawn(() -> {
                Greenlets.sleep(Duration.ofHours(1));
                return 1;
            });
            Object notSerializable = new Object();
            long t0 = hub.nanoTime();
            assertThrows(IllegalArgumentException.class, () -> pool.spawn(() -> notSerializable.hashCode()));
            assertEquals(t0, hub.nanoTime(), "refused at the call, not after waiting for a permit");
            assertTrue(!busy.isReady(), "the busy task still holds the permit");
            busy.kill();
        });
    }

    @Test
    void aSimulatedHubIsRefusedAtOnceWhenThePoolIsFull() {
        ClusterBackend remote = new NeverSubmitted();
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(1, remote);
            Greenlet<Integer> local = new Greenlet<>(() -> {
                Greenlets.sleep(Duration.ofHours(1));
                return 1;
            });
            pool.start(local); // a local member holds the only permit
            long t0 = hub.nanoTime();
            assertThrows(IllegalStateException.class, () -> pool.spawn(() -> 1));
            assertEquals(t0, hub.nanoTime(), "refused at the call, not after waiting for a permit");
            local.kill();
        });
    }

    @Test
    void aVoidTaskRunsRemotely() {
        simulated(hub -> {
            String k = key();
            ClusterPool pool = new ClusterPool(2, new InProcessBackend());
            Greenlet<Void> g = pool.spawn(() -> {
                counter(k).incrementAndGet();
            });
            g.join();
            assertTrue(g.isSuccessful());
            assertEquals(1, counter(k).get());
        });
    }

    @Test
    void imapReturnsEveryResultInInputOrder() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(3, new InProcessBackend());
            List<Integer> input = IntStream.range(0, 50).boxed().toList();
            List<Integer> out = new ArrayList<>();
            pool.imap(x -> {
                Greenlets.sleep(Duration.ofMillis((x * 7919L) % 13));
                return x * x;
            }, input).forEachRemaining(out::add);
            assertEquals(input.stream().map(x -> x * x).toList(), out);
        });
    }

    @Test
    void aRemoteFailureFailsTheStandInWithTheSameException() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(2, new InProcessBackend());
            Greenlet<Integer> g = pool.spawn(() -> {
                throw new IllegalStateException("boom");
            });
            IllegalStateException e = assertThrows(IllegalStateException.class, g::get);
            assertEquals("boom", e.getMessage());
            assertInstanceOf(IllegalStateException.class, g.exception());
        });
    }

    @Test
    void killingTheStandInKillsTheRemoteTask() {
        simulated(hub -> {
            String k = key();
            ClusterPool pool = new ClusterPool(2, new InProcessBackend());
            Greenlet<String> g = pool.spawn(() -> {
                try {
                    counter(k).incrementAndGet();
                    Greenlets.sleep(Duration.ofHours(1));
                    return "late";
                } finally {
                    event(k).set();
                }
            });
            Greenlets.sleep(Duration.ofSeconds(1));
            g.kill();
            assertTrue(g.isKilled());
            assertTrue(event(k).await(Duration.ofSeconds(1)), "the remote task ended");
            assertEquals(1, counter(k).get());
            assertEquals(2, pool.freeCount());
        });
    }

    @Test
    void anItemTimeoutEndsTheItemWithATimeoutAndStopsItsRemoteTask() {
        simulated(hub -> {
            String k = key();
            ClusterPool pool = new ClusterPool(2, new InProcessBackend());
            long t0 = hub.nanoTime();
            List<Outcome<Integer>> out = pool.mapOutcomes(x -> {
                try {
                    if (x == 1) Greenlets.sleep(Duration.ofHours(1));
                    return x;
                } finally {
                    if (x == 1) event(k).set();
                }
            }, List.of(0, 1, 2), MapOptions.DEFAULTS.itemTimeout(Duration.ofSeconds(1)));
            assertEquals(new Outcome.Value<>(0), out.get(0));
            assertInstanceOf(Timeout.class, ((Outcome.Failed<Integer>) out.get(1)).error());
            assertEquals(new Outcome.Value<>(2), out.get(2));
            assertTrue(event(k).await(Duration.ofSeconds(1)), "the remote item was stopped");
            assertTrue(hub.nanoTime() - t0 < Duration.ofSeconds(2).toNanos(), "it ended at the timeout");
        });
    }

    @Test
    void aTimeoutOfTheTasksOwnThatEscapesItIsItsFailureNotAKill() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(1, new InProcessBackend());
            Greenlet<Integer> g = pool.spawn(() -> {
                Timeout.start(Duration.ofMillis(10)); // the task's own, never cancelled
                Greenlets.sleep(Duration.ofHours(1));
                return 1;
            });
            g.join();
            assertFalse(g.isKilled(), String.valueOf(g));
            assertInstanceOf(Timeout.class, g.exception(), "as a local greenlet would fail: " + g);
        });
    }

    @Test
    void aTaskTimeoutFailsTheStandInWithTheCallersTimeoutAndStopsTheRemoteTask() {
        simulated(hub -> {
            String k = key();
            ClusterPool pool = new ClusterPool(1, new InProcessBackend()).taskTimeout(Duration.ofSeconds(1));
            Greenlet<Integer> g = pool.spawn(() -> {
                try {
                    Greenlets.sleep(Duration.ofHours(1));
                    return 1;
                } finally {
                    event(k).set();
                }
            });
            g.join();
            assertInstanceOf(Timeout.class, g.exception(), "the caller's own Timeout ends its stand-in: " + g);
            assertTrue(event(k).await(Duration.ofMillis(500)), "the cancel stopped the remote task before its own deadline");
        });
    }

    @Test
    void aRejectedTaskIsResubmittedAndRunsOnce() {
        simulated(hub -> {
            InProcessBackend backend = new InProcessBackend();
            backend.failNext(InProcessBackend.Fault.REJECTED, InProcessBackend.Fault.REJECTED);
            ClusterPool pool = new ClusterPool(2, backend);
            assertEquals(7, pool.spawn(() -> 7).get());
            assertEquals(3, backend.submissions());
            assertEquals(1, backend.runs());
        });
    }

    @Test
    void aTaskNoMemberAcceptsFailsAfterTheOverloadTimeout() {
        simulated(hub -> {
            InProcessBackend backend = new InProcessBackend();
            InProcessBackend.Fault[] always = new InProcessBackend.Fault[10_000];
            java.util.Arrays.fill(always, InProcessBackend.Fault.REJECTED);
            backend.failNext(always);
            ClusterPool pool = new ClusterPool(2, backend).overloadTimeout(Duration.ofSeconds(1));
            Greenlet<Integer> g = pool.spawn(() -> 7);
            assertThrows(RejectedExecutionException.class, g::get);
            assertEquals(0, backend.runs());
            assertTrue(backend.submissions() < 100, "it backed off: " + backend.submissions());
        });
    }

    @Test
    void aMemberLossFailsTheTaskByDefaultAtMostOnce() {
        simulated(hub -> {
            InProcessBackend backend = new InProcessBackend();
            backend.failNext(InProcessBackend.Fault.LOST_AFTER_RUN);
            ClusterPool pool = new ClusterPool(2, backend);
            Greenlet<Integer> g = pool.spawn(() -> 7);
            assertThrows(MemberLost.class, g::get);
            assertEquals(1, backend.runs());
        });
    }

    @Test
    void retryResubmitsAfterAMemberLossAtLeastOnce() {
        simulated(hub -> {
            InProcessBackend backend = new InProcessBackend();
            backend.failNext(InProcessBackend.Fault.LOST_AFTER_RUN);
            ClusterPool pool = new ClusterPool(2, backend).retry(1);
            assertEquals(7, pool.spawn(() -> 7).get());
            assertEquals(2, backend.runs(), "the task ran twice: at-least-once");
        });
    }

    @Test
    void retrySetAfterASpawnDoesNotApplyToThatTask() {
        simulated(hub -> {
            InProcessBackend backend = new InProcessBackend();
            backend.failNext(InProcessBackend.Fault.LOST_AFTER_RUN);
            ClusterPool pool = new ClusterPool(2, backend);
            Greenlet<Integer> g = pool.spawn(() -> 7); // spawned at-most-once
            pool.retry(1);
            assertThrows(MemberLost.class, g::get);
            assertEquals(1, backend.runs(), "it was not run again");
        });
    }

    @Test
    void retryGivesUpAfterItsResubmissions() {
        simulated(hub -> {
            InProcessBackend backend = new InProcessBackend();
            backend.failNext(InProcessBackend.Fault.LOST_BEFORE_RUN, InProcessBackend.Fault.LOST_BEFORE_RUN);
            ClusterPool pool = new ClusterPool(2, backend).retry(1);
            Greenlet<Integer> g = pool.spawn(() -> 7);
            assertThrows(MemberLost.class, g::get);
            assertEquals(2, backend.submissions());
        });
    }

    @Test
    void thePoolBoundsTheTasksInFlight() {
        simulated(hub -> {
            String now = key();
            String max = key();
            ClusterPool pool = new ClusterPool(2, new InProcessBackend());
            for (int i = 0; i < 6; i++) {
                pool.spawn(() -> {
                    int n = counter(now).incrementAndGet();
                    counter(max).accumulateAndGet(n, Math::max);
                    Greenlets.sleep(Duration.ofSeconds(1));
                    counter(now).decrementAndGet();
                });
            }
            pool.join();
            assertEquals(2, counter(max).get());
        });
    }

    @Test
    void killingThePoolStopsTheRemoteItems() {
        simulated(hub -> {
            String k = key();
            ClusterPool pool = new ClusterPool(5, new InProcessBackend());
            var it = pool.imapUnordered(x -> {
                try {
                    Greenlets.sleep(Duration.ofHours(1));
                    return x;
                } finally {
                    counter(k).incrementAndGet();
                    if (counter(k).get() == 5) event(k).set();
                }
            }, List.of(1, 2, 3, 4, 5));
            Greenlets.sleep(Duration.ofSeconds(1));
            assertEquals(5, pool.size());
            pool.kill();
            assertEquals(0, pool.size());
            assertTrue(event(k).await(Duration.ofSeconds(1)), "every remote item ended");
            it.close();
        });
    }

    @Test
    void aValueOutsideTheAllowListFailsAsARemoteFailure() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(2, new InProcessBackend());
            Greenlet<AtomicInteger> g = pool.spawn(() -> new AtomicInteger(3));
            RemoteFailure e = assertThrows(RemoteFailure.class, g::get);
            assertTrue(e.getMessage().contains("allow-list"), e.getMessage());
        });
    }

    @Test
    void aTaskCapturingAClassOutsideTheAllowListIsRefusedOnItsMember() {
        simulated(hub -> {
            String k = key();
            ClusterPool pool = new ClusterPool(2, new InProcessBackend());
            AtomicInteger outside = new AtomicInteger(); // java.util.concurrent.atomic: not on the list
            Greenlet<Integer> g = pool.spawn(() -> counter(k).addAndGet(outside.get() + 1));
            RemoteFailure e = assertThrows(RemoteFailure.class, g::get);
            assertTrue(e.getMessage().contains("allow-list"), e.getMessage());
            assertEquals(0, counter(k).get(), "the task never ran");
        });
    }

    @Test
    void aTaskTimeoutTooLongForNanosecondsMeansNoLimit() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(2, new InProcessBackend()).taskTimeout(Duration.ofSeconds(Long.MAX_VALUE));
            assertEquals(7, pool.spawn(() -> 7).get());
        });
    }

    @Test
    void aSimulatedHubIsRefusedByABackendThatCompletesFromOtherThreads() {
        ClusterBackend remote = new NeverSubmitted();
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(2, remote);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.spawn(() -> 1));
            assertTrue(e.getMessage().contains("simulated hub"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> pool.imap(x -> x, List.of(1)));
            assertEquals(2, pool.freeCount());
        });
    }

    @Test
    void aMalformedAllowListEntryIsRefusedWhereItIsGiven() {
        MemberConfig config = new MemberConfig("weft-test-app");
        assertThrows(IllegalArgumentException.class, () -> config.allow("!com.example.**"));
        assertThrows(IllegalArgumentException.class, () -> config.allow("com.example.*;java.**"));
        assertThrows(IllegalArgumentException.class, () -> config.allow(" "));
        assertThrows(IllegalArgumentException.class, () -> config.allow("maxdepth=100000"));
    }

    @Test
    void theExecutorServiceViewIsRefusedRatherThanRunningTasksLocally() {
        ClusterPool pool = new ClusterPool(2, new InProcessBackend());
        assertThrows(UnsupportedOperationException.class, pool::asExecutorService);
    }

    @Test
    void applyOfAVoidTaskRunsItOnAMember() {
        simulated(hub -> {
            String k = key();
            InProcessBackend backend = new InProcessBackend();
            ClusterPool pool = new ClusterPool(2, backend);
            pool.apply(() -> {
                counter(k).incrementAndGet();
            });
            assertEquals(1, counter(k).get());
            assertEquals(1, backend.runs(), "it ran through the backend");
            assertEquals(2, pool.freeCount());
        });
    }

    @Test
    void applyAsyncOfAVoidTaskRunsItOnAMember() {
        simulated(hub -> {
            String k = key();
            InProcessBackend backend = new InProcessBackend();
            ClusterPool pool = new ClusterPool(2, backend);
            pool.applyAsync(() -> {
                counter(k).incrementAndGet();
            }).join();
            assertEquals(1, counter(k).get());
            assertEquals(1, backend.runs());
        });
    }

    @Test
    void mapAsyncOfALambdaReturnsTheResults() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(2, new InProcessBackend());
            assertEquals(List.of(2, 4, 6), pool.mapAsync(x -> x * 2, List.of(1, 2, 3), null).get());
        });
    }

    @Test
    void aNonSerializableMapAsyncFunctionIsRefusedAtTheCall() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(2, new InProcessBackend());
            Object notSerializable = new Object();
            assertThrows(IllegalArgumentException.class,
                    () -> pool.mapAsync(x -> x + notSerializable.hashCode(), List.of(1), null));
        });
    }

    @Test
    void aNonSerializableApplyIsRefusedAtOnceWhenThePoolIsFull() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(1, new InProcessBackend());
            Greenlet<Integer> busy = pool.spawn(() -> {
                Greenlets.sleep(Duration.ofHours(1));
                return 1;
            });
            Object notSerializable = new Object();
            long t0 = hub.nanoTime();
            assertThrows(IllegalArgumentException.class, () -> pool.apply(() -> notSerializable.hashCode()));
            assertEquals(t0, hub.nanoTime(), "refused at the call, not after waiting for a permit");
            assertFalse(busy.isReady(), "the busy task still holds the permit");
            busy.kill();
        });
    }

    @Test
    void applyFromALocalMemberRunsTheTaskOnAMemberUnderTheCallersPermit() {
        simulated(hub -> {
            InProcessBackend backend = new InProcessBackend();
            ClusterPool pool = new ClusterPool(1, backend);
            Greenlet<Integer> local = new Greenlet<>(() -> pool.apply(() -> 7));
            pool.start(local); // the local member holds the only permit
            assertEquals(7, local.get(), "no deadlock on the full pool");
            assertEquals(1, backend.runs(), "the task ran through the backend, not inline");
            assertEquals(1, pool.freeCount());
        });
    }

    @Test
    void aRemoteExceptionOutsideTheAllowListArrivesWithItsClassMessageStackAndCauses() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(2, new InProcessBackend()); // java.io is not allowed by default
            Greenlet<Integer> g = pool.spawn(() -> {
                throw new java.io.UncheckedIOException("disk full", new java.io.IOException("x"));
            });
            RemoteFailure e = assertThrows(RemoteFailure.class, g::get);
            assertEquals("java.io.UncheckedIOException: disk full", e.getMessage());
            assertTrue(e.getStackTrace().length > 0, "the member's stack trace");
            assertInstanceOf(RemoteFailure.class, e.getCause());
            assertEquals("java.io.IOException: x", e.getCause().getMessage());
            assertTrue(e.getSuppressed()[0].getMessage().contains("allow-list"), e.getSuppressed()[0].getMessage());
        });
    }

    /** An exception that does not serialise (a field of a class that is not Serializable). */
    static final class Unserializable extends RuntimeException {
        private static final long serialVersionUID = 1L;
        @SuppressWarnings({"unused", "serial"})
        private final Object lock = new Object();

        Unserializable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    @Test
    void anExceptionThatDoesNotSerializeArrivesAsARemoteFailureWithItsCauses() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(2, new InProcessBackend());
            Greenlet<Integer> g = pool.spawn(() -> {
                throw new Unserializable("bad", new IllegalStateException("root"));
            });
            RemoteFailure e = assertThrows(RemoteFailure.class, g::get);
            assertEquals(Unserializable.class.getName() + ": bad", e.getMessage());
            assertInstanceOf(RemoteFailure.class, e.getCause());
            assertEquals("java.lang.IllegalStateException: root", e.getCause().getMessage());
        });
    }

    @Test
    void aStringWithALoneSurrogateComesBackUnchanged() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(2, new InProcessBackend());
            assertEquals("a\uD800b", pool.spawn(() -> "a\uD800b").get());
        });
    }

    @Test
    void aNonSerializableApplyAsyncWithACallbackIsRefusedAtOnceWhenThePoolIsFull() {
        simulated(hub -> {
            ClusterPool pool = new ClusterPool(1, new InProcessBackend());
            Greenlet<Integer> busy = pool.spawn(() -> {
                Greenlets.sleep(Duration.ofHours(1));
                return 1;
            });
            Object notSerializable = new Object();
            Callable<Integer> task = (Callable<Integer> & java.io.Serializable) () -> notSerializable.hashCode();
            assertThrows(IllegalArgumentException.class, () -> pool.applyAsync(task, v -> {}));
            assertFalse(busy.isReady(), "the busy task still holds the permit");
            busy.kill();
        });
    }

    @Test
    void anOverloadTimeoutTooLongForNanosecondsMeansNoLimit() {
        simulated(hub -> {
            InProcessBackend backend = new InProcessBackend();
            backend.failNext(InProcessBackend.Fault.REJECTED);
            ClusterPool pool = new ClusterPool(2, backend).overloadTimeout(Duration.ofSeconds(Long.MAX_VALUE));
            assertEquals(7, pool.spawn(() -> 7).get());
            assertEquals(2, backend.submissions());
        });
    }

    @Test
    void retrySetDuringAMapDoesNotApplyToItsLaterItems() {
        simulated(hub -> {
            String gate = key();
            InProcessBackend backend = new InProcessBackend();
            ClusterPool pool = new ClusterPool(2, backend); // at-most-once when the map starts
            Iterable<Integer> input = () -> new java.util.Iterator<>() {
                int next = 1;

                @Override
                public boolean hasNext() {
                    if (next == 2) event(gate).await(); // the second item is read only after the gate opens
                    return next <= 2;
                }

                @Override
                public Integer next() {
                    return next++;
                }
            };
            try (var it = pool.imap(x -> x, input)) {
                assertEquals(1, it.next());
                pool.retry(1);
                backend.failNext(InProcessBackend.Fault.LOST_AFTER_RUN);
                event(gate).set();
                Outcome<Integer> second = it.nextOutcome();
                Outcome.Failed<?> failed = assertInstanceOf(Outcome.Failed.class, second, "at-most-once, as when the map started");
                assertInstanceOf(MemberLost.class, failed.error());
            }
            assertEquals(2, backend.runs(), "the second item was not run again");
        });
    }

    @Test
    void theSameSeedReplaysTheSameCompletionOrder() {
        List<List<Integer>> runs = new ArrayList<>();
        for (int r = 0; r < 2; r++) {
            try (Hub hub = Hub.simulated(7)) {
                runs.add(hub.run(() -> {
                    ClusterPool pool = new ClusterPool(4, new InProcessBackend());
                    List<Integer> order = new ArrayList<>();
                    pool.imapUnordered(x -> {
                        Greenlets.yieldNow();
                        return x;
                    }, IntStream.range(0, 20).boxed().toList()).forEachRemaining(order::add);
                    return order;
                }));
            }
        }
        assertEquals(runs.get(0), runs.get(1));
    }
}
