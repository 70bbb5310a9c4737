package dev.weft.bench;

import dev.weft.Hub;
import dev.weft.Timeout;
import java.time.Duration;
import java.util.concurrent.ScheduledThreadPoolExecutor;
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
 * Arming and disarming a 30 s timeout that never fires — the cost every guarded call pays:
 * {@code Timeout.start(Duration.ofSeconds(30)).cancel()} against its twin
 * {@code ScheduledThreadPoolExecutor.schedule(...).cancel(false)} with
 * {@code setRemoveOnCancelPolicy(true)} (so cancelled tasks are freed, as weft's are).
 *
 * <p>{@link #weft} and {@link #rawScheduledExecutor} loop {@value #BATCH} times inside a
 * greenlet / virtual thread; {@link #weftAdoptedThread} calls it straight from JMH's platform
 * thread, which weft sees as an adopted greenlet.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TimeoutBench {
    /** Start+cancel pairs per batched invocation. */
    public static final int BATCH = 10_000;
    /** The timeout armed each time: long enough never to fire during a run. */
    public static final Duration THIRTY_SECONDS = Duration.ofSeconds(30);

    private static final Runnable NOOP = () -> {};

    private Hub hub;
    private ScheduledThreadPoolExecutor executor;

    @Setup
    public void setUp() {
        hub = Hub.parallel();
        executor = newExecutor();
    }

    @TearDown
    public void tearDown() {
        hub.close();
        executor.shutdownNow();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int weft() {
        return weftBatch(hub, BATCH);
    }

    @Benchmark
    public void weftAdoptedThread() {
        Timeout.start(THIRTY_SECONDS).cancel();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int rawScheduledExecutor() {
        return rawBatch(executor, BATCH);
    }

    /** The twin's executor: one thread, cancelled tasks removed from its queue at once. */
    public static ScheduledThreadPoolExecutor newExecutor() {
        ScheduledThreadPoolExecutor e = new ScheduledThreadPoolExecutor(1);
        e.setRemoveOnCancelPolicy(true);
        return e;
    }

    /** {@code n} start+cancel pairs inside a greenlet of {@code hub}; returns how many were pending when cancelled. */
    public static int weftBatch(Hub hub, int n) {
        return hub.spawn(() -> {
            int pending = 0;
            for (int i = 0; i < n; i++) {
                Timeout t = Timeout.start(THIRTY_SECONDS);
                if (t.isPending()) pending++;
                t.cancel();
            }
            return pending;
        }).get();
    }

    /** {@code n} schedule+cancel pairs inside a virtual thread; returns how many cancels succeeded. */
    public static int rawBatch(ScheduledThreadPoolExecutor executor, int n) {
        return Bench.inVirtualThread(() -> {
            int cancelled = 0;
            for (int i = 0; i < n; i++) {
                if (executor.schedule(NOOP, 30, TimeUnit.SECONDS).cancel(false)) cancelled++;
            }
            return cancelled;
        });
    }
}
