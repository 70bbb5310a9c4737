package dev.weft.examples;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.Timeout;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * weft's main job for now: fetch 1,000 simulated slow resources, one greenlet each, with a
 * per-item timeout; a watchdog kills the stragglers; print a summary.
 *
 * <pre>./weft run [items] [timeout-ms]</pre>
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        Duration perItem = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 200);

        try (Hub hub = Hub.parallel()) {
            // failures nobody is waiting for go to the hub's error handler (default: a log line)
            java.util.concurrent.atomic.AtomicInteger reported = new java.util.concurrent.atomic.AtomicInteger();
            hub.setErrorHandler((source, error) -> reported.incrementAndGet());
            long t0 = hub.nanoTime();
            Summary s = hub.run(() -> crawl(items, perItem));
            double ms = (hub.nanoTime() - t0) / 1e6;
            System.out.printf("weft: %d simulated fetches, per-item timeout %d ms%n", items, perItem.toMillis());
            System.out.printf("  %-10s %6d%n  %-10s %6d%n  %-10s %6d%n  %-10s %6d%n",
                    "fetched", s.fetched, "timed out", s.timedOut, "failed", s.failed, "killed", s.killed);
            System.out.printf("  %-10s %6d   (failures no one was waiting for when they happened)%n",
                    "reported", reported.get());
            System.out.printf("  wall time  %6.0f ms (sequentially: ~%d ms)%n", ms, s.totalLatencyMs);
        }
    }

    record Summary(int fetched, int timedOut, int failed, int killed, long totalLatencyMs) {}

    static Summary crawl(int items, Duration perItem) {
        Random random = new Random(42);
        Event stop = new Event();
        List<Greenlet<String>> fetches = new ArrayList<>();
        long totalLatency = 0;
        for (int i = 0; i < items; i++) {
            int id = i;
            long latency = random.nextInt(10) == 0 ? 5_000 : 10 + random.nextInt(150); // 10% hang
            boolean fails = random.nextInt(50) == 0;
            boolean stubborn = random.nextInt(20) == 0; // swallows its timeout and keeps going
            totalLatency += latency;
            fetches.add(Greenlet.spawn(() -> {
                try (Timeout t = Timeout.start(perItem)) {
                    Greenlets.sleep(Duration.ofMillis(latency)); // the "network"
                    if (fails) throw new IllegalStateException("HTTP 500 for item " + id);
                    return "item " + id;
                } catch (Timeout t) {
                    if (stubborn) Greenlets.sleep(Duration.ofSeconds(30)); // only a kill ends this
                    return null; // its own timeout: report as timed out
                }
            }));
        }
        // a watchdog: whatever is still running after 3 timeouts' worth is killed
        Greenlet<Void> watchdog = Greenlet.spawn(() -> {
            if (!stop.await(perItem.multipliedBy(3))) {
                for (Greenlet<String> g : fetches) g.kill(new dev.weft.GreenletExit(), false, null);
            }
        });
        int fetched = 0, timedOut = 0, failed = 0, killed = 0;
        for (Greenlet<String> g : fetches) {
            g.join();
            if (g.isKilled()) killed++;
            else if (!g.isSuccessful()) failed++;
            else if (g.value() == null) timedOut++;
            else fetched++;
        }
        stop.set();
        watchdog.join();
        return new Summary(fetched, timedOut, failed, killed, totalLatency);
    }
}
