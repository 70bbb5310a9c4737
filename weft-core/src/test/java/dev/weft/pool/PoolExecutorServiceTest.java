package dev.weft.pool;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.GreenletExit;
import dev.weft.HubTestBase;
import dev.weft.sync.Event;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Pool.asExecutorService(): the JDK's ExecutorService contract (JSR-166 TCK-style cases). */
class PoolExecutorServiceTest extends HubTestBase {

    @Test
    void submitRunsTheTaskAndItsFutureHasTheValue() throws Exception {
        inHub(() -> {
            ExecutorService ex = new Pool(2).asExecutorService();
            Future<Integer> f = ex.submit(() -> 41 + 1);
            assertEquals(42, f.get());
            assertTrue(f.isDone());
            ex.shutdown();
            assertTrue(ex.awaitTermination(20, TimeUnit.SECONDS));
            assertTrue(ex.isTerminated());
        });
    }

    @Test
    void submitNeverWaitsAndQueuedTasksStartInOrderAsSlotsFree() {
        inHub(() -> {
            ExecutorService ex = new Pool(1).asExecutorService();
            Event go = new Event();
            List<Integer> order = new CopyOnWriteArrayList<>();
            ex.execute(() -> go.await());
            for (int i = 1; i <= 3; i++) {
                int n = i;
                ex.execute(() -> order.add(n));
            }
            assertEquals(List.of(), order);
            go.set();
            ex.shutdown();
            assertTrue(ex.awaitTermination(20, TimeUnit.SECONDS));
            assertEquals(List.of(1, 2, 3), order);
        });
    }

    @Test
    void aTaskSubmittedAfterShutdownIsRejected() {
        inHub(() -> {
            ExecutorService ex = new Pool(1).asExecutorService();
            ex.shutdown();
            assertTrue(ex.isShutdown());
            assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 1));
            assertThrows(RejectedExecutionException.class, () -> ex.execute(() -> {}));
        });
    }

    @Test
    void shutdownNowKillsTheRunningTasksAndReturnsTheQueuedOnes() {
        inHub(() -> {
            ExecutorService ex = new Pool(1).asExecutorService();
            Event never = new Event();
            AtomicBoolean queuedRan = new AtomicBoolean();
            Future<?> running = ex.submit(() -> never.await());
            Runnable a = () -> queuedRan.set(true);
            Runnable b = () -> queuedRan.set(true);
            ex.execute(a);
            ex.execute(b);
            List<Runnable> notStarted = ex.shutdownNow();
            assertEquals(List.of(a, b), notStarted);
            assertTrue(ex.awaitTermination(20, TimeUnit.SECONDS));
            assertTrue(running.isCancelled());
            assertFalse(queuedRan.get());
        });
    }

    @Test
    void awaitTerminationReturnsFalseWhileTasksRun() {
        inHub(() -> {
            ExecutorService ex = new Pool(1).asExecutorService();
            Event go = new Event();
            ex.execute(() -> go.await());
            ex.shutdown();
            assertFalse(ex.awaitTermination(10, TimeUnit.MILLISECONDS));
            go.set();
            assertTrue(ex.awaitTermination(20, TimeUnit.SECONDS));
        });
    }

    @Test
    void invokeAnyReturnsTheFirstSuccessAndCancelsTheLosers() {
        hub.setErrorHandler((s, e) -> {});
        inHub(() -> {
            ExecutorService ex = new Pool(3).asExecutorService();
            Event never = new Event();
            AtomicBoolean loserKilled = new AtomicBoolean();
            Callable<Integer> fails = () -> {
                throw new IllegalStateException("no");
            };
            Callable<Integer> wins = () -> 7;
            Callable<Integer> hangs = () -> {
                try {
                    never.await();
                } catch (GreenletExit e) {
                    loserKilled.set(true);
                    throw e;
                }
                return 0;
            };
            assertEquals(7, ex.invokeAny(List.of(fails, hangs, wins)));
            ex.shutdown();
            assertTrue(ex.awaitTermination(20, TimeUnit.SECONDS));
            assertTrue(loserKilled.get());
            ExecutorService ex2 = new Pool(2).asExecutorService();
            assertThrows(ExecutionException.class, () -> ex2.invokeAny(List.of(fails, fails)));
        });
    }

    @Test
    void invokeAllWaitsForEveryTaskAndCancelsTheLateOnesOnExpiry() {
        inHub(() -> {
            ExecutorService ex = new Pool(2).asExecutorService();
            Event never = new Event();
            List<Future<Integer>> all = ex.invokeAll(List.of(() -> 1, () -> 2));
            assertEquals(1, all.get(0).get());
            assertEquals(2, all.get(1).get());
            List<Future<Integer>> some = ex.invokeAll(List.of(() -> 3, () -> {
                never.await();
                return 4;
            }), 10, TimeUnit.MILLISECONDS);
            assertEquals(3, some.get(0).get());
            assertTrue(some.get(1).isCancelled());
            for (Future<Integer> f : some) assertTrue(f.isDone());
        });
    }

    @Test
    void closeWaitsForTheTasks() {
        inHub(() -> {
            AtomicReference<String> done = new AtomicReference<>();
            try (ExecutorService ex = new Pool(1).asExecutorService()) {
                ex.execute(() -> dev.weft.Greenlets.sleep(java.time.Duration.ofMillis(2)));
                ex.execute(() -> done.set("yes"));
            }
            assertEquals("yes", done.get());
        });
    }

    @Test
    void aFailedSubmittedTaskIsDeliveredByItsFutureNotReported() {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        hub.setErrorHandler((s, e) -> reported.set(e));
        inHub(() -> {
            ExecutorService ex = new Pool(1).asExecutorService();
            Future<Integer> f = ex.submit(() -> {
                throw new IllegalStateException("no");
            });
            ExecutionException e = assertThrows(ExecutionException.class, f::get);
            assertInstanceOf(IllegalStateException.class, e.getCause());
        });
        assertNull(reported.get());
    }
}
