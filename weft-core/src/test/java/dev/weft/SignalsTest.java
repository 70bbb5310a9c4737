package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.sync.AsyncResult;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** OS signals: a handler runs in a new greenlet of its hub; cancelling restores the JVM's handling. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SignalsTest {
    /** Sends {@code signal} to this JVM with the kill command, as another process would. */
    static void sendToSelf(String signal) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(ProcessHandle.current().pid())).start();
        assertEquals(0, p.waitFor());
    }

    @Test
    void theHandlerRunsInANewGreenletOfTheRegisteringHubWhenTheSignalArrives() throws Exception {
        try (Hub hub = Hub.parallel()) {
            AsyncResult<Greenlet<?>> ranIn = new AsyncResult<>();
            Signals.Registration r = hub.run(() -> Signals.handle("HUP", () -> ranIn.set(Greenlet.current())));
            try {
                sendToSelf("HUP");
                Greenlet<?> g = ranIn.get(Duration.ofSeconds(10));
                assertSame(hub, g.hub());
                assertFalse(g.isAdopted());
                assertEquals("HUP", r.signal());
            } finally {
                r.cancel();
            }
        }
    }

    @Test
    void aCancelledRegistrationNoLongerRunsAndTheOthersStillDo() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        AsyncResult<Void> second = new AsyncResult<>();
        Signals.Registration a = Signals.handle("SIGHUP", () -> ran.add("a"));
        Signals.Registration b = Signals.handle("hup", () -> { ran.add("b"); second.set(null); });
        try {
            assertTrue(a.cancel());
            assertFalse(a.cancel(), "a second cancel does nothing");
            assertFalse(a.isActive());
            sendToSelf("HUP");
            second.get(Duration.ofSeconds(10));
            assertEquals(List.of("b"), ran);
        } finally {
            b.cancel();
        }
    }

    @Test
    void theLastCancelPutsBackTheHandlingFoundAtTheFirstRegistration() throws Exception {
        AsyncResult<String> before = new AsyncResult<>();
        sun.misc.Signal hup = new sun.misc.Signal("HUP");
        sun.misc.SignalHandler original = sun.misc.Signal.handle(hup, s -> before.set("restored"));
        try {
            Signals.Registration r = Signals.handle("HUP", () -> {});
            r.close();
            sendToSelf("HUP");
            assertEquals("restored", before.get(Duration.ofSeconds(10)));
        } finally {
            sun.misc.Signal.handle(hup, original);
        }
    }

    @Test
    void anUnknownSignalNameIsRefusedWithItsName() {
        var e = assertThrows(IllegalArgumentException.class, () -> Signals.handle("NOSUCH", () -> {}));
        assertTrue(e.getMessage().contains("NOSUCH"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Signals.handle("HUP", null));
    }

    @Test
    void versionComesFromTheBuild() {
        assertTrue(Weft.version().matches("\\d+\\.\\d+\\.\\d+.*"), Weft.version());
    }
}
