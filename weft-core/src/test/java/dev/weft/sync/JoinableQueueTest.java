package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.HubTestBase;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** JoinableQueue: taskDone and join (gevent's JoinableQueue). */
class JoinableQueueTest extends HubTestBase {

    @Test
    void joinReturnsOnceEveryItemWasReportedDone() {
        inHub(() -> {
            JoinableQueue<Integer> q = new JoinableQueue<>();
            for (int i = 0; i < 3; i++) q.put(i);
            assertEquals(3, q.unfinishedTasks());
            Greenlet<Void> worker = Greenlet.spawn(() -> {
                for (int i = 0; i < 3; i++) {
                    q.get();
                    q.taskDone();
                }
            });
            q.join();
            assertEquals(0, q.unfinishedTasks());
            worker.join();
        });
    }

    @Test
    void joinWaitsWhileItemsAreUnfinished() {
        inHub(() -> {
            JoinableQueue<Integer> q = new JoinableQueue<>();
            q.put(1);
            q.get();
            assertFalse(q.join(Duration.ofMillis(20)), "taken but not reported done");
            q.taskDone();
            assertTrue(q.join(Duration.ZERO));
        });
    }

    @Test
    void anItemMovedInFromAWaitingPutterIsCounted() {
        inHub(() -> {
            JoinableQueue<String> q = new JoinableQueue<>(1);
            q.put("a");
            Greenlet<Void> putter = Greenlet.spawn(() -> q.put("b"));
            awaitWaiting(putter);
            assertEquals("a", q.get()); // "b" moves in from the putter
            q.taskDone();
            assertFalse(q.join(Duration.ZERO), "b is still unfinished");
            assertEquals("b", q.get());
            q.taskDone();
            assertTrue(q.join(Duration.ZERO));
        });
    }

    @Test
    void tooManyTaskDoneCallsAreAnError() {
        JoinableQueue<Integer> q = new JoinableQueue<>();
        assertThrows(IllegalStateException.class, q::taskDone);
        q.put(1);
        q.taskDone();
        assertThrows(IllegalStateException.class, q::taskDone);
    }

    @Test
    void anEmptyQueueIsJoinedAtOnce() {
        assertTrue(new JoinableQueue<>().join(Duration.ZERO));
    }
}
