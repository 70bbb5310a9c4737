package dev.weft.coro;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.HubTestBase;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Edge cases of the Shrapnel API found by reading Shrapnel's in_parallel, _schedule and waitpid
 * against weft's: failures are reported once, a kill is never turned into a TimeoutError, a dead
 * coroutine cannot be started, and a pid that names no single process is refused.
 */
class CoroEdgeCasesTest extends HubTestBase {

    static final class Boom extends RuntimeException {
        Boom() {
            super("boom");
        }
    }

    @Test
    void aTaskThatFailsWhileInParallelWaitsForAnotherIsNotAlsoReportedToTheErrorHandler() {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        hub.setErrorHandler((source, error) -> reported.add(error));
        InParallelError e = inHub(() -> {
            Event bFailed = new Event();
            List<Callable<Integer>> tasks = List.of(
                    () -> {
                        bFailed.await(); // the caller waits on this one while the other fails
                        return 1;
                    },
                    () -> {
                        try {
                            throw new Boom();
                        } finally {
                            bFailed.set();
                        }
                    });
            return assertThrows(InParallelError.class, () -> Coro.inParallel(tasks));
        });
        assertInstanceOf(Boom.class, e.results().get(1).error());
        assertEquals(List.of(), reported, "the failure is in the InParallelError only");
    }

    @Test
    void aKillWhileInParallelJoinsItsKilledChildrenIsNotTurnedIntoACatchableTimeoutError() {
        inHub(() -> {
            Event cleaning = new Event();
            Event never = new Event();
            Greenlet<String> caller = Greenlet.spawn(() -> {
                try {
                    // long enough for the child to be suspended when it expires, even on a loaded machine
                    Coro.withTimeout(Duration.ofSeconds(1), () -> Coro.inParallel(List.of(() -> {
                        try {
                            Coro.suspend();
                        } catch (GreenletExit e) {
                            cleaning.set();
                            never.await(); // a child slow to die: the caller joins it
                        }
                        return 1;
                    })));
                    return "returned";
                } catch (TimeoutError e) {
                    return "caught the TimeoutError and carried on";
                }
            });
            assertTrue(cleaning.await(LONG));
            assertTrue(caller.kill(new GreenletExit("stop"), true, LONG));
            assertTrue(caller.isKilled(), () -> "the kill was lost: " + caller.outcome());
            never.set();
        });
    }

    @Test
    void coroStartOfADeadGreenletIsDeadCoroutineError() {
        inHub(() -> {
            Greenlet<Integer> killedFirst = new Greenlet<>(() -> 1);
            killedFirst.kill();
            assertThrows(DeadCoroutineError.class, () -> Coro.start(killedFirst));
            Greenlet<Integer> shutDown = new Greenlet<>(() -> 1);
            shutDown.shutdown();
            assertThrows(DeadCoroutineError.class, () -> Coro.start(shutDown));
            Greenlet<Integer> ended = Greenlet.spawn(() -> 1);
            ended.join();
            assertThrows(DeadCoroutineError.class, () -> Coro.start(ended));
        });
    }

    @Test
    void waitpidRefusesAPidThatNamesNoSingleProcess() {
        inHub(() -> {
            var e = assertThrows(IllegalArgumentException.class, () -> Coro.waitpid(0));
            assertTrue(e.getMessage().contains("0"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> Coro.waitpid(-1));
        });
    }
}
