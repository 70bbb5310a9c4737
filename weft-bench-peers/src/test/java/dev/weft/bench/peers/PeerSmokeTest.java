package dev.weft.bench.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Hub;
import dev.weft.bench.Bench;
import dev.weft.bench.MemoryMain;
import dev.weft.bench.WakeupMain;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import kotlinx.coroutines.CoroutineDispatcher;
import kotlinx.coroutines.ExecutorCoroutineDispatcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Smoke mode for the peers: every kotlinx.coroutines, StructuredTaskScope and blocking workload
 * once at a tiny size, checking it did all its work (the numbers are run-all.sh's business).
 */
@Timeout(60)
class PeerSmokeTest {
    private static Hub hub;
    private static ExecutorCoroutineDispatcher oneThread;

    @BeforeAll
    static void setUp() {
        hub = Hub.parallel();
        oneThread = KotlinWorkloads.singleThread();
    }

    @AfterAll
    static void tearDown() {
        hub.close();
        oneThread.close();
    }

    @Test
    void coroutineSpawnJoinRunsEveryTask() {
        for (CoroutineDispatcher d : new CoroutineDispatcher[] {KotlinWorkloads.defaultDispatcher(), oneThread}) {
            assertEquals(200, KotlinWorkloads.launchJoin(d, 200), d.toString());
            assertEquals(200, KotlinWorkloads.asyncAwait(d, 200), d.toString());
        }
    }

    @Test
    void structuredTaskScopeForksAndJoinsEveryTask() {
        assertEquals(200, (int) Bench.inVirtualThread(() -> JdkScopeWorkloads.forkJoin(200)));
    }

    @Test
    void channelPingPongMakesEveryRoundTrip() {
        for (CoroutineDispatcher d : new CoroutineDispatcher[] {KotlinWorkloads.defaultDispatcher(), oneThread}) {
            assertEquals(1000, KotlinWorkloads.pingPong(d, 1000, 0), "rendezvous on " + d);
            assertEquals(1000, KotlinWorkloads.pingPong(d, 1000, 1), "buffered on " + d);
        }
    }

    /** A task that counts itself and the most tasks seen running at once. */
    private static final class Tracker implements Runnable {
        final AtomicInteger running = new AtomicInteger(), maxRunning = new AtomicInteger(), done = new AtomicInteger();

        @Override
        public void run() {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            Thread.yield();
            running.decrementAndGet();
            done.incrementAndGet();
        }
    }

    @Test
    void coroutineFanOutRunsEveryItemAtMostLimitAtOnce() {
        for (boolean flow : new boolean[] {false, true}) {
            Tracker t = new Tracker();
            int n = flow
                    ? KotlinWorkloads.fanOutFlatMapMerge(KotlinWorkloads.defaultDispatcher(), 2000, 20, t)
                    : KotlinWorkloads.fanOutSemaphore(KotlinWorkloads.defaultDispatcher(), 2000, 20, t);
            String what = flow ? "flatMapMerge" : "Semaphore";
            assertEquals(2000, n, what);
            assertEquals(2000, t.done.get(), what + ": every item finished");
            assertTrue(t.maxRunning.get() <= 20, what + ": at most 20 at once, saw " + t.maxRunning.get());
        }
    }

    @Test
    void withTimeoutReturnsTheBodysValueEveryTime() {
        assertEquals(1000, KotlinWorkloads.withTimeoutBatch(KotlinWorkloads.defaultDispatcher(), 1000));
    }

    @Test
    void theFirstFailureCancelsTheRestInEveryPeer() {
        assertEquals(1, WeftPeerWorkloads.scopedFirstFailure(hub, 50, true), "weft Group.scoped, sleeping");
        assertEquals(1, WeftPeerWorkloads.scopedFirstFailure(hub, 50, false), "weft Group.scoped, in Event.await");
        assertEquals(1, KotlinWorkloads.firstFailureCancelsTheRest(KotlinWorkloads.defaultDispatcher(), 50), "coroutineScope");
        assertEquals(1, (int) Bench.inVirtualThread(() -> JdkScopeWorkloads.firstFailureCancelsTheRest(50)), "StructuredTaskScope");
    }

    @Test
    void blockingTasksAllFinishInEveryPeer() throws InterruptedException {
        assertEquals(100, WeftPeerWorkloads.weftBlocking(hub, 100, 1), "weft");
        assertEquals(100, WeftPeerWorkloads.rawBlocking(100, 1), "raw");
        assertEquals(100, KotlinWorkloads.blocking(KotlinWorkloads.io(), 100, 1), "Dispatchers.IO");
        try (ExecutorCoroutineDispatcher vt = KotlinWorkloads.virtualThreads()) {
            assertEquals(100, KotlinWorkloads.blocking(vt, 100, 1), "virtual threads");
        }
    }

    @Test
    void coroutineMemorySuspendsAndReleasesEveryCoroutine() {
        for (String variant : PeerMemoryMain.VARIANTS) {
            MemoryMain.Result r = PeerMemoryMain.run(variant, 5000);
            assertEquals(5000, r.parked(), variant + ": all suspended");
            assertEquals(5000, r.finished(), variant + ": all released");
            assertTrue(r.heapBytes() > 0, variant + ": suspended coroutines take heap: " + r);
        }
    }

    @Test
    void coroutineSleepersAllWakeNeverEarly() {
        WakeupMain.Result r = PeerWakeupMain.run(2000, Duration.ofMillis(500));
        assertEquals(2000, r.sleptBeforeDeadline(), "all asleep before the deadline");
        assertEquals(2000, r.woken(), "every sleeper woke");
        assertTrue(r.minLateNanos() >= 0, "nobody woke before the deadline: " + r);
    }
}
