package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.sync.AsyncResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * OS signals: a handler runs in a new greenlet of its hub; cancelling restores the JVM's handling.
 * Deliveries use USR1, which no parent process can make the JVM drop (HUP, INT and TERM it drops
 * when the process was started with them ignored, as under nohup or in a shell's background job:
 * see the test run under nohup).
 */
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
            Signals.Registration r = hub.run(() -> Signals.handle("USR1", () -> ranIn.set(Greenlet.current())));
            try {
                sendToSelf("USR1");
                Greenlet<?> g = ranIn.get(Duration.ofSeconds(10));
                assertSame(hub, g.hub());
                assertFalse(g.isAdopted());
                assertEquals("USR1", r.signal());
            } finally {
                r.cancel();
            }
        }
    }

    @Test
    void aCancelledRegistrationNoLongerRunsAndTheOthersStillDo() throws Exception {
        List<String> ran = new CopyOnWriteArrayList<>();
        AsyncResult<Void> second = new AsyncResult<>();
        Signals.Registration a = Signals.handle("SIGUSR1", () -> ran.add("a"));
        Signals.Registration b = Signals.handle("usr1", () -> { ran.add("b"); second.set(null); });
        try {
            assertTrue(a.cancel());
            assertFalse(a.cancel(), "a second cancel does nothing");
            assertFalse(a.isActive());
            sendToSelf("USR1");
            second.get(Duration.ofSeconds(10));
            assertEquals(List.of("b"), ran);
        } finally {
            b.cancel();
        }
    }

    @Test
    void theLastCancelPutsBackTheHandlingFoundAtTheFirstRegistration() throws Exception {
        AsyncResult<String> before = new AsyncResult<>();
        sun.misc.Signal usr1 = new sun.misc.Signal("USR1");
        sun.misc.SignalHandler original = sun.misc.Signal.handle(usr1, s -> before.set("restored"));
        try {
            Signals.Registration r = Signals.handle("USR1", () -> {});
            r.close();
            sendToSelf("USR1");
            assertEquals("restored", before.get(Duration.ofSeconds(10)));
        } finally {
            sun.misc.Signal.handle(usr1, original);
        }
    }

    /**
     * A JVM started with HUP ignored (as {@code nohup} starts it; a shell's background job ignores
     * INT the same way) never delivers HUP, and only hands back SIG_IGN when asked to handle it.
     * The parent meant it, so the registration stands (a server's Ctrl-C handler must not stop it
     * from starting in the background) and says it will never run, in the log and in
     * {@link Signals.Registration#isIgnoredByProcess()}. Run in a child JVM whose HUP is ignored.
     */
    @Test
    void aShutdownSignalTheProcessWasStartedIgnoringIsRegisteredAndSaysItNeverComes() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder("nohup", java, "-cp", System.getProperty("java.class.path"),
                        IgnoredSignalProbe.class.getName())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.PIPE)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("registered HUP, ignored by the process: true"), out);
        assertTrue(out.contains("signal HUP is ignored by this process"), out);
        assertTrue(out.contains("registered USR1, ignored by the process: false"), out);
    }

    /** The child of the test above: prints what {@code handle("HUP")} and {@code handle("USR1")} did. */
    static final class IgnoredSignalProbe {
        public static void main(String[] args) {
            for (String name : new String[] {"HUP", "USR1"}) {
                try (Signals.Registration r = Signals.handle(name, () -> {})) {
                    System.out.println("registered " + r.signal() + ", ignored by the process: " + r.isIgnoredByProcess());
                }
            }
        }
    }

    @Test
    void aSignalTheProcessDeliversIsNotIgnoredByIt() {
        try (Signals.Registration r = Signals.handle("USR1", () -> {})) {
            assertFalse(r.isIgnoredByProcess());
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
