package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.internal.SignalQueue;
import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The default hub, used from a plain JUnit thread as from {@code main}: no fixture, no
 * {@code Hub.run}. Defect 1 of the engine issue: its error handler was null (static
 * initialisation order), so every unreceived failure on it was lost.
 */
class DefaultHubTest {
    private static final Duration LONG = Duration.ofSeconds(20);

    @AfterEach
    void restoreTheDefaultHandler() {
        Hub.defaultHub().setErrorHandler(null);
        assertFalse(SignalQueue.hasPending(Greenlet.current()), "a test left a signal queued for the test thread");
    }

    // defect 1
    @Test
    void theDefaultHubsErrorHandlerIsTheLoggingHandler() {
        assertSame(Hub.LOGGING_HANDLER, Hub.defaultHub().errorHandler());
    }

    // defect 1
    @Test
    void theDefaultHubStartsWithTheLoggingHandlerWhenWeftIsFirstLoaded() throws Exception {
        // a fresh class loader initialises Hub from scratch, whatever other tests did to this one
        URL classes = Hub.class.getProtectionDomain().getCodeSource().getLocation();
        try (URLClassLoader fresh = new URLClassLoader(new URL[] {classes}, ClassLoader.getPlatformClassLoader())) {
            Class<?> hub = Class.forName(Hub.class.getName(), true, fresh);
            assertNotSame(Hub.class, hub, "loaded afresh");
            Object defaultHub = hub.getMethod("defaultHub").invoke(null);
            Object handler = hub.getMethod("errorHandler").invoke(defaultHub);
            assertNotNull(handler);
            assertSame(hub.getField("LOGGING_HANDLER").get(null), handler);
        }
    }

    // defect 1
    @Test
    void anUnreceivedFailureOfAGreenletSpawnedFromTheTestThreadReachesTheDefaultHubsHandler() {
        IllegalStateException boom = new IllegalStateException("nobody waits for this one");
        AsyncResult<Object> reportedFor = new AsyncResult<>();
        Hub.defaultHub().setErrorHandler((source, error) -> {
            if (error == boom) reportedFor.set(source);
        });
        Event go = new Event();
        Greenlet<Void> g = Greenlet.spawn(() -> {
            go.await();
            throw boom;
        });
        assertSame(Hub.defaultHub(), g.hub());
        go.set();
        assertSame(g, reportedFor.get(LONG));
    }

    // defect 1
    @Test
    void anUnreceivedFailureOnTheDefaultHubIsLoggedByDefaultAsAWarning() throws Exception {
        // through java.util.logging, System.Logger's default backend; reflectively, because the test
        // sources are compiled into module dev.weft, which does not read java.logging
        String message = "logged, not lost " + System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Class<?> loggerClass = Class.forName("java.util.logging.Logger");
        Class<?> handlerClass = Class.forName("java.util.logging.Handler");
        Class<?> formatterClass = Class.forName("java.util.logging.Formatter");
        Object logger = loggerClass.getMethod("getLogger", String.class).invoke(null, "dev.weft");
        Object formatter = Class.forName("java.util.logging.SimpleFormatter").getConstructor().newInstance();
        Object handler = Class.forName("java.util.logging.StreamHandler")
                .getConstructor(OutputStream.class, formatterClass).newInstance(out, formatter);
        Method flush = handler.getClass().getMethod("flush");
        boolean useParents = (boolean) loggerClass.getMethod("getUseParentHandlers").invoke(logger);
        loggerClass.getMethod("addHandler", handlerClass).invoke(logger, handler);
        loggerClass.getMethod("setUseParentHandlers", boolean.class).invoke(logger, false); // keep the console quiet
        try {
            Greenlet<Void> g = Greenlet.spawn(() -> {
                throw new IllegalStateException(message);
            });
            assertSame(Hub.defaultHub(), g.hub());
            long end = System.nanoTime() + LONG.toNanos();
            String logged;
            do { // no join: a waiting joiner would receive the failure, which is then not reported
                Thread.yield();
                flush.invoke(handler);
                logged = out.toString(StandardCharsets.UTF_8);
            } while (!logged.contains(message) && System.nanoTime() < end);
            assertTrue(logged.contains("WARNING"), logged);
            assertTrue(logged.contains("java.lang.IllegalStateException: " + message), logged);
            assertFalse(logged.contains("NullPointerException"), logged);
        } finally {
            loggerClass.getMethod("removeHandler", handlerClass).invoke(logger, handler);
            loggerClass.getMethod("setUseParentHandlers", boolean.class).invoke(logger, useParents);
        }
    }

    @Test
    void spawnFromTheTestThreadRunsOnTheDefaultHubAndGetReturnsTheValue() {
        Greenlet<String> g = Greenlet.spawn(() -> "from the default hub");
        assertSame(Hub.defaultHub(), g.hub());
        assertEquals("from the default hub", g.get(LONG));
    }

    @Test
    void killFromTheTestThreadEndsAGreenletBlockedInThreadSleepAsKilled() {
        AsyncResult<Thread> thread = new AsyncResult<>();
        Greenlet<Void> g = Greenlet.spawn(() -> {
            thread.set(Thread.currentThread());
            Thread.sleep(60_000);
        });
        EngineRegressionTest.awaitState(thread.get(LONG), Thread.State.TIMED_WAITING);
        assertTrue(g.kill(new GreenletExit(), true, LONG));
        assertTrue(g.isDead(), g.toString());
        assertTrue(g.isKilled(), g.toString());
    }

    @Test
    void aTimeoutAroundGreenletsSleepOnTheTestThreadRaisesTheVeryInstance() {
        Timeout t = Timeout.start(Duration.ofMillis(20));
        assertSame(t, assertThrows(Timeout.class, () -> Greenlets.sleep(LONG)));
        assertFalse(t.isPending());
        assertFalse(Thread.currentThread().isInterrupted(), "no interrupt left on the test thread");
    }
}
