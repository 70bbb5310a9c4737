package dev.weft.bench.peers;

import dev.weft.bench.Bench;
import dev.weft.bench.MemoryMain;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import kotlinx.coroutines.CompletableDeferred;
import kotlinx.coroutines.CompletableDeferredKt;
import kotlinx.coroutines.Job;
import kotlin.Unit;

/**
 * The kotlinx.coroutines twins of {@link MemoryMain}: N coroutines suspended at once on
 * {@code Dispatchers.Default}, heap bytes and RSS bytes per coroutine, measured as MemoryMain
 * measures weft's and the raw rows (heap after GC and {@code VmRSS}, minus the same before).
 *
 * <pre>
 *   PeerMemoryMain kotlin-delay|kotlin-deferred N
 * </pre>
 * {@code kotlin-delay}: each in {@code delay(1 h)} (weft-sleep's twin); {@code kotlin-deferred}:
 * each in {@code CompletableDeferred.await()} on one shared deferred (weft-event's twin). Each
 * coroutine is started undispatched, so it is suspended when {@code launch} returns. Afterwards
 * every one is released (cancelled, or the deferred completed) and joined. Prints a
 * {@code RESULT} line like MemoryMain's.
 */
public final class PeerMemoryMain {
    private PeerMemoryMain() {}

    /** The variants. */
    public static final List<String> VARIANTS = List.of("kotlin-delay", "kotlin-deferred");

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: PeerMemoryMain " + String.join("|", VARIANTS) + " N");
            System.exit(64);
        }
        MemoryMain.Result r = run(args[0], Bench.parseCount(args[1]));
        System.out.printf("memory %s n=%d: %.0f heap bytes and %.0f RSS bytes per parked task (%d parked, %d finished"
                        + " %s after the release)%n",
                r.variant(), r.n(), r.heapPerTask(), r.rssPerTask(), r.parked(), r.finished(), Bench.ms(r.releaseNanos()));
        Map<String, Object> m = Bench.result("memory", r.variant(), r.n());
        m.put("heap_bytes_per_task", r.heapPerTask());
        m.put("rss_bytes_per_task", r.rssPerTask());
        m.put("parked", r.parked());
        m.put("finished", r.finished());
        m.put("release_ms", r.releaseNanos() / 1e6);
        Bench.printResult(m);
    }

    /** Suspends {@code n} coroutines of {@code variant}, measures, releases and joins them. */
    public static MemoryMain.Result run(String variant, int n) {
        if (!VARIANTS.contains(variant)) throw new IllegalArgumentException("unknown variant " + variant + "; one of " + VARIANTS);
        boolean sleep = variant.equals("kotlin-delay");
        CompletableDeferred<Unit> gate = CompletableDeferredKt.CompletableDeferred(null);
        // the dispatcher's threads and the coroutine machinery exist before the baseline
        KotlinWorkloads.release(KotlinWorkloads.parkMany(100, sleep, gate, new LongAdder()), true, gate);
        long heap0 = Bench.heapAfterGc();
        long rss0 = Bench.rssBytes();
        LongAdder finished = new LongAdder();
        Job[] jobs = KotlinWorkloads.parkMany(n, sleep, gate, finished);
        int parked = 0;
        for (Job j : jobs) if (j.isActive()) parked++;
        long heap1 = Bench.heapAfterGc();
        long rss1 = Bench.rssBytes();
        long t0 = System.nanoTime();
        KotlinWorkloads.release(jobs, sleep, gate);
        long released = System.nanoTime() - t0;
        return new MemoryMain.Result(variant, n, heap1 - heap0, rss1 - rss0, parked, (int) finished.sum(), released);
    }
}
