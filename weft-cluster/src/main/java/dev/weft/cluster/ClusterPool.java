package dev.weft.cluster;

import com.hazelcast.core.HazelcastInstance;
import dev.weft.CheckedRunnable;
import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.Interrupted;
import dev.weft.Timeout;
import dev.weft.pool.CheckedFunction;
import dev.weft.pool.GreenletFactory;
import dev.weft.pool.MapIterator;
import dev.weft.pool.MapOptions;
import dev.weft.pool.Pool;
import dev.weft.sync.AsyncResult;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * A {@link Pool} whose greenlets run on other machines: a Hazelcast cluster (or any
 * {@link ClusterBackend}). The whole Pool surface — {@code spawn}, {@code apply*},
 * {@code map*}, {@code imap}, {@code imapUnordered}, {@code join}, {@code kill},
 * {@code freeCount}, {@code size} — is the Pool's own code; only what a member greenlet runs
 * differs.
 *
 * {@snippet :
 * HazelcastInstance hz = Hazelcast.newHazelcastInstance(new MemberConfig("my-app").build());
 * ClusterPool pool = ClusterPool.on(hz, 64);                 // was: new Pool(64)
 * List<Integer> lengths = pool.map(url -> fetch(url).length(), urls);   // runs on the members
 * }
 *
 * <h2>The stand-in greenlet</h2>
 * {@code spawn} serialises the task at once (a task that does not serialise is an
 * {@link IllegalArgumentException} at the call site, before any wait), takes a permit of the pool
 * (waiting while {@code size} tasks are out), and returns a <em>local stand-in</em>: a greenlet of the caller's hub that submits
 * the task, parks on an {@link AsyncResult} completed by the engine's callback (never blocking a
 * carrier on an engine future), and ends with the task's value, its failure (the remote exception
 * itself if its class deserialises here), or a kill. Links, {@code get(Duration)}, {@code iwait}
 * and groups work on it unchanged.
 *
 * <ul>
 * <li>Killing the stand-in (or a {@link Timeout} in it: the map's item timeout, the pool's
 *     {@link #taskTimeout}) cancels the task on its member with {@code cancel(true)}: the
 *     member-side greenlet is killed. The stand-in ends, and its permit returns, when the cancel
 *     is <em>sent</em>, not when the remote task has stopped: a task slow to die (or one the
 *     cancel reaches before it is registered on its member) may still run there for a while, so
 *     kill/resubmit cycles can have more than {@code size} tasks running on the members. The
 *     member's executor thread stays with a cancelled task until it ends, for at most a
 *     grace of 5 seconds, which keeps each member's {@code poolSize} bound for tasks
 *     that die within it.</li>
 * <li>The member runs the task as a greenlet of a local hub under a {@link Timeout} set to what
 *     is left of the task timeout, so an orphaned task stops even if its caller died.</li>
 * <li>A task that provably never started (its member's executor queue was full, the member was
 *     gone before it was sent) is resubmitted to another member; after a round of refusals it
 *     backs off, and gives up with a {@link RejectedExecutionException} after
 *     {@link #overloadTimeout}.</li>
 * <li>A member lost while it held the task (it may or may not have run it) fails the stand-in
 *     with {@link MemberLost} — at-most-once — unless {@link #retry(int)} allows resubmissions
 *     (at-least-once: for idempotent tasks).</li>
 * </ul>
 *
 * <h2>Tasks</h2>
 * A task is any {@link Serializable} {@code Callable}, {@code Runnable} or {@code CheckedRunnable};
 * a map function any {@code Serializable} {@link CheckedFunction}. A lambda is serialisable only
 * when its target type is, so this class adds overloads taking {@link Task} and {@link Function}:
 * {@code pool.spawn(() -> work(x))} and {@code pool.imap(x -> f(x), items)} pick them and compile
 * to serialisable lambdas. A lambda travels as its capturing class's name plus its captured
 * values: the members must run the same build of that class (see {@code docs/cluster.md}).
 * Values, items and failures travel by Java serialisation, through an allow-list
 * ({@link MemberConfig#allow}).
 *
 * <p>{@code add}/{@code start} of a greenlet made elsewhere track it as a member (it takes a
 * permit) but it runs where it was made, locally; {@code apply} called by such a member still
 * runs its task on a member of the cluster (under the caller's permit), never inline.
 * {@link #asExecutorService()} is not supported.
 *
 * <h2>Hubs</h2>
 * A caller on a {@code Hub.simulated} hub is refused ({@link IllegalStateException}): the
 * engine's completions come from outside the simulation. {@link InProcessBackend} runs the
 * tasks in the caller's hub, through serialisation, so simulated-hub tests of code using a
 * {@code ClusterPool} stay deterministic.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public class ClusterPool extends Pool {
    /*
     * Overview (for maintainers). A Pool whose GreenletFactory (StandInFactory) turns each task
     * into a StandIn body: Pool/Group do admission (the permit), membership, joins and kills as
     * for any member. The map family reaches the factory through Group.mapItemTasks, which we
     * override to serialise the function once per map and ship each item beside it (MapItem).
     * The Runnable overloads are wrapped in a serialisable RunTask before Group makes them
     * Callables. Every entry point (spawn, apply, applyAsync, with or without callback) ships
     * (serialises) the task before Group may wait for a permit; apply from a local member runs
     * the stand-in body in the caller instead of Group's inline local run. StandIn.call loops over submissions: NotStarted → next member (backing off after
     * a round), Lost → MemberLost or a retry, Done → decode. Tests: ClusterPoolSimulatedTest
     * (semantics, on InProcessBackend), ClusterPoolHazelcastTest (in-JVM members),
     * ClusterMultiJvmTest (member JVMs).
     */

    /**
     * A task for the cluster: a {@code Callable} that is {@link Serializable}, so a lambda
     * written where a {@code Task} is expected is serialisable.
     *
     * @param <T> its value's type
     */
    @FunctionalInterface
    public interface Task<T> extends Callable<T>, Serializable {}

    /**
     * A void task for the cluster: a {@code CheckedRunnable} that is {@link Serializable}.
     */
    @FunctionalInterface
    public interface VoidTask extends CheckedRunnable, Serializable {}

    /**
     * A map function for the cluster: a {@link CheckedFunction} that is {@link Serializable}.
     *
     * @param <I> the item type
     * @param <R> the result type
     */
    @FunctionalInterface
    public interface Function<I, R> extends CheckedFunction<I, R>, Serializable {}

    private final ClusterBackend backend;
    private final TaskCodec codec;
    private volatile int retries;
    private volatile Duration taskTimeout;
    private volatile Duration overloadTimeout = Duration.ofSeconds(30);
    private final java.util.concurrent.atomic.LongAdder resubmitted = new java.util.concurrent.atomic.LongAdder();

    /**
     * A pool of {@code size} permits whose tasks run through {@code backend}.
     *
     * @param size how many tasks may be out at once (at least 0)
     * @param backend the engine
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public ClusterPool(int size, ClusterBackend backend) {
        this(size, Objects.requireNonNull(backend, "backend"), new StandInFactory());
    }

    @SuppressWarnings("this-escape") // the factory is used only once the pool is built
    private ClusterPool(int size, ClusterBackend backend, StandInFactory factory) {
        super(size, factory);
        this.backend = backend;
        this.codec = new TaskCodec(backend.allowList());
        factory.pool = this;
    }

    /**
     * A pool of {@code size} permits on the Hazelcast cluster of {@code instance} (a member or a
     * lite member configured by {@link MemberConfig}).
     *
     * @param instance the caller's Hazelcast instance
     * @param size how many tasks may be out at once
     * @return the pool
     */
    public static ClusterPool on(HazelcastInstance instance, int size) {
        return new ClusterPool(size, new HazelcastBackend(instance));
    }

    /**
     * Allows up to {@code n} resubmissions of a task whose member was lost while it held it:
     * at-least-once, for idempotent tasks (default 0: at-most-once, the stand-in fails with
     * {@link MemberLost}). Applies to tasks spawned and maps started from now on: a map reads it
     * once, when it starts, so all its items have the same guarantee.
     *
     * @param n at least 0
     * @return this
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public ClusterPool retry(int n) {
        if (n < 0) throw new IllegalArgumentException("retries must not be negative: " + n);
        this.retries = n;
        return this;
    }

    /**
     * The resubmissions allowed after a member loss.
     *
     * @return what {@link #retry(int)} set, 0 by default
     */
    public int retries() {
        return retries;
    }

    /**
     * A time limit for every task (a map's item timeout overrides it): the stand-in times out
     * locally (a {@link Timeout}, and the task is cancelled on its member) and the member runs
     * the task under a Timeout of what is left, so an orphaned task stops too.
     *
     * @param timeout the limit, or null for none (the default)
     * @return this
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public ClusterPool taskTimeout(Duration timeout) {
        if (timeout != null && timeout.isNegative()) throw new IllegalArgumentException("negative timeout: " + timeout);
        this.taskTimeout = timeout;
        return this;
    }

    /**
     * How long a task that no member accepts (every executor queue full) keeps being
     * resubmitted, with back-off, before it fails with a {@link RejectedExecutionException}.
     *
     * @param timeout at least zero (default 30 s); one too long for a long of nanoseconds means
     *     no limit
     * @return this
     * @throws NullPointerException if {@code timeout} is null
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public ClusterPool overloadTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative()) throw new IllegalArgumentException("negative timeout: " + timeout);
        this.overloadTimeout = timeout;
        return this;
    }

    /**
     * How many times a task was sent again: after a refusal (it never started) or, with
     * {@link #retry(int)}, after a member loss.
     *
     * @return the resubmissions so far
     */
    public long resubmissions() {
        return resubmitted.sum();
    }

    /**
     * The engine under this pool.
     *
     * @return the backend given at construction
     */
    public ClusterBackend backend() {
        return backend;
    }

    // ---------------------------------------------------------------- serialisable overloads

    /**
     * {@link #spawn(Callable)} for a {@link Task}: a lambda written here is serialisable.
     *
     * @param task what to run on a member
     * @param <T> its value's type
     * @return the started stand-in
     * @throws IllegalArgumentException if the task does not serialise
     * @throws IllegalStateException on a simulated hub (unless the backend allows it), or if the
     *     pool was closed
     */
    public <T> Greenlet<T> spawn(Task<? extends T> task) {
        return spawn((Callable<? extends T>) task);
    }

    /**
     * {@inheritDoc} The task must be {@link Serializable}: it is serialised here, at the call,
     * before a permit is taken.
     *
     * @throws IllegalArgumentException if the task does not serialise
     * @throws IllegalStateException on a simulated hub (unless the backend allows it)
     */
    @Override
    public <T> Greenlet<T> spawn(Callable<? extends T> task) {
        return super.spawn(ship(task));
    }

    /**
     * {@link #spawn(CheckedRunnable)} for a {@link VoidTask}: a lambda written here is serialisable.
     *
     * @param task what to run on a member
     * @return the started stand-in
     * @throws IllegalArgumentException if the task does not serialise
     */
    public Greenlet<Void> spawn(VoidTask task) {
        return spawn((CheckedRunnable) task);
    }

    /** {@inheritDoc} The task must be {@link Serializable}. */
    @Override
    public Greenlet<Void> spawn(Runnable task) {
        Objects.requireNonNull(task, "task");
        return spawn((Callable<Void>) new RunTask(task));
    }

    /** {@inheritDoc} The task must be {@link Serializable}. */
    @Override
    public Greenlet<Void> spawn(CheckedRunnable task) {
        Objects.requireNonNull(task, "task");
        return spawn((Callable<Void>) new RunTask(task));
    }

    /**
     * {@link #apply(Callable)} for a {@link Task}: a lambda written here is serialisable.
     *
     * @param task what to run on a member
     * @param <T> its value's type
     * @return its value
     * @throws IllegalArgumentException if the task does not serialise
     */
    public <T> T apply(Task<? extends T> task) {
        return apply((Callable<? extends T>) task);
    }

    /**
     * {@inheritDoc} The task must be {@link Serializable}: it is serialised here, at the call,
     * before a permit is waited for. Unlike a plain {@code Pool}, a caller that is a member of
     * this pool (a local greenlet added with {@code add}/{@code start}) does not run the task
     * inline on its own machine: it submits it to a member itself and waits for it, under the
     * permit it holds already (so a full pool cannot deadlock on it).
     *
     * @throws IllegalArgumentException if the task does not serialise
     * @throws IllegalStateException on a simulated hub (unless the backend allows it)
     */
    @Override
    public <T> T apply(Callable<? extends T> task) {
        Callable<T> shipped = ship(task);
        if (contains(Greenlet.current())) {
            try {
                return standIn(shipped).call();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new dev.weft.GreenletFailure(e); // as apply's greenlet would rethrow it
            }
        }
        return super.apply(shipped);
    }

    /**
     * {@link #apply(CheckedRunnable)} for a {@link VoidTask}: a lambda written here is
     * serialisable.
     *
     * @param task what to run on a member
     * @throws IllegalArgumentException if the task does not serialise
     */
    public void apply(VoidTask task) {
        apply((CheckedRunnable) task);
    }

    /**
     * {@inheritDoc} The task must be {@link Serializable}: serialised at the call, as
     * {@link #apply(Callable)}.
     *
     * @throws IllegalArgumentException if the task does not serialise
     */
    @Override
    public void apply(Runnable task) {
        Objects.requireNonNull(task, "task");
        apply((Callable<Void>) new RunTask(task));
    }

    /**
     * {@inheritDoc} The task must be {@link Serializable}: serialised at the call, as
     * {@link #apply(Callable)}.
     *
     * @throws IllegalArgumentException if the task does not serialise
     */
    @Override
    public void apply(CheckedRunnable task) {
        Objects.requireNonNull(task, "task");
        apply((Callable<Void>) new RunTask(task));
    }

    /**
     * {@link #applyCb(Callable, Consumer)} for a {@link Task}: a lambda written here is
     * serialisable.
     *
     * @param task what to run on a member
     * @param callback given the value, or null for none
     * @param <T> its value's type
     * @return its value
     * @throws IllegalArgumentException if the task does not serialise
     */
    public <T> T applyCb(Task<? extends T> task, Consumer<? super T> callback) {
        return applyCb((Callable<? extends T>) task, callback);
    }

    /**
     * {@link #applyAsync(Callable)} for a {@link Task}.
     *
     * @param task what to run on a member
     * @param <T> its value's type
     * @return a greenlet whose value is the task's
     */
    public <T> Greenlet<T> applyAsync(Task<? extends T> task) {
        return applyAsync((Callable<? extends T>) task);
    }

    /** {@inheritDoc} The task must be {@link Serializable}: checked here, at the call. */
    @Override
    public <T> Greenlet<T> applyAsync(Callable<? extends T> task) {
        return super.applyAsync(ship(task)); // the error at the call site, also when the pool is full
    }

    /** {@inheritDoc} The task must be {@link Serializable}. */
    @Override
    public Greenlet<Void> applyAsync(Runnable task) {
        Objects.requireNonNull(task, "task");
        return applyAsync((Callable<Void>) new RunTask(task));
    }

    /** {@inheritDoc} The task must be {@link Serializable}. */
    @Override
    public Greenlet<Void> applyAsync(CheckedRunnable task) {
        return applyAsync((Runnable) task);
    }

    /**
     * {@link #applyAsync(CheckedRunnable)} for a {@link VoidTask}: a lambda written here is
     * serialisable.
     *
     * @param task what to run on a member
     * @return its greenlet
     * @throws IllegalArgumentException if the task does not serialise
     */
    public Greenlet<Void> applyAsync(VoidTask task) {
        return applyAsync((CheckedRunnable) task);
    }

    /**
     * {@link #spawnAsync(Callable)} for a {@link Task}: a lambda written here is serialisable.
     *
     * @param task what to run on a member
     * @param <T> its value's type
     * @return a greenlet whose value is the task's
     * @throws IllegalArgumentException if the task does not serialise
     */
    public <T> Greenlet<T> spawnAsync(Task<? extends T> task) {
        return applyAsync((Callable<? extends T>) task);
    }

    /**
     * {@link #spawnAsync(CheckedRunnable)} for a {@link VoidTask}: a lambda written here is
     * serialisable.
     *
     * @param task what to run on a member
     * @return its greenlet
     * @throws IllegalArgumentException if the task does not serialise
     */
    public Greenlet<Void> spawnAsync(VoidTask task) {
        return applyAsync((CheckedRunnable) task);
    }

    /**
     * {@link #applyAsync(Callable, Consumer)} for a {@link Task}: a lambda written here is
     * serialisable.
     *
     * @param task what to run on a member
     * @param callback given the value
     * @param <T> its value's type
     * @return the task's greenlet
     * @throws IllegalArgumentException if the task does not serialise
     */
    public <T> Greenlet<T> applyAsync(Task<? extends T> task, Consumer<? super T> callback) {
        return applyAsync((Callable<? extends T>) task, callback);
    }

    /**
     * {@inheritDoc} The task must be {@link Serializable}: checked here, at the call, also when
     * the pool is full.
     *
     * @throws IllegalArgumentException if the task does not serialise
     */
    @Override
    public <T> Greenlet<T> applyAsync(Callable<? extends T> task, Consumer<? super T> callback) {
        return super.applyAsync(ship(task), callback);
    }

    /**
     * {@link #map(CheckedFunction, Iterable)} for a {@link Function}: a lambda written here is
     * serialisable.
     *
     * @param fn the function, run on the members
     * @param input the items (each must serialise)
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <I, R> List<R> map(Function<? super I, ? extends R> fn, Iterable<? extends I> input) {
        return super.map(fn, input);
    }

    /**
     * {@link #map(CheckedFunction, Iterable, MapOptions)} for a {@link Function}.
     *
     * @param fn the function
     * @param input the items
     * @param options the options
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <I, R> List<R> map(Function<? super I, ? extends R> fn, Iterable<? extends I> input, MapOptions options) {
        return super.map(fn, input, options);
    }

    /**
     * {@link #mapOutcomes} for a {@link Function}.
     *
     * @param fn the function
     * @param input the items
     * @param options the options
     * @param <I> the item type
     * @param <R> the result type
     * @return the outcomes, in input order
     */
    public <I, R> List<dev.weft.Outcome<R>> mapOutcomes(Function<? super I, ? extends R> fn, Iterable<? extends I> input,
            MapOptions options) {
        return super.mapOutcomes(fn, input, options);
    }

    /**
     * {@link #mapCb(CheckedFunction, Iterable, Consumer)} for a {@link Function}.
     *
     * @param fn the function
     * @param input the items
     * @param callback given the results, or null
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <I, R> List<R> mapCb(Function<? super I, ? extends R> fn, Iterable<? extends I> input,
            Consumer<? super List<R>> callback) {
        return super.mapCb(fn, input, callback);
    }

    /**
     * {@link #mapAsync(CheckedFunction, Iterable, Consumer)} for a {@link Function}.
     *
     * @param fn the function
     * @param input the items
     * @param callback given the results, or null
     * @param <I> the item type
     * @param <R> the result type
     * @return the greenlet, whose value is the list of results
     * @throws IllegalArgumentException if the function does not serialise
     */
    public <I, R> Greenlet<List<R>> mapAsync(Function<? super I, ? extends R> fn, Iterable<? extends I> input,
            Consumer<? super List<R>> callback) {
        return mapAsync((CheckedFunction<? super I, ? extends R>) fn, input, callback);
    }

    /**
     * {@inheritDoc} The function must be {@link Serializable}: checked here, at the call, not in
     * the background greenlet.
     *
     * @throws IllegalArgumentException if the function does not serialise
     * @throws IllegalStateException on a simulated hub (unless the backend allows it)
     */
    @Override
    public <I, R> Greenlet<List<R>> mapAsync(CheckedFunction<? super I, ? extends R> fn, Iterable<? extends I> input,
            Consumer<? super List<R>> callback) {
        Objects.requireNonNull(fn, "fn");
        checkHub();
        TaskCodec.serialize(fn, "map function"); // the map serialises it again, in its own greenlet
        return super.mapAsync(fn, input, callback);
    }

    /**
     * {@link #imap(CheckedFunction, Iterable)} for a {@link Function}.
     *
     * @param fn the function
     * @param input the items
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <I, R> MapIterator<R> imap(Function<? super I, ? extends R> fn, Iterable<? extends I> input) {
        return super.imap(fn, input);
    }

    /**
     * {@link #imap(CheckedFunction, Iterable, int)} for a {@link Function}.
     *
     * @param fn the function
     * @param input the items
     * @param maxsize at least 1
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <I, R> MapIterator<R> imap(Function<? super I, ? extends R> fn, Iterable<? extends I> input, int maxsize) {
        return super.imap(fn, input, maxsize);
    }

    /**
     * {@link #imap(CheckedFunction, Iterable, MapOptions)} for a {@link Function}.
     *
     * @param fn the function
     * @param input the items
     * @param options the options
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <I, R> MapIterator<R> imap(Function<? super I, ? extends R> fn, Iterable<? extends I> input, MapOptions options) {
        return super.imap(fn, input, options);
    }

    /**
     * {@link #imap(CheckedFunction, java.util.Iterator, MapOptions)} for a {@link Function}.
     *
     * @param fn the function
     * @param input the items
     * @param options the options
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <I, R> MapIterator<R> imap(Function<? super I, ? extends R> fn, java.util.Iterator<? extends I> input,
            MapOptions options) {
        return super.imap(fn, input, options);
    }

    /**
     * {@link #imap(CheckedFunction, java.util.stream.Stream, MapOptions)} for a {@link Function}.
     *
     * @param fn the function
     * @param input the items
     * @param options the options
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <I, R> MapIterator<R> imap(Function<? super I, ? extends R> fn, java.util.stream.Stream<? extends I> input,
            MapOptions options) {
        return super.imap(fn, input, options);
    }

    /**
     * {@link #imapUnordered(CheckedFunction, Iterable)} for a {@link Function}.
     *
     * @param fn the function
     * @param input the items
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in completion order
     */
    public <I, R> MapIterator<R> imapUnordered(Function<? super I, ? extends R> fn, Iterable<? extends I> input) {
        return super.imapUnordered(fn, input);
    }

    /**
     * {@link #imapUnordered(CheckedFunction, Iterable, MapOptions)} for a {@link Function}.
     *
     * @param fn the function
     * @param input the items
     * @param options the options
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in completion order
     */
    public <I, R> MapIterator<R> imapUnordered(Function<? super I, ? extends R> fn, Iterable<? extends I> input,
            MapOptions options) {
        return super.imapUnordered(fn, input, options);
    }

    /**
     * {@link #imapUnordered(CheckedFunction, Iterable, int)} for a {@link Function}.
     *
     * @param fn the function
     * @param input the items
     * @param maxsize at least 1
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in completion order
     */
    public <I, R> MapIterator<R> imapUnordered(Function<? super I, ? extends R> fn, Iterable<? extends I> input, int maxsize) {
        return super.imapUnordered(fn, input, maxsize);
    }

    /**
     * {@link #imapUnordered(CheckedFunction, java.util.Iterator, MapOptions)} for a {@link Function}.
     *
     * @param fn the function
     * @param input the items
     * @param options the options
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in completion order
     */
    public <I, R> MapIterator<R> imapUnordered(Function<? super I, ? extends R> fn, java.util.Iterator<? extends I> input,
            MapOptions options) {
        return super.imapUnordered(fn, input, options);
    }

    /**
     * {@link #imapUnordered(CheckedFunction, java.util.stream.Stream, MapOptions)} for a
     * {@link Function}.
     *
     * @param fn the function
     * @param input the items
     * @param options the options
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in completion order
     */
    public <I, R> MapIterator<R> imapUnordered(Function<? super I, ? extends R> fn, java.util.stream.Stream<? extends I> input,
            MapOptions options) {
        return super.imapUnordered(fn, input, options);
    }

    // ---------------------------------------------------------------- the hook and the stand-in

    /** Serialises {@code fn} once, on the caller of the map; each item travels beside it. */
    @Override
    protected <I, R> java.util.function.Function<I, Callable<R>> mapItemTasks(CheckedFunction<? super I, ? extends R> fn,
            Duration itemTimeout) {
        checkHub();
        byte[] fnBytes = TaskCodec.serialize(fn, "map function");
        Duration timeout = itemTimeout != null ? itemTimeout : taskTimeout;
        int lostRetries = retries; // once per map: retry(n) called mid-map does not mix guarantees in it
        return item -> new MapItem<>(fnBytes, item, timeout, lostRetries);
    }

    private void checkHub() {
        if (Hub.current().isSimulated() && !backend.supportsSimulatedHub()) {
            throw new IllegalStateException("a ClusterPool cannot be used from a simulated hub: " + backend
                    + " completes tasks from its own threads, outside the simulation (test with InProcessBackend)");
        }
    }

    /**
     * {@code task} serialised now, on the caller, before the permit is taken: a task that does
     * not serialise, or a simulated hub, is refused at the call even when the pool is full.
     */
    private <T> Callable<T> ship(Callable<? extends T> task) {
        Objects.requireNonNull(task, "task");
        if (task instanceof Shipped<?> || task instanceof MapItem<?>) {
            @SuppressWarnings("unchecked")
            Callable<T> ready = (Callable<T>) task;
            return ready;
        }
        checkHub();
        return new Shipped<>(TaskCodec.serialize(task, "task"));
    }

    /** The body of the stand-in for {@code task} (a MapItem or a user task), made on the spawner. */
    private <T> StandIn<T> standIn(Callable<? extends T> task) {
        checkHub();
        if (task instanceof MapItem<?> m) return new StandIn<>(this, m.fn, m.item, null, m.timeout, m.retries);
        int lostRetries = retries; // retry(n) applies to the tasks spawned after it
        if (task instanceof Shipped<?> s) return new StandIn<>(this, s.bytes, null, null, taskTimeout, lostRetries);
        return new StandIn<>(this, TaskCodec.serialize(task, "task"), null, null, taskTimeout, lostRetries);
    }

    /** Makes the stand-ins: Pool's spawn calls it on the spawner, with the slot held. */
    private static final class StandInFactory implements GreenletFactory {
        ClusterPool pool;

        @Override
        public <T> Greenlet<T> newGreenlet(Callable<? extends T> task) {
            return new Greenlet<>(pool.standIn(task));
        }
    }

    /**
     * A map item before it is shipped: the function's bytes and the item (serialised by the
     * stand-in), with the map's timeout and retries (read once, when the map was made).
     */
    private record MapItem<R>(byte[] fn, Object item, Duration timeout, int retries) implements Callable<R> {
        @Override
        public R call() {
            throw new IllegalStateException("a ClusterPool map item runs on a member, not here");
        }
    }

    /** A task serialised by {@code spawn}/{@code applyAsync} before they took a permit. */
    private record Shipped<R>(byte[] bytes) implements Callable<R> {
        @Override
        public R call() {
            throw new IllegalStateException("a ClusterPool task runs on a member, not here");
        }
    }

    /**
     * A Runnable or CheckedRunnable as a serialisable Callable.
     *
     * @param runnable the task, a Runnable or a CheckedRunnable
     */
    private record RunTask(Object runnable) implements Task<Void> {
        @Override
        public Void call() throws Exception {
            if (runnable instanceof CheckedRunnable c) c.runChecked();
            else ((Runnable) runnable).run();
            return null;
        }
    }

    /** What a stand-in greenlet runs: submit, park on the reply, resubmit as the semantics say. */
    private static final class StandIn<T> implements Callable<T> {
        private final ClusterPool pool;
        private final byte[] task;
        private final Object item; // a map item not yet serialised, or null
        private byte[] itemBytes;
        private final Duration timeout;
        private final int retries; // the pool's retries when it was spawned

        StandIn(ClusterPool pool, byte[] task, Object item, byte[] itemBytes, Duration timeout, int retries) {
            this.pool = pool;
            this.task = task;
            this.item = item;
            this.itemBytes = itemBytes;
            this.timeout = timeout;
            this.retries = retries;
        }

        @Override
        public T call() throws Exception {
            Hub hub = Hub.current();
            long deadline = deadline(hub, timeout);
            Timeout local = timeout == null ? null : Timeout.start(timeout);
            try {
                if (item != null && itemBytes == null) itemBytes = TaskCodec.serialize(item, "map item");
                return run(hub, deadline);
            } finally {
                if (local != null) local.cancel();
            }
        }

        /** The hub time {@code timeout} from now; Long.MAX_VALUE (no limit) for none or one too long, as Waiter does. */
        private static long deadline(Hub hub, Duration timeout) {
            if (timeout == null) return Long.MAX_VALUE;
            try {
                return Math.addExact(hub.nanoTime(), timeout.toNanos());
            } catch (ArithmeticException tooLong) {
                return Long.MAX_VALUE;
            }
        }

        /** {@code d} in nanoseconds, Long.MAX_VALUE (no limit in practice) if it is too long for a long. */
        static long saturatedNanos(Duration d) {
            try {
                return d.toNanos();
            } catch (ArithmeticException tooLong) {
                return Long.MAX_VALUE;
            }
        }

        /** How much later than the caller's the member's deadline falls (see docs/cluster.md). */
        static final long ORPHAN_GRACE_NANOS = 1_000_000_000L;

        @SuppressWarnings("unchecked")
        private T run(Hub hub, long deadline) throws Exception {
            ClusterBackend backend = pool.backend;
            int lostLeft = retries;
            int refusedInRound = 0;
            long backoffNanos = 1_000_000;
            long firstRefusal = 0;
            long overloadNanos = -1; // the overload timeout, read at the first refusal; -1 before it
            ClusterBackend.Job job = new ClusterBackend.Job(task, itemBytes, -1);
            for (;;) {
                // the member's Timeout is a backstop for an orphan: it fires a grace after the
                // caller's, so a live caller's own Timeout (and its cancel) always comes first
                long left = deadline == Long.MAX_VALUE ? -1
                        : Math.max(0, deadline - hub.nanoTime()) + ORPHAN_GRACE_NANOS;
                AsyncResult<ClusterBackend.Reply> box = new AsyncResult<>();
                ClusterBackend.Submission s = backend.submit(job.withTimeout(left), box::set);
                ClusterBackend.Reply reply;
                try {
                    reply = box.get();
                } catch (Interrupted signal) { // killed, or a Timeout: stop it on its member
                    s.cancel();
                    throw signal;
                }
                switch (reply) {
                    case ClusterBackend.Reply.Done d -> {
                        return (T) pool.codec.decodeOutcome(d.outcome());
                    }
                    case ClusterBackend.Reply.NotStarted n -> {
                        long now = hub.nanoTime();
                        if (overloadNanos < 0) {
                            firstRefusal = now;
                            overloadNanos = saturatedNanos(pool.overloadTimeout);
                        }
                        if (now - firstRefusal >= overloadNanos) { // elapsed time: no overflow whatever the clock reads
                            throw new RejectedExecutionException("no member accepted the task within "
                                    + Duration.ofNanos(overloadNanos) + " (executor queues full, or no member)", n.cause());
                        }
                        pool.resubmitted.increment();
                        if (++refusedInRound >= Math.max(1, backend.memberCount())) { // every member said no: back off
                            refusedInRound = 0;
                            Greenlets.sleep(Duration.ofNanos(backoffNanos));
                            backoffNanos = Math.min(backoffNanos * 2, 64_000_000);
                        }
                    }
                    case ClusterBackend.Reply.Lost l -> {
                        if (lostLeft-- <= 0) {
                            throw new MemberLost("member " + l.member() + " left while it held the task (it may or may not"
                                    + " have run; retries allowed: " + retries + ")", l.cause());
                        }
                        pool.resubmitted.increment();
                    }
                    case ClusterBackend.Reply.Broken b -> throw new RemoteFailure("the cluster failed the task: " + b.cause(),
                            b.cause());
                }
            }
        }
    }

    /**
     * Not supported: the JDK view runs its tasks in local greenlets, which would hold the cluster
     * pool's permits without running anything on the members.
     *
     * @return never
     * @throws UnsupportedOperationException always
     */
    @Override
    public java.util.concurrent.ExecutorService asExecutorService() {
        throw new UnsupportedOperationException("a ClusterPool has no ExecutorService view: submit through spawn/applyAsync"
                + " (or use Hazelcast's IExecutorService directly)");
    }

    @Override
    public String toString() {
        return "ClusterPool[members=" + size() + ", size=" + capacity() + ", free=" + freeCount() + ", " + backend + "]";
    }
}
