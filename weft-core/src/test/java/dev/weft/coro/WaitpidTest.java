package dev.weft.coro;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.HubTestBase;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Coro.waitpid (Shrapnel's waitpid and SimultaneousError). */
@Timeout(120)
class WaitpidTest extends HubTestBase {

    private static Process sleeper() throws Exception {
        return new ProcessBuilder("sleep", "30").start();
    }

    @Test
    void waitpidOfAProcessReturnsItsPidAndExitValue() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "exit 3").start();
        ProcessExit exit = inHub(() -> Coro.waitpid(p));
        assertEquals(new ProcessExit(p.pid(), OptionalInt.of(3)), exit);
    }

    @Test
    void waitpidOfABarePidWaitsForTheExitWithoutAStatus() throws Exception {
        Process p = sleeper();
        try {
            ProcessExit exit = inHub(() -> {
                Greenlet<ProcessExit> w = Greenlet.spawn(() -> Coro.waitpid(p.pid()));
                awaitWaiting(w);
                assertFalse(w.isDead());
                p.destroy();
                return w.get();
            });
            assertEquals(p.pid(), exit.pid());
            assertTrue(exit.status().isEmpty());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aSecondSimultaneousWaiterGetsASimultaneousError() throws Exception {
        Process p = sleeper();
        try {
            inHub(() -> {
                Greenlet<ProcessExit> first = Greenlet.spawn(() -> Coro.waitpid(p));
                awaitWaiting(first);
                SimultaneousError e = assertThrows(SimultaneousError.class, () -> Coro.waitpid(p.pid()));
                assertSame(first, e.other());
                assertSame(Greenlet.current(), e.greenlet());
                assertEquals(p.pid(), e.event());
                p.destroy();
                first.join();
                assertEquals(p.pid(), first.get().pid());
                p.waitFor();
                assertEquals(p.pid(), Coro.waitpid(p).pid(), "once the first left, waiting again is fine");
            });
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aKillWhileWaitingLeavesTheProcessAlone() throws Exception {
        Process p = sleeper();
        try {
            inHub(() -> {
                Greenlet<ProcessExit> w = Greenlet.spawn(() -> Coro.waitpid(p));
                awaitWaiting(w);
                w.kill();
                assertTrue(w.isKilled());
                assertTrue(p.isAlive());
                Greenlet<ProcessExit> again = Greenlet.spawn(() -> Coro.waitpid(p)); // the pid is free again
                awaitWaiting(again);
                p.destroy();
                assertEquals(p.pid(), again.get().pid());
            });
        } finally {
            p.destroyForcibly();
        }
    }
}
