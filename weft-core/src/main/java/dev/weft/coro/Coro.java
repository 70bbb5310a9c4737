package dev.weft.coro;

import dev.weft.CheckedRunnable;
import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.GreenletFailure;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.Interrupted;
import dev.weft.Outcome;
import dev.weft.Timeout;
import dev.weft.internal.ExternalWake;
import dev.weft.internal.GreenletAccess;
import dev.weft.internal.Suspension;
import dev.weft.internal.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Shrapnel's {@code coro} module functions that are not methods of a greenlet or a hub: strict
 * start, hand scheduling ({@link #suspend()} with {@link Greenlet#resume}), {@link #inParallel},
 * {@link #withTimeout}, sleeping, and {@link #waitpid}. See {@code docs/coro.md} for the whole
 * Shrapnel → weft mapping.
 *
 * {@snippet :
 * Greenlet<String> waiter = Greenlet.spawn(() -> Coro.<String>suspend()); // parks until resumed
 * ...
 * waiter.resume("hello");                                   // suspend() returns "hello" in it
 * List<Integer> sizes = Coro.inParallel(List.of(() -> fetch(a), () -> fetch(b)));
 * }
 *
 * <p>Every blocking method here is a blocking point of the calling greenlet: a kill or an expired
 * {@link Timeout} aimed at it is thrown there.
 */
public final class Coro {
    private Coro() {}

    // ---------------------------------------------------------------- scheduling by hand

    /**
     * Starts {@code greenlet} (Shrapnel's strict {@code start()}): unlike gevent's lenient
     * {@link Greenlet#start()}, starting one that was started (or ended) already is an error.
     *
     * @param greenlet the new greenlet to start
     * @throws DeadCoroutineError (a {@code ScheduleError}) if it has ended: ran to its end, or
     *     was killed or {@link Greenlet#shutdown() shut down} before it ran (Shrapnel's
     *     {@code _schedule} checks {@code dead} first)
     * @throws ScheduleError if it was started already and is alive
     * @throws IllegalStateException if its hub is closed
     * @throws NullPointerException if {@code greenlet} is null
     */
    public static void start(Greenlet<?> greenlet) {
        Objects.requireNonNull(greenlet, "greenlet");
        if (greenlet.isDead()) throw new DeadCoroutineError("cannot start " + greenlet + ": it is dead");
        if (!GreenletAccess.startStrict.test(greenlet)) {
            throw new ScheduleError("cannot start " + greenlet + ": it was started already");
        }
    }

    /**
     * Parks the calling greenlet until another one calls {@link Greenlet#resume(Object)} on it,
     * and returns the value given there (Shrapnel's {@code _yield}). While suspended,
     * {@link Greenlet#isWaiting()} is true and {@link Greenlet#waitingOn()} says so;
     * {@link Greenlet#raiseException} makes this throw; a kill or an expired Timeout ends the
     * suspension like any weft wait (a resume that comes afterwards gets {@code ScheduleError}).
     *
     * @param <V> the type the caller expects (unchecked: the resumer chooses the value)
     * @return the value given to {@code resume}
     * @throws Interrupted a kill or a Timeout of the calling greenlet, or what
     *     {@code raiseException} raised
     */
    @SuppressWarnings("unchecked")
    public static <V> V suspend() {
        return (V) Suspension.suspend(Greenlet.current());
    }

    /**
     * Shrapnel's {@code sleep_relative}: sleeps for {@code delay} on the hub's clock
     * ({@link Greenlets#sleep}).
     *
     * @param delay how long; zero yields
     * @throws IllegalArgumentException if {@code delay} is negative
     * @throws NullPointerException if {@code delay} is null
     */
    public static void sleepRelative(Duration delay) {
        Greenlets.sleep(delay);
    }

    /**
     * Shrapnel's {@code sleep_absolute}: sleeps until the hub's clock reads {@code deadlineNanos}
     * ({@link Greenlets#sleepUntil}; a value of {@link Hub#nanoTime()}).
     *
     * @param deadlineNanos the wake-up time on the current hub's clock
     */
    public static void sleepUntil(long deadlineNanos) {
        Greenlets.sleepUntil(deadlineNanos);
    }

    // ---------------------------------------------------------------- in parallel, with a timeout

    /**
     * Runs every task in its own greenlet of the current hub at once, waits for all of them, and
     * returns their values in input order (Shrapnel's {@code in_parallel}). When any failed, it
     * raises {@link InParallelError} — only after all have finished — carrying each task's
     * {@code SUCCESS} and value or {@code FAILURE} and exception, in input order. A task ended by
     * a kill ({@link GreenletExit}) counts as a {@code FAILURE} with that exit: it produced no
     * value.
     *
     * <p>If the caller is killed or its {@link Timeout} expires while it waits, every task still
     * running is killed and joined before that signal goes on: none is left running. If the
     * caller is told to stop again while it joins them (a second kill, an enclosing timeout), it
     * stops waiting and goes on with a kill rather than a timeout (the other signal is kept as
     * suppressed), so a kill is never turned into a {@link TimeoutError} that a caller may catch.
     *
     * <p>A task's failure is the caller's to see (in the {@link InParallelError}): it is not also
     * reported to the hub's error handler, as Shrapnel's wrapper catches everything.
     *
     * @param tasks the tasks; not null, no null element
     * @param <T> the type of their values
     * @return the values, in input order (a new, modifiable list; may hold nulls)
     * @throws InParallelError if one or more tasks failed
     * @throws NullPointerException if {@code tasks} or one of them is null
     * @throws IllegalStateException if the current hub is closed
     */
    public static <T> List<T> inParallel(List<? extends Callable<? extends T>> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        for (Callable<? extends T> t : tasks) Objects.requireNonNull(t, "a task is null");
        Hub hub = Hub.current();
        List<Greenlet<T>> children = new ArrayList<>(tasks.size());
        try {
            for (Callable<? extends T> t : tasks) {
                Greenlet<T> g = new Greenlet<>(hub, t);
                g.rawlink(RECEIVED); // its failure goes into the result, not to the error handler
                children.add(g);
                g.start();
            }
            for (Greenlet<T> g : children) g.join();
        } catch (Throwable outer) {
            throw rethrow(killAndJoin(children, outer));
        }
        List<InParallelError.Result> results = new ArrayList<>(children.size());
        List<T> values = new ArrayList<>(children.size());
        boolean failed = false;
        for (Greenlet<T> g : children) {
            switch (g.outcome()) {
                case Outcome.Value<T> v -> {
                    results.add(InParallelError.Result.success(v.value()));
                    values.add(v.value());
                }
                case Outcome.Failed<T> f -> {
                    results.add(InParallelError.Result.failure(f.error()));
                    failed = true;
                }
                case Outcome.Killed<T> k -> {
                    results.add(InParallelError.Result.failure(k.exit()));
                    failed = true;
                }
            }
        }
        if (failed) throw new InParallelError(results);
        return values;
    }

    /** A rawlink that receives a child's failure (the result list reports it). */
    private static final java.util.function.Consumer<Greenlet<?>> RECEIVED = g -> {};

    /**
     * Kills every child and waits for each to end, then returns what the caller throws: {@code
     * outer}, or, if another signal comes while it waits, whichever of the two is a kill (a
     * {@link GreenletExit}; the newer one if both or neither are), the other kept as suppressed.
     * That second signal ends the waiting.
     */
    private static Throwable killAndJoin(List<? extends Greenlet<?>> children, Throwable outer) {
        for (Greenlet<?> g : children) g.kill(new GreenletExit("inParallel was interrupted: " + outer), false, null);
        for (Greenlet<?> g : children) {
            try {
                g.join();
            } catch (Interrupted another) {
                if (another == outer) continue;
                boolean keepOuter = outer instanceof GreenletExit && !(another instanceof GreenletExit);
                Throwable thrown = keepOuter ? outer : another;
                thrown.addSuppressed(keepOuter ? another : outer);
                return thrown;
            }
        }
        return outer;
    }

    /** The signal a {@link #withTimeout} expiry travels as, until its own frame turns it into a {@link TimeoutError}. */
    private static final class Expiry extends Interrupted {
        private static final long serialVersionUID = 1L;

        Expiry(Duration delay) {
            super("Coro.withTimeout(" + delay + ") expired (it becomes a TimeoutError at its own frame)");
        }
    }

    /**
     * Calls {@code task}; if it has not returned after {@code delay}, raises
     * {@link TimeoutError} (Shrapnel's {@code with_timeout}). A negative delay counts as 0: the
     * task is interrupted at its first blocking point.
     *
     * <p>Nesting works as in Shrapnel: inside the task, an expiry travels as an internal
     * {@link Interrupted} signal and becomes a {@code TimeoutError} only at the frame of the
     * {@code withTimeout} it belongs to, so an outer expiry passes through an inner
     * {@code withTimeout} — and through a {@code catch (TimeoutError e)} inside it — without being
     * taken for the inner one. Around JDK blocking code the timer interrupts it; if the delay
     * passed and the task then ended with the JDK's exception, the result is the
     * {@code TimeoutError} with that exception attached as suppressed.
     *
     * @param delay how long; negative counts as zero
     * @param task the code to run
     * @param <T> the type of its value
     * @return the task's value
     * @throws TimeoutError this call's own delay passed first
     * @throws GreenletFailure wrapping a checked exception of the task
     * @throws NullPointerException if {@code delay} or {@code task} is null
     */
    public static <T> T withTimeout(Duration delay, Callable<? extends T> task) {
        Objects.requireNonNull(delay, "delay");
        Objects.requireNonNull(task, "task");
        Duration d = delay.isNegative() ? Duration.ZERO : delay;
        Expiry signal = new Expiry(d);
        Timeout mine = Timeout.start(d, signal);
        try {
            return task.call();
        } catch (Throwable t) {
            if (t == signal || (mine.isExpired() && !(t instanceof Interrupted))) {
                TimeoutError e = new TimeoutError(d);
                e.fillInStackTrace();
                if (t != signal) e.addSuppressed(t);
                throw e;
            }
            throw rethrow(t);
        } finally {
            mine.cancel();
        }
    }

    /**
     * {@link #withTimeout(Duration, Callable)} for a task without a value.
     *
     * @param delay how long; negative counts as zero
     * @param task the code to run; a checked exception it throws is wrapped in {@link GreenletFailure}
     * @throws TimeoutError this call's own delay passed first
     * @throws NullPointerException if {@code delay} or {@code task} is null
     */
    public static void withTimeout(Duration delay, CheckedRunnable task) {
        Objects.requireNonNull(task, "task");
        withTimeout(delay, () -> {
            task.runChecked();
            return null;
        });
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        if (t instanceof InterruptedException) Thread.currentThread().interrupt();
        throw new GreenletFailure(t);
    }

    // ---------------------------------------------------------------- processes

    /** Who waits on which pid: a second simultaneous waiter is a {@link SimultaneousError}. */
    private static final ConcurrentHashMap<Long, Greenlet<?>> PID_WAITERS = new ConcurrentHashMap<>();

    /** What a greenlet in {@code waitpid} is parked on: a wake-up from outside the hub. */
    private record ProcessWait(long pid) implements ExternalWake {
        @Override
        public String toString() {
            return "waitpid(" + pid + ")";
        }
    }

    /**
     * Waits cooperatively for the process {@code pid} to exit (Shrapnel's {@code waitpid}): the
     * calling greenlet parks in weft's waiting core, its carrier stays free. The JDK reports no
     * exit status for a process it did not start, so {@link ProcessExit#status()} is empty; use
     * {@link #waitpid(Process)} for one this JVM started. A pid with no live process returns at
     * once; the JVM's own pid waits until a kill or Timeout ends the wait. A kill or Timeout while waiting ends the wait and leaves the process alone.
     *
     * <p>On a simulated hub, the wait is for a real process: the hub waits for it in real time
     * (a strict simulated hub refuses, as for JDK I/O).
     *
     * @param pid the process id
     * @return {@code (pid, empty status)} once it has exited
     * @throws IllegalArgumentException if {@code pid} is not positive (Shrapnel's
     *     {@code os.waitpid} takes 0 and -1 as "any child", which the JDK cannot wait for)
     * @throws SimultaneousError if another greenlet is waiting on {@code pid} already
     */
    public static ProcessExit waitpid(long pid) {
        if (pid <= 0) throw new IllegalArgumentException("waitpid needs a process id above 0, not " + pid);
        if (pid == ProcessHandle.current().pid()) { // it never exits while we wait (the JDK refuses onExit)
            return await(pid, new CompletableFuture<>(), OptionalInt::empty);
        }
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        if (h == null) return new ProcessExit(pid, OptionalInt.empty());
        return await(pid, h.onExit(), OptionalInt::empty);
    }

    /**
     * Waits cooperatively for {@code process} to exit and returns its pid and exit value.
     *
     * @param process a process this JVM started
     * @return {@code (pid, exit value)}
     * @throws SimultaneousError if another greenlet is waiting on the same pid already
     * @throws NullPointerException if {@code process} is null
     */
    public static ProcessExit waitpid(Process process) {
        Objects.requireNonNull(process, "process");
        return await(process.pid(), process.onExit(), () -> OptionalInt.of(process.exitValue()));
    }

    private static ProcessExit await(long pid, CompletableFuture<?> exit, Supplier<OptionalInt> status) {
        Greenlet<?> me = Greenlet.current();
        Greenlet<?> other = PID_WAITERS.putIfAbsent(pid, me);
        if (other != null) throw new SimultaneousError(me, other, pid);
        try {
            if (!exit.isDone()) {
                Waiter w = new Waiter(me, false, new ProcessWait(pid));
                // the JDK's exit future is shared by every wait on the pid and keeps its callbacks
                // until the process exits: a wait cut short (a kill, a Timeout) lets go of its
                // waiter and greenlet, leaving only this small holder behind
                java.util.concurrent.atomic.AtomicReference<Waiter> holder = new java.util.concurrent.atomic.AtomicReference<>(w);
                exit.whenComplete((v, e) -> {
                    Waiter x = holder.get();
                    if (x != null) x.offer(Boolean.TRUE); // on a JDK thread: wakes us
                });
                try {
                    w.await(Waiter.NO_DEADLINE);
                } finally {
                    holder.set(null);
                }
            }
            return new ProcessExit(pid, status.get());
        } finally {
            PID_WAITERS.remove(pid, me);
        }
    }
}
