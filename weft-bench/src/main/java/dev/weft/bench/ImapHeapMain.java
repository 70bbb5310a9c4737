package dev.weft.bench;

import dev.weft.Hub;
import dev.weft.pool.MapIterator;
import dev.weft.pool.MapOptions;
import dev.weft.pool.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Back-pressure, measured: {@code Pool(100).imap} over N items with {@code maxsize} 16 and a
 * reader slower than the 100 workers (it spins ~2 µs per item). The heap in use after GC is
 * sampled every tenth of the run: with the bound working it stays flat, because the feeder stops
 * pulling from the (lazy) input while 16 items wait for the reader.
 *
 * <pre>ImapHeapMain [N]      e.g. ImapHeapMain 1m</pre>
 * Prints the samples and a {@code RESULT} line.
 */
public final class ImapHeapMain {
    private ImapHeapMain() {}

    /** The samples of one run: heap after GC (bytes) at each tenth, and the items read. */
    public record Result(int n, long[] heapAfterGc, int read) {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Bench.parseCount(args[0]) : 1_000_000;
        Result r = run(n, 16, 2_000);
        for (int i = 0; i < r.heapAfterGc().length; i++) {
            System.out.printf("imap-heap n=%d: after %,d items read: %.1f MB heap after GC%n", n,
                    (long) n * i / (r.heapAfterGc().length - 1), r.heapAfterGc()[i] / 1e6);
        }
        var m = Bench.result("imap_heap", "weft", n);
        long min = Long.MAX_VALUE, max = 0;
        for (long h : r.heapAfterGc()) {
            min = Math.min(min, h);
            max = Math.max(max, h);
        }
        m.put("read", r.read());
        m.put("heap_min_mb", min / 1e6);
        m.put("heap_max_mb", max / 1e6);
        Bench.printResult(m);
    }

    /**
     * Runs {@code n} items through {@code Pool(100).imap} with {@code maxsize}, the reader spinning
     * about {@code readerNanos} per item; samples the heap at the start and every tenth.
     */
    public static Result run(int n, int maxsize, long readerNanos) {
        List<Long> samples = new ArrayList<>();
        int read;
        try (Hub hub = Hub.parallel()) {
            read = hub.run(() -> {
                Pool pool = new Pool(100);
                samples.add(Bench.heapAfterGc());
                int count = 0;
                int step = Math.max(1, n / 10);
                try (MapIterator<Integer> it = pool.imap((Integer i) -> i,
                        IntStream.range(0, n).boxed().iterator(), MapOptions.DEFAULTS.maxsize(maxsize))) {
                    while (it.hasNext()) {
                        it.next();
                        long until = System.nanoTime() + readerNanos; // a slow reader
                        while (System.nanoTime() < until) Thread.onSpinWait();
                        if (++count % step == 0) samples.add(Bench.heapAfterGc());
                    }
                }
                return count;
            });
        }
        long[] out = new long[samples.size()];
        for (int i = 0; i < out.length; i++) out[i] = samples.get(i);
        return new Result(n, out, read);
    }
}
