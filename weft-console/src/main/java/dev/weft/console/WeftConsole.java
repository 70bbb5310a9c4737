package dev.weft.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Hub;
import dev.weft.management.Monitoring;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A live console: a small web page showing every open hub's greenlet tree, refreshed every
 * second, with filters (state, name, waited-on primitive, time waited), counts per state, the
 * slowest waits and the recent failures. Everything the page needs is served from this module:
 * no external script or style sheet is fetched.
 *
 * {@snippet :
 * try (WeftConsole console = WeftConsole.start(8081)) {   // http://127.0.0.1:8081/
 *     hub.run(mainJob);
 * }
 * }
 *
 * <h2>Safety</h2>
 * It binds the loopback address by default, so only the machine itself can reach it, and it
 * accepts only requests whose {@code Host} is a loopback name (against DNS rebinding). Another
 * address needs {@link Options#bind(InetAddress, String)} with an access token, which every
 * request must then carry ({@code ?token=} on the page's address, or
 * {@code Authorization: Bearer <token>}). It is read-only by default: the kill button exists only
 * with {@link Options#allowKill(boolean) allowKill(true)}, asks for confirmation, and the kill
 * endpoint takes only a {@code POST} with the header {@code X-Weft-Console: kill} (which a page
 * of another origin cannot send without the browser asking this server first).
 *
 * <h2>Endpoints</h2>
 * <ul>
 * <li>{@code GET /} — the page.</li>
 * <li>{@code GET /api/snapshot} — every hub's metrics and tree, as
 *     {@link Monitoring#toJson(boolean)}; {@code ?stacks=1} adds each greenlet's stack.</li>
 * <li>{@code GET /api/config} — {@code {"kill":true|false}}.</li>
 * <li>{@code POST /api/kill?hub=<name>&id=<id>} — kills a greenlet with a {@link GreenletExit}
 *     (404 if it is not live, 403 unless kills are allowed).</li>
 * </ul>
 */
public final class WeftConsole implements AutoCloseable {
    /** How a console is started: where it listens, who may use it, whether it may kill. */
    public static final class Options {
        private final int port;
        private InetAddress address = InetAddress.getLoopbackAddress();
        private String token;
        private boolean kill;

        private Options(int port) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("port out of range: " + port);
            this.port = port;
        }

        /**
         * Options for a console on {@code port} of the loopback address, read-only.
         *
         * @param port 0 to 65535; 0 picks a free port ({@link WeftConsole#port()} tells which)
         * @return new options
         * @throws IllegalArgumentException if {@code port} is out of range
         */
        public static Options onPort(int port) {
            return new Options(port);
        }

        /**
         * Listens on {@code address} instead of the loopback address; every request must then
         * carry {@code accessToken}.
         *
         * @param address the address to bind (e.g. {@code 0.0.0.0} for every interface)
         * @param accessToken the token requests must carry: at least 16 characters
         * @return these options
         * @throws NullPointerException if an argument is null
         * @throws IllegalArgumentException if the token is shorter than 16 characters
         */
        public Options bind(InetAddress address, String accessToken) {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(accessToken, "accessToken");
            if (accessToken.length() < 16) {
                throw new IllegalArgumentException("an access token needs at least 16 characters");
            }
            this.address = address;
            this.token = accessToken;
            return this;
        }

        /**
         * Shows a kill button (with a confirmation) on each greenlet and accepts kills.
         *
         * @param allow true to allow kills; false (the default) for a read-only console
         * @return these options
         */
        public Options allowKill(boolean allow) {
            this.kill = allow;
            return this;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Options options;

    private WeftConsole(Options options) throws IOException {
        this.options = options;
        this.server = HttpServer.create(new InetSocketAddress(options.address, options.port), 0);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /**
     * Starts a read-only console on {@code port} of the loopback address.
     *
     * @param port 0 to 65535; 0 picks a free port
     * @return the running console; {@link #close()} stops it
     * @throws UncheckedIOException if the port cannot be bound
     * @throws IllegalArgumentException if {@code port} is out of range
     */
    public static WeftConsole start(int port) {
        return start(Options.onPort(port));
    }

    /**
     * Starts a console with {@code options}.
     *
     * @param options where and how
     * @return the running console; {@link #close()} stops it
     * @throws UncheckedIOException if the address cannot be bound
     * @throws NullPointerException if {@code options} is null
     */
    public static WeftConsole start(Options options) {
        Objects.requireNonNull(options, "options");
        try {
            return new WeftConsole(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the weft console on " + options.address + ":" + options.port, e);
        }
    }

    /**
     * The port it listens on.
     *
     * @return the bound port (the one picked when started with 0)
     */
    public int port() {
        return server.getAddress().getPort();
    }

    /**
     * The page's address, with the access token when one is needed.
     *
     * @return e.g. {@code http://127.0.0.1:8081/}
     */
    public URI uri() {
        InetAddress a = options.address;
        String host = a.isAnyLocalAddress() ? "127.0.0.1" : a.getHostAddress();
        if (host.contains(":")) host = "[" + host + "]";
        String q = options.token == null ? "" : "?token=" + java.net.URLEncoder.encode(options.token, StandardCharsets.UTF_8);
        return URI.create("http://" + host + ":" + port() + "/" + q);
    }

    /** Stops the server at once (requests under way are cut off). */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- requests

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if (!hostAllowed(x)) {
                send(x, 403, "text/plain", "forbidden: the Host header is not a loopback name");
                return;
            }
            Map<String, String> q;
            try {
                q = query(x.getRequestURI().getRawQuery());
            } catch (IllegalArgumentException badEscape) {
                q = null; // answered once the token is checked: the guards come first
            }
            if (!tokenOk(x, q == null ? Map.of() : q)) {
                send(x, 401, "text/plain", "an access token is needed (?token=... or Authorization: Bearer ...)");
                return;
            }
            if (q == null) {
                send(x, 400, "text/plain", "bad query: a malformed %-escape");
                return;
            }
            String path = x.getRequestURI().getPath();
            String method = x.getRequestMethod();
            switch (path) {
                case "/", "/index.html" -> {
                    if (!method.equals("GET")) {
                        send(x, 405, "text/plain", "GET only");
                        return;
                    }
                    send(x, 200, "text/html; charset=utf-8", page());
                }
                case "/api/snapshot" -> send(x, 200, "application/json", snapshot("1".equals(q.get("stacks"))));
                case "/api/config" -> send(x, 200, "application/json", "{\"kill\":" + options.kill + "}");
                case "/api/kill" -> kill(x, q);
                default -> send(x, 404, "text/plain", "not found: " + path);
            }
        } catch (RuntimeException e) {
            try {
                send(x, 500, "text/plain", "error: " + e);
            } catch (IOException ignored) {
                // the client is gone
            }
        }
    }

    private void kill(HttpExchange x, Map<String, String> q) throws IOException {
        if (!options.kill) {
            send(x, 403, "text/plain", "this console is read-only (start it with allowKill(true) to kill)");
            return;
        }
        if (!x.getRequestMethod().equals("POST") || !"kill".equals(x.getRequestHeaders().getFirst("X-Weft-Console"))) {
            send(x, 400, "text/plain", "a kill is a POST with the header X-Weft-Console: kill");
            return;
        }
        String hubName = q.get("hub");
        long id;
        try {
            id = Long.parseLong(q.getOrDefault("id", ""));
        } catch (NumberFormatException e) {
            send(x, 400, "text/plain", "id must be a number");
            return;
        }
        for (Hub h : Monitoring.hubs()) {
            if (!h.name().equals(hubName)) continue;
            try {
                Greenlet<?> g = h.greenlet(id);
                boolean sent = g.kill(new GreenletExit("killed from the weft console"), false, null);
                send(x, 200, "application/json", "{\"killed\":" + sent + "}");
            } catch (NoSuchElementException e) {
                send(x, 404, "text/plain", "no live greenlet " + id + " in " + hubName);
            }
            return;
        }
        send(x, 404, "text/plain", "no open hub named " + hubName);
    }

    private boolean hostAllowed(HttpExchange x) {
        if (options.token != null) return true; // bound elsewhere on purpose: the token guards it
        String host = x.getRequestHeaders().getFirst("Host");
        if (host == null) return true; // HTTP/1.0 clients
        String h = host.startsWith("[") ? host.substring(0, host.indexOf(']') + 1)
                : host.contains(":") ? host.substring(0, host.indexOf(':')) : host;
        return h.equalsIgnoreCase("localhost") || h.equals("[::1]") || isLoopbackIpv4Literal(h);
    }

    /**
     * True for a dotted IPv4 literal in 127.0.0.0/8 — not for a name that merely starts with
     * {@code 127.} ({@code 127.attacker.example} is a DNS name an attacker can rebind to 127.0.0.1).
     */
    static boolean isLoopbackIpv4Literal(String h) {
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) return false;
            if (Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    // one snapshot at a time, reused for a second: the page polls every second, and a snapshot of
    // a million greenlets takes seconds and a hundred megabytes
    private final Object snapshotLock = new Object();
    private String lastSnapshot; // guarded by snapshotLock
    private boolean lastWithStacks; // guarded by snapshotLock
    private long lastSnapshotAt; // guarded by snapshotLock: System.nanoTime()
    private final java.util.concurrent.atomic.AtomicInteger snapshotsBuilt = new java.util.concurrent.atomic.AtomicInteger();

    private String snapshot(boolean stacks) {
        synchronized (snapshotLock) {
            long now = System.nanoTime();
            if (lastSnapshot != null && lastWithStacks == stacks && now - lastSnapshotAt < SNAPSHOT_REUSE_NANOS) {
                return lastSnapshot;
            }
            String s = Monitoring.toJson(stacks);
            snapshotsBuilt.incrementAndGet();
            lastSnapshot = s;
            lastWithStacks = stacks;
            lastSnapshotAt = System.nanoTime();
            return s;
        }
    }

    private static final long SNAPSHOT_REUSE_NANOS = 1_000_000_000L;

    /** How many snapshots were built (not reused), for tests. */
    int snapshotsBuilt() {
        return snapshotsBuilt.get();
    }

    private boolean tokenOk(HttpExchange x, Map<String, String> q) {
        if (options.token == null) return true;
        String given = q.get("token");
        String auth = x.getRequestHeaders().getFirst("Authorization");
        if (given == null && auth != null && auth.startsWith("Bearer ")) given = auth.substring(7);
        return given != null && MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8),
                options.token.getBytes(StandardCharsets.UTF_8));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null) return m;
        for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = eq < 0 ? kv : kv.substring(0, eq);
            String v = eq < 0 ? "" : kv.substring(eq + 1);
            m.put(URLDecoder.decode(k, StandardCharsets.UTF_8), URLDecoder.decode(v, StandardCharsets.UTF_8));
        }
        return m;
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.getResponseHeaders().set("Cache-Control", "no-store");
        x.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        x.getResponseHeaders().set("Content-Security-Policy",
                "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'");
        boolean head = x.getRequestMethod().equals("HEAD"); // the headers of a GET, no body
        x.sendResponseHeaders(status, b.length == 0 || head ? -1 : b.length);
        if (b.length > 0 && !head) x.getResponseBody().write(b);
    }

    private static volatile String page;

    private static String page() {
        String p = page;
        if (p == null) {
            try (InputStream in = WeftConsole.class.getResourceAsStream("console.html")) {
                if (in == null) throw new IllegalStateException("console.html is missing from weft-console");
                p = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            page = p;
        }
        return p;
    }

    @Override
    public String toString() {
        return "WeftConsole[" + uri() + (options.kill ? ", kills allowed" : ", read-only") + "]";
    }
}
