package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletFailure;
import dev.weft.HubTestBase;
import dev.weft.Timeout;
import dev.weft.Trail;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** AsyncResult (gevent's test__event AsyncResult cases, proc.py's Source). */
class AsyncResultTest extends HubTestBase {

    @Test
    void getReturnsTheValueSetByAnotherGreenlet() {
        inHub(() -> {
            AsyncResult<String> r = new AsyncResult<>();
            Greenlet<String> waiter = Greenlet.spawn(() -> r.get());
            awaitWaiting(waiter);
            Greenlet.spawn(() -> r.set("hello"));
            assertEquals("hello", waiter.get());
            assertTrue(r.isSuccessful());
            assertEquals("hello", r.value());
        });
    }

    @Test
    void getRethrowsAnUncheckedExceptionAsTheSameInstance() {
        inHub(() -> {
            AsyncResult<String> r = new AsyncResult<>();
            IllegalStateException boom = new IllegalStateException("boom");
            r.setException(boom);
            assertSame(boom, assertThrows(IllegalStateException.class, r::get));
            assertSame(boom, r.exception());
            assertFalse(r.isSuccessful());
        });
    }

    @Test
    void getWrapsACheckedExceptionInGreenletFailure() {
        AsyncResult<String> r = new AsyncResult<>();
        IOException io = new IOException("io");
        r.setException(io);
        assertSame(io, assertThrows(GreenletFailure.class, r::get).getCause());
        assertSame(io, r.exception());
    }

    @Test
    void settingTwiceIsAnError() {
        AsyncResult<Integer> r = new AsyncResult<>();
        r.set(1);
        assertThrows(IllegalStateException.class, () -> r.set(2));
        assertThrows(IllegalStateException.class, () -> r.setException(new RuntimeException()));
        assertEquals(1, r.get());
    }

    @Test
    void aNullValueIsAValue() {
        AsyncResult<String> r = new AsyncResult<>();
        r.set(null);
        assertTrue(r.isReady());
        assertTrue(r.isSuccessful());
        assertNull(r.get());
    }

    @Test
    void getWithATimeoutThrowsTimeoutWhenNotSetInTime() {
        inHub(() -> assertThrows(Timeout.class, () -> new AsyncResult<>().get(Duration.ofMillis(20))));
    }

    @Test
    void getNowOnAnUnsetResultThrowsTimeout() {
        assertThrows(Timeout.class, () -> new AsyncResult<>().getNow());
    }

    @Test
    void awaitSaysWhetherTheResultArrived() {
        inHub(() -> {
            AsyncResult<Integer> r = new AsyncResult<>();
            assertFalse(r.await(Duration.ofMillis(10)));
            r.set(3);
            assertTrue(r.await(Duration.ZERO));
        });
    }

    @Test
    void itIsAReceiver() {
        AsyncResult<Integer> r = new AsyncResult<>();
        dev.weft.Receiver<Integer> receiver = r;
        receiver.send(9);
        assertEquals(9, r.get());
    }

    @Test
    void rawlinksRunInRegistrationOrderOnCompletion() {
        AsyncResult<Integer> r = new AsyncResult<>();
        Trail trail = new Trail();
        for (String name : List.of("a", "b", "c")) r.rawlink(x -> trail.add(name + x.value()));
        r.set(1);
        trail.assertSteps("a1", "b1", "c1");
    }

    @Test
    void aRawlinkAfterCompletionRunsAtOnceInTheCaller() {
        AsyncResult<Integer> r = new AsyncResult<>();
        r.set(1);
        Thread[] ranOn = new Thread[1];
        r.rawlink(x -> ranOn[0] = Thread.currentThread());
        assertSame(Thread.currentThread(), ranOn[0]);
    }

    @Test
    void unlinkingFromInsideAListenerStopsALaterOne() {
        AsyncResult<Integer> r = new AsyncResult<>();
        Trail trail = new Trail();
        Consumer<AsyncResult<Integer>> later = x -> trail.add("later");
        r.rawlink(x -> {
            trail.add("first");
            r.unlink(later);
        });
        r.rawlink(later);
        r.set(1);
        trail.assertSteps("first");
    }

    @Test
    void aDeepChainOfListenersDoesNotOverflowTheStack() {
        int n = 200_000;
        List<AsyncResult<Integer>> chain = new ArrayList<>(n);
        for (int i = 0; i < n; i++) chain.add(new AsyncResult<>());
        for (int i = 0; i < n - 1; i++) {
            AsyncResult<Integer> next = chain.get(i + 1);
            chain.get(i).rawlink(r -> next.set(r.value() + 1));
        }
        chain.get(0).set(0);
        assertEquals(n - 1, chain.get(n - 1).get());
    }

    @Test
    void aGreenletCanBeWaitedForThroughAnAsyncResult() {
        inHub(() -> {
            AsyncResult<Integer> r = new AsyncResult<>();
            Greenlet<Integer> g = Greenlet.spawn(() -> 6 * 7);
            g.rawlink(done -> r.set(done.value()));
            assertEquals(42, r.get(LONG));
        });
    }

    @Test
    void outcomeIsTheValueOrTheFailureAndRefusedBeforeItIsSet() {
        AsyncResult<String> r = new AsyncResult<>();
        assertThrows(IllegalStateException.class, r::outcome);
        r.set("v");
        assertEquals(new dev.weft.Outcome.Value<>("v"), r.outcome());
        AsyncResult<String> f = new AsyncResult<>();
        IOException e = new IOException("x");
        f.setException(e);
        assertEquals(new dev.weft.Outcome.Failed<String>(e), f.outcome());
    }
}
