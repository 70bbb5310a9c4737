package dev.weft.net;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.pool.Pool;
import dev.weft.sync.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** StreamServer over real loopback TCP: serving, admission, stop, resets, idle, failures. */
class StreamServerTest extends NetTestBase {
    static final InetSocketAddress ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** Echoes one line (up to '\n') back, then returns. */
    static final StreamServer.Handler ECHO_LINE = (socket, peer) -> {
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            out.write(b);
            if (b == '\n') break;
        }
        out.flush();
    };

    static Socket connect(StreamServer server) throws IOException {
        return new Socket(server.address().getAddress(), server.address().getPort());
    }

    static String roundTrip(Socket s, String line) throws IOException {
        s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return readLine(s.getInputStream());
    }

    static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') sb.append((char) b);
        return b < 0 && sb.isEmpty() ? null : sb.toString();
    }

    @Test
    void portZeroBindsAFreePortAndEachConnectionIsServed() {
        inHub(() -> {
            StreamServer server = new StreamServer(ANY_PORT, ECHO_LINE);
            server.start();
            try {
                assertTrue(server.isStarted());
                assertNotEquals(0, server.address().getPort());
                for (int i = 0; i < 3; i++) {
                    try (Socket s = connect(server)) {
                        assertEquals("hello " + i, roundTrip(s, "hello " + i));
                    }
                }
                assertEquals(3, server.accepted());
            } finally {
                server.stop();
            }
            return null;
        });
    }

    @Test
    void aThousandConcurrentConnectionsAreServedEachInItsOwnGreenlet() {
        int n = Integer.getInteger("weft.net.connections", 1_000);
        inHub(() -> {
            AtomicInteger arrived = new AtomicInteger();
            Event allIn = new Event();
            StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
                String line = readLine(socket.getInputStream());
                if (arrived.incrementAndGet() == n) allIn.set();
                allIn.await(); // every handler holds its connection until all n are open at once
                socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            }).backlog(n);
            server.start();
            try {
                List<Greenlet<String>> clients = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    int id = i;
                    clients.add(Greenlet.spawn(() -> {
                        try (Socket s = connect(server)) {
                            s.getOutputStream().write(("c" + id + "\n").getBytes(StandardCharsets.US_ASCII));
                            return readLine(s.getInputStream());
                        }
                    }));
                }
                for (int i = 0; i < n; i++) assertEquals("c" + i, clients.get(i).get(LONG));
                assertEquals(n, server.accepted());
            } finally {
                server.stop();
            }
            return null;
        });
    }

    @Test
    void aFullPoolStopsAcceptingUntilASlotFrees() {
        inHub(() -> {
            Event release = new Event();
            StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
                String line = readLine(socket.getInputStream());
                if (line.equals("first")) release.await();
                socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            }, 1);
            server.start();
            try (Socket first = connect(server); Socket second = connect(server)) {
                first.getOutputStream().write("first\n".getBytes(StandardCharsets.US_ASCII));
                second.getOutputStream().write("second\n".getBytes(StandardCharsets.US_ASCII));
                // the second connection waits in the kernel's backlog: not accepted, no reply
                boolean answered = dev.weft.Timeout.silently(Duration.ofMillis(300),
                        () -> readLine(second.getInputStream()));
                assertFalse(answered, "a full pool must not serve a second connection");
                assertEquals(1, server.accepted());
                assertTrue(server.pool().isFull());
                release.set();
            }
            // the dead `second` above was read under a Timeout: a fresh pair proves it resumed
            try (Socket third = connect(server)) {
                assertEquals("third", roundTrip(third, "third"));
            } finally {
                server.stop();
            }
            return null;
        });
    }

    @Test
    void aFullPoolResumesAcceptingTheWaitingConnectionWhenASlotFrees() {
        inHub(() -> {
            Event release = new Event();
            Pool pool = new Pool(1);
            StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
                String line = readLine(socket.getInputStream());
                if (line.equals("first")) release.await();
                socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            }, pool);
            server.start();
            try (Socket first = connect(server); Socket second = connect(server)) {
                first.getOutputStream().write("first\n".getBytes(StandardCharsets.US_ASCII));
                second.getOutputStream().write("second\n".getBytes(StandardCharsets.US_ASCII));
                Greenlet<String> secondReply = Greenlet.spawn(() -> readLine(second.getInputStream()));
                while (server.accepted() < 1) Greenlets.sleep(Duration.ofMillis(1));
                assertEquals(1, server.accepted());
                release.set();
                assertEquals("first", readLine(first.getInputStream()));
                assertEquals("second", secondReply.get(LONG));
                assertEquals(2, server.accepted());
            } finally {
                server.stop();
            }
            return null;
        });
    }

    @Test
    void stopLetsRequestsInFlightFinishWithinTheGraceAndRefusesNewConnections() {
        inHub(() -> {
            Event received = new Event();
            Event proceed = new Event();
            StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
                String line = readLine(socket.getInputStream());
                received.set();
                proceed.await();
                socket.getOutputStream().write((line + " done\n").getBytes(StandardCharsets.US_ASCII));
            });
            server.start();
            InetSocketAddress where = server.address();
            try (Socket s = connect(server)) {
                s.getOutputStream().write("req\n".getBytes(StandardCharsets.US_ASCII));
                received.await();
                Greenlet<Void> stopper = Greenlet.spawn(() -> server.stop(LONG));
                while (!server.isClosed()) Greenlets.yieldNow();
                assertThrows(java.net.SocketException.class, () -> new Socket(where.getAddress(), where.getPort()).close());
                assertFalse(stopper.isDead(), "stop waits for the handler");
                proceed.set();
                assertEquals("req done", readLine(s.getInputStream()));
                stopper.get(LONG);
                assertEquals(0, server.connectionCount());
                assertEquals(0, server.handlerErrors());
            }
            return null;
        });
    }

    @Test
    void stopKillsTheHandlersStillRunningAfterTheGrace() {
        inHub(() -> {
            List<Greenlet<?>> handlers = new CopyOnWriteArrayList<>();
            Event in = new Event();
            StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
                handlers.add(Greenlet.current());
                in.set();
                socket.getInputStream().read(); // the client never sends
            });
            server.start();
            try (Socket s = connect(server)) {
                in.await();
                server.stop(Duration.ofMillis(50));
                assertTrue(handlers.get(0).isDead());
                assertTrue(handlers.get(0).isKilled());
                assertEquals(-1, s.getInputStream().read(), "the killed handler's socket is closed");
                assertEquals(0, server.handlerErrors(), "a kill is not a handler error");
            }
            return null;
        });
    }

    @Test
    void aHalfClosedClientStillGetsItsReply() {
        inHub(() -> {
            StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
                byte[] all = socket.getInputStream().readAllBytes(); // until the client's FIN
                socket.getOutputStream().write(("got " + all.length + "\n").getBytes(StandardCharsets.US_ASCII));
            });
            server.start();
            try (Socket s = connect(server)) {
                s.getOutputStream().write(new byte[1000]);
                s.shutdownOutput();
                assertEquals("got 1000", readLine(s.getInputStream()));
            } finally {
                server.stop();
            }
            return null;
        });
    }

    @Test
    void aClientResetMidRequestEndsOnlyItsOwnHandler() {
        inHub(() -> {
            Event reset = new Event();
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            hub.setErrorHandler((source, error) -> { reported.add(error); reset.set(); });
            StreamServer server = new StreamServer(ANY_PORT, ECHO_LINE);
            server.start();
            try (Socket other = connect(server)) {
                try (Socket rude = connect(server)) {
                    rude.getOutputStream().write("half a line".getBytes(StandardCharsets.US_ASCII));
                    rude.setSoLinger(true, 0); // close sends RST
                }
                assertEquals("still here", roundTrip(other, "still here"));
                try (Socket later = connect(server)) {
                    assertEquals("later", roundTrip(later, "later"));
                }
            } finally {
                server.stop();
            }
            // a reset read (Connection reset) or a clean EOF: either way the server went on
            assertTrue(server.handlerErrors() <= 1);
            assertEquals(server.handlerErrors(), reported.size());
            return null;
        });
    }

    @Test
    void anIdleConnectionIsClosedByTheIdleTimeoutWithoutAnError() {
        inHub(() -> {
            StreamServer server = new StreamServer(ANY_PORT, ECHO_LINE).idleTimeout(Duration.ofMillis(100));
            server.start();
            // taken before connect: the handler's first read, which the timeout counts from, begins after it;
            // on the hub's clock, the one the server's idle sweep reads
            long t0 = hub.nanoTime();
            try (Socket s = connect(server)) {
                assertEquals(-1, s.getInputStream().read(), "the server closed the idle connection");
                long waited = Duration.ofNanos(hub.nanoTime() - t0).toMillis();
                assertTrue(waited >= 100, "closed after " + waited + " ms, before the idle timeout");
                assertEquals(1, server.idleClosed());
                while (server.connectionCount() > 0) Greenlets.sleep(Duration.ofMillis(1));
                assertEquals(0, server.handlerErrors());
            } finally {
                server.stop();
            }
            return null;
        });
    }

    @Test
    void aConnectionThatKeepsTalkingIsNotIdle() {
        inHub(() -> {
            StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
                InputStream in = socket.getInputStream();
                String line;
                while ((line = readLine(in)) != null) {
                    socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
                }
            }).idleTimeout(Duration.ofSeconds(1)); // wide of the pauses, for a loaded machine
            server.start();
            try (Socket s = connect(server)) {
                for (int i = 0; i < 10; i++) { // 10 x 250 ms = 2.5 s, two and a half idle timeouts
                    assertEquals("tick" + i, roundTrip(s, "tick" + i));
                    Greenlets.sleep(Duration.ofMillis(250)); // the behaviour under test: pauses below the timeout
                }
                assertEquals(0, server.idleClosed());
            } finally {
                server.stop();
            }
            return null;
        });
    }

    @Test
    void aHandlerThatThrowsIsReportedItsSocketClosedAndTheServerGoesOn() {
        inHub(() -> {
            List<Object> sources = new CopyOnWriteArrayList<>();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            hub.setErrorHandler((source, error) -> { sources.add(source); errors.add(error); });
            StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
                String line = readLine(socket.getInputStream());
                if (line.equals("boom")) throw new IllegalStateException("handler failed");
                socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            });
            server.start();
            try {
                try (Socket s = connect(server)) {
                    s.getOutputStream().write("boom\n".getBytes(StandardCharsets.US_ASCII));
                    assertEquals(-1, s.getInputStream().read(), "its socket is closed");
                }
                try (Socket s = connect(server)) {
                    assertEquals("fine", roundTrip(s, "fine"));
                }
                while (server.handlerErrors() < 1) Greenlets.sleep(Duration.ofMillis(1));
                assertEquals(1, server.handlerErrors());
                assertEquals("handler failed", errors.get(0).getMessage());
                assertSame(server, sources.get(0));
            } finally {
                server.stop();
            }
            return null;
        });
    }

    @Test
    void aHandlerCanStopItsOwnServerWithoutWaitingForItself() {
        inHub(() -> {
            AtomicInteger stopped = new AtomicInteger();
            StreamServer[] self = new StreamServer[1];
            StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
                readLine(socket.getInputStream());
                self[0].stop(LONG);             // a SHUTDOWN command: waits for the others only
                stopped.incrementAndGet();
                socket.getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII));
            });
            self[0] = server;
            server.start();
            try (Socket s = connect(server)) {
                long t0 = System.nanoTime();
                assertEquals("bye", roundTrip(s, "shutdown"));
                assertTrue(Duration.ofNanos(System.nanoTime() - t0).compareTo(Duration.ofSeconds(10)) < 0,
                        "stop did not wait out its grace for the handler calling it");
            }
            assertTrue(server.isClosed());
            assertEquals(1, stopped.get());
            return null;
        });
    }

    @Test
    void serveForeverReturnsWhenAnotherGreenletStopsTheServer() {
        inHub(() -> {
            StreamServer server = new StreamServer(ANY_PORT, ECHO_LINE);
            Greenlet<Void> serving = Greenlet.spawn(server::serveForever);
            while (!server.isStarted()) Greenlets.yieldNow();
            try (Socket s = connect(server)) {
                assertEquals("x", roundTrip(s, "x"));
            }
            server.stop();
            serving.get(LONG);
            assertTrue(server.isClosed());
            return null;
        });
    }

    @Test
    void configurationAfterStartAndASecondStartAreRefused() {
        inHub(() -> {
            StreamServer server = new StreamServer(ANY_PORT, ECHO_LINE);
            assertThrows(IllegalArgumentException.class, () -> server.backlog(0));
            assertThrows(IllegalArgumentException.class, () -> server.idleTimeout(Duration.ZERO));
            server.start();
            try {
                assertThrows(IllegalStateException.class, () -> server.backlog(10));
                assertThrows(IllegalStateException.class, server::start);
            } finally {
                server.stop();
            }
            server.stop(); // a second stop returns
            assertThrows(IllegalStateException.class, server::start);
            return null;
        });
    }

    @Test
    void aTakenPortFailsStartWithTheAddressInTheMessage() {
        inHub(() -> {
            StreamServer first = new StreamServer(ANY_PORT, ECHO_LINE);
            first.start();
            try {
                StreamServer second = new StreamServer(first.address(), ECHO_LINE).reuseAddress(false);
                var e = assertThrows(java.io.UncheckedIOException.class, second::start);
                assertTrue(e.getMessage().contains(String.valueOf(first.address().getPort())), e.getMessage());
                assertTrue(second.isClosed());
            } finally {
                first.stop();
            }
            return null;
        });
    }

    @Test
    void tlsConnectionsAreServedThroughTheGivenSslContext(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        char[] pass = "changeit".toCharArray();
        java.nio.file.Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=localhost", "-validity", "2",
                "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit")
                .redirectErrorStream(true).start();
        assertEquals(0, keytool.waitFor(), new String(keytool.getInputStream().readAllBytes()));
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (var in = java.nio.file.Files.newInputStream(store)) {
            ks.load(in, pass);
        }
        var kmf = javax.net.ssl.KeyManagerFactory.getInstance(javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, pass);
        var tmf = javax.net.ssl.TrustManagerFactory.getInstance(javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        javax.net.ssl.SSLContext serverCtx = javax.net.ssl.SSLContext.getInstance("TLS");
        serverCtx.init(kmf.getKeyManagers(), null, null);
        javax.net.ssl.SSLContext clientCtx = javax.net.ssl.SSLContext.getInstance("TLS");
        clientCtx.init(null, tmf.getTrustManagers(), null);
        inHub(() -> {
            StreamServer server = new StreamServer(ANY_PORT, ECHO_LINE).ssl(serverCtx);
            server.start();
            try (Socket s = clientCtx.getSocketFactory().createSocket(server.address().getAddress(),
                    server.address().getPort())) {
                assertEquals("secret", roundTrip(s, "secret"));
                assertInstanceOf(javax.net.ssl.SSLSocket.class, s);
            } finally {
                server.stop();
            }
            assertEquals(0, server.handlerErrors());
            return null;
        });
    }
}
