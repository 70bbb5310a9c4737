package dev.weft.bench;

import dev.weft.Hub;
import dev.weft.actor.DeferredCallHandler;
import dev.weft.state.MachineDefinition;
import dev.weft.state.StateMachine;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Deferred-call handlers and state machines, side by side with their baselines, per operation
 * ({@value #BATCH} per invocation, run inside a greenlet of the hub):
 * <ul>
 * <li>{@code syncCall}: a {@code sync()} round trip to a handler processing in its own greenlet,
 *     against {@code queuePingPong}, two greenlets passing a token through two weft queues on
 *     the same hub (target ≤ 1.5×);</li>
 * <li>{@code onewayCall}: a {@code oneway()} call, amortised over the batch and its processing
 *     (target ≤ 0.3 µs);</li>
 * <li>{@code stateTransition}: one transition of a two-state cycle, against {@code spawnJoin}
 *     (target ≤ 1.5×);</li>
 * <li>{@code synchronizedCall}: the same method through a plain {@code synchronized} method, and
 *     {@code rawJdkSyncCall}/{@code rawJdkOnewayCall}: the raw-JDK twin, a virtual thread draining
 *     a {@code LinkedBlockingQueue} of calls completed through {@code CompletableFuture}s.</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ActorBench {
    /** Operations per benchmark invocation. */
    public static final int BATCH = 10_000;

    /** The interface of the benchmark's handler. */
    public interface Counter {
        /**
         * Adds one and returns the total.
         *
         * @return the new total
         */
        int increment();

        /**
         * Adds {@code n}.
         *
         * @param n what to add
         */
        void add(int n);
    }

    /** A counter whose calls are deferred. */
    public static final class CounterHandler extends DeferredCallHandler<Counter> implements Counter {
        private int total;

        /** A counter at zero. */
        public CounterHandler() {
            super(Counter.class);
        }

        @Override
        public int increment() {
            return ++total;
        }

        @Override
        public void add(int n) {
            total += n;
        }
    }

    /** The same counter, serialised by its monitor. */
    public static final class SynchronizedCounter {
        private int total;

        /**
         * Adds one and returns the total.
         *
         * @return the new total
         */
        public synchronized int increment() {
            return ++total;
        }
    }

    @Param({"parallel", "cooperative"})
    public String hubKind;

    private Hub hub;
    private CounterHandler handler;
    private RawHandler raw;
    private MachineDefinition<String> cycle;
    private final SynchronizedCounter monitor = new SynchronizedCounter();

    @Setup
    public void setUp() {
        hub = hubKind.equals("cooperative") ? Hub.cooperative() : Hub.parallel();
        handler = hub.spawn(() -> {
            CounterHandler h = new CounterHandler();
            h.spawnProcessing();
            return h;
        }).get();
        raw = new RawHandler();
        cycle = cycle(BATCH);
    }

    @TearDown
    public void tearDown() {
        raw.close();
        hub.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int queuePingPong() {
        return PingPongBench.weftQueue(hub, BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int syncCall() {
        return syncCalls(hub, handler, BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int onewayCall() {
        return onewayCalls(hub, handler, BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int stateTransition() {
        return transitions(hub, cycle);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int spawnJoin() {
        return SpawnJoinBench.weftBatch(hub, BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int synchronizedCall() {
        int last = 0;
        for (int i = 0; i < BATCH; i++) last = monitor.increment();
        return last;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int rawJdkSyncCall() {
        return raw.syncCalls(BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int rawJdkOnewayCall() {
        return raw.onewayCalls(BATCH);
    }

    /** {@code n} sync round trips to {@code h} from a greenlet of {@code hub}; returns how many. */
    public static int syncCalls(Hub hub, CounterHandler h, int n) {
        return hub.spawn(() -> {
            Counter c = h.sync();
            int done = 0;
            for (int i = 0; i < n; i++) {
                c.increment();
                done++;
            }
            return done;
        }).get();
    }

    /** {@code n} one-way calls to {@code h}, then one sync call that waits for them all. */
    public static int onewayCalls(Hub hub, CounterHandler h, int n) {
        return hub.spawn(() -> {
            Counter c = h.oneway();
            for (int i = 0; i < n; i++) c.add(1);
            h.sync().increment(); // all processed
            return n;
        }).get();
    }

    /** A two-state cycle that takes {@code n} transitions, then ends. */
    public static MachineDefinition<String> cycle(int n) {
        return StateMachine.<String>define()
                .state("a", s -> {
                    int k = s.arg(0);
                    return k + 1 >= n ? s.to("done", k + 1) : s.to("b", k + 1);
                }, "b", "done")
                .state("b", s -> {
                    int k = s.arg(0);
                    return k + 1 >= n ? s.to("done", k + 1) : s.to("a", k + 1);
                }, "a", "done")
                .terminal("done", s -> {})
                .build();
    }

    /** Runs {@code cycle} to its end from a greenlet of {@code hub}; returns the transitions taken. */
    public static int transitions(Hub hub, MachineDefinition<String> cycle) {
        return hub.spawn(() -> {
            StateMachine<String> m = cycle.start("a", 0);
            m.join();
            return (int) m.current().arg(0);
        }).get();
    }

    /** The raw-JDK twin: a virtual thread drains a queue of calls, each completing its future. */
    public static final class RawHandler implements AutoCloseable {
        private record RawCall(boolean oneway, CompletableFuture<Integer> result) {}

        private final LinkedBlockingQueue<RawCall> calls = new LinkedBlockingQueue<>();
        private final Thread processor;
        private int total;

        /** Starts the draining virtual thread. */
        public RawHandler() {
            processor = Thread.ofVirtual().start(() -> {
                try {
                    while (true) {
                        RawCall c = calls.take();
                        if (c.oneway) total += 1;
                        else c.result.complete(++total);
                    }
                } catch (InterruptedException e) {
                    // closed
                }
            });
        }

        /**
         * {@code n} round trips from a virtual thread.
         *
         * @param n how many
         * @return how many were made
         */
        public int syncCalls(int n) {
            return Bench.inVirtualThread(() -> {
                for (int i = 0; i < n; i++) {
                    CompletableFuture<Integer> f = new CompletableFuture<>();
                    calls.put(new RawCall(false, f));
                    f.join();
                }
                return n;
            });
        }

        /**
         * {@code n} one-way calls from a virtual thread, then one round trip.
         *
         * @param n how many
         * @return how many were made
         */
        public int onewayCalls(int n) {
            return Bench.inVirtualThread(() -> {
                for (int i = 0; i < n; i++) calls.put(new RawCall(true, null));
                CompletableFuture<Integer> f = new CompletableFuture<>();
                calls.put(new RawCall(false, f));
                f.join();
                return n;
            });
        }

        @Override
        public void close() {
            processor.interrupt();
        }
    }
}
