package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Races of the engine under load: timeouts that expire while being cancelled, kills racing
 * completion, hand-overs racing signals. Scaled by {@code -Dweft.stress.scale} (1 in CI).
 */
class EngineStressTest extends HubTestBase {
    private static final int SCALE = Integer.getInteger("weft.stress.scale", 1);

    @Test
    void aTimeoutNeverFiresOutsideItsScope() {
        int greenlets = 8, rounds = 2_000 * SCALE;
        AtomicInteger strays = new AtomicInteger();
        AtomicInteger expired = new AtomicInteger();
        inHub(() -> {
            List<Greenlet<Void>> all = new ArrayList<>();
            for (int i = 0; i < greenlets; i++) {
                all.add(Greenlet.spawn(() -> {
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int k = 0; k < rounds; k++) {
                        Timeout t = Timeout.start(Duration.ofNanos(r.nextInt(200_000)));
                        try {
                            if (r.nextBoolean()) Greenlets.sleep(Duration.ofNanos(1 + r.nextInt(200_000)));
                            else for (int spin = r.nextInt(2_000); spin > 0; spin--) Thread.onSpinWait();
                        } catch (Timeout caught) {
                            if (caught != t) throw caught;
                            expired.incrementAndGet();
                        } finally {
                            t.cancel();
                        }
                        try {
                            Greenlets.yieldNow(); // a blocking point outside the scope
                        } catch (Timeout stray) {
                            strays.incrementAndGet();
                        }
                        if (Thread.currentThread().isInterrupted()) strays.incrementAndGet();
                    }
                }));
            }
            for (Greenlet<Void> g : all) g.get();
        });
        assertEquals(0, strays.get(), "timeouts raised or interrupts left outside their scope");
        assertTrue(expired.get() > 0, "some timeouts expired inside their scope");
    }

    @Test
    void aTimeoutConsumedWhileItsInterruptIsOnItsWayLeavesNoStrayInterrupt() {
        org.junit.jupiter.api.Assumptions.assumeFalse(hub.isSimulated(), "yields forever: virtual time never moves");
        int rounds = 2_000 * SCALE;
        inHub(() -> {
            for (int i = 0; i < rounds; i++) {
                Timeout.silently(Duration.ofNanos(200_000), () -> {
                    for (;;) Greenlets.yieldNow(); // the timeout is consumed at a yield
                });
                Greenlets.sleep(Duration.ofNanos(1_000)); // would die of a stray "foreign" interrupt
                Thread.sleep(0, 1_000); // would throw InterruptedException
            }
            return null;
        });
    }

    @Test
    void everyKillRacingCompletionLeavesAConsistentOutcome() {
        int n = 5_000 * SCALE;
        inHub(() -> {
            for (int i = 0; i < n; i++) {
                int value = i;
                Greenlet<Integer> g = Greenlet.spawn(() -> value);
                boolean queued = g.kill(new GreenletExit(), ThreadLocalRandom.current().nextBoolean(), null);
                g.join();
                assertTrue(g.isDead());
                assertTrue(g.isSuccessful());
                switch (g.outcome()) {
                    case Outcome.Killed<Integer> k -> assertTrue(queued, "a kill that found it dead cannot be its outcome");
                    case Outcome.Value<Integer>(Integer v) -> assertEquals(value, v);
                    case Outcome.Failed<Integer> f -> fail("a kill with GreenletExit is no failure: " + f);
                }
            }
        });
    }

    @Test
    void handOversRacingKillsAreNeverLostOrDuplicated() {
        int pairs = 2_000 * SCALE;
        AtomicInteger delivered = new AtomicInteger();
        AtomicInteger killedBeforeValue = new AtomicInteger();
        inHub(() -> {
            for (int i = 0; i < pairs; i++) {
                AsyncResult<Integer> r = new AsyncResult<>();
                Greenlet<Integer> waiter = Greenlet.spawn(() -> r.get());
                if (ThreadLocalRandom.current().nextBoolean()) Greenlets.yieldNow();
                Greenlet<Void> setter = Greenlet.spawn(() -> r.set(1));
                waiter.kill(new GreenletExit(), false, null);
                waiter.join();
                setter.join();
                if (waiter.isKilled()) killedBeforeValue.incrementAndGet();
                else if (Integer.valueOf(1).equals(((Greenlet<?>) waiter).getNow())) delivered.incrementAndGet();
                else fail("unexpected outcome " + waiter);
            }
        });
        assertEquals(pairs, delivered.get() + killedBeforeValue.get());
    }

    @Test
    void manyWaitersOnOneEventAllWakeOnce() {
        int waiters = 2_000 * SCALE;
        AtomicInteger woke = new AtomicInteger();
        inHub(() -> {
            Event e = new Event();
            List<Greenlet<Void>> all = new ArrayList<>();
            for (int i = 0; i < waiters; i++) {
                all.add(Greenlet.spawn(() -> {
                    if (e.await(LONG)) woke.incrementAndGet();
                }));
            }
            Greenlets.yieldNow();
            e.set();
            for (Greenlet<Void> g : all) g.get();
        });
        assertEquals(waiters, woke.get());
    }
}
