package dev.weft.bench.peers;

import dev.weft.bench.FanOutBench;
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
 * The kotlinx.coroutines peers of {@link FanOutBench} ({@value FanOutBench#ITEMS} trivial items,
 * {@value FanOutBench#LIMIT} at a time, per item) on {@code Dispatchers.Default}: a coroutine
 * per item gated by a coroutine {@code Semaphore(100)}, and {@code flatMapMerge(concurrency = 100)}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-preview")
public class PeerFanOutBench {
    private static final Runnable NOOP = () -> {};

    @Benchmark
    @OperationsPerInvocation(FanOutBench.ITEMS)
    public int kotlinSemaphore() {
        return KotlinWorkloads.fanOutSemaphore(KotlinWorkloads.defaultDispatcher(), FanOutBench.ITEMS, FanOutBench.LIMIT, NOOP);
    }

    @Benchmark
    @OperationsPerInvocation(FanOutBench.ITEMS)
    public int kotlinFlatMapMerge() {
        return KotlinWorkloads.fanOutFlatMapMerge(KotlinWorkloads.defaultDispatcher(), FanOutBench.ITEMS, FanOutBench.LIMIT, NOOP);
    }
}
