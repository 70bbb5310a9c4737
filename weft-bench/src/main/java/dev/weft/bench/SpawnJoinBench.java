package dev.weft.bench;

import dev.weft.Greenlet;
import dev.weft.Hub;
import java.util.concurrent.Callable;
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
 * Spawn + join of a trivial task, one at a time: {@code hub.spawn(task).join()} against its raw
 * twin {@code Thread.ofVirtual().start(r).join()}.
 *
 * <p>Both loops run inside a virtual thread (a greenlet for weft), {@value #BATCH} tasks per
 * invocation: joining from JMH's platform thread would measure a platform park instead.
 * Scores are per task.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpawnJoinBench {
    /** Tasks per benchmark invocation. */
    public static final int BATCH = 1000;

    private static final Callable<Integer> TRIVIAL = () -> 1;
    private static final Runnable NOOP = () -> {};

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
    @OperationsPerInvocation(BATCH)
    public int weft() {
        return weftBatch(hub, BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int rawVirtualThread() {
        return rawBatch(BATCH);
    }

    /** Spawns and joins {@code n} trivial greenlets of {@code hub}, one at a time, inside a greenlet. */
    public static int weftBatch(Hub hub, int n) {
        return hub.spawn(() -> {
            int done = 0;
            for (int i = 0; i < n; i++) {
                Greenlet<Integer> g = hub.spawn(TRIVIAL);
                g.join();
                done += g.value();
            }
            return done;
        }).get();
    }

    /** Starts and joins {@code n} trivial virtual threads, one at a time, inside a virtual thread. */
    public static int rawBatch(int n) {
        return Bench.inVirtualThread(() -> {
            int done = 0;
            for (int i = 0; i < n; i++) {
                Thread t = Thread.ofVirtual().start(NOOP);
                t.join();
                done++;
            }
            return done;
        });
    }
}
