package dev.weft.examples.kv;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.weft.Hub;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Programs nobody here wrote: Debian's {@code redis-cli} and {@code redis-benchmark}, unmodified,
 * against the server. Skipped with a message when they are not installed
 * ({@code weft-bench/redis/bench.sh} installs them).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RedisToolsTest {
    static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    static boolean installed(String tool) {
        return Files.isExecutable(Path.of("/usr/bin", tool)) || Files.isExecutable(Path.of("/usr/local/bin", tool));
    }

    @Test
    void redisCliAndRedisBenchmarkWorkUnmodified() throws Exception {
        assumeTrue(installed("redis-cli") && installed("redis-benchmark"),
                "redis-cli/redis-benchmark not installed: skipped (apt-get install redis-tools, or weft-bench/redis/bench.sh)");
        try (Hub hub = Hub.parallel()) {
            KvServer server = new KvServer(KvConfig.defaults().withPort(0));
            hub.spawn(server::start).get();
            try {
                String port = Integer.toString(server.address().getPort());
                assertEquals("PONG", run("redis-cli", "-p", port, "PING").strip());
                assertEquals("OK", run("redis-cli", "-p", port, "SET", "greeting", "hello", "EX", "100").strip());
                assertEquals("hello", run("redis-cli", "-p", port, "GET", "greeting").strip());
                String ttl = run("redis-cli", "-p", port, "TTL", "greeting").strip();
                assertTrue(ttl.equals("100") || ttl.equals("99"), "TTL of a 100 s expiry just set: " + ttl); // a second may tick
                String bench = run("redis-benchmark", "-p", port, "-t", "get,set,incr", "-n", "2000", "-c", "10", "-P", "4", "-q");
                List<String> seen = new ArrayList<>();
                for (String t : new String[] {"SET", "GET", "INCR"}) {
                    if (bench.contains(t + ": ") && bench.contains("requests per second")) seen.add(t);
                }
                assertEquals(List.of("SET", "GET", "INCR"), seen, bench);
                assertEquals(0, server.stats().protocolErrors());
            } finally {
                hub.spawn(() -> server.stop(Duration.ofSeconds(1))).get();
            }
        }
    }
}
