package dev.weft.pool;

import dev.weft.Greenlet;
import dev.weft.internal.Waiter;
import dev.weft.sync.Semaphore;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * A {@link Group} that runs at most {@code size} members at once (gevent's {@code Pool},
 * proc.py's {@code Pool}): {@link #spawn} waits while the pool is full.
 *
 * {@snippet :
 * Pool pool = new Pool(10);
 * for (String url : urls) pool.spawn(() -> fetch(url));   // at most 10 fetches at a time
 * pool.join();
 * List<Page> pages = pool.map(url -> fetch(url), urls);  // the same, in one call
 * }
 *
 * <ul>
 * <li>{@code spawn}, {@code add} and {@code start} wait for a free slot — a blocking point of
 *     the caller: a kill or {@code Timeout} there admits nothing and leaves
 *     {@link #freeCount()} as it was. Slots are handed over first come, first served.</li>
 * <li>{@link #add(Greenlet, boolean, Duration)} and its {@code start} twin raise
 *     {@link PoolFull} instead of waiting (or when their timeout passes).</li>
 * <li>{@link #unbounded()} never waits (gevent's {@code Pool(None)}); {@code new Pool(0)} never
 *     admits: spawning waits forever, or until a timeout (only useful with
 *     {@link #waitAvailable(Duration)} and {@link #freeCount()}).</li>
 * <li>A member's slot is freed when it finishes or is {@linkplain #discard discarded}.</li>
 * <li>{@link #applyAsync} never waits: on a full pool it returns a greenlet outside the pool
 *     that applies the task when a slot frees. {@code apply} from a member runs inline.</li>
 * <li>{@link #asExecutorService()} is the pool seen as a JDK {@link ExecutorService}.</li>
 * </ul>
 *
 * <p>proc.py's names: {@code execute} is {@link #spawn}, {@code execute_async} is
 * {@link #applyAsync}, {@code waitall} is {@link #join()}, {@code killall} is {@link #kill()},
 * {@code free_count} is {@link #freeCount()}, {@code current_size} is {@link #size()}.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public class Pool extends Group {
    /*
     * Overview (for maintainers). A Group plus a weft Semaphore of `size` permits (null when
     * unbounded): a slot is a permit, taken before a member is admitted (Semaphore.acquire: FIFO,
     * cancel-safe, so a waiter killed or timed out takes none) and released once, by whoever
     * removes the member from the group (Group.slotFreed), or by the admitter if the greenlet did
     * not become a member. waitAvailable waits through a Waiter that the semaphore's rawlink
     * (fired once a permit is free) completes. Tests: PoolTest.
     */
    private final int size; // -1: unbounded
    private final Semaphore slots; // null: unbounded
    private final java.util.concurrent.atomic.AtomicInteger starters = new java.util.concurrent.atomic.AtomicInteger(); // maps' starters waiting for a slot
    private final java.util.concurrent.atomic.AtomicInteger wanting = new java.util.concurrent.atomic.AtomicInteger(); // waiting for a slot, or about to

    /**
     * A pool running at most {@code size} members at once.
     *
     * @param size at least 0; 0 never admits anyone
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public Pool(int size) {
        this(size, null);
    }

    /**
     * A pool running at most {@code size} members at once, made by {@code factory}.
     *
     * @param size at least 0
     * @param factory makes the greenlets {@link #spawn} starts, or null for plain ones
     * @throws IllegalArgumentException if {@code size} is negative
     */
    public Pool(int size, GreenletFactory factory) {
        super(factory, false);
        if (size < 0) throw new IllegalArgumentException("size must not be negative: " + size);
        this.size = size;
        this.slots = new Semaphore(size);
        dev.weft.internal.Telemetry.poolCreated(this); // listed by its hub while reachable (JMX, console)
    }

    private Pool(GreenletFactory factory) {
        super(factory, false);
        this.size = -1;
        this.slots = null;
        dev.weft.internal.Telemetry.poolCreated(this);
    }

    /**
     * A pool without a bound (gevent's {@code Pool(None)}): it tracks members and offers the
     * pool API, but never waits.
     *
     * @return a new, unbounded pool
     */
    public static Pool unbounded() {
        return new Pool((GreenletFactory) null);
    }

    /**
     * An unbounded pool whose greenlets are made by {@code factory}.
     *
     * @param factory makes the greenlets {@link #spawn} starts
     * @return a new, unbounded pool
     */
    public static Pool unbounded(GreenletFactory factory) {
        return new Pool(Objects.requireNonNull(factory, "factory"));
    }

    // ---------------------------------------------------------------- slots

    @Override
    final boolean acquireSlot(Duration timeout) {
        if (slots == null) return true;
        Object waited = dev.weft.internal.Telemetry.poolWaitBegin(); // null unless the JFR event is on
        if (waited == null) return takeSlot(timeout);
        boolean admitted = false;
        try {
            admitted = takeSlot(timeout);
            return admitted;
        } finally {
            dev.weft.internal.Telemetry.poolWaitEnd(waited, this, size, admitted);
        }
    }

    /**
     * A slot, at once if one is free; else counted in {@code wanting} while it waits, after
     * telling the maps, whose workers idle at the input give their slots up (MapIterator).
     */
    private boolean takeSlot(Duration timeout) {
        Waiter.checkTimeout(timeout);
        dev.weft.internal.Selfish.act(); // as Semaphore.acquire does first
        if (slots.tryAcquire()) return true;
        wanting.incrementAndGet();
        try {
            slotWanted();
            return slots.acquire(timeout);
        } finally {
            wantedNoMore();
        }
    }

    /** One fewer waits for a slot; the last wakes the maps' starters, who held back for it. */
    private void wantedNoMore() {
        if (wanting.decrementAndGet() == 0 && starters.get() != 0) nudgeMapStarters();
    }

    @Override
    final void acquireSlotQuietly() {
        if (slots != null) slots.acquire();
    }

    @Override
    final boolean tryAcquireSlot() {
        return slots == null || slots.tryAcquire();
    }

    @Override
    final void slotFreed() {
        if (slots == null) return;
        slots.release();
        if (starters.get() != 0) nudgeMapStarters(); // after the release: see mapStarterWaits
    }

    @Override
    final int slotWaiters() {
        return slots == null ? 0 : wanting.get() + slots.waiting(); // about to wait, or queued (a map's worker)
    }

    @Override
    final boolean runsMapsInWorkers() {
        return slots != null && !hasFactory();
    }

    /** Counted before the starter's last look at the free slots, read after each release. */
    @Override
    final void mapStarterWaits(int delta) {
        starters.addAndGet(delta);
    }

    /**
     * The size given at construction; {@code -1} for an unbounded pool.
     *
     * @return the bound on members, or -1
     */
    public int capacity() {
        return size;
    }

    /**
     * True for {@link #unbounded()} pools.
     *
     * @return true if the pool has no bound ({@link #capacity()} is -1)
     */
    public boolean isUnbounded() {
        return slots == null;
    }

    /**
     * proc.py's {@code execute_async}: starts {@code task} without ever blocking the caller —
     * a member now if a slot is free, otherwise a greenlet outside the pool that waits for a slot
     * and then runs the task as a member (its value is the task's). The same as
     * {@link #applyAsync(Callable)}, under the name API-MAP gives proc.py's method.
     *
     * @param task what to run
     * @param <T> the type of its value
     * @return a greenlet whose value is the task's; join it (not the pool) to wait for it
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the pool was closed
     */
    public <T> Greenlet<T> spawnAsync(Callable<? extends T> task) {
        return applyAsync(task);
    }

    /**
     * {@link #spawnAsync(Callable)} for a task without a value.
     *
     * @param task what to run
     * @return its greenlet
     * @throws NullPointerException if {@code task} is null
     */
    public Greenlet<Void> spawnAsync(Runnable task) {
        return applyAsync(task);
    }

    /**
     * {@link #spawnAsync(Callable)} for a void task that may throw a checked exception.
     *
     * @param task what to run
     * @return its greenlet
     * @throws NullPointerException if {@code task} is null
     */
    public Greenlet<Void> spawnAsync(dev.weft.CheckedRunnable task) {
        return applyAsync(task);
    }

    /**
     * How many members could be added now without waiting (gevent's {@code free_count}):
     * {@code Integer.MAX_VALUE} for an unbounded pool.
     *
     * @return the free slots now
     */
    public int freeCount() {
        return slots == null ? Integer.MAX_VALUE : Math.max(0, slots.availablePermits());
    }

    /**
     * How many greenlets wait for a slot now (in {@code spawn}, {@code add}, {@code start} or
     * {@code waitAvailable}): 0 for an unbounded pool.
     *
     * @return the number of waiters for a slot at the moment of the call
     */
    public int waiting() {
        return slots == null ? 0 : slots.waiting();
    }

    /** True if no slot is free now (gevent's {@code full()}). */
    @Override
    public boolean isFull() {
        return freeCount() <= 0;
    }

    /**
     * Waits at most {@code timeout} until a slot is free, without taking it (gevent's
     * {@code wait_available}; a {@code Pool(0)} waits until the timeout). Greenlets waiting in
     * {@code spawn} are served first.
     *
     * @param timeout at most this long; {@code null}: no limit
     * @return true if a slot is free; false on expiry
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    @Override
    public boolean waitAvailable(Duration timeout) {
        Waiter.checkTimeout(timeout);
        if (slots == null || slots.availablePermits() > 0) return true;
        Greenlet<?> me = Greenlet.current();
        long deadline = Waiter.deadline(me, timeout);
        Waiter w = new Waiter(me, false, this);
        Consumer<Semaphore> wake = s -> w.offer(Boolean.TRUE);
        boolean ok = false;
        wanting.incrementAndGet();
        try {
            slotWanted(); // the maps' workers idle at the input give their slots up
            slots.rawlink(wake); // runs at once if a slot is free now
            ok = w.await(deadline);
        } finally {
            if (!ok) slots.unlink(wake);
            wantedNoMore();
        }
        return ok;
    }

    /**
     * Adds {@code greenlet} if a slot is free, waiting for one only if {@code blocking} and at
     * most {@code timeout} (gevent's {@code add(greenlet, blocking, timeout)}). A member, or a
     * finished greenlet, is left alone and takes no slot.
     *
     * @param greenlet the greenlet, usually unstarted
     * @param blocking wait for a slot
     * @param timeout how long to wait when blocking; {@code null}: no limit
     * @throws PoolFull if there was no free slot (without blocking, or when the timeout passed)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if the pool was closed
     */
    public void add(Greenlet<?> greenlet, boolean blocking, Duration timeout) {
        Objects.requireNonNull(greenlet, "greenlet");
        Waiter.checkTimeout(timeout);
        if (contains(greenlet)) return;
        checkOpen();
        boolean admitted = blocking ? acquireSlot(timeout) : tryAcquireSlot();
        if (!admitted) {
            throw new PoolFull(this + " is full" + (blocking ? " (waited " + timeout + ")" : ""));
        }
        trackOrFree(greenlet);
    }

    /**
     * {@link #add(Greenlet, boolean, Duration)}, then starts the greenlet (gevent's
     * {@code start(greenlet, blocking, timeout)}).
     *
     * @param greenlet the unstarted greenlet
     * @param blocking wait for a slot
     * @param timeout how long to wait when blocking; {@code null}: no limit
     * @throws PoolFull if there was no free slot
     */
    public void start(Greenlet<?> greenlet, boolean blocking, Duration timeout) {
        add(greenlet, blocking, timeout);
        startTracked(greenlet);
    }

    /**
     * This pool seen as a JDK {@link ExecutorService} (a view: it holds the tasks submitted
     * through it, the pool holds the slots). Submitting never waits: a task that finds no free
     * slot is queued and started, in order, as slots free. {@code shutdownNow} kills the running
     * tasks and returns the queued ones, which never run; {@code awaitTermination} and
     * {@code close} wait through weft's waiting core. Tasks run in greenlets of the hub current
     * when this method is called.
     *
     * @return a new view
     */
    public ExecutorService asExecutorService() {
        return new PoolExecutorService(this, dev.weft.Hub.current());
    }

    @Override
    public String toString() {
        return "Pool[members=" + sizeForDisplay() + ", size=" + (slots == null ? "unbounded" : String.valueOf(size))
                + ", free=" + (slots == null ? "unbounded" : String.valueOf(freeCount())) + "]";
    }
}
