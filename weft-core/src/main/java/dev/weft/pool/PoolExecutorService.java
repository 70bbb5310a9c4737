package dev.weft.pool;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.ReadyIterator;
import dev.weft.internal.InternalListener;
import dev.weft.internal.SpinLock;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@link Pool#asExecutorService()}: a pool seen through the JDK's {@link ExecutorService}
 * contract.
 *
 * <ul>
 * <li>{@code submit}/{@code execute} never wait: a task that finds no free slot is queued (FIFO)
 *     and a dispatcher greenlet starts it when a slot frees; after {@code shutdown} they throw
 *     {@link RejectedExecutionException}. Futures are the greenlets' {@link Greenlet#asFuture()}
 *     views: {@code cancel} kills the task (a queued one never runs).</li>
 * <li>{@code shutdownNow} refuses new tasks, kills the running ones (a {@link GreenletExit}, at
 *     their next blocking point) and returns the queued ones, which never run (their futures
 *     report cancelled).</li>
 * <li>{@code awaitTermination} and {@code close} wait through weft's waiting core; a foreign
 *     interrupt of a waiting platform thread is an {@link InterruptedException} (and
 *     {@code close} then shuts down now, as the JDK says). In a greenlet an interrupt is a kill
 *     (ARCHITECTURE §5): the kill ends the wait, and {@code close} does not shut down now.</li>
 * <li>{@code invokeAll} waits for every task (on expiry, cancels those not done);
 *     {@code invokeAny} returns the first success and cancels the others.</li>
 * </ul>
 * A task given to {@code execute} that fails is reported to the hub's error handler; a failure
 * of a task given to {@code submit} is delivered by its future instead.
 */
final class PoolExecutorService implements ExecutorService {
    private record Task(Greenlet<?> greenlet, Runnable original) {}

    private final Pool pool;
    private final Hub hub;
    private final SpinLock lock = new SpinLock();
    private final ArrayDeque<Task> queued = new ArrayDeque<>(); // guarded by lock
    private final LinkedHashSet<Greenlet<?>> active = new LinkedHashSet<>(); // guarded by lock
    private boolean shutdown, stoppedNow, dispatching; // guarded by lock
    private Greenlet<?> dispatcher; // guarded by lock: the dispatcher while it runs
    private final Event terminated = new Event();
    private final Consumer<Greenlet<?>> endReceived = this::ended; // submit: the future delivers failures
    private final Consumer<Greenlet<?>> endReported = new Reported(); // execute: failures are reported

    private final class Reported implements Consumer<Greenlet<?>>, InternalListener {
        @Override
        public void accept(Greenlet<?> g) {
            ended(g);
        }
    }

    PoolExecutorService(Pool pool, Hub hub) {
        this.pool = pool;
        this.hub = hub;
    }

    // ---------------------------------------------------------------- submitting

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        enqueue(new Greenlet<>(hub, command), command, endReported); // run() even if it is also a Callable
    }

    @Override
    public <T> Future<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        Greenlet<T> g = new Greenlet<>(hub, task);
        enqueue(g, asRunnable(task), endReceived);
        return g.asFuture();
    }

    @Override
    public Future<?> submit(Runnable task) {
        Objects.requireNonNull(task, "task");
        Greenlet<Void> g = new Greenlet<>(hub, task);
        enqueue(g, task, endReceived);
        return g.asFuture();
    }

    @Override
    public <T> Future<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        Greenlet<T> g = new Greenlet<>(hub, () -> {
            task.run();
            return result;
        });
        enqueue(g, task, endReceived);
        return g.asFuture();
    }

    /** The task as the {@code Runnable} {@code shutdownNow} hands back: it runs the callable. */
    private static Runnable asRunnable(Callable<?> task) {
        return new Runnable() {
            @Override
            public void run() {
                try {
                    task.call();
                } catch (Exception e) {
                    throw Group.rethrow(e);
                }
            }

            @Override
            public String toString() {
                return task.toString();
            }
        };
    }

    private void enqueue(Greenlet<?> g, Runnable original, Consumer<Greenlet<?>> onEnd) {
        // linked before anyone can start it: a failure of a submitted task always has its receiver
        g.rawlink(onEnd);
        boolean startNow = false, startDispatcher = false;
        lock.lock();
        try {
            if (shutdown) {
                g.unlink(onEnd);
                throw new RejectedExecutionException("the executor of " + pool + " is shut down");
            }
            if (queued.isEmpty() && !dispatching && pool.tryAcquireSlot()) {
                startNow = true;
                active.add(g);
            } else {
                queued.add(new Task(g, original));
                if (!dispatching) dispatching = startDispatcher = true;
            }
        } finally {
            lock.unlock();
        }
        if (startNow) launch(g);
        if (startDispatcher) startDispatcher(g);
    }

    /** Spawns the dispatcher; if the hub refuses (closed), the task that needed it is refused too. */
    private void startDispatcher(Greenlet<?> g) {
        try {
            hub.spawn(this::dispatch);
        } catch (RuntimeException refused) {
            lock.lock();
            try {
                queued.removeIf(t -> t.greenlet() == g);
                dispatching = false; // no dispatcher runs: the next submit starts one
            } finally {
                lock.unlock();
            }
            g.kill(new GreenletExit("its executor could not start it"), false, null);
            throw new RejectedExecutionException("the executor of " + pool + " cannot start a task: " + refused.getMessage(),
                    refused);
        }
    }

    /**
     * Starts {@code g} as a member of the pool; a slot is held. A {@code shutdownNow} that came
     * while it was being started, and did not find it a member, kills it here.
     */
    private void launch(Greenlet<?> g) {
        try {
            pool.trackOrFree(g);
            pool.startTracked(g);
        } catch (IllegalStateException closed) {
            g.kill(new GreenletExit("its pool is closed"), false, null);
            throw new RejectedExecutionException(closed.getMessage(), closed);
        }
        boolean stop;
        lock.lock();
        try {
            stop = stoppedNow;
        } finally {
            lock.unlock();
        }
        if (stop) pool.killOne(g, new GreenletExit("its executor was shut down now"), false, null);
    }

    /** Starts the queued tasks in order, each when a slot frees; ends when the queue is empty. */
    private void dispatch() {
        boolean holding = false, cleared = false;
        lock.lock();
        try {
            dispatcher = Greenlet.current(); // for shutdownNow, which drains the queue first or kills it
        } finally {
            lock.unlock();
        }
        try {
            for (;;) {
                lock.lock();
                try {
                    if (queued.isEmpty()) {
                        dispatching = false;
                        dispatcher = null;
                        cleared = true; // from here a submit may start the next dispatcher
                        break;
                    }
                } finally {
                    lock.unlock();
                }
                pool.acquireSlot(null); // a blocking point; a kill here takes no slot
                holding = true;
                Task t;
                lock.lock();
                try {
                    t = queued.poll();
                    if (t != null) active.add(t.greenlet());
                } finally {
                    lock.unlock();
                }
                if (t == null || t.greenlet().isReady()) { // drained by shutdownNow, or cancelled
                    holding = false;
                    pool.slotFreed();
                    continue;
                }
                holding = false;
                try {
                    launch(t.greenlet());
                } catch (RejectedExecutionException closed) {
                    // the pool was closed under us: the task was killed, its future is cancelled
                }
            }
        } finally {
            if (holding) pool.slotFreed();
            if (!cleared) { // killed (shutdownNow, the hub closing): the next submit starts another
                lock.lock();
                try {
                    dispatching = false;
                    if (dispatcher == Greenlet.current()) dispatcher = null;
                } finally {
                    lock.unlock();
                }
            }
        }
        checkTerminated();
    }

    private void ended(Greenlet<?> g) {
        lock.lock();
        try {
            if (!active.remove(g)) queued.removeIf(t -> t.greenlet() == g); // cancelled while queued
        } finally {
            lock.unlock();
        }
        checkTerminated();
    }

    private void checkTerminated() {
        boolean done;
        lock.lock();
        try {
            done = shutdown && queued.isEmpty() && active.isEmpty();
        } finally {
            lock.unlock();
        }
        if (done && !terminated.isSet()) terminated.set();
    }

    // ---------------------------------------------------------------- shutting down

    @Override
    public void shutdown() {
        lock.lock();
        try {
            shutdown = true;
        } finally {
            lock.unlock();
        }
        checkTerminated();
    }

    @Override
    public List<Runnable> shutdownNow() {
        List<Task> drained;
        List<Greenlet<?>> running;
        Greenlet<?> d;
        lock.lock();
        try {
            shutdown = true;
            stoppedNow = true; // a task being started now is killed by its launch (see launch)
            drained = new ArrayList<>(queued);
            queued.clear();
            running = new ArrayList<>(active);
            d = dispatcher; // it may wait for a slot that never frees (a Pool(0)): it has nothing left to start
        } finally {
            lock.unlock();
        }
        if (d != null) d.kill(new GreenletExit("its executor was shut down now"), false, null);
        List<Runnable> out = new ArrayList<>(drained.size());
        for (Task t : drained) {
            t.greenlet().asFuture().cancel(false); // never runs; its future reports cancelled
            out.add(t.original());
        }
        for (Greenlet<?> g : running) {
            GreenletExit exit = new GreenletExit("its executor was shut down now");
            if (!pool.killOne(g, exit, false, null) && !pool.contains(g)) g.kill(exit, false, null);
        }
        checkTerminated();
        return out;
    }

    @Override
    public boolean isShutdown() {
        lock.lock();
        try {
            return shutdown;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isTerminated() {
        return terminated.isSet();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        Duration d = Duration.ofNanos(unit.toNanos(Math.max(0, timeout)));
        try {
            return terminated.await(d);
        } catch (CancellationException interrupted) {
            throw interruptedOr(interrupted);
        }
    }

    private static InterruptedException interruptedOr(CancellationException e) {
        if (Thread.interrupted()) return new InterruptedException("interrupted while waiting in weft");
        throw e;
    }

    // ---------------------------------------------------------------- invoking

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return invokeAll(tasks, null);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        Objects.requireNonNull(unit, "unit");
        return invokeAll(tasks, Duration.ofNanos(unit.toNanos(Math.max(0, timeout))));
    }

    private <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, Duration timeout)
            throws InterruptedException {
        List<Greenlet<T>> gs = submitAll(tasks);
        List<Future<T>> futures = new ArrayList<>(gs.size());
        for (Greenlet<T> g : gs) futures.add(g.asFuture());
        boolean ok = false;
        try {
            Greenlets.joinAll(gs, timeout);
            ok = true;
        } catch (CancellationException interrupted) {
            throw interruptedOr(interrupted);
        } finally {
            if (!ok) cancelAll(futures); // interrupted or killed: nothing keeps running
        }
        cancelAll(futures); // on expiry, those not done
        return futures;
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, null);
        } catch (TimeoutException cannot) {
            throw new AssertionError(cannot);
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(unit, "unit");
        return invokeAny(tasks, Duration.ofNanos(unit.toNanos(Math.max(0, timeout))));
    }

    private <T> T invokeAny(Collection<? extends Callable<T>> tasks, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        Objects.requireNonNull(tasks, "tasks");
        if (tasks.isEmpty()) throw new IllegalArgumentException("no tasks");
        List<Greenlet<T>> gs = submitAll(tasks);
        List<Future<T>> futures = new ArrayList<>(gs.size());
        for (Greenlet<T> g : gs) futures.add(g.asFuture());
        Throwable last = null;
        int ended = 0;
        try (ReadyIterator<Greenlet<T>> ready = Greenlets.iwait(gs, timeout, gs.size())) {
            while (ready.hasNext()) {
                Greenlet<T> g = ready.next();
                ended++;
                if (g.exception() == null && !g.isKilled()) return g.value();
                last = g.exception() != null ? g.exception() : new CancellationException(g + " was cancelled");
            }
        } catch (CancellationException interrupted) {
            throw interruptedOr(interrupted);
        } finally {
            cancelAll(futures); // the losers (and, on failure or expiry, everyone)
        }
        // the JDK's: a timeout "before any task successfully completes", even if some failed
        if (ended < gs.size()) throw new TimeoutException("no task completed successfully within " + timeout);
        throw new ExecutionException(last);
    }

    private <T> List<Greenlet<T>> submitAll(Collection<? extends Callable<T>> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        for (Callable<T> c : tasks) Objects.requireNonNull(c, "one of the tasks is null");
        List<Greenlet<T>> gs = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> c : tasks) {
                Greenlet<T> g = new Greenlet<>(hub, c);
                enqueue(g, asRunnable(c), endReceived); // shutdownNow hands back what runs it
                gs.add(g);
            }
        } catch (RuntimeException | Error e) {
            for (Greenlet<T> g : gs) g.asFuture().cancel(true);
            throw e;
        }
        return gs;
    }

    private static <T> void cancelAll(List<Future<T>> futures) {
        for (Future<T> f : futures) if (!f.isDone()) f.cancel(true);
    }

    /** How many tasks wait in the queue now (for tests). */
    int queuedCount() {
        lock.lock();
        try {
            return queued.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "ExecutorService view of " + pool + (isShutdown() ? (isTerminated() ? " (terminated)" : " (shut down)") : "");
    }
}
