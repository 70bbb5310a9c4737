package dev.weft.bench;

import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.coro.Coro;
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
 * Shrapnel's hand scheduling: a {@code Coro.suspend()} / {@code resume()} round trip between two
 * greenlets, side by side with the Event ping-pong ({@link PingPongBench#weftEvent}) on the same
 * hub, parallel and cooperative. Target (issue 14): suspend/resume ≤ 1.2× the Event ping-pong.
 * Each invocation runs {@value PingPongBench#ROUND_TRIPS} round trips; the score is one round
 * trip.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoroBench {
    private Hub parallel;
    private Hub cooperative;

    @Setup
    public void setUp() {
        parallel = Hub.parallel();
        cooperative = Hub.cooperative();
    }

    @TearDown
    public void tearDown() {
        parallel.close();
        cooperative.close();
    }

    @Benchmark
    @OperationsPerInvocation(PingPongBench.ROUND_TRIPS)
    public int parallelSuspendResume() {
        return suspendResume(parallel, PingPongBench.ROUND_TRIPS);
    }

    @Benchmark
    @OperationsPerInvocation(PingPongBench.ROUND_TRIPS)
    public int parallelEvent() {
        return PingPongBench.weftEvent(parallel, PingPongBench.ROUND_TRIPS);
    }

    @Benchmark
    @OperationsPerInvocation(PingPongBench.ROUND_TRIPS)
    public int cooperativeSuspendResume() {
        return suspendResume(cooperative, PingPongBench.ROUND_TRIPS);
    }

    @Benchmark
    @OperationsPerInvocation(PingPongBench.ROUND_TRIPS)
    public int cooperativeEvent() {
        return PingPongBench.weftEvent(cooperative, PingPongBench.ROUND_TRIPS);
    }

    /**
     * {@code n} round trips: a resumes b and suspends, b (woken) resumes a and suspends. On the
     * parallel hub the resumer may come before the other has suspended (Shrapnel's single thread
     * never lets it): it waits — spinning briefly, then yielding — until the other is parked with
     * nothing pending.
     */
    public static int suspendResume(Hub hub, int n) {
        @SuppressWarnings("unchecked")
        Greenlet<Integer>[] a = new Greenlet[1];
        Greenlet<Integer> b = hub.spawn(() -> {
            for (int i = 0; i < n; i++) {
                Coro.suspend();
                resumeWhenSuspended(a[0], i);
            }
            return n;
        });
        a[0] = new Greenlet<>(hub, () -> {
            int trips = 0;
            for (int i = 0; i < n; i++) {
                resumeWhenSuspended(b, i);
                Coro.suspend();
                trips++;
            }
            return trips;
        });
        a[0].start();
        int trips = a[0].get();
        b.join();
        return trips;
    }

    private static void resumeWhenSuspended(Greenlet<?> g, Object value) {
        // spin briefly (the other is a few instructions from suspending, on another core), then yield
        for (int i = 0; !g.isWaiting() || g.isScheduled(); i++) {
            if (i < 64) Thread.onSpinWait();
            else Thread.yield();
        }
        g.resume(value);
    }
}
