package dev.weft.bench;

import dev.weft.Hub;
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
 * What JFR costs weft's hot paths: the spawn+join and Timeout start+cancel rows of
 * {@link SpawnJoinBench} and {@link TimeoutBench}, each in three forks side by side — JFR off, a
 * default recording on ({@code -XX:StartFlightRecording}: weft's kill, timeout and error events
 * are on, greenlet start/end off, as the JDK's virtual-thread start/end are), and a recording
 * with every weft event on (a start and an end event per greenlet). A fourth timeout row runs the
 * default recording without {@code jdk.JavaErrorThrow}: a {@code Timeout} is an {@code Error}
 * (ARCHITECTURE §5), and the JDK's default profile records every {@code Error} constructed, with
 * its stack trace — that, not weft's hooks, is what a default recording costs a Timeout.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JfrCostBench {
    private static final String DEFAULT_RECORDING = "-XX:StartFlightRecording:filename=target/jfr-cost-default.jfr";
    private static final String ALL_WEFT_EVENTS = "-XX:StartFlightRecording:filename=target/jfr-cost-all.jfr"
            + ",+dev.weft.GreenletStart#enabled=true,+dev.weft.GreenletEnd#enabled=true";

    /** The default recording without jdk.JavaErrorThrow: a Timeout is an Error, so it records one per start. */
    private static final String DEFAULT_WITHOUT_ERROR_THROW = "-XX:StartFlightRecording:filename=target/jfr-cost-no-error-throw.jfr"
            + ",jdk.JavaErrorThrow#enabled=false";

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
    @OperationsPerInvocation(SpawnJoinBench.BATCH)
    public int spawnJoinJfrOff() {
        return SpawnJoinBench.weftBatch(hub, SpawnJoinBench.BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(SpawnJoinBench.BATCH)
    @Fork(value = 1, jvmArgsAppend = DEFAULT_RECORDING)
    public int spawnJoinJfrDefault() {
        return SpawnJoinBench.weftBatch(hub, SpawnJoinBench.BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(SpawnJoinBench.BATCH)
    @Fork(value = 1, jvmArgsAppend = ALL_WEFT_EVENTS)
    public int spawnJoinJfrAllWeftEvents() {
        return SpawnJoinBench.weftBatch(hub, SpawnJoinBench.BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(TimeoutBench.BATCH)
    public int timeoutJfrOff() {
        return TimeoutBench.weftBatch(hub, TimeoutBench.BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(TimeoutBench.BATCH)
    @Fork(value = 1, jvmArgsAppend = DEFAULT_RECORDING)
    public int timeoutJfrDefault() {
        return TimeoutBench.weftBatch(hub, TimeoutBench.BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(TimeoutBench.BATCH)
    @Fork(value = 1, jvmArgsAppend = ALL_WEFT_EVENTS)
    public int timeoutJfrAllWeftEvents() {
        return TimeoutBench.weftBatch(hub, TimeoutBench.BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(TimeoutBench.BATCH)
    @Fork(value = 1, jvmArgsAppend = DEFAULT_WITHOUT_ERROR_THROW)
    public int timeoutJfrDefaultWithoutErrorThrow() {
        return TimeoutBench.weftBatch(hub, TimeoutBench.BATCH);
    }
}
