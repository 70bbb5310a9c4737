package dev.weft.examples;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * weft's main job: fetch simulated slow resources, one greenlet each, with a per-item timeout.
 * Links count progress, a progress greenlet redraws one line, {@code joinAll} waits with an
 * overall deadline, {@code killAll} ends the stragglers that ignored their timeout, and a summary
 * table says what happened to every item.
 *
 * <pre>./weft run [items] [per-item-timeout-ms] [seed]</pre>
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        int items = args.length > 0 ? Integer.parseInt(args[0]) : 1_000;
        Duration perItem = Duration.ofMillis(args.length > 1 ? Long.parseLong(args[1]) : 200);
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42;

        try (Hub hub = Hub.parallel()) {
            AtomicInteger reported = new AtomicInteger();
            // failures nobody waits for go to the hub's error handler (default: a log line)
            hub.setErrorHandler((source, error) -> reported.incrementAndGet());
            long t0 = hub.nanoTime();
            Summary s = hub.run(() -> crawl(items, perItem, seed, true));
            double ms = (hub.nanoTime() - t0) / 1e6;
            System.out.printf("%nweft: %d simulated fetches, per-item timeout %d ms, on %s%n",
                    items, perItem.toMillis(), hub.name());
            System.out.println("  outcome     count  what happened");
            System.out.printf("  fetched    %6d  finished in time%n", s.fetched());
            System.out.printf("  timed out  %6d  its own Timeout fired; it gave up%n", s.timedOut());
            System.out.printf("  failed     %6d  raised an error (%d reported to the hub's handler)%n",
                    s.failed(), reported.get());
            System.out.printf("  killed     %6d  swallowed its timeout; killAll ended it%n", s.killed());
            System.out.printf("  wall time %7.0f ms  (the same fetches one after another: ~%,d ms)%n",
                    ms, s.totalLatencyMs());
        }
    }

    record Summary(int fetched, int timedOut, int failed, int killed, long totalLatencyMs) {}

    static Summary crawl(int items, Duration perItem, long seed, boolean showProgress) {
        Random random = new Random(seed);
        AtomicInteger done = new AtomicInteger();
        List<Greenlet<String>> fetches = new ArrayList<>(items);
        long totalLatency = 0;
        for (int i = 0; i < items; i++) {
            int id = i;
            long latency = random.nextInt(10) == 0 ? 5_000 : 10 + random.nextInt(150); // 10% hang
            boolean fails = random.nextInt(50) == 0;
            boolean stubborn = random.nextInt(20) == 0; // swallows its timeout and keeps going
            totalLatency += latency;
            Greenlet<String> g = Greenlet.spawn(() -> fetch(id, latency, fails, stubborn, perItem));
            g.rawlink(x -> done.incrementAndGet()); // progress: runs as each one ends
            fetches.add(g);
        }
        Greenlet<Void> progress = Greenlet.spawn(() -> {
            for (;;) {
                if (showProgress) drawProgress(done.get(), items);
                if (done.get() >= items) return;
                Greenlets.sleep(Duration.ofMillis(50));
            }
        });
        // give everyone three timeouts' worth, then kill whoever is left (the stubborn ones)
        List<Greenlet<String>> finished = Greenlets.joinAll(fetches, perItem.multipliedBy(3), false, items);
        List<Greenlet<String>> stragglers = new ArrayList<>(fetches);
        stragglers.removeAll(finished);
        Greenlets.killAll(stragglers, new GreenletExit("straggler"), true, Duration.ofSeconds(5));
        progress.join();

        int fetched = 0, timedOut = 0, failed = 0, killed = 0;
        for (Greenlet<String> g : fetches) {
            if (g.isKilled()) killed++;
            else if (!g.isSuccessful()) failed++;
            else if (g.value() == null) timedOut++;
            else fetched++;
        }
        return new Summary(fetched, timedOut, failed, killed, totalLatency);
    }

    private static String fetch(int id, long latencyMs, boolean fails, boolean stubborn, Duration timeout) {
        try (Timeout t = Timeout.start(timeout)) {
            Greenlets.sleep(Duration.ofMillis(latencyMs)); // the "network"
            if (fails) throw new IllegalStateException("HTTP 500 for item " + id);
            return "item " + id;
        } catch (Timeout t) {
            if (stubborn) Greenlets.sleep(Duration.ofSeconds(30)); // only a kill ends this
            return null;
        }
    }

    private static void drawProgress(int done, int total) {
        int width = 40, filled = (int) ((long) done * width / Math.max(1, total));
        System.out.printf("\r  [%s%s] %5d/%d done", "#".repeat(filled), ".".repeat(width - filled), done, total);
        System.out.flush();
    }
}
