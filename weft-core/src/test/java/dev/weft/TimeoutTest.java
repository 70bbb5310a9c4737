package dev.weft;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.weft.sync.Event;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Timeout's contract (ARCHITECTURE §5; gevent's test__timeout cases). */
class TimeoutTest extends HubTestBase {
    private static final Duration SHORT = Duration.ofMillis(20);

    @Test
    void anExpiredTimeoutRaisesTheVeryInstanceThatExpired() {
        inHub(() -> {
            Timeout mine = Timeout.start(SHORT);
            Timeout raised = assertThrows(Timeout.class, () -> new Event().await());
            assertSame(mine, raised);
            assertFalse(mine.isPending());
        });
    }

    @Test
    void aTimeoutWithAnExceptionRaisesThatException() {
        inHub(() -> {
            IllegalStateException custom = new IllegalStateException("too slow");
            Timeout t = Timeout.start(SHORT, custom);
            assertSame(custom, assertThrows(IllegalStateException.class, () -> Greenlets.sleep(LONG)));
            t.cancel();
        });
    }

    @Test
    void aCancelledTimeoutNeverFires() {
        inHub(() -> {
            Timeout t = Timeout.start(SHORT);
            t.cancel(); // even if a stalled machine let it fire already, the signal is withdrawn
            assertFalse(t.isPending());
            Greenlets.sleep(SHORT.multipliedBy(3)); // would throw if it fired
        });
    }

    @Test
    void aStartedTimeoutIsPendingUntilCancelled() {
        inHub(() -> {
            Timeout t = Timeout.start(LONG);
            assertTrue(t.isPending());
            t.cancel();
            assertFalse(t.isPending());
        });
    }

    @Test
    void tryWithResourcesCancelsTheTimeout() {
        inHub(() -> {
            Timeout held;
            try (Timeout t = Timeout.start(SHORT)) {
                held = t;
            }
            assertFalse(held.isPending());
            Greenlets.sleep(SHORT.multipliedBy(3));
        });
    }

    @Test
    void aNullDurationNeverFires() {
        inHub(() -> {
            try (Timeout t = Timeout.start(null)) {
                assertFalse(t.isPending());
                Greenlets.sleep(SHORT);
            }
        });
    }

    @Test
    void aZeroDurationFiresAtTheNextBlockingPoint() {
        inHub(() -> {
            Timeout t = Timeout.start(Duration.ZERO);
            assertSame(t, assertThrows(Timeout.class, Greenlets::yieldNow));
        });
    }

    @Test
    void badArgumentsFailAtTheCallSite() {
        assertThrows(IllegalArgumentException.class, () -> Timeout.start(Duration.ofMillis(-1)));
        assertThrows(IllegalArgumentException.class, () -> Timeout.start(SHORT, new IOException("checked")));
    }

    @Test
    void startingAPendingTimeoutAgainIsAnError() {
        inHub(() -> {
            Timeout t = Timeout.start(LONG);
            assertThrows(IllegalStateException.class, t::start);
            t.cancel();
            t.start(); // restart after cancel is fine
            assertTrue(t.isPending());
            t.cancel();
        });
    }

    @Test
    void silentlyReturnsFalseWhenItsOwnTimerEndsTheBody() {
        inHub(() -> assertFalse(Timeout.silently(SHORT, () -> Greenlets.sleep(LONG))));
    }

    @Test
    void silentlyReturnsTrueWhenTheBodyFinishes() {
        inHub(() -> assertTrue(Timeout.silently(LONG, () -> {})));
    }

    @Test
    void silentlyLetsAnOuterTimeoutThrough() {
        inHub(() -> {
            Timeout outer = Timeout.start(SHORT);
            Timeout raised = assertThrows(Timeout.class,
                    () -> Timeout.silently(LONG, () -> Greenlets.sleep(LONG)));
            assertSame(outer, raised);
        });
    }

    @Test
    void anOuterTimeoutIsNotLostThroughAnInnerOne() {
        inHub(() -> {
            Timeout outer = Timeout.start(SHORT);
            Timeout raised = assertThrows(Timeout.class, () -> {
                try (Timeout _ = Timeout.start(LONG)) {
                    Greenlets.sleep(LONG);
                }
            });
            assertSame(outer, raised);
        });
    }

    @Test
    void nestedTimeoutsEachRaiseTheirOwnInstance() {
        inHub(() -> {
            Timeout outer = Timeout.start(LONG);
            Timeout inner = Timeout.start(SHORT);
            assertSame(inner, assertThrows(Timeout.class, () -> Greenlets.sleep(LONG)));
            assertTrue(outer.isPending());
            outer.cancel();
        });
    }

    @Test
    void anOuterTimeoutIsNotLostThroughJoinWithItsOwnDuration() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> g = Greenlet.spawn(() -> never.await());
            Timeout outer = Timeout.start(SHORT);
            assertSame(outer, assertThrows(Timeout.class, () -> g.join(LONG)));
            g.kill();
        });
    }

    @Test
    void anOuterTimeoutIsNotLostThroughGetWithItsOwnDuration() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> g = Greenlet.spawn(() -> never.await());
            Timeout outer = Timeout.start(SHORT);
            assertSame(outer, assertThrows(Timeout.class, () -> g.get(LONG)));
            g.kill();
        });
    }

    @Test
    void cancelWithdrawsASignalThatFiredButWasNotDelivered() {
        assumeFalse(hub.isSimulated(), "spins in real time waiting for the timer; virtual time does not move then");
        inHub(() -> {
            Timeout t = Timeout.start(Duration.ofMillis(1));
            long end = System.nanoTime() + LONG.toNanos();
            while (t.isPending() && System.nanoTime() < end) Thread.onSpinWait(); // no blocking point
            assertFalse(t.isPending(), "the timer fired");
            t.cancel();
            Greenlets.sleep(SHORT); // the signal was withdrawn: nothing is thrown
        });
    }

    @Test
    void aTimeoutInterruptsJdkBlockingCode() {
        assumeFalse(hub.isSimulated(), "virtual time does not move while a greenlet is in JDK code");
        inHub(() -> {
            AtomicBoolean interrupted = new AtomicBoolean();
            try (Timeout t = Timeout.start(SHORT)) {
                try {
                    Thread.sleep(LONG.toMillis());
                } catch (InterruptedException e) {
                    interrupted.set(true);
                }
                assertSame(t, assertThrows(Timeout.class, Greenlets::yieldNow));
            }
            assertTrue(interrupted.get());
            assertFalse(Thread.currentThread().isInterrupted());
        });
    }

    @Test
    void aTimeoutWorksOnAThreadWeftDidNotStart() {
        Timeout t = Timeout.start(SHORT);
        assertSame(t, assertThrows(Timeout.class, () -> new Event().await()));
    }

    @Test
    void theMessageNamesTheDuration() {
        assertEquals("timed out after 20 ms", new Timeout(SHORT).getMessage());
    }

    @Test
    void whenTheOuterOfTwoNestedTimeoutsFiresFirstItIsRaisedAndTheInnerStaysPending() {
        inHub(() -> { // gevent's test_nested_timeout, the other way round
            Timeout outer = Timeout.start(SHORT);
            Timeout inner = Timeout.start(LONG);
            assertSame(outer, assertThrows(Timeout.class, () -> Greenlets.sleep(LONG)));
            assertFalse(outer.isPending());
            assertTrue(inner.isPending());
            inner.cancel();
        });
    }

    @Test
    void aTimeoutStartedAgainAfterItFiredRaisesTheSameInstanceAgain() {
        inHub(() -> { // gevent's test_expires
            Timeout t = Timeout.start(SHORT);
            assertSame(t, assertThrows(Timeout.class, () -> Greenlets.sleep(LONG)));
            t.start();
            assertSame(t, assertThrows(Timeout.class, () -> Greenlets.sleep(LONG)));
        });
    }
}
