package dev.weft.bench.peers;

import dev.weft.bench.TimeoutBench;
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
 * The kotlinx.coroutines peer of {@link TimeoutBench}: {@code withTimeout(30 s)} around a
 * suspension point that completes at once ({@code await} of a completed deferred), in a
 * coroutine on {@code Dispatchers.Default}; per start+cancel.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-preview")
public class PeerTimeoutBench {
    @Benchmark
    @OperationsPerInvocation(TimeoutBench.BATCH)
    public int kotlinWithTimeout() {
        return KotlinWorkloads.withTimeoutBatch(KotlinWorkloads.defaultDispatcher(), TimeoutBench.BATCH);
    }
}
