package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.Test;

/**
 * JoinableQueue.asBlockingQueue(): an item removed without being taken will never be processed,
 * so it counts as done at once and join() does not hang; an item taken still needs taskDone().
 */
class JoinableQueueViewTest {

    private static JoinableQueue<Integer> holding(Integer... items) {
        JoinableQueue<Integer> q = new JoinableQueue<>();
        for (Integer i : items) q.put(i);
        return q;
    }

    @Test
    void anItemRemovedThroughTheViewCountsAsDone() {
        JoinableQueue<Integer> q = holding(1);
        assertTrue(q.asBlockingQueue().remove(1));
        assertEquals(0, q.unfinishedTasks());
        assertTrue(q.join(Duration.ZERO), "join() does not wait for an item nobody will process");
    }

    @Test
    void removeIfCountsEachRemovedItemAsDone() {
        JoinableQueue<Integer> q = holding(1, 2, 3);
        q.asBlockingQueue().removeIf(x -> x != 2);
        assertEquals(1, q.unfinishedTasks());
        assertFalse(q.join(Duration.ZERO));
    }

    @Test
    void clearCountsEveryItemAsDone() {
        JoinableQueue<Integer> q = holding(1, 2);
        q.asBlockingQueue().clear();
        assertEquals(0, q.unfinishedTasks());
        assertTrue(q.join(Duration.ZERO));
    }

    @Test
    void anIteratorsRemoveCountsAsDone() {
        JoinableQueue<Integer> q = holding(1, 2);
        Iterator<Integer> it = q.asBlockingQueue().iterator();
        it.next();
        it.remove();
        assertEquals(1, q.unfinishedTasks());
    }

    @Test
    void takingThroughTheViewStillNeedsTaskDone() {
        JoinableQueue<Integer> q = holding(1, 2);
        BlockingQueue<Integer> view = q.asBlockingQueue();
        assertEquals(1, view.poll());
        view.drainTo(new java.util.ArrayList<>());
        assertEquals(2, q.unfinishedTasks());
        q.taskDone();
        q.taskDone();
        assertTrue(q.join(Duration.ZERO));
    }

    @Test
    void removingAnItemAlreadyReportedDoneNeverCountsBelowZero() {
        JoinableQueue<Integer> q = holding(1, 2);
        q.taskDone(); // reported done before it was taken: allowed
        q.taskDone();
        assertTrue(q.asBlockingQueue().removeAll(List.of(1, 2)));
        assertEquals(0, q.unfinishedTasks());
        q.put(3);
        assertEquals(1, q.unfinishedTasks());
        assertFalse(q.join(Duration.ZERO));
    }
}
