package dev.weft.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Hub;
import dev.weft.HubTestBase;
import dev.weft.Timeout;
import dev.weft.pool.Pool;
import dev.weft.sync.Event;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
 * weft's JFR events, recorded around a small workload (a pool fan-out with a failure, a kill and a
 * timeout) and read back with {@link RecordingFile}.
 */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class TelemetryJfrTest {
    static List<RecordedEvent> events;
    static Hub hub;
    static long victimId, sleeperId, failerId;

    @BeforeAll
    static void record(@TempDir Path dir) throws Exception {
        hub = Hub.parallel();
        try (Recording r = new Recording()) {
            for (String e : List.of("GreenletStart", "GreenletEnd", "Kill", "TimeoutFired", "ErrorReported")) {
                r.enable("dev.weft." + e);
            }
            r.start();
            Event reported = new Event();
            hub.setErrorHandler((source, error) -> reported.set()); // reported, not logged
            hub.run(() -> {
                Pool pool = new Pool(3);
                List<Greenlet<Integer>> squares = new ArrayList<>();
                for (int i = 0; i < 6; i++) {
                    int n = i;
                    squares.add(pool.spawn(() -> n * n));
                }
                for (Greenlet<Integer> g : squares) g.join();
                Event never = new Event();
                Greenlet<Void> victim = hub.spawn(() -> never.await());
                victim.setName("victim");
                victimId = victim.id();
                HubTestBase.awaitWaiting(victim); // parked, so it has started and records a GreenletStart
                victim.kill(new GreenletExit("enough"));
                Greenlet<Boolean> sleeper = new Greenlet<>(hub,
                        () -> Timeout.silently(Duration.ofMillis(5), () -> never.await()));
                sleeper.setName("sleeper");
                sleeper.start();
                sleeperId = sleeper.id();
                assertEquals(Boolean.FALSE, sleeper.get());
                Greenlet<Void> failer = new Greenlet<>(hub, () -> {
                    throw new IllegalStateException("boom");
                });
                failer.setName("failer");
                failer.start();
                failerId = failer.id();
                reported.await(); // not joined: a join would receive the failure, and it would not be reported
                pool.join();
                return null;
            });
            r.stop();
            Path file = dir.resolve("weft.jfr");
            r.dump(file);
            events = RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().startsWith("dev.weft.")
                            && hub.name().equals(e.getString("hub")))
                    .collect(Collectors.toList());
            assertTrue(Files.size(file) > 0);
        }
    }

    @AfterAll
    static void closeHub() {
        hub.close();
    }

    private static List<RecordedEvent> named(String type) {
        return events.stream().filter(e -> e.getEventType().getName().equals("dev.weft." + type)).toList();
    }

    private static RecordedEvent endOf(long id) {
        return named("GreenletEnd").stream().filter(e -> e.getLong("greenletId") == id).findFirst().orElseThrow();
    }

    @Test
    void everyGreenletThatRanHasAStartAndAnEnd() {
        Map<Long, Long> starts = named("GreenletStart").stream()
                .collect(Collectors.groupingBy(e -> e.getLong("greenletId"), Collectors.counting()));
        // the main task, 6 pool members, the victim, the sleeper, the failer
        assertEquals(10, starts.size(), starts::toString);
        for (long id : starts.keySet()) assertNotNull(endOf(id));
    }

    @Test
    void aStartNamesItsSpawner() {
        RecordedEvent victimStart = named("GreenletStart").stream()
                .filter(e -> e.getLong("greenletId") == victimId).findFirst().orElseThrow();
        RecordedEvent mainStart = named("GreenletStart").stream()
                .filter(e -> e.getLong("parentId") == 0).findFirst().orElseThrow();
        assertEquals(mainStart.getLong("greenletId"), victimStart.getLong("parentId"));
    }

    @Test
    void endsCarryTheirOutcome() {
        assertEquals("killed", endOf(victimId).getString("outcome"));
        assertEquals(GreenletExit.class.getName(), endOf(victimId).getString("exceptionType"));
        assertEquals("failed", endOf(failerId).getString("outcome"));
        assertEquals(IllegalStateException.class.getName(), endOf(failerId).getString("exceptionType"));
        assertEquals("value", endOf(sleeperId).getString("outcome"));
        assertTrue(endOf(sleeperId).getLong("runTime") >= Duration.ofMillis(5).toNanos(),
                () -> "runTime " + endOf(sleeperId).getLong("runTime"));
    }

    @Test
    void aKillNamesSenderTargetAndException() {
        RecordedEvent kill = named("Kill").stream().filter(e -> e.getLong("targetId") == victimId).findFirst().orElseThrow();
        assertEquals("victim", kill.getString("target"));
        assertEquals(endOf(victimId).getLong("parentId"), kill.getLong("senderId"));
        assertEquals(GreenletExit.class.getName(), kill.getString("exceptionType"));
        assertNotNull(kill.getStackTrace(), "a kill records the sender's stack");
    }

    @Test
    void aTimeoutThatFiredIsRecordedWithItsGreenletAndDuration() {
        RecordedEvent t = named("TimeoutFired").stream().filter(e -> e.getLong("greenletId") == sleeperId)
                .findFirst().orElseThrow();
        assertEquals("sleeper", t.getString("greenlet"));
        assertEquals(Duration.ofMillis(5).toNanos(), t.getLong("timeout"));
        assertEquals(Timeout.class.getName(), t.getString("exceptionType"));
    }

    @Test
    void anUnreceivedFailureIsRecordedAsReported() {
        RecordedEvent r = named("ErrorReported").stream().filter(e -> e.getString("source").startsWith("failer"))
                .findFirst().orElseThrow();
        assertEquals(IllegalStateException.class.getName(), r.getString("exceptionType"));
        assertEquals("boom", r.getString("message"));
    }
}
