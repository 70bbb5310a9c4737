package dev.weft.examples.kv;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Hub;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The server over real loopback TCP: pipelining, every kind of bad input, idle clients, stop. */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class KvServerTest {
    Hub hub;
    KvServer server;

    @BeforeEach
    void openHub() {
        hub = Hub.parallel();
    }

    @AfterEach
    void stopAll() {
        if (server != null) hub.spawn(() -> server.stop(Duration.ofSeconds(1))).get();
        hub.close();
    }

    KvServer start(KvConfig config) {
        server = new KvServer(config.withPort(0));
        hub.spawn(server::start).get();
        return server;
    }

    /** Waits for {@code n} releases of {@code events} (a server hook releases one per event). */
    static void await(java.util.concurrent.Semaphore events, int n) throws InterruptedException {
        assertTrue(events.tryAcquire(n, 20, java.util.concurrent.TimeUnit.SECONDS), "the server's event did not come in 20 s");
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrder() throws Exception {
        start(KvConfig.defaults());
        try (RespClient c = new RespClient(server.address())) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 200; i++) batch.append("*2\r\n$4\r\nINCR\r\n$1\r\nn\r\n");
            c.sendRaw(batch.toString());
            for (long i = 1; i <= 200; i++) assertEquals(i, c.read());
        }
    }

    @Test
    void malformedRespGetsAProtocolErrorAndACloseAndIsCounted() throws Exception {
        start(KvConfig.defaults());
        try (RespClient good = new RespClient(server.address()); RespClient bad = new RespClient(server.address())) {
            bad.sendRaw("*1\r\n:12\r\n");
            Object r = bad.read();
            assertTrue(RespClient.str(r).startsWith("-ERR Protocol error: expected '$'"), RespClient.str(r));
            assertTrue(bad.closedByServer());
            assertEquals("OK", good.call("SET", "still", "here"), "another connection is untouched");
            assertEquals(1, server.stats().protocolErrors());
        }
    }

    @Test
    void aBulkBeyondTheLimitIsRefusedAndCounted() throws Exception {
        start(KvConfig.defaults().withLimits(1000, 100, 1 << 20));
        try (RespClient c = new RespClient(server.address())) {
            c.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$100000\r\n");
            assertTrue(RespClient.str(c.read()).startsWith("-ERR Protocol error: invalid bulk length"));
            assertTrue(c.closedByServer());
            assertEquals(1, server.stats().bulkTooBig());
        }
    }

    @Test
    void tooManyArgumentsAreRefusedAndCounted() throws Exception {
        start(KvConfig.defaults().withLimits(1000, 10, 1 << 20));
        try (RespClient c = new RespClient(server.address())) {
            c.sendRaw("*11\r\n");
            assertTrue(RespClient.str(c.read()).startsWith("-ERR Protocol error: too many arguments"));
            assertTrue(c.closedByServer());
            assertEquals(1, server.stats().tooManyArgs());
        }
    }

    @Test
    void aClientThatSendsHalfACommandAndVanishesIsCountedAndHarmsNoOne() throws Exception {
        start(KvConfig.defaults());
        var ended = new java.util.concurrent.Semaphore(0);
        server.afterConnection = ended::release;
        try (RespClient c = new RespClient(server.address())) {
            c.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$10\r\nabc");
        }
        await(ended, 1);
        assertEquals(1, server.stats().halfCommands());
        try (RespClient c = new RespClient(server.address())) {
            assertNull(c.call("GET", "k"), "the half command was never applied");
        }
    }

    @Test
    void aClientThatNeverReadsIsClosedAtTheOutputLimit() throws Exception {
        start(KvConfig.defaults().withLimits(1 << 20, 100, 64 * 1024));
        var ended = new java.util.concurrent.Semaphore(0);
        server.afterConnection = ended::release;
        try (RespClient c = new RespClient(server.address())) {
            assertEquals("OK", c.call("SET", "big", "x".repeat(32 * 1024)));
            StringBuilder gets = new StringBuilder();
            for (int i = 0; i < 100; i++) gets.append("*2\r\n$3\r\nGET\r\n$3\r\nbig\r\n");
            c.sendRaw(gets.toString()); // 3.2 MB of replies, and it never reads them
            await(ended, 1);
            assertEquals(1, server.stats().outputOverflows());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void anIdleClientIsClosedByTheIdleTimeout() throws Exception {
        start(KvConfig.defaults().withIdleTimeout(Duration.ofSeconds(1))); // wide enough for the PING first
        try (RespClient c = new RespClient(server.address())) {
            assertEquals("PONG", c.call("PING"));
            assertTrue(c.closedByServer());
            assertEquals(1, server.streamServer().idleClosed());
        }
    }

    @Test
    void listeningBeyondLoopbackWithoutAPasswordIsRefused() throws Exception {
        KvServer s = new KvServer(KvConfig.defaults().withBind(InetAddress.getByName("0.0.0.0"), null).withPort(0));
        var e = assertThrows(IllegalStateException.class, () -> hub.spawn(s::start).get());
        assertTrue(e.getMessage().contains("requirepass"), e.getMessage());
    }

    @Test
    void withAPasswordClientsMustAuthenticateOverTheWire() throws Exception {
        start(KvConfig.defaults().withBind(InetAddress.getLoopbackAddress(), "pw"));
        try (RespClient c = new RespClient(server.address())) {
            assertEquals("NOAUTH Authentication required.", ((LoadGenerator.ErrorReply) c.call("GET", "k")).message());
            assertEquals("OK", c.call("AUTH", "pw"));
            assertNull(c.call("GET", "k"));
        }
    }

    @Test
    void beforeAuthABulkOver16KbIsRefusedAndTheConnectionClosed() throws Exception {
        start(KvConfig.defaults().withBind(InetAddress.getLoopbackAddress(), "pw"));
        try (RespClient c = new RespClient(server.address())) {
            c.sendRaw("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$16385\r\n");
            assertEquals("ERR Protocol error: unauthenticated bulk length", ((LoadGenerator.ErrorReply) c.read()).message());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void beforeAuthMoreThanTenArgumentsAreRefusedAndTheConnectionClosed() throws Exception {
        start(KvConfig.defaults().withBind(InetAddress.getLoopbackAddress(), "pw"));
        try (RespClient c = new RespClient(server.address())) {
            c.sendRaw("*11\r\n");
            assertEquals("ERR Protocol error: unauthenticated multibulk length", ((LoadGenerator.ErrorReply) c.read()).message());
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void anAuthPipelinedBeforeABigBulkLiftsTheLimitForIt() throws Exception {
        start(KvConfig.defaults().withBind(InetAddress.getLoopbackAddress(), "pw"));
        try (RespClient c = new RespClient(server.address())) {
            String big = "v".repeat(20_000);
            c.sendRaw("*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$20000\r\n" + big + "\r\n"
                    + "*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
            assertEquals("OK", c.read());
            assertEquals("OK", c.read());
            assertEquals(big, RespClient.str(c.read()));
        }
    }

    @Test
    void stopAnswersWhatWasReceivedAndTheLogKeepsEveryAcknowledgedWrite(@TempDir Path dir) throws Exception {
        KvConfig config = KvConfig.defaults().withAof(dir, Aof.Fsync.NO);
        start(config);
        try (RespClient c = new RespClient(server.address())) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 100; i++) batch.append("*3\r\n$3\r\nSET\r\n$2\r\nk").append(i % 10).append("\r\n$1\r\n").append(i % 10).append("\r\n");
            c.sendRaw(batch.toString());
            for (int i = 0; i < 100; i++) assertEquals("OK", c.read());
            hub.spawn(() -> server.stop(Duration.ofSeconds(5))).get();
            server = null;
            assertTrue(c.closedByServer());
        }
        KvServer again = start(config);
        assertEquals(10, hub.spawn(again::dbsize).get());
        try (RespClient c = new RespClient(again.address())) {
            assertEquals("7", RespClient.str(c.call("GET", "k7")));
        }
    }

    @Test
    void expiryDrivenByTheServersTimersDeletesUnreadKeys() throws Exception {
        var now = new java.util.concurrent.atomic.AtomicLong(1_000_000);
        LongSupplier clock = now::get;
        server = new KvServer(KvConfig.defaults().withPort(0), clock);
        hub.spawn(server::start).get();
        try (RespClient c = new RespClient(server.address())) {
            for (int i = 0; i < 50; i++) assertEquals("OK", c.call("SET", "e" + i, "v", "PX", "100"));
            assertEquals(50L, c.call("DBSIZE"));
            var cycles = new java.util.concurrent.Semaphore(0);
            server.afterExpireCycle = cycles::release;
            now.addAndGet(1_000); // every key is now past its time; only the active cycle can delete them
            await(cycles, 2); // the second cycle started after the clock moved
            assertEquals(0L, c.call("DBSIZE"));
        }
    }
}
