package dev.weft.bench.peers;

import dev.weft.Hub;
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
 * Tasks that block in a JDK call: {@value #TASKS} tasks started at once, each in
 * {@code Thread.sleep(1 ms)}; the score is per task (the whole batch's time / {@value #TASKS}).
 * weft greenlets (virtual threads under the hood: the sleep parks them) and raw virtual threads
 * against kotlinx.coroutines on {@code Dispatchers.IO} (a bounded pool of platform threads, 64
 * by default) and on a virtual-thread-per-task dispatcher.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-preview")
public class PeerBlockingBench {
    /** Tasks per invocation. */
    public static final int TASKS = 1000;
    /** How long each task blocks. */
    public static final long SLEEP_MILLIS = 1;

    private Hub hub;
    private ExecutorCoroutineDispatcher virtualThreads;

    @Setup
    public void setUp() {
        hub = Hub.parallel();
        virtualThreads = KotlinWorkloads.virtualThreads();
    }

    @TearDown
    public void tearDown() {
        hub.close();
        virtualThreads.close();
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int weft() {
        return WeftPeerWorkloads.weftBlocking(hub, TASKS, SLEEP_MILLIS);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int rawVirtualThread() throws InterruptedException {
        return WeftPeerWorkloads.rawBlocking(TASKS, SLEEP_MILLIS);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int kotlinDispatchersIO() {
        return KotlinWorkloads.blocking(KotlinWorkloads.io(), TASKS, SLEEP_MILLIS);
    }

    @Benchmark
    @OperationsPerInvocation(TASKS)
    public int kotlinVirtualThreads() {
        return KotlinWorkloads.blocking(virtualThreads, TASKS, SLEEP_MILLIS);
    }
}
