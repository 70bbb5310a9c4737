package dev.weft.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Hub;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Smoke mode: every benchmark workload once, at tiny sizes, so that {@code mvn test} keeps them
 * compiling and working. Each test checks that the workload did all its work; the numbers
 * themselves are run-all.sh's business.
 */
@Timeout(60)
class SmokeTest {
    private static Hub hub;

    @BeforeAll
    static void setUp() {
        hub = Hub.parallel();
    }

    @AfterAll
    static void tearDown() {
        hub.close();
    }

    @Test
    void spawnJoinRunsEveryTask() {
        assertEquals(200, SpawnJoinBench.weftBatch(hub, 200));
        assertEquals(200, SpawnJoinBench.rawBatch(200));
    }

    @Test
    void everyKillAndEveryLinkedExitIsCaughtByTheParkedTarget() {
        assertEquals(500, LinkedExitBench.killBatch(hub, 500));
        assertEquals(500, LinkedExitBench.linkedExitBatch(hub, 500));
    }

    @Test
    void pingPongMakesEveryRoundTrip() throws InterruptedException {
        assertEquals(1000, PingPongBench.weftEvent(hub, 1000));
        assertEquals(1000, PingPongBench.weftQueue(hub, 1000));
        assertEquals(1000, PingPongBench.weftChannel(hub, 1000));
        assertEquals(1000, PingPongBench.rawSynchronousQueue(1000));
        assertEquals(1000, PingPongBench.rawParkUnpark(1000));
    }

    @Test
    void singleCarrierPingPongMakesEveryRoundTrip() throws InterruptedException {
        try (Hub coop = Hub.cooperative()) {
            assertEquals(1000, PingPongBench.weftEvent(coop, 1000));
            assertEquals(1000, PingPongBench.weftQueue(coop, 1000));
            assertEquals(1000, PingPongBench.weftChannel(coop, 1000));
        }
        java.util.concurrent.ExecutorService one = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            assertEquals(1000, SingleCarrierPingPongBench.rawParkUnpark(dev.weft.internal.VirtualThreads.factory(one), 1000));
        } finally {
            one.shutdownNow();
        }
    }

    @Test
    void suspendResumeMakesEveryRoundTrip() {
        assertEquals(1000, CoroBench.suspendResume(hub, 1000));
        try (Hub coop = Hub.cooperative()) {
            assertEquals(1000, CoroBench.suspendResume(coop, 1000));
        }
    }

    @Test
    void theSimulatedRaceTakesNoMoreThanWasPut() {
        for (long seed = 0; seed < 20; seed++) {
            int taken = SimulatedSeedsBench.race(seed);
            assertTrue(taken >= 0 && taken <= 6, "seed " + seed + " took " + taken);
        }
    }

    @Test
    void timeoutsArePendingUntilCancelled() {
        assertEquals(1000, TimeoutBench.weftBatch(hub, 1000), "every timeout pending when cancelled");
        ScheduledThreadPoolExecutor executor = TimeoutBench.newExecutor();
        try {
            assertEquals(1000, TimeoutBench.rawBatch(executor, 1000));
            assertEquals(0, executor.getQueue().size(), "cancelled tasks are removed");
        } finally {
            executor.shutdownNow();
        }
    }

    /** A task that counts itself and the most tasks seen running at once. */
    private static final class Tracker implements Runnable {
        final AtomicInteger running = new AtomicInteger(), maxRunning = new AtomicInteger(), done = new AtomicInteger();

        @Override
        public void run() {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            Thread.yield(); // give the others a chance to pile up
            running.decrementAndGet();
            done.incrementAndGet();
        }
    }

    @Test
    void fanOutRunsEveryItemAtMostLimitAtOnce() {
        for (String variant : new String[] {"fair", "nonfair", "weft", "weft-jdk", "pool", "imap", "imap-unordered"}) {
            Tracker t = new Tracker();
            int items = 5000, limit = 20;
            int n = switch (variant) {
                case "fair" -> Bench.inVirtualThread(() -> FanOutBench.rawSemaphore(items, limit, true, t));
                case "nonfair" -> Bench.inVirtualThread(() -> FanOutBench.rawSemaphore(items, limit, false, t));
                case "weft" -> hub.spawn(() -> FanOutBench.weftSemaphore(hub, items, limit, t)).get();
                case "pool" -> hub.spawn(() -> FanOutBench.weftPool(items, limit, t)).get();
                case "imap" -> hub.spawn(() -> FanOutBench.weftPoolImap(items, limit, true, t)).get();
                case "imap-unordered" -> hub.spawn(() -> FanOutBench.weftPoolImap(items, limit, false, t)).get();
                default -> hub.spawn(() -> FanOutBench.weftSpawnJdkSemaphore(hub, items, limit, t)).get();
            };
            assertEquals(items, n, variant);
            assertEquals(items, t.done.get(), variant + ": every item finished when the fan-out returned");
            assertTrue(t.maxRunning.get() <= limit, variant + ": at most " + limit + " at once, saw " + t.maxRunning.get());
        }
    }

    @Test
    void wakeupWakesEverySleeperNeverEarly() throws InterruptedException {
        for (String variant : new String[] {"weft", "raw"}) {
            WakeupMain.Result r = WakeupMain.run(variant, 2000, Duration.ofMillis(500));
            assertEquals(2000, r.sleptBeforeDeadline(), variant + ": all asleep before the deadline");
            assertEquals(2000, r.woken(), variant + ": every sleeper woke");
            assertTrue(r.minLateNanos() >= 0, variant + ": nobody woke before the deadline: " + r);
            if (variant.equals("weft")) {
                assertTrue(r.maxLateNanos() < Duration.ofSeconds(1).toNanos(), "weft: all awake within 1 s: " + r);
                assertTrue(r.filedLateNanos() >= 0, "weft: the timer expired them, at or after the deadline: " + r);
            }
        }
    }

    @Test
    void memoryParksAndReleasesEveryTask() throws InterruptedException {
        for (String variant : MemoryMain.VARIANTS) {
            MemoryMain.Result r = MemoryMain.run(variant, 5000);
            assertEquals(5000, r.parked(), variant + ": all parked");
            assertEquals(5000, r.finished(), variant + ": all released");
            assertTrue(r.heapBytes() > 0, variant + ": parked tasks take heap: " + r);
        }
    }

    @Test
    void memoryAfterWarmUpRoundsStillMeasuresEveryTaskOnce() throws InterruptedException {
        MemoryMain.Result r = MemoryMain.run("weft-event", 2000, 2);
        assertEquals(2000, r.parked());
        assertEquals(2000, r.finished(), "only the measured round counts its tasks");
        assertTrue(r.heapBytes() > 0, "parked tasks take heap: " + r);
        assertThrows(IllegalArgumentException.class, () -> MemoryMain.run("weft-event", 10, -1));
    }

    @Test
    void parkedHeapHoldsTheTasksUntilALineArrivesThenLetsThemGo() throws Exception {
        java.io.InputStream in = System.in;
        java.io.PrintStream out = System.out;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        try {
            for (String variant : List.of("weft", "raw")) {
                System.setIn(new java.io.ByteArrayInputStream("\n".getBytes()));
                System.setOut(new java.io.PrintStream(printed, true));
                ParkedHeapMain.main(new String[] {variant, "1000", "1"}); // returns once all are joined
            }
        } finally {
            System.setIn(in);
            System.setOut(out);
        }
        String text = printed.toString();
        assertEquals(2, text.split("READY pid=", -1).length - 1, text);
        assertTrue(text.contains("1,000 tasks parked"), text);
    }

    @Test
    void soakLeavesNothingBehind() {
        SoakMain.Result r = SoakMain.run(20_000, 2_000, false);
        assertEquals(20_000, r.linked(), "every greenlet's link fired");
        assertEquals(2_000, r.killed());
        assertTrue(r.finished() >= 20_000 - r.killed(), "every greenlet not killed ran to its end: " + r);
        assertEquals(0, r.liveAtEnd(), "nothing left in the registry");
        assertTrue(r.growthBytesPerCycle(2_000) < 500, "no per-greenlet leak: " + r);
    }

    @Test
    void fanOutMainTimesEveryWorkloadInEveryMeasuredRound() {
        List<FanOutMain.Result> results = FanOutMain.run(4, 500, FanOutMain.WORKLOADS);
        assertEquals(FanOutMain.WORKLOADS.size(), results.size());
        for (FanOutMain.Result r : results) {
            assertEquals(3, r.nanosPerItem().length, r.workload() + ": the 3 rounds after the one warm-up round");
            assertTrue(r.median() > 0 && r.firstQuartile() <= r.median(), r.workload() + ": " + r);
        }
        assertThrows(IllegalArgumentException.class, () -> FanOutMain.run(1, 10, List.of("nope")));
    }

    @Test
    void imapHeapReadsEveryItemThroughTheBoundedMap() {
        ImapHeapMain.Result r = ImapHeapMain.run(2_000, 16, 0);
        assertEquals(2_000, r.read(), "every item read");
        assertTrue(r.heapAfterGc().length >= 2, "sampled at the start and along the way");
    }

    @Test
    void dumpMainDumpsEveryGreenlet(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String line = DumpMain.measure(2_000, dir);
        assertTrue(line.contains("\"greenlets\":2001"), line);
    }

    @Test
    void actorWorkloadsMakeEveryCallAndTransition() throws Exception {
        for (Hub h : new Hub[] {hub, Hub.cooperative()}) {
            ActorBench.CounterHandler handler = h.spawn(() -> {
                ActorBench.CounterHandler c = new ActorBench.CounterHandler();
                c.spawnProcessing();
                return c;
            }).get();
            assertEquals(500, ActorBench.syncCalls(h, handler, 500));
            assertEquals(500, ActorBench.onewayCalls(h, handler, 500));
            assertEquals(1002, handler.sync().increment(), "500 + 500 + the waiting call + this one");
            assertEquals(300, ActorBench.transitions(h, ActorBench.cycle(300)));
            if (h != hub) h.close();
        }
        try (ActorBench.RawHandler raw = new ActorBench.RawHandler()) {
            assertEquals(500, raw.syncCalls(500));
            assertEquals(500, raw.onewayCalls(500));
        }
    }
}
