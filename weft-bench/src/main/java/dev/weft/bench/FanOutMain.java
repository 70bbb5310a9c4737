package dev.weft.bench;

import dev.weft.Hub;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link FanOutBench}'s workloads in one plain JVM, round after round, each workload in turn,
 * reporting each one's median and first quartile per item. On two cores the fan-out rows switch
 * between a fast and a slow scheduling mode within a JMH fork (BENCHMARKS.md, "Session 5"); many
 * short rounds interleaved in one JVM compare workloads under the same modes, and the quartile
 * shows the fast mode.
 *
 * <pre>FanOutMain [rounds] [items] [workload...]   e.g. FanOutMain 40 100k raw pool imap</pre>
 * Workloads: {@code raw} (virtual threads and a JDK {@code Semaphore(100)}), {@code jdksem}
 * (greenlets and the JDK semaphore), {@code weftsem} (greenlets and a weft {@code Semaphore}),
 * {@code pool} ({@code Pool(100)} spawn+join), {@code imap}, {@code imapUnordered}; and
 * {@code group}, the step between {@code jdksem} and {@code pool}: greenlets spawned through an
 * unbounded {@code Group} and gated by the JDK semaphore, each slot given back by a rawlink when
 * the member ends (membership without weft's slots); {@code rawmap} and {@code rawmapUnordered},
 * the raw twins of {@code imap} and {@code imapUnordered} that hand each item's value to a reader
 * ({@link FanOutBench#rawMap}). The first quarter of the rounds is warm-up,
 * not reported. Prints one {@code RESULT} line per workload.
 */
public final class FanOutMain {
    private FanOutMain() {}

    /** The workloads, in the order they run by default. */
    public static final List<String> WORKLOADS =
            List.of("raw", "jdksem", "group", "weftsem", "pool", "imap", "imapUnordered", "rawmap", "rawmapUnordered");

    /** One workload's per-item times (ns) over the measured rounds, sorted. */
    public record Result(String workload, double[] nanosPerItem) {
        /** The median. */
        public double median() {
            return nanosPerItem[nanosPerItem.length / 2];
        }

        /** The first quartile. */
        public double firstQuartile() {
            return nanosPerItem[nanosPerItem.length / 4];
        }
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 40;
        int items = args.length > 1 ? Bench.parseCount(args[1]) : FanOutBench.ITEMS;
        List<String> workloads = args.length > 2 ? List.of(args).subList(2, args.length) : WORKLOADS;
        for (Result r : run(rounds, items, workloads)) {
            System.out.printf("fan-out %-14s median %6.0f ns per item, first quartile %6.0f (%d rounds of %,d)%n",
                    r.workload(), r.median(), r.firstQuartile(), r.nanosPerItem().length, items);
            var m = Bench.result("fan_out_main", r.workload(), items);
            m.put("median_ns", r.median());
            m.put("p25_ns", r.firstQuartile());
            Bench.printResult(m);
        }
    }

    /**
     * Runs every workload {@code rounds} times, interleaved; the first quarter of the rounds is
     * warm-up.
     *
     * @return one result per workload, in the order given
     * @throws IllegalArgumentException for an unknown workload
     */
    public static List<Result> run(int rounds, int items, List<String> workloads) {
        for (String w : workloads) {
            if (!WORKLOADS.contains(w)) throw new IllegalArgumentException("unknown workload " + w + "; known: " + WORKLOADS);
        }
        int warmup = rounds / 4;
        Map<String, List<Double>> times = new LinkedHashMap<>();
        try (Hub hub = Hub.parallel()) {
            for (int round = 0; round < rounds; round++) {
                for (String w : workloads) {
                    long t0 = System.nanoTime();
                    once(hub, w, items);
                    double perItem = (System.nanoTime() - t0) / (double) items;
                    if (round >= warmup) times.computeIfAbsent(w, k -> new ArrayList<>()).add(perItem);
                }
            }
        }
        List<Result> out = new ArrayList<>();
        for (var e : times.entrySet()) {
            List<Double> l = e.getValue();
            Collections.sort(l);
            out.add(new Result(e.getKey(), l.stream().mapToDouble(Double::doubleValue).toArray()));
        }
        return out;
    }

    private static final Runnable NOOP = () -> {};

    private static void once(Hub hub, String workload, int items) {
        int limit = FanOutBench.LIMIT;
        switch (workload) {
            case "raw" -> Bench.inVirtualThread(() -> FanOutBench.rawSemaphore(items, limit, false, NOOP));
            case "jdksem" -> hub.spawn(() -> FanOutBench.weftSpawnJdkSemaphore(hub, items, limit, NOOP)).get();
            case "group" -> hub.spawn(() -> FanOutBench.weftGroupJdkSemaphore(items, limit, NOOP)).get();
            case "weftsem" -> hub.spawn(() -> FanOutBench.weftSemaphore(hub, items, limit, NOOP)).get();
            case "pool" -> hub.spawn(() -> FanOutBench.weftPool(items, limit, NOOP)).get();
            case "imap" -> hub.spawn(() -> FanOutBench.weftPoolImap(items, limit, true, NOOP)).get();
            case "imapUnordered" -> hub.spawn(() -> FanOutBench.weftPoolImap(items, limit, false, NOOP)).get();
            case "rawmap" -> Bench.inVirtualThread(() -> FanOutBench.rawMap(items, limit, true, NOOP));
            case "rawmapUnordered" -> Bench.inVirtualThread(() -> FanOutBench.rawMap(items, limit, false, NOOP));
            default -> throw new IllegalArgumentException(workload);
        }
    }
}
