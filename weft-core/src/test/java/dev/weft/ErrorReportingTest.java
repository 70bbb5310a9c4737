package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.internal.InternalListener;
import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ARCHITECTURE §6: a failure is reported once, when the greenlet dies, unless it was received. */
class ErrorReportingTest extends HubTestBase {
    private final List<Object[]> reports = new CopyOnWriteArrayList<>();

    @BeforeEach
    void captureReports() {
        hub.setErrorHandler((source, error) -> reports.add(new Object[] {source, error}));
    }

    private static Greenlet<Void> failingAfter(Event go, RuntimeException error) {
        return Greenlet.spawn(() -> {
            go.await();
            throw error;
        });
    }

    @Test
    void aFailureNobodyWaitsForIsReportedOnceWithItsGreenlet() {
        RuntimeException boom = new RuntimeException("boom");
        inHub(() -> {
            Event go = new Event();
            Greenlet<Void> g = failingAfter(go, boom);
            AsyncResult<Boolean> died = new AsyncResult<>();
            g.rawlink((InternalConsumer) x -> died.set(true));
            go.set();
            died.get();
            assertEquals(1, reports.size());
            assertSame(g, reports.get(0)[0]);
            assertSame(boom, reports.get(0)[1]);
        });
    }

    @Test
    void aFailureWithAWaiterInGetIsNotReported() {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Void> g = failingAfter(go, new RuntimeException("boom"));
            Greenlet<Throwable> getter = Greenlet.spawn(() -> {
                try {
                    g.get();
                    return null;
                } catch (RuntimeException e) {
                    return e;
                }
            });
            awaitWaiting(getter);
            go.set();
            assertNotNull(getter.get());
            assertTrue(reports.isEmpty());
        });
    }

    @Test
    void aFailureDeliveredToAUserListenerIsNotReported() {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Void> g = failingAfter(go, new RuntimeException("boom"));
            AsyncResult<Throwable> seen = new AsyncResult<>();
            g.rawlink(x -> seen.set(x.exception()));
            go.set();
            assertNotNull(seen.get());
            assertTrue(reports.isEmpty());
        });
    }

    @Test
    void aFailureSeenOnlyByInternalListenersIsReported() {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Void> g = failingAfter(go, new RuntimeException("boom"));
            AsyncResult<Boolean> died = new AsyncResult<>();
            g.rawlink((InternalConsumer) x -> died.set(true));
            go.set();
            died.get();
            assertEquals(1, reports.size());
        });
    }

    @Test
    void aGreenletExitIsNeverReported() {
        inHub(() -> {
            Greenlet<Void> g = Greenlet.spawn(() -> {
                throw new GreenletExit();
            });
            AsyncResult<Boolean> died = new AsyncResult<>();
            g.rawlink((InternalConsumer) x -> died.set(true));
            died.get();
            assertTrue(g.isSuccessful());
            assertTrue(reports.isEmpty());
        });
    }

    @Test
    void anUnstartedGreenletKilledWithAnErrorIsReported() {
        inHub(() -> {
            Greenlet<Integer> g = new Greenlet<>(() -> 1);
            g.kill(new IllegalStateException("never ran"), false, null);
            assertEquals(1, reports.size());
        });
    }

    @Test
    void removingTheHandlerRestoresTheLoggingDefault() {
        hub.setErrorHandler(null);
        assertSame(Hub.LOGGING_HANDLER, hub.errorHandler());
    }

    /** A listener marked as weft's own plumbing. */
    interface InternalConsumer extends Consumer<Greenlet<Void>>, InternalListener {}

    /** The same, for any value type. */
    interface InternalConsumerOf<T> extends Consumer<Greenlet<T>>, InternalListener {}
}
