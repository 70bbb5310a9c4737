package dev.weft.bench.peers;

import dev.weft.Hub;
import dev.weft.bench.Bench;
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
 * "The first failure cancels the rest": a scope of {@value #MEMBERS} tasks, {@value #MEMBERS}
 * - 1 of them waiting and one that fails; the score is one whole scope (start the members,
 * fail, cancel the waiters, wait for them, rethrow). weft's {@code Group.scoped} on the parallel
 * hub with the waiters asleep for an hour ({@link #weftScoped}, as the JDK scope's) or in
 * {@code Event.await()} ({@link #weftScopedEventWaiters}), a kotlinx.coroutines
 * {@code coroutineScope} on {@code Dispatchers.Default} (waiters in {@code awaitCancellation()}),
 * and the JDK's {@code StructuredTaskScope.open()} (virtual threads in {@code Thread.sleep}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-preview")
public class PeerScopeFailureBench {
    /** Tasks per scope. */
    public static final int MEMBERS = 100;

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
    public int weftScoped() {
        return WeftPeerWorkloads.scopedFirstFailure(hub, MEMBERS, true);
    }

    @Benchmark
    public int weftScopedEventWaiters() {
        return WeftPeerWorkloads.scopedFirstFailure(hub, MEMBERS, false);
    }

    @Benchmark
    public int kotlinCoroutineScope() {
        return KotlinWorkloads.firstFailureCancelsTheRest(KotlinWorkloads.defaultDispatcher(), MEMBERS);
    }

    @Benchmark
    public int structuredTaskScope() {
        return Bench.inVirtualThread(() -> JdkScopeWorkloads.firstFailureCancelsTheRest(MEMBERS));
    }
}
