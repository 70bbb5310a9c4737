package dev.weft.bench;

import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.management.GreenletTree;
import dev.weft.sync.Event;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Hub.dump() at scale: {@code N} (default 1,000,000) live greenlets parked on an event, half of
 * them spawned by the others, dumped as text and as JSON to files under {@code target/}; prints
 * one JSON line with the times. The dump was quadratic before issue 16 (hours at this size).
 *
 * <p>Run: {@code java --add-opens java.base/java.lang=ALL-UNNAMED -Xmx4g -cp benchmarks.jar
 * dev.weft.bench.DumpMain [N]}
 */
public final class DumpMain {
    private DumpMain() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        System.out.println(measure(n, Path.of("target")));
    }

    /** Spawns {@code n} parked greenlets, dumps them; returns the result line. */
    public static String measure(int n, Path dir) throws Exception {
        Files.createDirectories(dir);
        try (Hub hub = Hub.parallel()) {
            Event release = new Event();
            int parents = n / 2;
            long t0 = System.nanoTime();
            return hub.run(() -> {
                for (int i = 0; i < parents; i++) {
                    hub.spawn(() -> {
                        hub.spawn(() -> release.await());
                        release.await();
                    });
                }
                while (hub.greenlets().size() < 2 * parents + 1) dev.weft.Greenlets.sleep(java.time.Duration.ofMillis(50));
                long spawned = System.nanoTime();
                GreenletTree tree = GreenletTree.of(hub, false);
                long snap = System.nanoTime();
                try (Writer w = Files.newBufferedWriter(dir.resolve("dump.txt"))) {
                    tree.writeText(w);
                }
                long text = System.nanoTime();
                try (Writer w = Files.newBufferedWriter(dir.resolve("dump.json"))) {
                    tree.writeJson(w);
                }
                long json = System.nanoTime();
                String line = String.format(
                        "{\"bench\":\"DumpMain\",\"greenlets\":%d,\"spawnSeconds\":%.2f,\"snapshotSeconds\":%.2f,"
                                + "\"textSeconds\":%.2f,\"jsonSeconds\":%.2f,\"textBytes\":%d}",
                        tree.entries().size(), (spawned - t0) / 1e9, (snap - spawned) / 1e9, (text - snap) / 1e9,
                        (json - text) / 1e9, Files.size(dir.resolve("dump.txt")));
                release.set();
                return line;
            });
        }
    }
}
