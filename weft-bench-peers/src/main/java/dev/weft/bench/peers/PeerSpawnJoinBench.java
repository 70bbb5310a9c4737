package dev.weft.bench.peers;

import dev.weft.Hub;
import dev.weft.bench.Bench;
import dev.weft.bench.SpawnJoinBench;
import kotlinx.coroutines.ExecutorCoroutineDispatcher;
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
 * The peers of {@link SpawnJoinBench} (spawn + join of a trivial task, one at a time, per task):
 * kotlinx.coroutines {@code launch {}.join()} and {@code async { 1 }.await()} on
 * {@code Dispatchers.Default} and on a one-thread dispatcher (the cooperative twin, beside
 * {@link #weftCooperative}: weft's cooperative hub), and the JDK's {@code StructuredTaskScope}
 * (open, fork, join, close per task, in a virtual thread).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-preview")
public class PeerSpawnJoinBench {
    private Hub cooperative;
    private ExecutorCoroutineDispatcher oneThread;

    @Setup
    public void setUp() {
        cooperative = Hub.cooperative();
        oneThread = KotlinWorkloads.singleThread();
    }

    @TearDown
    public void tearDown() {
        cooperative.close();
        oneThread.close();
    }

    @Benchmark
    @OperationsPerInvocation(SpawnJoinBench.BATCH)
    public int kotlinLaunch() {
        return KotlinWorkloads.launchJoin(KotlinWorkloads.defaultDispatcher(), SpawnJoinBench.BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(SpawnJoinBench.BATCH)
    public int kotlinAsync() {
        return KotlinWorkloads.asyncAwait(KotlinWorkloads.defaultDispatcher(), SpawnJoinBench.BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(SpawnJoinBench.BATCH)
    public int kotlinLaunchOneThread() {
        return KotlinWorkloads.launchJoin(oneThread, SpawnJoinBench.BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(SpawnJoinBench.BATCH)
    public int kotlinAsyncOneThread() {
        return KotlinWorkloads.asyncAwait(oneThread, SpawnJoinBench.BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(SpawnJoinBench.BATCH)
    public int weftCooperative() {
        return SpawnJoinBench.weftBatch(cooperative, SpawnJoinBench.BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(SpawnJoinBench.BATCH)
    public int structuredTaskScope() {
        return Bench.inVirtualThread(() -> JdkScopeWorkloads.forkJoin(SpawnJoinBench.BATCH));
    }
}
