package dev.weft.console;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.sync.Event;
import dev.weft.sync.Queue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * The console page as a person sees it: headless Chromium loads it while a workload runs, the
 * rendered page (after its script fetched the snapshot) must show the greenlets that exist —
 * names, states, what they wait on — and a screenshot is saved as
 * {@code weft-console/target/console.png}. Skipped, saying so, where Chromium is not installed
 * ({@code weft-console/install-chromium.sh} installs Debian's).
 */
@Tag("browser")
@org.junit.jupiter.api.Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
class ConsolePageBrowserTest {

    static String chromium() {
        for (String c : List.of("chromium", "chromium-browser", "google-chrome")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                if (Files.isExecutable(Path.of(dir, c))) return Path.of(dir, c).toString();
            }
        }
        return null;
    }

    private static String run(String chromium, Path profile, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile,
                "--virtual-time-budget=4000", "--window-size=1280,900"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not finish");
        }
        return new String(out, java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void thePageShowsTheLiveGreenletsAndIsCaptured() throws Exception {
        String chromium = chromium();
        Assumptions.assumeTrue(chromium != null,
                "Chromium is not installed: the console's browser test is skipped (weft-console/install-chromium.sh installs it)");
        Path target = Path.of("target").toAbsolutePath();
        Files.createDirectories(target);
        Path profile = Files.createTempDirectory(target, "chromium-profile");
        try (Hub hub = Hub.parallel(); WeftConsole console = WeftConsole.start(WeftConsole.Options.onPort(0).allowKill(true))) {
            Event gate = new Event();
            Queue<String> inbox = new Queue<>();
            Greenlet<?> acceptor = named(hub, "acceptor", () -> {
                for (int i = 0; i < 3; i++) named(hub, "handler-" + i, () -> inbox.get());
                gate.await();
            });
            Greenlet<?> ticker = named(hub, "ticker", () -> Greenlets.sleep(Duration.ofHours(1)));
            hub.setErrorHandler((s, e) -> {});
            Greenlet<?> failing = named(hub, "flaky-fetch", () -> {
                throw new IllegalStateException("upstream said 503");
            });
            failing.join();
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (hub.greenlets().stream().filter(Greenlet::isWaiting).count() < 5 && System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            String dom = run(chromium, profile, "--dump-dom", console.uri().toString());
            assertTrue(dom.contains("data-loaded=\"true\""), "the page's script read the snapshot:\n" + dom);
            for (String name : List.of("acceptor", "handler-0", "handler-2", "ticker")) {
                assertTrue(dom.contains(name), name + " is on the page");
            }
            assertTrue(dom.contains(">WAITING<"), "states are shown");
            assertTrue(dom.contains("Queue: "), "what handlers wait on is shown");
            assertTrue(dom.contains(">sleep · "), "the ticker's sleep is shown");
            assertTrue(dom.contains("upstream said 503"), "the recent failure is shown");
            assertTrue(dom.contains("class=\"kill\""), "kill buttons are shown when allowed");
            Path png = target.resolve("console.png");
            Files.deleteIfExists(png);
            run(chromium, profile, "--screenshot=" + png, "--hide-scrollbars", console.uri().toString());
            assertTrue(Files.size(png) > 10_000, "a screenshot was saved: " + png);
            gate.set();
            acceptor.join();
            ticker.kill();
        } finally {
            try (var files = Files.walk(profile)) { // Chromium's throwaway profile
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static Greenlet<Void> named(Hub hub, String name, dev.weft.CheckedRunnable body) {
        Greenlet<Void> g = new Greenlet<>(hub, body);
        g.setName(name);
        g.start();
        return g;
    }
}
