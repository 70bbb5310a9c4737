package dev.weft.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.actor.DeferredCallHandler;
import dev.weft.link.LinkedFailed;
import dev.weft.link.Links;
import dev.weft.pool.Pool;
import dev.weft.state.StateMachine;
import dev.weft.sync.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JFR events of the features built on the engine — a pool's admission wait, a linked exit, a
 * handler call, a state transition — recorded around one workload and read back.
 */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
public class FeatureEventsJfrTest {
    /** The handler's interface (public: the handler's proxy implements it). */
    public interface Echo {
        /**
         * Echoes.
         *
         * @param s what to echo
         * @return {@code s} twice
         */
        String echo(String s);
    }

    static List<RecordedEvent> events;
    static Hub hub;

    @BeforeAll
    static void record(@TempDir Path dir) throws Exception {
        hub = Hub.parallel();
        try (Recording r = new Recording()) {
            r.enable("dev.weft.PoolAdmissionWait").withThreshold(Duration.ZERO);
            r.enable("dev.weft.LinkedExitDelivered");
            r.enable("dev.weft.HandlerCall");
            r.enable("dev.weft.StateTransition");
            r.start();
            hub.run(() -> {
                Pool pool = new Pool(1);
                Event go = new Event();
                pool.spawn(() -> go.await());
                Greenlet<Void> waiter = Greenlet.spawn(() -> {
                    pool.spawn(() -> {}); // waits for the slot
                });
                while (!waiter.isWaiting()) Greenlets.yieldNow();
                go.set();
                waiter.join();
                pool.join();

                Links.spawnLink(() -> {
                    throw new IllegalStateException("linked");
                });
                assertThrows(LinkedFailed.class, () -> Greenlets.sleep(Duration.ofSeconds(30)));

                DeferredCallHandler<Echo> echo = DeferredCallHandler.wrap(Echo.class, s -> s + s);
                Greenlet<Void> processing = echo.spawnProcessing();
                assertEquals("abab", echo.sync().echo("ab"));
                processing.kill();

                StateMachine<String> m = StateMachine.<String>define()
                        .state("a", s -> s.to("b", 7), "b")
                        .terminal("b", s -> {})
                        .build()
                        .start("a");
                m.join();
                return null;
            });
            r.stop();
            Path file = dir.resolve("features.jfr");
            r.dump(file);
            events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().startsWith("dev.weft.")
                            && hub.name().equals(e.getString("hub")))
                    .collect(Collectors.toList());
        }
    }

    @AfterAll
    static void closeHub() {
        hub.close();
    }

    private static List<RecordedEvent> named(String type) {
        return events.stream().filter(e -> e.getEventType().getName().equals("dev.weft." + type)).toList();
    }

    @Test
    void aSpawnThatWaitedForASlotRecordsItsWaitAndThePool() {
        List<RecordedEvent> waits = named("PoolAdmissionWait");
        assertFalse(waits.isEmpty(), "no PoolAdmissionWait among " + events);
        RecordedEvent w = waits.getFirst();
        assertEquals(1, w.getInt("capacity"));
        assertTrue(w.getBoolean("admitted"));
        assertTrue(w.getString("pool").contains("Pool"), w.getString("pool"));
    }

    @Test
    void aLinkedExitRecordsItsTargetSourceAndOutcome() {
        RecordedEvent e = named("LinkedExitDelivered").stream().filter(x -> x.getString("outcome").equals("failed"))
                .findFirst().orElseThrow(() -> new AssertionError("no failed LinkedExitDelivered among " + events));
        assertTrue(e.getLong("targetId") > 0);
        assertTrue(e.getString("source").contains("Greenlet"), e.getString("source"));
    }

    @Test
    void aHandlerCallRecordsItsMethodQueueWaitAndResult() {
        RecordedEvent e = named("HandlerCall").stream().findFirst()
                .orElseThrow(() -> new AssertionError("no HandlerCall among " + events));
        assertTrue(e.getString("method").contains("echo"), e.getString("method"));
        assertFalse(e.getBoolean("oneway"));
        assertFalse(e.getBoolean("failed"));
        assertTrue(e.getLong("queueWait") >= 0, () -> "queueWait " + e.getLong("queueWait"));
    }

    @Test
    void aStateTransitionRecordsFromToAndItsArguments() {
        RecordedEvent e = named("StateTransition").stream().findFirst()
                .orElseThrow(() -> new AssertionError("no StateTransition among " + events));
        assertEquals("a", e.getString("from"));
        assertEquals("b", e.getString("to"));
        assertEquals(1, e.getInt("arguments"));
    }
}
