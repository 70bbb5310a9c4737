package dev.weft.bench;

import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.sync.Channel;
import dev.weft.sync.Event;
import dev.weft.sync.Queue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A token passed back and forth between two tasks on the default (parallel) scheduler; the
 * score is one round trip (A → B → A).
 *
 * <ul>
 * <li>{@link #weftEvent}: two weft {@link Event}s, each side {@code await}s, {@code clear}s,
 *     and {@code set}s the other's;</li>
 * <li>{@link #rawSynchronousQueue}: two virtual threads and two {@code SynchronousQueue}s;</li>
 * <li>{@link #rawParkUnpark}: two virtual threads and {@code LockSupport.park/unpark} on a
 *     volatile turn word (the floor: what any hand-over costs).</li>
 * </ul>
 * plus {@link #weftQueue} and {@link #weftChannel}: the token through two weft queues of size 1
 * and through two weft channels. Each invocation runs {@value #ROUND_TRIPS} round trips. The
 * single-carrier versions are in {@link SingleCarrierPingPongBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PingPongBench {
    /** Round trips per benchmark invocation. */
    public static final int ROUND_TRIPS = 10_000;

    private Hub hub;

    @Setup
    public void setUp() {
        hub = Hub.parallel();
    }

    @TearDown
    public void tearDown() {
        hub.close();
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int weftEvent() {
        return weftEvent(hub, ROUND_TRIPS);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int weftQueue() {
        return weftQueue(hub, ROUND_TRIPS);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int weftChannel() {
        return weftChannel(hub, ROUND_TRIPS);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int rawSynchronousQueue() throws InterruptedException {
        return rawSynchronousQueue(ROUND_TRIPS);
    }

    @Benchmark
    @OperationsPerInvocation(ROUND_TRIPS)
    public int rawParkUnpark() throws InterruptedException {
        return rawParkUnpark(ROUND_TRIPS);
    }

    /** {@code n} round trips through two weft Events between two greenlets; returns the trips made. */
    public static int weftEvent(Hub hub, int n) {
        Event ping = new Event(), pong = new Event();
        Greenlet<Integer> b = hub.spawn(() -> {
            for (int i = 0; i < n; i++) {
                ping.await();
                ping.clear();
                pong.set();
            }
            return n;
        });
        Greenlet<Integer> a = hub.spawn(() -> {
            int trips = 0;
            for (int i = 0; i < n; i++) {
                ping.set();
                pong.await();
                pong.clear();
                trips++;
            }
            return trips;
        });
        int trips = a.get();
        b.join();
        return trips;
    }

    /** {@code n} round trips through two weft queues of size 1 between two greenlets. */
    public static int weftQueue(Hub hub, int n) {
        return tokenRoundTrips(hub, n, new Queue<>(1), new Queue<>(1));
    }

    /** {@code n} round trips through two weft channels between two greenlets. */
    public static int weftChannel(Hub hub, int n) {
        return tokenRoundTrips(hub, n, new Channel<>(), new Channel<>());
    }

    static int tokenRoundTrips(Hub hub, int n, Queue<Object> there, Queue<Object> back) {
        Object token = new Object();
        Greenlet<Integer> b = hub.spawn(() -> {
            for (int i = 0; i < n; i++) back.put(there.get());
            return n;
        });
        Greenlet<Integer> a = hub.spawn(() -> {
            int trips = 0;
            for (int i = 0; i < n; i++) {
                there.put(token);
                if (back.get() == token) trips++;
            }
            return trips;
        });
        int trips = a.get();
        b.join();
        return trips;
    }

    /** {@code n} round trips through two SynchronousQueues between two virtual threads. */
    public static int rawSynchronousQueue(int n) throws InterruptedException {
        SynchronousQueue<Object> there = new SynchronousQueue<>(), back = new SynchronousQueue<>();
        Object token = new Object();
        int[] trips = new int[1];
        Thread b = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < n; i++) back.put(there.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Thread a = Thread.ofVirtual().start(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    there.put(token);
                    if (back.take() == token) trips[0]++;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        a.join();
        b.join();
        return trips[0];
    }

    /** {@code n} round trips with LockSupport.park/unpark between two virtual threads. */
    public static int rawParkUnpark(int n) throws InterruptedException {
        return SingleCarrierPingPongBench.rawParkUnpark(Thread.ofVirtual().factory(), n);
    }
}
