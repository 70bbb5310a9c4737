package dev.weft.bench;

import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.sync.Event;
import dev.weft.sync.Semaphore;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What Shrapnel's selfish acts cost the parallel hub's fast paths (ADR 7): an {@code await} on a
 * set Event and an uncontended semaphore acquire/release, from a thread of the parallel world,
 * with no single-carrier hub open in the JVM (the hook is one volatile read) and with one open
 * (the hook looks the caller up to find its hub). {@code isSetBaseline} is the floor.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SelfishCostBench {
    @Param({"false", "true"})
    public boolean singleCarrierHubOpen;

    private Hub cooperative;
    private final Event set = new Event();
    private final Semaphore semaphore = new Semaphore(1);

    @Setup
    public void setUp() {
        set.set();
        Greenlet.current(); // as in any weft program: Greenlet is initialised (the hook needs it)
        if (singleCarrierHubOpen) cooperative = Hub.cooperative();
    }

    @TearDown
    public void tearDown() {
        if (cooperative != null) cooperative.close();
    }

    @Benchmark
    public boolean isSetBaseline() {
        return set.isSet();
    }

    @Benchmark
    public void awaitSetEvent() {
        set.await();
    }

    @Benchmark
    public void acquireRelease() {
        semaphore.acquire();
        semaphore.release();
    }
}
