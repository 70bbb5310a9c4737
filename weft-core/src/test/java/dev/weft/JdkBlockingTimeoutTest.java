package dev.weft;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.weft.internal.SignalQueue;
import dev.weft.sync.AsyncResult;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A Timeout around JDK blocking code behaves as a Timeout (issue 10 §1, ARCHITECTURE §1 "a
 * Timeout around JDK blocking code"): the timer interrupts the JDK call, whose own exception
 * unwinds the scope, and every form of timeout still tells that its timer ended it. After each,
 * no interrupt and no signal is left behind. JDK timed blocking runs in real time, so durations
 * are short.
 */
class JdkBlockingTimeoutTest extends HubTestBase {
    private static final Duration D = Duration.ofMillis(30);

    /** One use of JDK code that blocks until its thread is interrupted. */
    @FunctionalInterface
    interface Blocker extends AutoCloseable {
        void block() throws Exception;

        @Override
        default void close() throws Exception {}
    }

    /** The JDK blocking calls, and what each throws when interrupted. */
    enum Jdk {
        THREAD_SLEEP(InterruptedException.class),
        QUEUE_TAKE(InterruptedException.class),
        /** A loopback socket whose server side never writes (the interrupt closes the socket). */
        SOCKET_READ(SocketException.class),
        /** HttpClient.send to a local HttpServer whose handler never answers. */
        HTTP_SEND(InterruptedException.class);

        final Class<? extends Exception> thrownWhenInterrupted;

        Jdk(Class<? extends Exception> thrownWhenInterrupted) {
            this.thrownWhenInterrupted = thrownWhenInterrupted;
        }

        Blocker open() throws Exception {
            return switch (this) {
                case THREAD_SLEEP -> () -> Thread.sleep(10_000);
                case QUEUE_TAKE -> () -> new LinkedBlockingQueue<String>().take();
                case SOCKET_READ -> socketRead();
                case HTTP_SEND -> httpSend();
            };
        }
    }

    private void assumeRealTime() {
        assumeFalse(hub.isSimulated(),
                "virtual time stands still while a greenlet is blocked in JDK code: its Timeout could not fire");
    }

    /** (f): after the timeout, the thread's interrupt flag is clear, no signal is queued, JDK code runs. */
    private static void assertNoStrayInterrupt() throws InterruptedException {
        assertFalse(Thread.currentThread().isInterrupted(), "the interrupt flag is clear");
        assertFalse(SignalQueue.hasPending(Greenlet.current()), "no signal is left queued");
        Thread.sleep(1); // would throw on a stray interrupt
    }

    // issue 10 §1 (a)
    @ParameterizedTest
    @EnumSource
    void withTimeoutAndAFallbackReturnsTheFallback(Jdk jdk) throws Exception {
        assumeRealTime();
        try (Blocker blocker = jdk.open()) {
            inHub(() -> {
                assertEquals("fallback", Greenlets.withTimeout(D, () -> {
                    blocker.block();
                    return "finished";
                }, "fallback"));
                assertNoStrayInterrupt();
            });
        }
    }

    // issue 10 §1 (b)
    @ParameterizedTest
    @EnumSource
    void withTimeoutThrowsItsOwnExpiredTimeoutWithTheJdkExceptionSuppressed(Jdk jdk) throws Exception {
        assumeRealTime();
        try (Blocker blocker = jdk.open()) {
            inHub(() -> {
                Timeout t = assertThrows(Timeout.class, () -> Greenlets.withTimeout(D, () -> {
                    blocker.block();
                    return "finished";
                }));
                assertTrue(t.isExpired(), "the timeout whose timer fired, not a new one");
                assertEquals(D, t.duration());
                assertEquals(1, t.getSuppressed().length, t.toString());
                assertInstanceOf(jdk.thrownWhenInterrupted, t.getSuppressed()[0]);
                assertNoStrayInterrupt();
            });
        }
    }

    // issue 10 §1 (c)
    @ParameterizedTest
    @EnumSource
    void silentlyReturnsFalse(Jdk jdk) throws Exception {
        assumeRealTime();
        try (Blocker blocker = jdk.open()) {
            inHub(() -> {
                assertFalse(Timeout.silently(D, blocker::block));
                assertNoStrayInterrupt();
            });
        }
    }

    // issue 10 §1 (d)
    @ParameterizedTest
    @EnumSource
    void tryWithResourcesCatchesTheJdkExceptionAndTheTimeoutSaysItExpired(Jdk jdk) throws Exception {
        assumeRealTime();
        try (Blocker blocker = jdk.open()) {
            inHub(() -> {
                Exception caught = null;
                Timeout t = Timeout.start(D);
                try (t) {
                    blocker.block();
                } catch (Exception e) {
                    assertTrue(t.isExpired(), "the catch can tell its timeout ended the block");
                    caught = e;
                }
                assertInstanceOf(jdk.thrownWhenInterrupted, caught);
                assertNoStrayInterrupt();
            });
        }
    }

    // issue 10 §1 (e)
    @ParameterizedTest
    @EnumSource
    void aGreenletEndedByItsUnclosedTimeoutAroundJdkCodeHasThatTimeoutAsItsOutcome(Jdk jdk) throws Exception {
        assumeRealTime();
        hub.setErrorHandler((source, error) -> {}); // the failure is joined; keep a late join's report quiet
        try (Blocker blocker = jdk.open()) {
            inHub(() -> {
                AsyncResult<Timeout> started = new AsyncResult<>();
                Greenlet<Void> g = Greenlet.spawn(() -> {
                    started.set(Timeout.start(D)); // never closed
                    blocker.block();
                });
                g.join();
                Timeout t = started.get();
                Throwable error = assertInstanceOf(Outcome.Failed.class, g.outcome()).error();
                assertSame(t, error);
                assertEquals(1, t.getSuppressed().length, t.toString());
                assertInstanceOf(jdk.thrownWhenInterrupted, t.getSuppressed()[0]);
            });
        }
    }

    // issue 10 §1: isExpired()
    @Test
    void isExpiredIsFalseBeforeStart() {
        assertFalse(new Timeout(D).isExpired());
    }

    // issue 10 §1: isExpired()
    @Test
    void isExpiredStaysTrueAfterAFiredTimeoutIsClosed() {
        inHub(() -> {
            Timeout t = Timeout.start(D);
            assertSame(t, assertThrows(Timeout.class, () -> Greenlets.sleep(LONG)));
            t.close();
            assertTrue(t.isExpired());
        });
    }

    // issue 10 §1: isExpired()
    @Test
    void isExpiredIsFalseAgainAfterARestartThatDidNotFire() {
        inHub(() -> {
            Timeout t = Timeout.start(D);
            assertSame(t, assertThrows(Timeout.class, () -> Greenlets.sleep(LONG)));
            t.close(); // as try-with-resources would (a restart without it: EngineRegressionTest, a BUG)
            t.start();
            assertFalse(t.isExpired(), "while the restart is pending");
            t.cancel();
            assertFalse(t.isExpired(), "after the restart was cancelled");
        });
    }

    // ---------------------------------------------------------------- the blockers

    private static Blocker socketRead() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        ServerSocket server = new ServerSocket(0, 1, loopback);
        Socket client = new Socket(loopback, server.getLocalPort());
        Socket accepted = server.accept(); // connected already: returns at once; never writes
        return new Blocker() {
            @Override
            public void block() throws IOException {
                client.getInputStream().read();
            }

            @Override
            public void close() throws IOException {
                client.close();
                accepted.close();
                server.close();
            }
        };
    }

    /**
     * HttpClient.send to a local HttpServer (port 0) whose handler takes the request and never
     * answers. Reflective: the test sources are compiled into module {@code dev.weft}, which reads
     * neither {@code java.net.http} nor {@code jdk.httpserver}; at run time tests are on the
     * class path, where both are readable.
     */
    private static Blocker httpSend() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Class<?> serverType = Class.forName("com.sun.net.httpserver.HttpServer");
        Class<?> handlerType = Class.forName("com.sun.net.httpserver.HttpHandler");
        Object server = call(serverType.getMethod("create", InetSocketAddress.class, int.class), null,
                new InetSocketAddress(loopback, 0), 0);
        Object neverAnswers = Proxy.newProxyInstance(handlerType.getClassLoader(), new Class<?>[] {handlerType},
                (proxy, method, args) -> switch (method.getName()) {
                    case "handle" -> null; // takes the exchange and never sends a response
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "a handler that never answers";
                });
        call(serverType.getMethod("createContext", String.class, handlerType), server, "/", neverAnswers);
        call(serverType.getMethod("start"), server);
        try {
            int port = ((InetSocketAddress) call(serverType.getMethod("getAddress"), server)).getPort();
            URI uri = new URI("http", null, loopback.getHostAddress(), port, "/", null, null);
            Class<?> clientType = Class.forName("java.net.http.HttpClient");
            Class<?> requestType = Class.forName("java.net.http.HttpRequest");
            Class<?> bodyHandlerType = Class.forName("java.net.http.HttpResponse$BodyHandler");
            Object client = call(clientType.getMethod("newHttpClient"), null);
            Object builder = call(requestType.getMethod("newBuilder", URI.class), null, uri);
            Object request = call(Class.forName("java.net.http.HttpRequest$Builder").getMethod("build"), builder);
            Object discarding = call(Class.forName("java.net.http.HttpResponse$BodyHandlers").getMethod("discarding"), null);
            Method send = clientType.getMethod("send", requestType, bodyHandlerType);
            return new Blocker() {
                @Override
                public void block() throws Exception {
                    call(send, client, request, discarding);
                }

                @Override
                public void close() throws Exception {
                    try {
                        call(clientType.getMethod("shutdownNow"), client);
                    } finally {
                        call(serverType.getMethod("stop", int.class), server, 0);
                    }
                }
            };
        } catch (Exception | Error e) {
            call(serverType.getMethod("stop", int.class), server, 0);
            throw e;
        }
    }

    /** A reflective call that throws what the method threw. */
    private static Object call(Method m, Object target, Object... args) throws Exception {
        try {
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception x) throw x;
            if (cause instanceof Error x) throw x;
            throw e;
        }
    }
}
