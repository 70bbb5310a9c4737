package dev.weft.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.sync.Event;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

/** The console over HTTP: its page and JSON endpoints, and its guards (token, Host, read-only). */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class WeftConsoleHttpTest {
    /** A status, the body and the content type (java.net.http is not read by the module the tests are compiled into). */
    record Response(int statusCode, String body, String contentType) {}
    private Hub hub;
    private Event never;
    private Greenlet<Void> waiter;

    @BeforeEach
    void workload() {
        hub = Hub.parallel();
        never = new Event();
        waiter = new Greenlet<>(hub, () -> never.await());
        waiter.setName("console-waiter");
        waiter.start();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!waiter.isWaiting() && System.nanoTime() < end) Thread.onSpinWait();
        assertTrue(waiter.isWaiting());
    }

    @AfterEach
    void close() {
        hub.close();
    }

    private static Response request(URI uri, String method, String... headers) throws Exception {
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        try {
            c.setRequestMethod(method);
            for (int i = 0; i < headers.length; i += 2) c.setRequestProperty(headers[i], headers[i + 1]);
            if (method.equals("POST")) {
                c.setDoOutput(true);
                c.getOutputStream().close();
            }
            int status = c.getResponseCode();
            InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
            String body = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return new Response(status, body, c.getContentType());
        } finally {
            c.disconnect();
        }
    }

    private static Response get(URI base, String path) throws Exception {
        return request(base.resolve(path), "GET");
    }

    private Response postKill(URI base, boolean withHeader) throws Exception {
        URI u = base.resolve("/api/kill?hub=" + hub.name() + "&id=" + waiter.id());
        return withHeader ? request(u, "POST", "X-Weft-Console", "kill") : request(u, "POST");
    }

    @Test
    void theSnapshotListsTheHubAndItsWaitingGreenlet() throws Exception {
        try (WeftConsole c = WeftConsole.start(0)) {
            Response r = get(c.uri(), "/api/snapshot");
            assertEquals(200, r.statusCode());
            assertEquals("application/json", r.contentType());
            String json = r.body();
            assertTrue(json.contains("\"name\":\"" + hub.name() + "\",\"kind\":\"parallel\""), json);
            assertTrue(json.contains("\"id\":" + waiter.id() + ",\"name\":\"console-waiter\",\"state\":\"WAITING\""), json);
            assertTrue(json.contains("\"waitKind\":\"Event\""), json);
        }
    }

    @Test
    void thePageIsSelfContained() throws Exception {
        try (WeftConsole c = WeftConsole.start(0)) {
            Response r = get(c.uri(), "/");
            assertEquals(200, r.statusCode());
            assertTrue(r.body().contains("<title>weft console</title>"));
            assertFalse(r.body().matches("(?s).*(src|href)=\"(https?:)?//.*"), "no external script or style");
        }
    }

    @Test
    void aReadOnlyConsoleRefusesKills() throws Exception {
        try (WeftConsole c = WeftConsole.start(0)) {
            assertTrue(get(c.uri(), "/api/config").body().contains("\"kill\":false"));
            assertEquals(403, postKill(c.uri(), true).statusCode());
            assertTrue(waiter.isAlive());
        }
    }

    @Test
    void aConsoleAllowedToKillKillsOnAPostWithItsHeader() throws Exception {
        try (WeftConsole c = WeftConsole.start(WeftConsole.Options.onPort(0).allowKill(true))) {
            assertTrue(get(c.uri(), "/api/config").body().contains("\"kill\":true"));
            assertEquals(400, postKill(c.uri(), false).statusCode(), "no header: maybe a cross-site form");
            assertTrue(waiter.isAlive());
            Response r = postKill(c.uri(), true);
            assertEquals(200, r.statusCode(), r.body());
            waiter.join();
            assertTrue(waiter.isKilled());
            assertEquals(404, postKill(c.uri(), true).statusCode(), "it is gone");
        }
    }

    @Test
    void aTokenGuardedConsoleAsksForItsToken() throws Exception {
        String token = "0123456789abcdef-token";
        try (WeftConsole c = WeftConsole.start(WeftConsole.Options.onPort(0).bind(InetAddress.getLoopbackAddress(), token))) {
            URI bare = URI.create("http://127.0.0.1:" + c.port() + "/");
            assertEquals(401, get(bare, "/api/snapshot").statusCode());
            assertEquals(401, get(bare, "/api/snapshot?token=wrong").statusCode());
            assertEquals(200, get(bare, "/api/snapshot?token=" + token).statusCode());
            Response bearer = request(bare.resolve("/api/snapshot"), "GET", "Authorization", "Bearer " + token);
            assertEquals(200, bearer.statusCode());
            assertTrue(c.uri().toString().endsWith("?token=" + token));
        }
    }

    @Test
    void aShortTokenIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> WeftConsole.Options.onPort(0).bind(InetAddress.getLoopbackAddress(), "short"));
    }

    @Test
    void aForeignHostHeaderIsRefusedOnLoopback() throws Exception {
        try (WeftConsole c = WeftConsole.start(0); Socket s = new Socket(InetAddress.getLoopbackAddress(), c.port())) {
            OutputStream out = s.getOutputStream();
            out.write(("GET /api/snapshot HTTP/1.1\r\nHost: evil.example:" + c.port() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String status = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().findFirst().orElseThrow();
            assertTrue(status.startsWith("HTTP/1.1 403"), status);
        }
    }

    /** The status line of a raw GET of {@code path} with the given Host header. */
    private static String statusWithHost(WeftConsole c, String path, String host, String... extraHeaderLines) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), c.port())) {
            OutputStream out = s.getOutputStream();
            String extra = extraHeaderLines.length == 0 ? "" : String.join("\r\n", extraHeaderLines) + "\r\n";
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extra + "Connection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).lines().findFirst().orElseThrow();
        }
    }

    @Test
    void aNameThatOnlyStartsWith127IsNotLoopback() throws Exception {
        // DNS rebinding: 127.attacker.example can resolve to 127.0.0.1 after the page has loaded
        try (WeftConsole c = WeftConsole.start(0)) {
            String status = statusWithHost(c, "/api/snapshot", "127.attacker.example:" + c.port());
            assertTrue(status.startsWith("HTTP/1.1 403"), status);
            assertTrue(statusWithHost(c, "/api/snapshot", "127.0.0.1:" + c.port()).startsWith("HTTP/1.1 200"));
            assertTrue(statusWithHost(c, "/api/snapshot", "127.1.2.3").startsWith("HTTP/1.1 200"));
            assertTrue(statusWithHost(c, "/api/snapshot", "LocalHost:" + c.port()).startsWith("HTTP/1.1 200"));
            assertTrue(statusWithHost(c, "/api/snapshot", "127.0.0.256").startsWith("HTTP/1.1 403"));
        }
    }

    @Test
    void aMalformedQueryIsABadRequestNotAServerError() throws Exception {
        String token = "0123456789abcdef-token";
        try (WeftConsole c = WeftConsole.start(WeftConsole.Options.onPort(0).bind(InetAddress.getLoopbackAddress(), token))) {
            String host = "127.0.0.1:" + c.port();
            for (String auth : new String[] {"X-None: none", "Authorization: Bearer " + token}) {
                String status = statusWithHost(c, "/api/snapshot?x=%zz", host, auth);
                assertTrue(status.startsWith("HTTP/1.1 400"), auth + ": " + status);
            }
        }
    }

    @Test
    void aHeadRequestGetsTheHeadersWithoutABody() throws Exception {
        try (WeftConsole c = WeftConsole.start(0)) {
            Response r = request(c.uri().resolve("/api/snapshot"), "HEAD");
            assertEquals(200, r.statusCode());
            assertEquals("", r.body());
        }
    }

    @Test
    void snapshotsAskedForAtOnceAreBuiltOnceAndShared() throws Exception {
        try (WeftConsole c = WeftConsole.start(0)) {
            int n = 8;
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Thread> clients = new java.util.ArrayList<>();
            java.util.concurrent.atomic.AtomicInteger ok = new java.util.concurrent.atomic.AtomicInteger();
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> {
                    try {
                        go.await();
                        if (get(c.uri(), "/api/snapshot").statusCode() == 200) ok.incrementAndGet();
                    } catch (Exception e) {
                        throw new AssertionError(e);
                    }
                });
                t.start();
                clients.add(t);
            }
            go.countDown();
            for (Thread t : clients) t.join(20_000);
            assertEquals(n, ok.get());
            assertTrue(c.snapshotsBuilt() < n, "every request built its own snapshot: " + c.snapshotsBuilt());
        }
    }

    @Test
    void aPortOutOfRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> WeftConsole.start(70000));
    }
}
