package dev.weft.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The timer contract of ARCHITECTURE §2, on the real-clock wheel. */
class TimerWheelTest {
    private final TimerWheel wheel = new TimerWheel("test");

    @AfterEach
    void close() {
        wheel.close();
    }

    private static final class Probe extends TimerEntry {
        final CountDownLatch fired = new CountDownLatch(1);
        final AtomicLong firedAt = new AtomicLong();

        @Override
        protected void expire() {
            firedAt.set(System.nanoTime());
            fired.countDown();
        }
    }

    @Test
    void anEntryNeverExpiresBeforeItsDeadline() throws Exception {
        Probe[] probes = new Probe[200];
        long now = wheel.nanoTime();
        for (int i = 0; i < probes.length; i++) {
            probes[i] = new Probe();
            wheel.schedule(probes[i], now + TimeUnit.MICROSECONDS.toNanos(50L * i));
        }
        for (Probe p : probes) {
            assertTrue(p.fired.await(20, TimeUnit.SECONDS));
            assertTrue(p.firedAt.get() >= p.deadline(), "fired early");
        }
    }

    @Test
    void aCancelledEntryNeverExpiresAndIsFreedAtOnce() throws Exception {
        Probe p = new Probe();
        long deadline = wheel.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
        wheel.schedule(p, deadline + TimeUnit.SECONDS.toNanos(60)); // far enough never to race
        assertTrue(wheel.cancel(p));
        assertNull(p.bucket, "unlinked from its bucket");
        Probe later = new Probe();
        wheel.schedule(later, deadline);
        assertTrue(later.fired.await(20, TimeUnit.SECONDS));
        assertEquals(1, p.fired.getCount());
    }

    @Test
    void cancellingAnExpiredEntryReturnsFalse() throws Exception {
        Probe p = new Probe();
        wheel.schedule(p, wheel.nanoTime());
        assertTrue(p.fired.await(20, TimeUnit.SECONDS));
        assertFalse(wheel.cancel(p));
    }

    @Test
    void aNewEarliestDeadlineWakesTheTimerBeforeAnOlderLaterOne() throws Exception {
        Probe far = new Probe();
        wheel.schedule(far, wheel.nanoTime() + TimeUnit.SECONDS.toNanos(60));
        Probe near = new Probe();
        wheel.schedule(near, wheel.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10));
        assertTrue(near.fired.await(20, TimeUnit.SECONDS));
        assertEquals(1, far.fired.getCount());
        assertTrue(wheel.cancel(far));
    }

    @Test
    void entriesMoreThanOneWheelTurnApartShareABucketAndBothExpireInOrder() throws Exception {
        long turn = 4096L << 20; // BUCKETS ticks
        long now = wheel.nanoTime();
        Probe first = new Probe(), second = new Probe();
        wheel.schedule(second, now + turn + TimeUnit.MILLISECONDS.toNanos(5));
        wheel.schedule(first, now + TimeUnit.MILLISECONDS.toNanos(5));
        assertTrue(first.fired.await(20, TimeUnit.SECONDS));
        assertEquals(1, second.fired.getCount(), "the entry of a later turn waits for its own deadline");
        assertTrue(wheel.cancel(second));
    }

    @Test
    void aLargeBatchDueTogetherAllExpires() throws Exception {
        int n = 100_000;
        AtomicInteger count = new AtomicInteger();
        CountDownLatch all = new CountDownLatch(n);
        long deadline = wheel.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
        for (int i = 0; i < n; i++) {
            wheel.schedule(new TimerEntry() {
                @Override
                protected void expire() {
                    count.incrementAndGet();
                    all.countDown();
                }
            }, deadline);
        }
        assertTrue(all.await(30, TimeUnit.SECONDS));
        assertEquals(n, count.get());
    }

    @Test
    void schedulingAnArmedEntryAgainIsAnError() {
        Probe p = new Probe();
        wheel.schedule(p, wheel.nanoTime() + TimeUnit.SECONDS.toNanos(60));
        assertThrows(IllegalStateException.class, () -> wheel.schedule(p, wheel.nanoTime()));
        wheel.cancel(p);
    }
}
