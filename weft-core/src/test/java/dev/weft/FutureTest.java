package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.sync.Event;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Greenlet.asFuture(): the JDK's Future contract (ARCHITECTURE §1). */
class FutureTest extends HubTestBase {

    @Test
    void getReturnsTheValue() throws Exception {
        Future<Integer> f = hub.spawn(() -> 5).asFuture();
        assertEquals(5, f.get());
        assertTrue(f.isDone());
        assertEquals(Future.State.SUCCESS, f.state());
        assertEquals(5, f.resultNow());
    }

    @Test
    void getWrapsAFailureInExecutionException() {
        IllegalStateException boom = new IllegalStateException("boom");
        Greenlet<Integer> g = hub.spawn(() -> {
            throw boom;
        });
        ExecutionException e = assertThrows(ExecutionException.class, () -> g.asFuture().get());
        assertSame(boom, e.getCause());
        assertEquals(Future.State.FAILED, g.asFuture().state());
    }

    @Test
    void aTimedGetThrowsTimeoutException() {
        Event never = new Event();
        Greenlet<Void> g = hub.spawn(() -> never.await());
        assertThrows(TimeoutException.class, () -> g.asFuture().get(20, TimeUnit.MILLISECONDS));
        g.kill();
    }

    @Test
    void cancelKillsTheGreenletAndReportsCancelledAtOnce() {
        Event never = new Event();
        Greenlet<Void> g = hub.spawn(() -> never.await());
        awaitWaiting(g);
        Future<Void> f = g.asFuture();
        assertTrue(f.cancel(true));
        assertTrue(f.isCancelled());
        assertTrue(f.isDone());
        assertThrows(CancellationException.class, f::get);
        assertTrue(g.join(LONG));
        assertTrue(g.isKilled());
        assertFalse(f.cancel(true), "cancelling twice");
    }

    @Test
    void cancellingAFinishedGreenletReturnsFalse() {
        Greenlet<Integer> g = hub.spawn(() -> 1);
        g.join();
        assertFalse(g.asFuture().cancel(false));
        assertFalse(g.asFuture().isCancelled());
    }

    @Test
    void aKilledGreenletLooksCancelled() {
        Event never = new Event();
        Greenlet<Void> g = hub.spawn(() -> never.await());
        awaitWaiting(g);
        g.kill();
        assertTrue(g.asFuture().isCancelled());
        assertEquals(Future.State.CANCELLED, g.asFuture().state());
    }

    @Test
    void anInterruptOfTheWaitingThreadBecomesInterruptedException() throws Exception {
        Event never = new Event();
        Greenlet<Void> g = hub.spawn(() -> never.await());
        Throwable[] thrown = new Throwable[1];
        Thread t = Thread.ofPlatform().start(() -> {
            Thread.currentThread().interrupt();
            try {
                g.asFuture().get();
            } catch (Throwable e) {
                thrown[0] = e;
            }
        });
        t.join();
        assertInstanceOf(InterruptedException.class, thrown[0]);
        g.kill();
    }
}
