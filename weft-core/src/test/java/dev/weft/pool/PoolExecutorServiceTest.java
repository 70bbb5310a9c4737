package dev.weft.pool;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Hub;
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
import java.util.concurrent.TimeoutException;
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
            Event loserStarted = new Event();
            Callable<Integer> fails = () -> {
                throw new IllegalStateException("no");
            };
            Callable<Integer> wins = () -> {
                // win only once the loser runs, so that there is a running loser to cancel
                if (!loserStarted.await(LONG)) throw new AssertionError("the losing task never started");
                return 7;
            };
            Callable<Integer> hangs = () -> {
                loserStarted.set();
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
            }), 1, TimeUnit.SECONDS); // ample for the quick task, even on a loaded machine
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

    /** A task that is both: the JDK's execute and submit(Runnable) must call run(), never call(). */
    private static final class RunnableAndCallable implements Runnable, Callable<String> {
        final AtomicBoolean ran = new AtomicBoolean(), called = new AtomicBoolean();

        @Override
        public void run() {
            ran.set(true);
        }

        @Override
        public String call() {
            called.set(true);
            return "called";
        }
    }

    @Test
    void executeAndSubmitOfARunnableThatIsAlsoACallableRunItsRunMethod() {
        inHub(() -> {
            ExecutorService ex = new Pool(2).asExecutorService();
            RunnableAndCallable both = new RunnableAndCallable();
            assertNull(ex.submit((Runnable) both).get());
            assertTrue(both.ran.get());
            RunnableAndCallable executed = new RunnableAndCallable();
            ex.execute(executed);
            ex.shutdown();
            assertTrue(ex.awaitTermination(20, TimeUnit.SECONDS));
            assertTrue(executed.ran.get());
            assertFalse(both.called.get() || executed.called.get());
        });
    }

    @Test
    void aTimedInvokeAnyExpiringWhileATaskStillRunsThrowsTimeoutEvenIfAnotherFailed() {
        hub.setErrorHandler((s, e) -> {});
        inHub(() -> {
            ExecutorService ex = new Pool(2).asExecutorService();
            Event never = new Event();
            Callable<Integer> fails = () -> {
                throw new IllegalStateException("no");
            };
            Callable<Integer> hangs = () -> {
                never.await();
                return 0;
            };
            assertThrows(TimeoutException.class, () -> ex.invokeAny(List.of(fails, hangs), 20, TimeUnit.MILLISECONDS));
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> ex.invokeAny(List.of(fails, fails), 20, TimeUnit.SECONDS));
            assertInstanceOf(IllegalStateException.class, e.getCause());
        });
    }

    @Test
    void invokeAnyOfNoTasksOrANullTaskFailsAtTheCall() {
        inHub(() -> {
            ExecutorService ex = new Pool(1).asExecutorService();
            assertThrows(IllegalArgumentException.class, () -> ex.invokeAny(List.of()));
            List<Callable<Integer>> withNull = new java.util.ArrayList<>();
            withNull.add(() -> 1);
            withNull.add(null);
            assertThrows(NullPointerException.class, () -> ex.invokeAny(withNull));
            assertThrows(NullPointerException.class, () -> ex.invokeAll(withNull));
            assertThrows(NullPointerException.class, () -> ex.submit((Callable<Integer>) null));
            assertThrows(NullPointerException.class, () -> ex.execute(null));
            assertEquals(1, ex.submit(() -> 1).get(), "nothing of a refused call was started or queued");
        });
    }

    @Test
    void shutdownNowReturnsTheQueuedTasksOfInvokeAllAsRunnablesThatRunThem() {
        inHub(() -> {
            Pool pool = new Pool(1);
            ExecutorService ex = pool.asExecutorService();
            Event never = new Event();
            ex.execute(() -> never.await());
            AtomicBoolean ran = new AtomicBoolean();
            Greenlet<?> invoker = Greenlet.spawn(() -> ex.invokeAll(List.of(() -> {
                ran.set(true);
                return 1;
            })));
            awaitQueued(ex, 1); // the invoker queued its task and waits for it
            List<Runnable> notStarted = ex.shutdownNow();
            assertEquals(1, notStarted.size());
            assertFalse(ran.get());
            notStarted.get(0).run();
            assertTrue(ran.get(), "the returned Runnable runs the Callable");
        });
    }

    /** Yields until {@code n} tasks are queued (a state with no event to wait on), within LONG. */
    private static void awaitQueued(ExecutorService ex, int n) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (((PoolExecutorService) ex).queuedCount() != n) {
            assertTrue(System.nanoTime() < deadline, "never queued " + n);
            dev.weft.Greenlets.yieldNow();
        }
    }

    @Test
    void shutdownNowStopsTheDispatcherWaitingForASlotThatNeverFrees() {
        inHub(() -> {
            Pool pool = new Pool(0);
            ExecutorService ex = pool.asExecutorService();
            int before = hub.greenlets().size();
            Runnable task = () -> {};
            ex.execute(task); // queued, and a dispatcher waits for a slot
            long waits = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (pool.waiting() != 1) { // the dispatcher parks in the pool's slot queue
                assertTrue(System.nanoTime() < waits, "the dispatcher never waited");
                dev.weft.Greenlets.yieldNow();
            }
            assertEquals(List.of(task), ex.shutdownNow());
            assertTrue(ex.awaitTermination(20, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (hub.greenlets().size() != before) { // the dispatcher's end has no event to wait on
                assertTrue(System.nanoTime() < deadline, "the dispatcher still runs: " + hub.greenlets());
                dev.weft.Greenlets.yieldNow();
            }
        });
    }

    @Test
    void aSubmitTheHubRefusesIsRejectedAndLeavesTheExecutorWorking() throws Exception {
        Hub other = Hub.parallel();
        ExecutorService ex;
        Pool pool;
        try {
            pool = other.spawn(() -> new Pool(1)).get();
            ex = other.spawn(pool::asExecutorService).get();
        } finally {
            other.close();
        }
        inHub(() -> {
            Event never = new Event();
            Greenlet<?> holder = Greenlet.spawn(() -> never.await());
            pool.add(holder); // the pool is full: a submit queues and needs the closed hub's dispatcher
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 1));
            assertTrue(e.getMessage().contains("cannot start"), e.getMessage());
            assertThrows(RejectedExecutionException.class, () -> ex.submit(() -> 2), "refused again, not queued forever");
            holder.kill();
            ex.shutdown();
            assertTrue(ex.awaitTermination(20, TimeUnit.SECONDS), "nothing was left queued");
        });
    }
}
