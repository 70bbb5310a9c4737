package dev.weft.bench;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.Timeout;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A leak soak: many spawn/finish cycles in waves, touching every piece of per-greenlet state
 * the engine keeps — the live registry, timers (a 30 s Timeout started and cancelled in each
 * greenlet, timed sleeps, timed Event waits that expire, timed joins) and links (a rawlink on
 * each greenlet) — with one in ten greenlets killed (some before they start). Prints the heap
 * after GC at the start, after the first wave, and at the end, and what is still registered.
 *
 * <pre>
 *   SoakMain [cycles] [wave]       default: 1m cycles in waves of 10k
 * </pre>
 */
public final class SoakMain {
    private SoakMain() {}

    /** One soak's outcome. */
    public record Result(int cycles, long heapStartBytes, long heapAfterFirstWaveBytes, long heapEndBytes,
                         long finished, long linked, long killed, int liveAtEnd, long nanos) {
        /** Heap growth from the end of the first wave to the end, per cycle after it. */
        public double growthBytesPerCycle(int wave) {
            int after = Math.max(1, cycles - wave);
            return (double) (heapEndBytes - heapAfterFirstWaveBytes) / after;
        }

        Map<String, Object> fields(int wave) {
            Map<String, Object> m = Bench.result("soak", "weft", cycles);
            m.put("heap_start_mb", heapStartBytes / 1048576.0);
            m.put("heap_after_first_wave_mb", heapAfterFirstWaveBytes / 1048576.0);
            m.put("heap_end_mb", heapEndBytes / 1048576.0);
            m.put("growth_bytes_per_cycle", growthBytesPerCycle(wave));
            m.put("finished", finished);
            m.put("linked", linked);
            m.put("killed", killed);
            m.put("live_at_end", liveAtEnd);
            m.put("seconds", nanos / 1e9);
            return m;
        }
    }

    public static void main(String[] args) {
        int cycles = args.length > 0 ? Bench.parseCount(args[0]) : 1_000_000;
        int wave = args.length > 1 ? Bench.parseCount(args[1]) : 10_000;
        Result r = run(cycles, wave, true);
        System.out.printf("soak: %d cycles in %.1f s; heap after GC: start %.1f MB, after the first wave %.1f MB,"
                        + " end %.1f MB (%.2f bytes/cycle); %d finished, %d links fired, %d killed; %d greenlets still registered%n",
                r.cycles(), r.nanos() / 1e9, r.heapStartBytes() / 1048576.0, r.heapAfterFirstWaveBytes() / 1048576.0,
                r.heapEndBytes() / 1048576.0, r.growthBytesPerCycle(wave), r.finished(), r.linked(), r.killed(), r.liveAtEnd());
        Bench.printResult(r.fields(wave));
    }

    /** Runs {@code cycles} greenlets in waves of {@code wave}; {@code progress} prints every 10 %. */
    public static Result run(int cycles, int wave, boolean progress) {
        LongAdder finished = new LongAdder(), linked = new LongAdder(), killed = new LongAdder();
        Event never = new Event();
        long t0 = System.nanoTime();
        try (Hub hub = Hub.parallel()) {
            long heapStart = Bench.heapAfterGc();
            long heapFirst = heapStart;
            int done = 0, nextReport = cycles / 10;
            @SuppressWarnings("unchecked")
            Greenlet<Integer>[] gs = (Greenlet<Integer>[]) new Greenlet<?>[wave];
            while (done < cycles) {
                int size = Math.min(wave, cycles - done);
                for (int j = 0; j < size; j++) {
                    int kind = (done + j) % 4;
                    Greenlet<Integer> g = hub.spawn(() -> {
                        try (Timeout _ = Timeout.start(Duration.ofSeconds(30))) {
                            switch (kind) {
                                case 1 -> Greenlets.sleep(Duration.ofMillis(1));
                                case 2 -> never.await(Duration.ofMillis(1)); // expires: the waiter must be unlinked
                                case 3 -> Greenlets.yieldNow();
                                default -> { }
                            }
                            return kind;
                        } finally {
                            finished.increment();
                        }
                    });
                    g.rawlink(x -> linked.increment());
                    if ((done + j) % 10 == 9) {
                        g.kill(new GreenletExit(), false, null);
                        killed.increment();
                    }
                    gs[j] = g;
                }
                for (int j = 0; j < size; j++) {
                    if (!gs[j].join(Duration.ofSeconds(30))) throw new IllegalStateException(gs[j] + " did not finish in 30 s");
                    gs[j] = null;
                }
                done += size;
                if (done == size) heapFirst = Bench.heapAfterGc();
                if (progress && done >= nextReport && done < cycles) {
                    System.out.printf("  %,d cycles, heap (no GC) %.1f MB%n", done,
                            (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0);
                    nextReport += cycles / 10;
                }
            }
            long heapEnd = Bench.heapAfterGc();
            int live = hub.greenlets().size();
            return new Result(cycles, heapStart, heapFirst, heapEnd, finished.sum(), linked.sum(), killed.sum(),
                    live, System.nanoTime() - t0);
        }
    }
}
