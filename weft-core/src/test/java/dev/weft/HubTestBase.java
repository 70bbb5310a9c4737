package dev.weft;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The hub fixture: every subclass runs once per {@link HubKind} selected, with a fresh hub in
 * {@link #hub}. Bodies run inside the hub through {@link #inHub}.
 */
@ParameterizedClass(name = "{0}")
@MethodSource("dev.weft.HubKind#selected")
public abstract class HubTestBase {
    /** Generous bound for waits that should end quickly; only reached when a test fails. */
    protected static final Duration LONG = Duration.ofSeconds(20);

    @Parameter
    protected HubKind kind;

    protected Hub hub;

    /** For subclasses: JUnit makes one instance per hub kind and test. */
    protected HubTestBase() {}

    @BeforeEach
    void openHub() {
        hub = kind.create();
    }

    @AfterEach
    void closeHub() {
        hub.close();
    }

    /** Runs {@code body} as the main greenlet of the test's hub and returns its value. */
    protected <T> T inHub(Callable<T> body) {
        return hub.run(body);
    }

    /** Runs {@code body} as the main greenlet of the test's hub. */
    protected void inHub(ThrowingRunnable body) {
        hub.run(() -> {
            body.run();
            return null;
        });
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws Exception;
    }

    /** Waits (yielding, never sleeping) until {@code g} is parked in a weft wait. */
    public static void awaitWaiting(Greenlet<?> g) {
        long end = System.nanoTime() + LONG.toNanos();
        while (!g.isWaiting()) {
            if (g.isDead()) throw new AssertionError(g + " died instead of waiting");
            if (System.nanoTime() > end) throw new AssertionError(g + " never started waiting");
            Thread.yield();
        }
    }
}
