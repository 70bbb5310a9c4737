package dev.weft.bench;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.sync.Channel;
import dev.weft.sync.Empty;
import dev.weft.sync.Full;
import dev.weft.sync.QueueClosedException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * How fast the simulated hub explores interleavings: one small channel race (a producer with put
 * timeouts, two consumers, one of them killed) per seed, a fresh {@code Hub.simulated(seed)}
 * each time. Target: 1,000 seeds in under 10 s. The score is one seed.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class SimulatedSeedsBench {
    static final int SEEDS = 100;
    private long next;

    @Benchmark
    @OperationsPerInvocation(SEEDS)
    public int channelRace() {
        int taken = 0;
        for (int i = 0; i < SEEDS; i++) taken += race(next++);
        return taken;
    }

    /** One seed of the race; returns how many items were taken. */
    public static int race(long seed) {
        try (Hub sim = Hub.simulated(seed)) {
            return sim.run(() -> {
                Channel<Integer> ch = new Channel<>();
                int[] taken = new int[1];
                Greenlet<Void> producer = Greenlet.spawn(() -> {
                    for (int i = 0; i < 6; i++) {
                        try {
                            ch.put(i, Duration.ofMillis(3));
                        } catch (Full timedOut) {
                            // dropped
                        }
                    }
                });
                Runnable consume = () -> {
                    try {
                        while (true) {
                            ch.get(Duration.ofMillis(2));
                            taken[0]++;
                        }
                    } catch (Empty | QueueClosedException done) {
                        // stop
                    }
                };
                Greenlet<Void> c1 = Greenlet.spawn(consume), c2 = Greenlet.spawn(consume);
                Greenlets.sleep(Duration.ofMillis(2));
                Greenlets.kill(c1, new dev.weft.GreenletExit());
                producer.join();
                ch.close();
                Greenlets.joinAll(List.of(c1, c2));
                return taken[0];
            });
        }
    }
}
