package dev.weft.examples.kv;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Hub;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Durability: a server process killed with SIGKILL in the middle of a write load, under
 * {@code appendfsync always}, loses no acknowledged write; a torn last record is cut off at
 * restart, never half-applied.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class AofCrashTest {
    @Test
    void sigkillMidLoadLosesNoAcknowledgedWriteAndATornTailIsTruncated(@TempDir Path dir) throws Exception {
        String cp = location(KvServer.class) + File.pathSeparator + location(Hub.class);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "--add-opens", "java.base/java.lang=ALL-UNNAMED", "-cp", cp,
                "dev.weft.examples.ServeMain", "--port", "0", "--appendonly", "yes", "--appendfsync", "always",
                "--dir", dir.toString()).redirectErrorStream(true).start();
        Map<String, String> acked = new ConcurrentHashMap<>();
        AtomicLong count = new AtomicLong();
        CountDownLatch acks150 = new CountDownLatch(150);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String banner = out.readLine();
            Matcher m = Pattern.compile(":(\\d+) \\(").matcher(String.valueOf(banner));
            assertTrue(m.find(), "no address in: " + banner);
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(m.group(1)));
            try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
                List<Future<?>> fs = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int id = t;
                    fs.add(clients.submit(() -> {
                        try (RespClient c = new RespClient(address)) {
                            for (int i = 0; ; i++) {
                                String k = "k" + id + ":" + i, v = "v" + i;
                                if (!"OK".equals(c.call("SET", k, v))) return;
                                acked.put(k, v); // acknowledged: from now on it must survive
                                count.incrementAndGet();
                                acks150.countDown();
                            }
                        } catch (java.io.IOException killed) {
                            // the server died under us: expected
                        }
                        return;
                    }));
                }
                boolean loaded = acks150.await(60, TimeUnit.SECONDS); // 150 writes acknowledged (slow disks: fsync always)
                p.destroyForcibly(); // SIGKILL, mid-load
                p.waitFor();
                for (Future<?> f : fs) f.get();
                assertTrue(loaded, "150 writes were not acknowledged within 60 s (" + count.get()
                        + " were): the server too slow or a client stopped early");
            }
        } finally {
            p.destroyForcibly();
        }
        assertTrue(acked.size() >= 150, "the load ran: " + acked.size());
        Path aof = dir.resolve("appendonly.aof");
        byte[] torn = "*3\r\n$3\r\nSET\r\n$4\r\ntorn\r\n$5\r\nval".getBytes(StandardCharsets.US_ASCII);
        Files.write(aof, torn, StandardOpenOption.APPEND); // a crash in the middle of a record

        try (Hub hub = Hub.parallel()) {
            KvServer again = new KvServer(KvConfig.defaults().withAof(dir, Aof.Fsync.ALWAYS).withPort(0));
            hub.spawn(again::start).get();
            try {
                assertTrue(again.replayed().truncatedBytes() >= torn.length, "the torn tail was cut: " + again.replayed());
                try (RespClient c = new RespClient(again.address())) {
                    assertNull(c.call("GET", "torn"), "a torn record is never half-applied");
                    for (var e : acked.entrySet()) assertEquals(e.getValue(), RespClient.str(c.call("GET", e.getKey())), e.getKey());
                }
            } finally {
                hub.spawn(() -> again.stop(Duration.ofSeconds(1))).get();
            }
        }
        byte[] after = Files.readAllBytes(aof);
        assertFalse(new String(after, StandardCharsets.US_ASCII).contains("torn"), "the file no longer holds the torn tail");
    }

    private static String location(Class<?> c) throws Exception {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
