package dev.weft.bench.peers;

import dev.weft.bench.PingPongBench;
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
 * The kotlinx.coroutines peers of {@link PingPongBench} and
 * {@link dev.weft.bench.SingleCarrierPingPongBench}: a token passed between two coroutines
 * through two {@code Channel}s, rendezvous (weft's {@code Channel}) and with a buffer of one
 * (weft's {@code Queue(1)}), on {@code Dispatchers.Default} and on a one-thread dispatcher.
 * The score is one round trip.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-preview")
public class PeerPingPongBench {
    private ExecutorCoroutineDispatcher oneThread;

    @Setup
    public void setUp() {
        oneThread = KotlinWorkloads.singleThread();
    }

    @TearDown
    public void tearDown() {
        oneThread.close();
    }

    @Benchmark
    @OperationsPerInvocation(PingPongBench.ROUND_TRIPS)
    public int kotlinRendezvous() {
        return KotlinWorkloads.pingPong(KotlinWorkloads.defaultDispatcher(), PingPongBench.ROUND_TRIPS, 0);
    }

    @Benchmark
    @OperationsPerInvocation(PingPongBench.ROUND_TRIPS)
    public int kotlinBuffered() {
        return KotlinWorkloads.pingPong(KotlinWorkloads.defaultDispatcher(), PingPongBench.ROUND_TRIPS, 1);
    }

    @Benchmark
    @OperationsPerInvocation(PingPongBench.ROUND_TRIPS)
    public int kotlinRendezvousOneThread() {
        return KotlinWorkloads.pingPong(oneThread, PingPongBench.ROUND_TRIPS, 0);
    }

    @Benchmark
    @OperationsPerInvocation(PingPongBench.ROUND_TRIPS)
    public int kotlinBufferedOneThread() {
        return KotlinWorkloads.pingPong(oneThread, PingPongBench.ROUND_TRIPS, 1);
    }
}
