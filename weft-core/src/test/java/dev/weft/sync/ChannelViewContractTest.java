package dev.weft.sync;

import static dev.weft.sync.Parked.LONG;
import static dev.weft.sync.Parked.parkedGreenlet;
import static java.util.concurrent.TimeUnit.DAYS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Channel.asBlockingQueue() against the BlockingQueue contract as SynchronousQueue keeps it: no
 * capacity, so nothing is ever "in" the queue; items pass only from a putter to a taker.
 */
class ChannelViewContractTest {
    private final Channel<Integer> channel = new Channel<>();
    private final BlockingQueue<Integer> q = channel.asBlockingQueue();
    private final List<Greenlet<?>> leftovers = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        Thread.interrupted();
        for (Greenlet<?> g : leftovers) g.kill();
    }

    private Greenlet<Void> waitingPutter(int item) {
        Greenlet<Void> g = parkedGreenlet(() -> {
            channel.put(item);
            return null;
        });
        leftovers.add(g);
        return g;
    }

    @Test
    void aChannelHasNoCapacityAndIsAlwaysEmpty() {
        waitingPutter(1);
        assertEquals(0, q.remainingCapacity());
        assertEquals(0, q.size());
        assertTrue(q.isEmpty(), "even with a putter waiting");
    }

    @Test
    void thereIsNothingToPeekAtIterateOverFindOrRemove() {
        waitingPutter(1);
        assertNull(q.peek());
        assertFalse(q.iterator().hasNext());
        assertFalse(q.contains(1));
        assertFalse(q.remove(1));
        assertFalse(q.removeIf(x -> true));
        assertEquals(0, q.toArray().length);
        assertEquals("[]", q.toString());
        assertFalse(q.spliterator().tryAdvance(x -> fail()));
    }

    @Test
    void clearLeavesAWaitingPutterWaiting() {
        Greenlet<Void> putter = waitingPutter(1);
        q.clear();
        assertFalse(putter.isDead());
        assertEquals(1, q.poll());
    }

    @Test
    void offerFailsUnlessATakerWaits() {
        assertFalse(q.offer(1));
        assertThrows(IllegalStateException.class, () -> q.add(1));
    }

    @Test
    void offerHandsTheItemToAWaitingTaker() throws Exception {
        Greenlet<Integer> taker = parkedGreenlet(q::take);
        leftovers.add(taker);
        assertTrue(q.offer(7));
        assertEquals(7, taker.get(LONG));
    }

    @Test
    void pollTakesFromAWaitingPutterOnly() throws Exception {
        assertNull(q.poll());
        Greenlet<Void> putter = waitingPutter(5);
        assertEquals(5, q.poll());
        assertTrue(putter.join(LONG), "the put returned: its item was taken");
    }

    @Test
    void aTimedOfferWithAnExpiredTimeoutFailsWithoutATaker() throws Exception {
        for (long t : new long[] {0, -1, 1}) assertFalse(q.offer(1, t, NANOSECONDS));
    }

    @Test
    void aTimedPollWithAnExpiredTimeoutReturnsNullWithoutAPutter() throws Exception {
        for (long t : new long[] {0, -1, 1}) assertNull(q.poll(t, NANOSECONDS));
    }

    @Test
    void drainToTakesFromTheWaitingPuttersInOrder() {
        Greenlet<Void> a = waitingPutter(1);
        Greenlet<Void> b = waitingPutter(2);
        List<Integer> sink = new ArrayList<>();
        assertEquals(2, q.drainTo(sink));
        assertEquals(List.of(1, 2), sink);
        assertTrue(a.join(LONG));
        assertTrue(b.join(LONG));
    }

    @Test
    void drainToMovesAtMostMaxElements() {
        waitingPutter(1);
        Greenlet<Void> second = waitingPutter(2);
        List<Integer> sink = new ArrayList<>();
        assertEquals(1, q.drainTo(sink, 1));
        assertEquals(List.of(1), sink);
        assertFalse(second.isDead());
    }

    @Test
    void putAndTakeThrowInterruptedExceptionWhenInterruptedOnEntry() {
        waitingPutter(1); // take would not have to wait
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, q::take);
        assertFalse(Thread.interrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> q.put(2));
        assertFalse(Thread.interrupted());
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, () -> q.offer(2, 1, DAYS));
        assertFalse(Thread.interrupted());
        assertEquals(1, q.poll(), "the waiting putter's item is still there");
    }
}
