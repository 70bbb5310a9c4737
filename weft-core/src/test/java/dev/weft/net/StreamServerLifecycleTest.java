package dev.weft.net;

import static dev.weft.net.StreamServerTest.ANY_PORT;
import static dev.weft.net.StreamServerTest.ECHO_LINE;
import static dev.weft.net.StreamServerTest.connect;
import static dev.weft.net.StreamServerTest.roundTrip;
import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.Timeout;
import dev.weft.pool.Pool;
import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The server's life cycle against the pool it shares, kills that do not come from stop, stops cut
 * short, start and stop racing from two threads, and failures around accept and bind (gevent's
 * baseserver behaviour, test__server.py).
 */
class StreamServerLifecycleTest extends NetTestBase {

    /** Waits (sleeping in the hub, with a deadline) until no connection is being served. */
    static void awaitNoConnections(StreamServer server) {
        long end = System.nanoTime() + LONG.toNanos();
        while (server.connectionCount() > 0) {
            if (System.nanoTime() > end) throw new AssertionError("connections left: " + server);
            Greenlets.sleep(Duration.ofMillis(1));
        }
    }

    /** A handler that tells {@code handler} its greenlet, then blocks reading (the clients never send). */
    static StreamServer.Handler readerTellingItsGreenletTo(AsyncResult<Greenlet<?>> handler) {
        return (socket, peer) -> {
            handler.set(Greenlet.current());
            socket.getInputStream().read();
        };
    }

    @Test
    void anIdleServerHoldsNoSlotOfItsPool() {
        inHub(() -> {
            Pool pool = new Pool(4);
            StreamServer server = new StreamServer(ANY_PORT, ECHO_LINE, pool);
            server.start();
            try {
                try (Socket s = connect(server)) {
                    assertEquals("one", roundTrip(s, "one")); // the accept loop has gone round once
                }
                assertTrue(pool.join(LONG), "joining the shared pool waits for handlers only");
                assertEquals(0, pool.size());
                assertEquals(4, pool.freeCount());
            } finally {
                server.stop();
            }
            return null;
        });
    }

    @Test
    void aKillOfItsSharedPoolLeavesTheServerServing() {
        inHub(() -> {
            Pool pool = new Pool(4);
            StreamServer server = new StreamServer(ANY_PORT, ECHO_LINE, pool);
            server.start();
            try {
                try (Socket s = connect(server)) {
                    assertEquals("before", roundTrip(s, "before"));
                }
                pool.kill();
                try (Socket s = connect(server)) {
                    s.setSoTimeout((int) LONG.toMillis());
                    assertEquals("after", roundTrip(s, "after"));
                }
            } finally {
                server.stop();
            }
            return null;
        });
    }

    @Test
    void aHandlerKilledByAnotherGreenletEndsKilledAndIsNoHandlerError() {
        inHub(() -> {
            AsyncResult<Greenlet<?>> handler = new AsyncResult<>();
            StreamServer server = new StreamServer(ANY_PORT, readerTellingItsGreenletTo(handler));
            server.start();
            try (Socket s = connect(server)) {
                Greenlet<?> h = handler.get(LONG);
                assertTrue(h.kill(new GreenletExit("not the server's"), true, LONG));
                assertTrue(h.isKilled(), "the kill is its outcome, not the SocketException it caused");
                assertEquals(0, server.handlerErrors());
                assertEquals(-1, s.getInputStream().read(), "its socket is closed");
            } finally {
                server.stop();
            }
            return null;
        });
    }

    @Test
    void stopReturnsWhenAHandlerSwallowsItsKillAndClosesThatHandlersSocket() {
        inHub(() -> {
            Event in = new Event();
            Event swallowed = new Event();
            Event letGo = new Event();
            StreamServer server = new StreamServer(ANY_PORT, (socket, peer) -> {
                in.set();
                try {
                    Greenlets.sleep(Duration.ofHours(1));
                } catch (GreenletExit e) {
                    swallowed.set(); // deaf to stop's kill...
                }
                letGo.await(); // ...it ends when the test lets it go (or at a second kill)
            });
            server.start();
            try (Socket s = connect(server)) {
                assertTrue(in.await(LONG));
                server.stop(Duration.ZERO); // kills, waits a second, closes the socket, returns
                assertTrue(swallowed.await(LONG), "the handler never got its kill");
                assertEquals(-1, s.getInputStream().read(), "the survivor's socket is closed");
            } finally {
                letGo.set();
            }
            return null;
        });
    }

    @Test
    void aStopCutShortByItsCallersTimeoutStillKillsTheHandlers() {
        inHub(() -> {
            AsyncResult<Greenlet<?>> handler = new AsyncResult<>();
            StreamServer server = new StreamServer(ANY_PORT, readerTellingItsGreenletTo(handler));
            server.start();
            try (Socket s = connect(server)) {
                Greenlet<?> h = handler.get(LONG);
                // the grace wait is cut short by the caller's own Timeout
                assertFalse(Timeout.silently(Duration.ofMillis(50), () -> server.stop(LONG)));
                assertTrue(h.join(LONG), "the handler was killed, not left running");
                assertTrue(h.isKilled());
                assertTrue(server.isClosed());
                assertEquals(0, server.connectionCount());
            }
            return null;
        });
    }

    @Test
    void aConnectionThatCannotBeHandedToAHandlerIsClosedReportedAndTheServerGoesOn() {
        inHub(() -> {
            Pool pool = new Pool(4);
            StreamServer server = new StreamServer(ANY_PORT, ECHO_LINE, pool);
            java.util.List<Throwable> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
            hub.setErrorHandler((source, error) -> reported.add(error));
            server.start();
            try {
                pool.close(); // gevent's test_error_in_spawn: spawning the handler fails
                try (Socket s = connect(server)) {
                    s.setSoTimeout((int) LONG.toMillis());
                    assertEquals(-1, s.getInputStream().read(), "the refused connection is closed");
                }
                assertEquals(1, server.accepted());
                // counted and reported before the close the client saw (the JMM does not see a
                // socket as a happens-before edge, so read them with a deadline, not once)
                long end = System.nanoTime() + LONG.toNanos();
                while ((server.acceptErrors() < 1 || reported.isEmpty()) && System.nanoTime() < end) {
                    Greenlets.sleep(Duration.ofMillis(1));
                }
                assertTrue(server.acceptErrors() >= 1);
                assertInstanceOf(IllegalStateException.class, reported.get(0));
                assertFalse(server.isClosed(), "the server goes on");
            } finally {
                server.stop();
            }
            return null;
        });
    }

    @Test
    void startAndStopRacingFromTwoThreadsNeverLeaveTheServerListening() throws Exception {
        for (int round = 0; round < 100; round++) {
            StreamServer server = new StreamServer(ANY_PORT, ECHO_LINE).idleTimeout(Duration.ofSeconds(5));
            CyclicBarrier barrier = new CyclicBarrier(2);
            AtomicReference<Throwable> stopFailed = new AtomicReference<>();
            Thread stopper = new Thread(() -> {
                try {
                    barrier.await();
                    server.stop(Duration.ZERO);
                } catch (Throwable t) {
                    stopFailed.set(t);
                }
            });
            stopper.start();
            hub.run(() -> {
                barrier.await();
                try {
                    server.start();
                } catch (IllegalStateException lostTheRace) {
                    // stop() came first: nothing was started
                }
                return null;
            });
            stopper.join(LONG.toMillis());
            assertFalse(stopper.isAlive(), "stop() never returned");
            assertNull(stopFailed.get(), () -> "stop() threw: " + stopFailed.get());
            if (server.isStarted()) {
                int port = server.address().getPort();
                server.stop(); // waits for the first stop to finish
                assertThrows(ConnectException.class, () -> new Socket(server.address().getAddress(), port).close(),
                        "round " + round + ": the port still accepts after stop");
            }
            assertTrue(server.isClosed());
        }
    }

    @Test
    void aFailedBindClosesTheSocketItMade() throws IOException {
        Path fds = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "needs /proc/self/fd");
        try (ServerSocket taken = new ServerSocket(0, 1, ANY_PORT.getAddress())) {
            var address = new java.net.InetSocketAddress(ANY_PORT.getAddress(), taken.getLocalPort());
            long before;
            try (var l = Files.list(fds)) {
                before = l.count();
            }
            for (int i = 0; i < 200; i++) {
                StreamServer server = new StreamServer(address, ECHO_LINE).reuseAddress(false);
                assertThrows(java.io.UncheckedIOException.class, () -> inHub(() -> {
                    server.start();
                    return null;
                }));
                assertTrue(server.isClosed());
            }
            long after;
            try (var l = Files.list(fds)) {
                after = l.count();
            }
            assertTrue(after - before < 50, "file descriptors grew from " + before + " to " + after);
        }
    }
}
