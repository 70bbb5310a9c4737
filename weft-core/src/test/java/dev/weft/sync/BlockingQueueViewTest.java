package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.HubTestBase;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Queue.asBlockingQueue(): the java.util.concurrent.BlockingQueue contract. */
class BlockingQueueViewTest extends HubTestBase {

    @Test
    void peekNeverWaitsAndPollWithATimeoutReturnsNull() throws Exception {
        BlockingQueue<Integer> q = new Queue<Integer>().asBlockingQueue();
        assertNull(q.peek());
        assertNull(q.poll());
        assertNull(q.poll(10, TimeUnit.MILLISECONDS));
    }

    @Test
    void offerWithATimeoutReturnsFalseWhenFull() throws Exception {
        BlockingQueue<Integer> q = new Queue<Integer>(1).asBlockingQueue();
        assertTrue(q.offer(1));
        assertFalse(q.offer(2));
        assertFalse(q.offer(2, 10, TimeUnit.MILLISECONDS));
        assertEquals(0, q.remainingCapacity());
    }

    @Test
    void theIteratorDoesNotConsume() {
        Queue<Integer> queue = new Queue<>();
        queue.put(1);
        queue.put(2);
        BlockingQueue<Integer> q = queue.asBlockingQueue();
        List<Integer> seen = new ArrayList<>();
        for (Iterator<Integer> it = q.iterator(); it.hasNext(); ) seen.add(it.next());
        assertEquals(List.of(1, 2), seen);
        assertEquals(2, q.size());
        assertTrue(q.contains(2));
    }

    @Test
    void takeAndPutHandItemsOver() throws Exception {
        BlockingQueue<String> q = new Queue<String>().asBlockingQueue();
        q.put("a");
        assertEquals("a", q.take());
    }

    @Test
    void drainToMovesTheQueuedItems() {
        Queue<Integer> queue = new Queue<>();
        for (int i = 0; i < 5; i++) queue.put(i);
        List<Integer> out = new ArrayList<>();
        assertEquals(3, queue.asBlockingQueue().drainTo(out, 3));
        assertEquals(List.of(0, 1, 2), out);
        assertEquals(2, queue.size());
    }

    @Test
    void removeTakesOneItemOut() {
        Queue<Integer> queue = new Queue<>();
        queue.put(1);
        queue.put(2);
        assertTrue(queue.asBlockingQueue().remove(1));
        assertEquals(2, queue.get());
    }

    @Test
    void removingAnItemLetsAWaitingPutterIn() {
        inHub(() -> {
            Queue<String> queue = new Queue<>(1);
            queue.put("a");
            dev.weft.Greenlet<Void> putter = dev.weft.Greenlet.spawn(() -> queue.put("b"));
            awaitWaiting(putter);
            BlockingQueue<String> view = queue.asBlockingQueue();
            assertTrue(view.remove("a"));
            assertTrue(putter.join(LONG));
            assertFalse(view.offer("c"), "no barging past the putter that was let in");
            assertEquals("b", queue.get());
        });
    }

    @Test
    void hugeTimeUnitTimeoutsMeanNoLimit() throws Exception {
        BlockingQueue<String> q = new Queue<String>().asBlockingQueue();
        assertTrue(q.offer("x", Long.MAX_VALUE, TimeUnit.DAYS));
        assertEquals("x", q.poll(Long.MAX_VALUE, TimeUnit.DAYS));
    }

    @Test
    void anInterruptedTakeOnAForeignThreadThrowsInterruptedException() throws Exception {
        BlockingQueue<Integer> q = new Queue<Integer>().asBlockingQueue();
        Throwable[] thrown = new Throwable[1];
        Thread t = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt();
            try {
                q.take();
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        t.join();
        assertInstanceOf(InterruptedException.class, thrown[0]);
    }
}
