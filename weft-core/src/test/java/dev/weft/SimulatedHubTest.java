package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Hub.simulated(seed): virtual time, seeded interleavings, deadlock reports (ARCHITECTURE §2). */
class SimulatedHubTest {

    @Test
    void sleepingAnHourTakesNoRealTime() {
        try (Hub hub = Hub.simulated(1)) {
            long virtual = hub.run(() -> {
                long t0 = hub.nanoTime();
                Greenlets.sleep(Duration.ofHours(1));
                return hub.nanoTime() - t0;
            });
            assertEquals(Duration.ofHours(1).toNanos(), virtual);
        }
    }

    @Test
    void hoursOfTimeoutsFinishInWellUnderASecondOfRealTime() {
        try (Hub hub = Hub.simulated(7)) {
            long realStart = System.nanoTime();
            int timedOut = hub.run(() -> {
                List<Greenlet<Boolean>> all = new ArrayList<>();
                Random r = new Random(3);
                for (int i = 0; i < 500; i++) {
                    Duration work = Duration.ofMinutes(r.nextInt(120));
                    Duration limit = Duration.ofMinutes(60);
                    all.add(Greenlet.spawn(() -> !Timeout.silently(limit, () -> Greenlets.sleep(work))));
                }
                int n = 0;
                for (Greenlet<Boolean> g : all) if (g.get()) n++;
                return n;
            });
            long realMillis = (System.nanoTime() - realStart) / 1_000_000;
            assertTrue(timedOut > 100 && timedOut < 400, "about half the work outlasts its hour: " + timedOut);
            assertTrue(hub.nanoTime() >= Duration.ofMinutes(60).toNanos());
            assertTrue(realMillis < 10_000, "virtual hours took " + realMillis + " ms of real time");
        }
    }

    static List<String> interleaving(long seed) {
        List<String> trace = new ArrayList<>();
        try (Hub hub = Hub.simulated(seed)) {
            hub.run(() -> {
                List<Greenlet<Void>> all = new ArrayList<>();
                for (String name : List.of("a", "b", "c", "d")) {
                    all.add(Greenlet.spawn(() -> {
                        for (int i = 0; i < 5; i++) {
                            trace.add(name + i + "@" + hub.nanoTime());
                            if (i % 2 == 0) Greenlets.yieldNow();
                            else Greenlets.sleep(Duration.ofMillis(10));
                        }
                    }));
                }
                Greenlets.joinAll(all);
                return null;
            });
        }
        return trace;
    }

    @Test
    void theSameSeedReplaysTheSameInterleaving() {
        assertEquals(interleaving(42), interleaving(42));
    }

    @Test
    void differentSeedsExploreDifferentInterleavings() {
        Set<List<String>> seen = new HashSet<>();
        for (long seed = 0; seed < 20; seed++) seen.add(interleaving(seed));
        assertTrue(seen.size() > 5, "only " + seen.size() + " distinct interleavings in 20 seeds");
    }

    @Test
    void aDeadlockIsReportedWithTheBlockedGreenletsNamed() {
        try (Hub hub = Hub.simulated(1)) {
            DeadlockError e = assertThrows(DeadlockError.class, () -> hub.run(() -> {
                Event never = new Event();
                Greenlet<Void> helper = Greenlet.spawn(() -> never.await());
                helper.setName("stuck-helper");
                helper.join();
                return null;
            }));
            assertTrue(e.getMessage().contains("stuck-helper waits on Event"), e.getMessage());
            assertTrue(e.getMessage().contains("waits on stuck-helper"), "main waits on the helper: " + e.getMessage());
        }
    }

    @Test
    void aDeadlockOfOneRunIsNotReportedByTheNext() {
        try (Hub hub = Hub.simulated(3)) {
            assertThrows(DeadlockError.class, () -> hub.run(() -> {
                new Event().await();
                return 1;
            }));
            assertEquals(2, hub.run(() -> 2));
            assertThrows(DeadlockError.class, () -> hub.run(() -> {
                new Event().await();
                return 3;
            }), "a second deadlock is found too");
        }
    }

    @Test
    void aStrictHubFailsAtOnceWhenAGreenletBlocksInJdkCode() {
        try (Hub hub = Hub.simulated(1, true)) {
            long start = System.nanoTime();
            DeadlockError e = assertThrows(DeadlockError.class, () -> hub.run(() -> {
                Greenlet<Void> sleeper = Greenlet.spawn(() -> {
                    Thread.sleep(60_000); // JDK code: virtual time cannot follow it
                    return null;
                });
                sleeper.setName("jdk-sleeper");
                sleeper.join();
                return null;
            }));
            assertTrue(e.getMessage().contains("jdk-sleeper"), e.getMessage());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "failed at once, not after the sleep");
        }
    }

    @Test
    void aLenientHubWaitsForJdkCodeInRealTime() {
        try (Hub hub = Hub.simulated(1)) {
            assertEquals("slept", hub.run(() -> {
                Thread.sleep(20); // the JDK blocking code under test, not a synchronisation
                return "slept";
            }));
        }
    }

    @Test
    void sleepersDueTogetherAllWakeAtThatVirtualInstant() {
        try (Hub hub = Hub.simulated(5)) {
            List<Integer> order = hub.run(() -> {
                List<Integer> woke = new ArrayList<>();
                List<Greenlet<Void>> all = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    int n = i;
                    all.add(Greenlet.spawn(() -> {
                        Greenlets.sleepUntil(Duration.ofSeconds(1).toNanos());
                        assertEquals(Duration.ofSeconds(1).toNanos(), hub.nanoTime());
                        woke.add(n);
                    }));
                }
                Greenlets.joinAll(all);
                return woke;
            });
            assertEquals(5, order.size());
            assertEquals(Duration.ofSeconds(1).toNanos(), hub.nanoTime());
        }
    }

    @Test
    void tenThousandSimulatedRunsLeaveNoThreadsOrGreenletsBehind() {
        int runs = 10_000;
        int leftovers = 0;
        for (int i = 0; i < runs; i++) {
            Hub hub = Hub.simulated(i);
            try (hub) {
                hub.run(() -> {
                    Event e = new Event();
                    Greenlet.spawn(() -> e.await()); // a leftover: killed when main ends
                    Greenlets.sleep(Duration.ofSeconds(1));
                    return null;
                });
            }
            if (!hub.hasNoRegistered()) leftovers++;
        }
        long carriers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("weft-carrier-simulated")).count();
        assertTrue(carriers <= 1, carriers + " simulated carriers still alive");
        assertEquals(0, leftovers, "closed hubs with greenlets still registered");
        assertEquals(0, Greenlet.liveGreenlets().stream().filter(g -> g.hub().isSimulated()).count());
    }

    @Test
    void theNameShowsTheSeedApartFromTheHubsNumber() {
        try (Hub hub = Hub.simulated(3)) {
            assertTrue(hub.name().endsWith("(seed 3)"), hub.name());
            assertTrue(hub.toString().contains("seed 3"), hub.toString());
        }
        try (Hub strict = Hub.simulated(5, true)) {
            assertTrue(strict.name().endsWith("(seed 5, strict)"), strict.name());
        }
    }

    @Test
    void aGreenletSpawnedFromOutsideRunMovesThroughVirtualTime() {
        try (Hub hub = Hub.simulated(1)) {
            // no run(): time still jumps to the next timer when every greenlet of the hub waits
            Greenlet<Long> g = hub.spawn(() -> {
                long t0 = hub.nanoTime();
                Greenlets.sleep(Duration.ofHours(1));
                return hub.nanoTime() - t0;
            });
            assertEquals(Duration.ofHours(1).toNanos(), g.get(Duration.ofSeconds(20))); // a real-time bound
        }
    }
}
