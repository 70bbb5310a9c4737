package dev.weft.internal;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Hub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * NodeList's side of the engine defects: {@code unlinkListener} never touches a waiter (defect 2),
 * the receivers count a greenlet's failure report depends on is of nodes that actually took the
 * value (defect 3), and the shared closed list takes no monitor. Nodes are driven by hand here:
 * the strand of the waiters has no thread, so offering a value to one only decides it.
 */
class NodeListRegressionTest {
    private static final Object FAILURE = "the failure";

    /** A strand without a thread: its waiters are decided, never parked or woken. */
    private static Strand strand() {
        return new Strand(Hub.defaultHub()) {
            @Override
            protected boolean isAdopted() {
                return false;
            }
        };
    }

    private static Waiter receivingWaiter() {
        return new Waiter(strand(), true, "get");
    }

    private static ListenerNode<Object> listener(Consumer<Object> callback, boolean receives) {
        return new ListenerNode<>(callback, callback, "source", receives, (source, error) -> {
            throw new AssertionError("a listener threw", error);
        });
    }

    // defect 2
    @Test
    void unlinkListenerOfNullThrowsAndLeavesAQueuedWaiterPending() {
        NodeList list = new NodeList();
        Waiter w = receivingWaiter();
        list.add(w);
        assertThrows(NullPointerException.class, () -> list.unlinkListener(null));
        assertTrue(w.isPending());
        assertEquals(1, list.pendingCount());
    }

    // defect 2
    @Test
    void unlinkListenerNeverMatchesAWaiterWhateverTheKey() {
        NodeList list = new NodeList();
        Waiter w = receivingWaiter();
        list.add(w);
        for (Object key : List.of(new Object(), "get", w, w.strand())) {
            assertFalse(list.unlinkListener(key), "unlinkListener(" + key + ")");
        }
        assertTrue(w.isPending());
        list.notifyAll("value", true);
        assertEquals("value", w.value(), "the waiter still gets its hand-over");
    }

    // defect 2 (the positive path, so the negative ones above can fail for the right reason)
    @Test
    void unlinkListenerStopsTheListenerRegisteredUnderThatKey() {
        NodeList list = new NodeList();
        List<Object> ran = new ArrayList<>();
        Consumer<Object> callback = ran::add;
        list.add(listener(callback, true));
        assertTrue(list.unlinkListener(callback));
        list.notifyAll("value", true);
        assertEquals(List.of(), ran);
    }

    // defect 3
    @Test
    void aWaiterIsDecidedBeforeAnyListenerRunsSoTheReceiversCountIsWhatHappened() {
        // a listener queued ahead of the waiter cancels it as it runs: the deadline or kill of a
        // get() landing while the failure is being handed out
        NodeList list = new NodeList();
        Waiter w = receivingWaiter();
        boolean[] lateCancelWon = {true};
        list.add(listener(source -> lateCancelWon[0] = w.tryCancel(), false));
        list.add(w);
        List<Integer> counts = new ArrayList<>();
        list.notifyAll(FAILURE, true, null, counts::add);
        assertEquals(List.of(1), counts, "counted once, as one receiver");
        assertFalse(lateCancelWon[0], "the waiter was decided before the listener ran");
        assertSame(FAILURE, w.value(), "and the counted receiver did take the failure");
    }

    // defect 3
    @Test
    void aWaiterThatLostToItsDeadlineIsNotCountedAsAReceiver() {
        NodeList list = new NodeList();
        Waiter w = receivingWaiter();
        list.add(w);
        assertTrue(w.tryCancel()); // its deadline won before the failure came
        List<Integer> counts = new ArrayList<>();
        list.notifyAll(FAILURE, true, null, counts::add);
        assertEquals(List.of(0), counts, "nobody took it: the failure must be reported");
    }

    // defect 3
    @Test
    void aReceivingListenerUnlinkedByAnEarlierListenerOfTheSameNotificationIsNotCounted() {
        NodeList list = new NodeList();
        List<Object> receiverRan = new ArrayList<>();
        Consumer<Object> receiver = receiverRan::add;
        list.add(listener(source -> list.unlinkListener(receiver), false));
        list.add(listener(receiver, true));
        List<Integer> counts = new ArrayList<>();
        list.notifyAll(FAILURE, true, null, counts::add);
        assertEquals(List.of(), receiverRan);
        assertEquals(List.of(0), counts, "the only receiver never ran: the failure must be reported");
    }

    // defect 3
    @Test
    void theCountIsGivenBeforeAnyWaiterOrListenerIsTold() {
        NodeList list = new NodeList();
        Waiter w = receivingWaiter();
        List<String> trail = new ArrayList<>();
        list.add(w);
        list.add(listener(source -> trail.add("listener ran"), false));
        list.notifyAll(FAILURE, true, null, n -> trail.add("count " + n + ", waiter decided: " + !w.isPending()));
        assertEquals(List.of("count 1, waiter decided: true", "listener ran"), trail);
    }

    // commit "Engine hardening": the closed list every completed object shares takes no monitor
    @Test
    void theSharedClosedListNeverTakesItsMonitor() throws Exception {
        CountDownLatch held = new CountDownLatch(1), release = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            synchronized (NodeList.CLOSED) {
                held.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try {
            held.await();
            Waiter w = receivingWaiter();
            Consumer<Object> key = x -> {};
            assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
                assertFalse(NodeList.CLOSED.add(w), "closed: refuses the node");
                assertFalse(NodeList.CLOSED.remove(w));
                assertFalse(NodeList.CLOSED.unlinkListener(key));
            }, "blocked on the shared closed list's monitor");
        } finally {
            release.countDown();
            holder.join();
        }
    }
}
