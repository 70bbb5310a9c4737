package dev.weft.bench;

import dev.weft.Hub;
import dev.weft.internal.VirtualThreads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * The token ping-pong on ONE carrier: weft's cooperative hub (Event, Queue, Channel) against
 * its raw twin, two virtual threads on a single-thread custom scheduler handing the turn over with
 * {@code LockSupport.park/unpark} (the floor of a switch on one carrier). Target: weft
 * Event/Queue ≤ 1.25× the raw twin. Each invocation runs {@value PingPongBench#ROUND_TRIPS}
 * round trips; the score is one round trip.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SingleCarrierPingPongBench {
    private Hub hub;
    private ExecutorService carrier;
    private ThreadFactory rawThreads;

    @Setup
    public void setUp() {
        hub = Hub.cooperative();
        carrier = Executors.newSingleThreadExecutor();
        rawThreads = VirtualThreads.factory(carrier);
    }

    @TearDown
    public void tearDown() {
        hub.close();
        carrier.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(PingPongBench.ROUND_TRIPS)
    public int weftCooperativeEvent() {
        return PingPongBench.weftEvent(hub, PingPongBench.ROUND_TRIPS);
    }

    @Benchmark
    @OperationsPerInvocation(PingPongBench.ROUND_TRIPS)
    public int weftCooperativeQueue() {
        return PingPongBench.weftQueue(hub, PingPongBench.ROUND_TRIPS);
    }

    @Benchmark
    @OperationsPerInvocation(PingPongBench.ROUND_TRIPS)
    public int weftCooperativeChannel() {
        return PingPongBench.weftChannel(hub, PingPongBench.ROUND_TRIPS);
    }

    @Benchmark
    @OperationsPerInvocation(PingPongBench.ROUND_TRIPS)
    public int rawParkUnparkOneCarrier() throws InterruptedException {
        return rawParkUnpark(rawThreads, PingPongBench.ROUND_TRIPS);
    }

    private static final class Turn {
        volatile int turn;
        volatile Thread a, b;
    }

    /** {@code n} round trips with park/unpark between two virtual threads made by {@code threads}. */
    public static int rawParkUnpark(ThreadFactory threads, int n) throws InterruptedException {
        Turn t = new Turn();
        int[] trips = new int[1];
        Thread b = threads.newThread(() -> {
            for (int i = 0; i < n; i++) {
                while (t.turn != 1) LockSupport.park();
                t.turn = 0;
                LockSupport.unpark(t.a);
            }
        });
        Thread a = threads.newThread(() -> {
            for (int i = 0; i < n; i++) {
                t.turn = 1;
                LockSupport.unpark(t.b);
                while (t.turn != 0) LockSupport.park();
                trips[0]++;
            }
        });
        t.a = a;
        t.b = b;
        b.start();
        a.start();
        a.join();
        b.join();
        return trips[0];
    }
}
