package dev.weft.sync;

import static dev.weft.sync.Parked.LONG;
import static dev.weft.sync.Parked.awaitParked;
import static dev.weft.sync.Parked.onPlatformThread;
import static dev.weft.sync.Parked.parkedGreenlet;
import static java.util.concurrent.TimeUnit.DAYS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Queue.asBlockingQueue() against the java.util.concurrent.BlockingQueue contract (issue 9): the
 * behaviours the JSR-166 TCK checks of LinkedBlockingQueue, in this project's own tests, for a
 * bounded and an unbounded queue (the channel's view: ChannelViewContractTest).
 */
class BlockingQueueContractTest {
    private static final int CAPACITY = 3;

    static Stream<Named<Supplier<BlockingQueue<Integer>>>> fifoQueues() {
        return Stream.of(Named.of("Queue(" + CAPACITY + ")", () -> new Queue<Integer>(CAPACITY).asBlockingQueue()),
                Named.of("Queue()", () -> new Queue<Integer>().asBlockingQueue()));
    }

    private final List<Greenlet<?>> leftovers = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        Thread.interrupted(); // a failed assertion must not leave the test thread interrupted
        for (Greenlet<?> g : leftovers) g.kill();
    }

    private <T> Greenlet<T> parked(java.util.concurrent.Callable<T> body) {
        Greenlet<T> g = parkedGreenlet(body);
        leftovers.add(g);
        return g;
    }

    private static BlockingQueue<Integer> full() {
        BlockingQueue<Integer> q = new Queue<Integer>(CAPACITY).asBlockingQueue();
        for (int i = 0; i < CAPACITY; i++) q.add(i);
        return q;
    }

    private static BlockingQueue<Integer> holding(Supplier<BlockingQueue<Integer>> kind, Integer... items) {
        BlockingQueue<Integer> q = kind.get();
        q.addAll(List.of(items));
        return q;
    }

    // ------------------------------------------------------------------ nulls

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void everyInsertionRefusesANullElement(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = kind.get();
        assertThrows(NullPointerException.class, () -> q.offer(null));
        assertThrows(NullPointerException.class, () -> q.add(null));
        assertThrows(NullPointerException.class, () -> q.put(null));
        assertThrows(NullPointerException.class, () -> q.offer(null, 1, DAYS));
        assertThrows(NullPointerException.class, () -> q.addAll(Arrays.asList(1, null)));
        assertFalse(q.contains(null));
        assertFalse(q.remove(null));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void nullArgumentsAreRefusedEvenOnAnEmptyQueue(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = kind.get();
        assertThrows(NullPointerException.class, () -> q.addAll(null));
        assertThrows(NullPointerException.class, () -> q.removeIf(null));
        assertThrows(NullPointerException.class, () -> q.removeAll(null));
        assertThrows(NullPointerException.class, () -> q.retainAll(null));
        assertThrows(NullPointerException.class, () -> q.toArray((Integer[]) null));
        assertThrows(NullPointerException.class, () -> q.forEach(null));
        assertThrows(NullPointerException.class, () -> q.iterator().forEachRemaining(null));
        assertThrows(NullPointerException.class, () -> q.spliterator().tryAdvance(null));
        assertThrows(NullPointerException.class, () -> q.poll(1, null));
        assertThrows(NullPointerException.class, () -> q.offer(1, 1, null));
    }

    // ------------------------------------------------------------------ capacity

    @Test
    void remainingCapacityCountsDownAsItemsAreAdded() {
        BlockingQueue<Integer> q = new Queue<Integer>(CAPACITY).asBlockingQueue();
        for (int i = 0; i < CAPACITY; i++) {
            assertEquals(CAPACITY - i, q.remainingCapacity());
            assertEquals(i, q.size());
            q.add(i);
        }
        assertEquals(0, q.remainingCapacity());
    }

    @Test
    void anUnboundedQueueHasNoIntrinsicLimit() {
        BlockingQueue<Integer> q = holding(() -> new Queue<Integer>().asBlockingQueue(), 1, 2);
        assertEquals(Integer.MAX_VALUE, q.remainingCapacity());
    }

    @Test
    void addOnAFullQueueThrowsIllegalStateException() {
        assertThrows(IllegalStateException.class, () -> full().add(9));
    }

    @Test
    void offerOnAFullQueueReturnsFalse() {
        BlockingQueue<Integer> q = full();
        assertFalse(q.offer(9));
        assertEquals(CAPACITY, q.size());
    }

    @Test
    void addAllStopsWithIllegalStateExceptionWhenTheQueueFills() {
        BlockingQueue<Integer> q = new Queue<Integer>(CAPACITY).asBlockingQueue();
        assertThrows(IllegalStateException.class, () -> q.addAll(List.of(1, 2, 3, 4, 5)));
        assertEquals(List.of(1, 2, 3), List.copyOf(q));
    }

    @Test
    void addAllOfItselfIsIllegal() {
        BlockingQueue<Integer> q = holding(() -> new Queue<Integer>().asBlockingQueue(), 1);
        assertThrows(IllegalArgumentException.class, () -> q.addAll(q));
    }

    // ------------------------------------------------------------------ timed offer and poll

    @Test
    void aTimedOfferOnAFullQueueReturnsFalseWhenTheTimeRunsOut() throws Exception {
        BlockingQueue<Integer> q = full();
        assertFalse(q.offer(9, 10, MILLISECONDS));
        assertFalse(q.contains(9));
    }

    @Test
    void aTimedOfferWithAnExpiredTimeoutDoesNotWait() throws Exception {
        BlockingQueue<Integer> q = full();
        for (long t : new long[] {0, -1, Long.MIN_VALUE}) assertFalse(q.offer(9, t, DAYS));
        assertEquals(CAPACITY, q.size());
    }

    @Test
    void aTimedOfferSucceedsWhenRoomFreesWhileItWaits() throws Exception {
        BlockingQueue<Integer> q = full();
        Greenlet<Boolean> offerer = parked(() -> q.offer(9, 1, DAYS));
        assertEquals(0, q.take());
        assertTrue(offerer.get(LONG));
        assertEquals(List.of(1, 2, 9), List.copyOf(q));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void aTimedPollOnAnEmptyQueueReturnsNullWhenTheTimeRunsOut(Supplier<BlockingQueue<Integer>> kind) throws Exception {
        assertNull(kind.get().poll(10, MILLISECONDS));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void aTimedPollWithAnExpiredTimeoutReturnsNullAtOnce(Supplier<BlockingQueue<Integer>> kind) throws Exception {
        BlockingQueue<Integer> q = kind.get();
        for (long t : new long[] {0, -1, Long.MIN_VALUE}) assertNull(q.poll(t, DAYS));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void aTimedPollReturnsAnItemOfferedWhileItWaits(Supplier<BlockingQueue<Integer>> kind) throws Exception {
        BlockingQueue<Integer> q = kind.get();
        Greenlet<Integer> poller = parked(() -> q.poll(1, DAYS));
        assertTrue(q.offer(5));
        assertEquals(5, poller.get(LONG));
        assertTrue(q.isEmpty());
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void hugeTimeoutsMeanNoLimit(Supplier<BlockingQueue<Integer>> kind) throws Exception {
        BlockingQueue<Integer> q = kind.get();
        assertTrue(q.offer(1, Long.MAX_VALUE, NANOSECONDS));
        assertEquals(1, q.poll(Long.MAX_VALUE, DAYS));
    }

    // ------------------------------------------------------------------ drainTo

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void drainingIntoItselfIsIllegal(Supplier<BlockingQueue<Integer>> kind) {
        Queue<Integer> queue = new Queue<>();
        BlockingQueue<Integer> q = queue.asBlockingQueue();
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q));
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(q, 1));
        assertThrows(IllegalArgumentException.class, () -> q.drainTo(queue.asBlockingQueue()), "another view of it");
        BlockingQueue<Integer> other = kind.get();
        assertThrows(IllegalArgumentException.class, () -> other.drainTo(other, 0));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void drainingIntoNullIsANullPointerException(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = kind.get();
        assertThrows(NullPointerException.class, () -> q.drainTo(null));
        assertThrows(NullPointerException.class, () -> q.drainTo(null, 0));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void drainToWithANonPositiveMaximumMovesNothing(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = holding(kind, 1);
        List<Integer> sink = new ArrayList<>();
        for (int max : new int[] {0, -1, Integer.MIN_VALUE}) assertEquals(0, q.drainTo(sink, max));
        assertEquals(List.of(), sink);
        assertEquals(1, q.size());
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void drainToMovesAtMostMaxElementsFirstFirst(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = holding(kind, 1, 2, 3);
        List<Integer> sink = new ArrayList<>();
        assertEquals(2, q.drainTo(sink, 2));
        assertEquals(List.of(1, 2), sink);
        assertEquals(1, q.drainTo(sink));
        assertEquals(List.of(1, 2, 3), sink);
        assertTrue(q.isEmpty());
    }

    @Test
    void drainToTakesTheItemsOfPuttersWaitingForRoom() throws Exception {
        BlockingQueue<Integer> q = full();
        Greenlet<Void> putter = parked(() -> {
            q.put(9);
            return null;
        });
        List<Integer> sink = new ArrayList<>();
        assertEquals(CAPACITY + 1, q.drainTo(sink));
        assertEquals(List.of(0, 1, 2, 9), sink);
        assertTrue(putter.join(LONG));
        assertTrue(q.isEmpty());
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void anItemTheSinkRefusesStaysQueued(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = holding(kind, 1, 2, 3);
        List<Integer> sink = new ArrayList<>() {
            @Override
            public boolean add(Integer e) {
                if (e == 2) throw new IllegalStateException("refused");
                return super.add(e);
            }
        };
        assertThrows(IllegalStateException.class, () -> q.drainTo(sink));
        assertEquals(List.of(1), sink);
        assertEquals(List.of(2, 3), List.copyOf(q));
    }

    // ------------------------------------------------------------------ interrupts

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void everyWaitingMethodThrowsInterruptedExceptionWhenInterruptedOnEntry(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = holding(kind, 1); // none of them would have to wait
        List<org.junit.jupiter.api.function.Executable> calls = List.of(
                () -> q.put(2), () -> q.offer(2, 1, DAYS), q::take, () -> q.poll(1, DAYS));
        for (var call : calls) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, call);
            assertFalse(Thread.interrupted(), "the interrupt status is cleared");
        }
        assertEquals(List.of(1), List.copyOf(q), "nothing was put or taken");
    }

    @Test
    void timedWaitsWithAnExpiredTimeoutStillThrowInterruptedExceptionWhenInterrupted() {
        BlockingQueue<Integer> empty = new Queue<Integer>(CAPACITY).asBlockingQueue();
        BlockingQueue<Integer> full = full();
        for (long t : new long[] {0, -1, 1}) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> empty.poll(t, NANOSECONDS), "poll " + t + " ns");
            assertFalse(Thread.interrupted());
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> full.offer(9, t, NANOSECONDS), "offer " + t + " ns");
            assertFalse(Thread.interrupted());
        }
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void aTakeInterruptedWhileWaitingThrowsInterruptedExceptionAndTakesNothing(Supplier<BlockingQueue<Integer>> kind)
            throws Exception {
        BlockingQueue<Integer> q = kind.get();
        var taker = onPlatformThread(q::take);
        awaitParked(taker.thread);
        taker.thread.interrupt();
        assertInstanceOf(InterruptedException.class, taker.thrown());
        assertFalse(taker.interruptedAfter(), "the interrupt status is cleared");
        q.add(1);
        assertEquals(List.of(1), List.copyOf(q));
    }

    @Test
    void aTimedPollInterruptedWhileWaitingThrowsInterruptedException() throws Exception {
        BlockingQueue<Integer> q = new Queue<Integer>().asBlockingQueue();
        var poller = onPlatformThread(() -> q.poll(1, DAYS));
        awaitParked(poller.thread);
        poller.thread.interrupt();
        assertInstanceOf(InterruptedException.class, poller.thrown());
        assertFalse(poller.interruptedAfter());
    }

    @Test
    void aPutInterruptedWhileWaitingThrowsInterruptedExceptionAndPutsNothing() throws Exception {
        BlockingQueue<Integer> q = full();
        var putter = onPlatformThread(() -> {
            q.put(9);
            return null;
        });
        awaitParked(putter.thread);
        putter.thread.interrupt();
        assertInstanceOf(InterruptedException.class, putter.thrown());
        assertFalse(putter.interruptedAfter());
        q.clear(); // a putter still waiting would move in now
        assertTrue(q.isEmpty(), "the interrupted put left nothing behind");
    }

    // ------------------------------------------------------------------ remove, contains, toArray

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void removeTakesOutTheFirstEqualItemOnly(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = holding(kind, 1, 2, 1);
        assertTrue(q.remove(1));
        assertEquals(List.of(2, 1), List.copyOf(q));
        assertFalse(q.remove(7));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void containsLooksAtTheQueuedItems(Supplier<BlockingQueue<Integer>> kind) throws Exception {
        BlockingQueue<Integer> q = holding(kind, 1, 2);
        assertTrue(q.contains(2));
        q.take();
        q.take();
        assertFalse(q.contains(2));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void toArrayListsTheItemsInOrder(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = holding(kind, 1, 2);
        assertArrayEquals(new Object[] {1, 2}, q.toArray());
        assertSame(Object[].class, q.toArray().getClass());
        Integer[] bigger = {7, 7, 7, 7};
        assertSame(bigger, q.toArray(bigger));
        assertArrayEquals(new Integer[] {1, 2, null, 7}, bigger, "null after the last item");
        assertArrayEquals(new Integer[] {1, 2}, q.toArray(new Integer[0]));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void toStringListsTheItems(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = kind.get();
        assertEquals("[]", q.toString());
        q.add(1);
        q.add(2);
        assertEquals("[1, 2]", q.toString());
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void anEmptyQueueLooksEmptyEveryWay(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = kind.get();
        assertTrue(q.isEmpty());
        assertNull(q.peek());
        assertNull(q.poll());
        assertThrows(NoSuchElementException.class, q::element);
        assertThrows(NoSuchElementException.class, q::remove);
        assertThrows(NoSuchElementException.class, () -> q.iterator().next());
        assertFalse(q.spliterator().tryAdvance(e -> fail()));
    }

    // ------------------------------------------------------------------ iteration

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void theIteratorIsWeaklyConsistent(Supplier<BlockingQueue<Integer>> kind) throws Exception {
        BlockingQueue<Integer> q = holding(kind, 1, 2);
        Iterator<Integer> it = q.iterator();
        assertEquals(1, it.next());
        q.take();
        q.add(3);
        List<Integer> rest = new ArrayList<>();
        it.forEachRemaining(rest::add);
        assertEquals(List.of(2), rest, "the items as they were; no ConcurrentModificationException");
        assertEquals(List.of(2, 3), List.copyOf(q), "iterating took nothing");
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void iteratorRemoveRemovesTheItemLastReturned(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = holding(kind, 1, 2, 3);
        Iterator<Integer> it = q.iterator();
        it.next();
        it.next();
        it.remove();
        assertEquals(List.of(1, 3), List.copyOf(q));
        assertEquals(3, it.next(), "iteration goes on");
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void iteratorRemoveBeforeNextOrTwiceIsIllegal(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = holding(kind, 1, 2);
        Iterator<Integer> it = q.iterator();
        assertThrows(IllegalStateException.class, it::remove);
        it.next();
        it.remove();
        assertThrows(IllegalStateException.class, it::remove);
        assertEquals(List.of(2), List.copyOf(q));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void iteratorRemoveOfAnItemTakenMeanwhileRemovesNothing(Supplier<BlockingQueue<Integer>> kind) throws Exception {
        BlockingQueue<Integer> q = holding(kind, 1, 2);
        Iterator<Integer> it = q.iterator();
        it.next();
        assertEquals(1, q.take());
        it.remove();
        assertEquals(List.of(2), List.copyOf(q));
    }

    @Test
    void iteratorRemoveRemovesThatVeryInstanceNotAnEqualOne() {
        BlockingQueue<String> q = new Queue<String>().asBlockingQueue();
        String first = new String("x"), second = new String("x");
        q.add(first);
        q.add(second);
        Iterator<String> it = q.iterator();
        it.next();
        it.next();
        it.remove();
        assertSame(first, q.peek());
        assertEquals(1, q.size());
    }

    @Test
    void iteratorRemoveAfterForEachRemainingRemovesTheLastItem() {
        BlockingQueue<Integer> q = holding(() -> new Queue<Integer>().asBlockingQueue(), 1, 2, 3);
        Iterator<Integer> it = q.iterator();
        it.forEachRemaining(x -> {});
        it.remove();
        assertEquals(List.of(1, 2), List.copyOf(q));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void theSpliteratorBindsAtFirstUseAndIsOrderedAndNonNull(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = kind.get();
        Spliterator<Integer> s = q.spliterator();
        q.add(1);
        q.add(2);
        assertTrue(s.hasCharacteristics(Spliterator.ORDERED));
        assertTrue(s.hasCharacteristics(Spliterator.NONNULL));
        List<Integer> seen = new ArrayList<>();
        s.forEachRemaining(seen::add);
        assertEquals(List.of(1, 2), seen);
        q.add(3);
        assertFalse(s.tryAdvance(x -> fail("an exhausted spliterator stays exhausted")));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void streamsAndForEachSeeTheItemsInOrder(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = holding(kind, 1, 2, 3);
        assertEquals(List.of(1, 2, 3), q.stream().collect(Collectors.toList()));
        assertEquals(6, q.parallelStream().mapToInt(Integer::intValue).sum());
        List<Integer> seen = new ArrayList<>();
        q.forEach(seen::add);
        assertEquals(List.of(1, 2, 3), seen);
    }

    // ------------------------------------------------------------------ bulk removal

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void removeIfRemovesEveryAcceptedItem(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = holding(kind, 1, 2, 3);
        assertTrue(q.removeIf(x -> x % 2 == 1));
        assertEquals(List.of(2), List.copyOf(q));
        assertFalse(q.removeIf(x -> x > 5));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void removeIfRemovesNothingWhenTheFilterThrows(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = holding(kind, 1, 2, 3);
        assertThrows(ArithmeticException.class, () -> q.removeIf(x -> {
            if (x == 3) throw new ArithmeticException();
            return true;
        }));
        assertEquals(List.of(1, 2, 3), List.copyOf(q));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void removeAllAndRetainAllKeepTheOtherItemsInOrder(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = holding(kind, 1, 2, 3);
        assertTrue(q.removeAll(List.of(2, 7)));
        assertEquals(List.of(1, 3), List.copyOf(q));
        assertTrue(q.retainAll(List.of(3)));
        assertEquals(List.of(3), List.copyOf(q));
        assertFalse(q.retainAll(List.of(3)));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void bulkRemovalsWhoseArgumentReadsTheQueueItselfFinish(Supplier<BlockingQueue<Integer>> kind) {
        // the JDK's queues lock reentrantly; weft's spin lock is not, so user code runs outside it
        BlockingQueue<Integer> q = holding(kind, 1, 2);
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            assertFalse(q.retainAll(q), "every item is in the queue itself");
            assertEquals(2, q.size());
            assertTrue(q.removeIf(x -> x == 1 && q.contains(2)));
            assertEquals(List.of(2), List.copyOf(q));
            assertTrue(q.removeAll(q));
            assertTrue(q.isEmpty());
        });
    }

    /** An item whose equals reads the queue it is asked about. */
    private record Curious(BlockingQueue<Object> q, int n) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Curious c && c.n == n && q.size() >= 0;
        }

        @Override
        public int hashCode() {
            return n;
        }
    }

    @Test
    void containsAndRemoveCallEqualsOutsideTheQueuesLock() {
        BlockingQueue<Object> q = new Queue<>().asBlockingQueue();
        q.add(new Curious(q, 1));
        q.add(new Curious(q, 2));
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(10), () -> {
            assertTrue(q.contains(new Curious(q, 2)));
            assertTrue(q.remove(new Curious(q, 1)));
            assertEquals(List.of(new Curious(q, 2)), List.copyOf(q));
        });
    }

    @Test
    void iteratorRemoveRemovesTheVeryOccurrenceItReturned() {
        BlockingQueue<Integer> q = holding(() -> new Queue<Integer>().asBlockingQueue(), 1, 2, 1); // the same Integer twice
        Iterator<Integer> it = q.iterator();
        it.next();
        it.next();
        it.next();
        it.remove();
        assertEquals(List.of(1, 2), List.copyOf(q));
    }

    @Test
    void iteratorRemoveOfAnOccurrenceTakenMeanwhileRemovesNothingEvenIfTheSameObjectIsQueuedAgain() throws Exception {
        BlockingQueue<Integer> q = holding(() -> new Queue<Integer>().asBlockingQueue(), 1, 2, 1);
        Iterator<Integer> it = q.iterator();
        it.next();
        assertEquals(1, q.take()); // the occurrence the iterator returned
        it.remove();
        assertEquals(List.of(2, 1), List.copyOf(q), "as LinkedBlockingQueue: that node is gone");
    }

    @Test
    void aPriorityQueuesSpliteratorIsNotOrdered() {
        BlockingQueue<Integer> q = new PriorityQueue<Integer>().asBlockingQueue();
        q.add(2);
        q.add(1);
        assertFalse(q.spliterator().hasCharacteristics(Spliterator.ORDERED), "heap order is not an encounter order");
        assertTrue(new Queue<Integer>().asBlockingQueue().spliterator().hasCharacteristics(Spliterator.ORDERED));
    }

    @ParameterizedTest
    @MethodSource("fifoQueues")
    void clearRemovesEveryItem(Supplier<BlockingQueue<Integer>> kind) {
        BlockingQueue<Integer> q = holding(kind, 1, 2, 3);
        q.clear();
        assertTrue(q.isEmpty());
        assertEquals(0, q.size());
    }

    @Test
    void everyWayOfRemovingLetsAWaitingPutterIn() {
        List<java.util.function.Consumer<BlockingQueue<Integer>>> removals = List.of(
                q -> q.remove(0),
                q -> q.removeIf(x -> x == 0),
                q -> q.removeAll(List.of(0)),
                q -> q.retainAll(List.of(1, 2)),
                BlockingQueue::clear,
                q -> {
                    Iterator<Integer> it = q.iterator();
                    it.next();
                    it.remove();
                });
        for (var removal : removals) {
            BlockingQueue<Integer> q = full();
            Greenlet<Void> putter = parked(() -> {
                q.put(9);
                return null;
            });
            removal.accept(q);
            assertTrue(putter.join(LONG), "the putter was let in");
            assertTrue(q.contains(9));
            assertTrue(q.size() <= CAPACITY, "never over capacity");
        }
    }

    @Test
    void removingSeveralItemsLetsWaitingPuttersInFirstFirst() throws Exception {
        BlockingQueue<Integer> q = full();
        Greenlet<Void> a = parked(() -> {
            q.put(10);
            return null;
        });
        Greenlet<Void> b = parked(() -> {
            q.put(11);
            return null;
        });
        Greenlet<Void> c = parked(() -> {
            q.put(12);
            return null;
        });
        assertTrue(q.removeIf(x -> x < 2));
        assertTrue(a.join(LONG));
        assertTrue(b.join(LONG));
        assertEquals(List.of(2, 10, 11), List.copyOf(q));
        assertFalse(c.isDead(), "no room for the third");
        assertEquals(2, q.take());
        assertTrue(c.join(LONG));
        assertEquals(List.of(10, 11, 12), List.copyOf(q));
    }
}
