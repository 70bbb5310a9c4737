package dev.weft;

import dev.weft.internal.SignalQueue;
import dev.weft.internal.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * gevent's top-level functions that are not methods of one greenlet: sleeping and yielding,
 * waiting on many objects, joining and killing many greenlets, running with a timeout.
 *
 * <p>Each is a blocking point of the calling greenlet: a kill or an expired {@link Timeout}
 * aimed at it is thrown there. They work on any thread (a thread weft did not start has an
 * adopted greenlet). Time is the hub's clock.
 */
public final class Greenlets {
    private Greenlets() {}

    /**
     * Sleeps for {@code duration} on the current hub's clock. {@link Duration#ZERO} yields
     * instead (see {@link #yieldNow()}).
     *
     * @param duration how long, on the current hub's clock (virtual time on a simulated hub)
     * @throws IllegalArgumentException if {@code duration} is negative
     * @throws NullPointerException if {@code duration} is null
     */
    public static void sleep(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) throw new IllegalArgumentException("negative duration: " + duration);
        if (duration.isZero()) {
            yieldNow();
            return;
        }
        Greenlet<?> me = Greenlet.current();
        new Waiter(me, false, "sleep").await(Waiter.deadline(me, duration));
    }

    /**
     * Sleeps until the current hub's clock reads {@code deadlineNanos} (a value of
     * {@link Hub#nanoTime()}, not of {@link System#nanoTime()}). Returns at once if it has passed.
     *
     * @param deadlineNanos the wake-up time in nanoseconds on the current hub's clock, such as
     *     {@code Hub.current().nanoTime() + period}
     */
    public static void sleepUntil(long deadlineNanos) {
        Greenlet<?> me = Greenlet.current();
        new Waiter(me, false, "sleepUntil").await(deadlineNanos == Waiter.NO_DEADLINE ? deadlineNanos - 1 : deadlineNanos);
    }

    /**
     * Lets other greenlets run, then throws a signal queued for the current greenlet, if any
     * (gevent's {@code sleep(0)}, Shrapnel's {@code yield_slice}).
     */
    public static void yieldNow() {
        Greenlet<?> me = Greenlet.current();
        Thread.yield();
        SignalQueue.deliverPending(me);
    }

    /**
     * Waits until the event loop would be idle (gevent's {@code idle()}): on a single-carrier
     * hub, yields until no other greenlet is ready to run. On the parallel hub, where greenlets
     * run on every core and there is no loop to drain, it yields once, like {@link #yieldNow()}.
     */
    public static void idle() {
        Hub hub = Hub.current();
        do {
            yieldNow();
        } while (hub.hasReadyGreenlets());
    }

    /**
     * Starts {@code task} in a new greenlet of the current hub without returning a handle
     * (gevent's {@code spawn_raw}): for fire-and-forget work. A failure goes to the hub's error
     * handler.
     *
     * @param task what to run
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the current hub is closed
     */
    public static void spawnRaw(Runnable task) {
        Hub.current().spawn(task);
    }

    /**
     * Kills {@code greenlet} with {@code exception} without waiting (gevent's {@code kill}):
     * {@code greenlet.kill(exception, false, null)}.
     *
     * @param greenlet the greenlet to kill
     * @param exception what to raise in it; must be unchecked. A {@link GreenletExit} ends it
     *     successfully, another exception ends it as a failure
     * @return true if a signal was queued or the unstarted greenlet was ended; false if it had
     *     finished already
     * @throws IllegalArgumentException if {@code exception} is a checked exception
     * @throws NullPointerException if {@code greenlet} or {@code exception} is null
     */
    public static boolean kill(Greenlet<?> greenlet, Throwable exception) {
        return Objects.requireNonNull(greenlet, "greenlet").kill(exception, false, null);
    }

    /**
     * Waits until every object in {@code objects} is ready; returns them in ready order.
     *
     * @param objects greenlets, events, results — anything {@link Linkable}
     * @param <T> the type of the objects
     * @return all the objects, in the order they became ready
     * @throws NullPointerException if {@code objects} or one of them is null
     */
    public static <T extends Linkable<?>> List<T> wait(Collection<? extends T> objects) {
        return wait(objects, null, Integer.MAX_VALUE);
    }

    /**
     * Waits at most {@code timeout} for every object; returns those ready, in ready order.
     * Never throws on expiry.
     *
     * @param objects greenlets, events, results — anything {@link Linkable}
     * @param timeout at most this long; {@code null}: no limit
     * @param <T> the type of the objects
     * @return the objects that became ready, in the order they did (a partial list on timeout)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws NullPointerException if {@code objects} or one of them is null
     */
    public static <T extends Linkable<?>> List<T> wait(Collection<? extends T> objects, Duration timeout) {
        return wait(objects, timeout, Integer.MAX_VALUE);
    }

    /**
     * Waits until {@code count} of {@code objects} are ready, or {@code timeout} passes
     * (gevent's {@code wait(objects, timeout, count)}). Never throws on expiry.
     *
     * @param objects greenlets, events, results — anything {@link Linkable}
     * @param timeout at most this long; {@code null}: no limit
     * @param count how many to wait for (more than the objects means all)
     * @param <T> the type of the objects
     * @return the objects that became ready, in the order they did (a partial list on timeout)
     * @throws IllegalArgumentException if {@code count} or {@code timeout} is negative
     */
    public static <T extends Linkable<?>> List<T> wait(Collection<? extends T> objects, Duration timeout, int count) {
        List<T> out = new ArrayList<>();
        try (ReadyIterator<T> it = iwait(objects, timeout, count)) {
            while (it.hasNext()) out.add(it.next());
        }
        return out;
    }

    /**
     * Iterates over {@code objects} in the order they become ready. Close the iterator if you
     * stop early.
     *
     * @param objects greenlets, events, results — anything {@link Linkable}
     * @param <T> the type of the objects
     * @return an iterator that waits for, and returns, each object as it becomes ready
     * @throws NullPointerException if {@code objects} or one of them is null
     */
    public static <T extends Linkable<?>> ReadyIterator<T> iwait(Collection<? extends T> objects) {
        return iwait(objects, null, Integer.MAX_VALUE);
    }

    /**
     * Iterates over {@code objects} as they become ready, until {@code count} were returned or
     * {@code timeout} passed (gevent's {@code iwait}). Close the iterator if you stop early.
     *
     * @param objects greenlets, events, results — anything {@link Linkable}
     * @param timeout at most this long, from this call; {@code null}: no limit. Expiry ends the
     *     iteration, without an error
     * @param count how many to return (more than the objects means all)
     * @param <T> the type of the objects
     * @return an iterator that waits for, and returns, each object as it becomes ready
     * @throws IllegalArgumentException if {@code count} or {@code timeout} is negative
     * @throws NullPointerException if {@code objects} or one of them is null
     */
    public static <T extends Linkable<?>> ReadyIterator<T> iwait(Collection<? extends T> objects, Duration timeout, int count) {
        return iwait(objects, timeout, count, false);
    }

    private static <T extends Linkable<?>> ReadyIterator<T> iwait(Collection<? extends T> objects, Duration timeout,
            int count, boolean receives) {
        Objects.requireNonNull(objects, "objects");
        if (count < 0) throw new IllegalArgumentException("negative count: " + count);
        List<T> list = new ArrayList<>(objects.size());
        for (T o : objects) list.add(Objects.requireNonNull(o, "one of the objects is null"));
        long deadline = Waiter.deadline(Greenlet.current(), timeout);
        return new ReadyIterator<>(list, deadline, count, receives);
    }

    /**
     * Waits for every greenlet to finish; returns them in the order they finished.
     *
     * @param greenlets the greenlets (one listed twice counts once)
     * @param <G> the greenlets' type
     * @return every greenlet, once, in the order they finished
     * @throws NullPointerException if {@code greenlets} or one of them is null
     */
    public static <G extends Greenlet<?>> List<G> joinAll(Collection<? extends G> greenlets) {
        return joinAll(greenlets, null, false, Integer.MAX_VALUE);
    }

    /**
     * Waits for {@code greenlets} to finish (gevent's {@code joinall}). A greenlet listed twice
     * counts once.
     *
     * @param greenlets the greenlets to wait for
     * @param timeout at most this long; {@code null}: no limit. Expiry is not an error
     * @param raiseError if true, stop at the first failure <em>in time</em> (not in list order)
     *     and rethrow it as {@link Greenlet#get()} would
     * @param count stop after this many finished (more than the greenlets means all)
     * @param <G> the greenlets' type
     * @return the greenlets that finished, in the order they finished
     * @throws IllegalArgumentException if {@code count} or {@code timeout} is negative
     * @throws NullPointerException if {@code greenlets} or one of them is null
     */
    public static <G extends Greenlet<?>> List<G> joinAll(Collection<? extends G> greenlets, Duration timeout,
            boolean raiseError, int count) {
        List<G> distinct = distinct(greenlets);
        List<G> done = new ArrayList<>();
        try (ReadyIterator<G> it = iwait(distinct, timeout, count, raiseError)) {
            while (it.hasNext()) {
                G g = it.next();
                done.add(g);
                if (raiseError && g.exception() != null) g.getNow(); // rethrows the failure
            }
        }
        return done;
    }

    /**
     * Waits at most {@code timeout} for every greenlet to finish; expiry is not an error.
     *
     * @param greenlets the greenlets (one listed twice counts once)
     * @param timeout at most this long; {@code null}: no limit
     * @param <G> the greenlets' type
     * @return the greenlets that finished, in the order they finished
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static <G extends Greenlet<?>> List<G> joinAll(Collection<? extends G> greenlets, Duration timeout) {
        return joinAll(greenlets, timeout, false, Integer.MAX_VALUE);
    }

    /**
     * Kills every greenlet with a new {@link GreenletExit} each and waits at most
     * {@code timeout} for them to die.
     *
     * @param greenlets the greenlets (one listed twice is killed once)
     * @param timeout at most this long; {@code null}: no limit
     * @return true if all have died
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public static boolean killAll(Collection<? extends Greenlet<?>> greenlets, Duration timeout) {
        List<? extends Greenlet<?>> distinct = distinct(greenlets);
        long deadline = Waiter.deadline(Greenlet.current(), timeout); // validates timeout first
        for (Greenlet<?> g : distinct) g.kill(new GreenletExit(), false, null);
        if (deadline == Waiter.NO_DEADLINE) return joinAll(distinct).size() == distinct.size();
        return joinAll(distinct, timeout).size() == distinct.size();
    }

    /**
     * Kills every greenlet with a new {@link GreenletExit} each and waits for them to die.
     *
     * @param greenlets the greenlets (one listed twice is killed once)
     * @throws NullPointerException if {@code greenlets} or one of them is null
     */
    public static void killAll(Collection<? extends Greenlet<?>> greenlets) {
        List<? extends Greenlet<?>> distinct = distinct(greenlets);
        for (Greenlet<?> g : distinct) g.kill(new GreenletExit(), false, null);
        joinAll(distinct);
    }

    /**
     * Raises {@code exception} in every greenlet (gevent's {@code killall}): ones not started yet
     * die at once without running; running ones get it at their next blocking point. Each
     * greenlet gets its own signal (the same instance).
     *
     * @param greenlets the greenlets (one listed twice is killed once)
     * @param exception what to raise; must be unchecked. A {@link GreenletExit} ends each
     *     successfully, another exception ends each as a failure
     * @param block wait until all have died, at most {@code timeout}
     * @param timeout how long to wait when blocking; {@code null}: no limit
     * @throws Timeout if blocking with a timeout and some greenlet is still alive when it passes
     * @throws IllegalArgumentException if {@code exception} is checked or {@code timeout} negative
     * @throws NullPointerException if {@code greenlets}, one of them, or {@code exception} is null
     */
    public static void killAll(Collection<? extends Greenlet<?>> greenlets, Throwable exception, boolean block,
            Duration timeout) {
        Objects.requireNonNull(exception, "exception");
        Greenlet.checkUnchecked(exception);
        List<? extends Greenlet<?>> distinct = distinct(greenlets);
        long deadline = Waiter.deadline(Greenlet.current(), timeout); // validates timeout first
        for (Greenlet<?> g : distinct) g.kill(exception, false, null);
        if (!block) return;
        List<? extends Greenlet<?>> dead = joinAll(distinct, timeout, false, Integer.MAX_VALUE);
        if (dead.size() < distinct.size() && deadline != Waiter.NO_DEADLINE) {
            Timeout t = new Timeout(timeout);
            t.fillInStackTrace();
            throw t;
        }
    }

    private static <G> List<G> distinct(Collection<? extends G> items) {
        Objects.requireNonNull(items, "greenlets");
        IdentityHashMap<G, Boolean> seen = new IdentityHashMap<>();
        List<G> out = new ArrayList<>(items.size());
        for (G g : items) {
            Objects.requireNonNull(g, "one of the greenlets is null");
            if (seen.put(g, Boolean.TRUE) == null) out.add(g);
        }
        return out;
    }

    /**
     * Calls {@code task} under a {@link Timeout} of {@code timeout} (gevent's
     * {@code with_timeout}); the timeout is raised if it passes first. Around JDK blocking code
     * the timer interrupts it: if the timeout expired and {@code task} then ended with any
     * exception ({@code InterruptedException}, a closed socket…), the Timeout is thrown, the very
     * instance, with that exception attached as suppressed.
     *
     * @param timeout how long; {@code null}: no limit
     * @param task the code to run
     * @param <T> the type of its value
     * @return the task's value
     * @throws Timeout this call's own timeout, when it expires
     * @throws GreenletFailure wrapping a checked exception of the task
     */
    public static <T> T withTimeout(Duration timeout, Callable<? extends T> task) {
        Objects.requireNonNull(task, "task");
        Timeout mine = Timeout.start(timeout);
        try {
            return task.call();
        } catch (Throwable t) {
            if (mine.endedBy(t)) throw SignalQueue.sneakyThrow(mine.raised());
            throw rethrow(t);
        } finally {
            mine.cancel();
        }
    }

    /**
     * {@link #withTimeout(Duration, Callable)} for a task without a value.
     *
     * @param timeout how long; {@code null}: no limit
     * @param task the code to run
     * @throws Timeout this call's own timeout, when it expires
     */
    public static void withTimeout(Duration timeout, CheckedRunnable task) {
        Objects.requireNonNull(task, "task");
        withTimeout(timeout, () -> {
            task.runChecked();
            return null;
        });
    }

    /**
     * {@link #withTimeout(Duration, Callable)} for a {@link Runnable}.
     *
     * @param timeout how long; {@code null}: no limit
     * @param task the code to run
     * @throws Timeout this call's own timeout, when it expires
     */
    public static void withTimeout(Duration timeout, Runnable task) {
        Objects.requireNonNull(task, "task");
        withTimeout(timeout, () -> {
            task.run();
            return null;
        });
    }

    /**
     * Calls {@code task} under a timeout; returns {@code fallback} if this call's own timeout
     * ended it (gevent's {@code timeout_value}) — also when the timer interrupted JDK blocking
     * code and {@code task} ended with what that code threw. An outer timeout or a kill passes
     * through.
     *
     * @param timeout how long; {@code null}: no limit
     * @param task the code to run
     * @param fallback what to return if this call's timeout ended the task
     * @param <T> the type of the value
     * @return the task's value, or {@code fallback}
     * @throws GreenletFailure wrapping a checked exception of the task
     */
    public static <T> T withTimeout(Duration timeout, Callable<? extends T> task, T fallback) {
        Objects.requireNonNull(task, "task");
        Timeout mine = Timeout.start(timeout);
        try {
            return task.call();
        } catch (Throwable t) {
            if (mine.endedBy(t)) return fallback;
            throw rethrow(t);
        } finally {
            mine.cancel();
        }
    }

    /** Rethrows {@code t}: unchecked as is, checked wrapped in {@link GreenletFailure}. */
    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        if (t instanceof InterruptedException) Thread.currentThread().interrupt();
        throw new GreenletFailure(t);
    }
}
