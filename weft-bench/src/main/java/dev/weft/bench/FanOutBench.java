package dev.weft.bench;

import dev.weft.Hub;
import dev.weft.pool.CheckedFunction;
import dev.weft.pool.MapIterator;
import dev.weft.pool.Pool;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A bounded fan-out: {@value #ITEMS} trivial tasks, at most {@value #LIMIT} running at a time,
 * each in its own task; the score is per item.
 *
 * <ul>
 * <li>{@link #rawSemaphoreFair} / {@link #rawSemaphoreNonFair}: the raw twin, virtual threads
 *     gated by {@code java.util.concurrent.Semaphore(100)};</li>
 * <li>{@link #weftSpawnJdkSemaphore}: weft greenlets gated by the same JDK semaphore — what
 *     weft's spawn adds to the fan-out;</li>
 * <li>{@link #weftSemaphore}: weft greenlets gated by a weft {@code Semaphore(100)};</li>
 * <li>{@link #weftPool}: a {@code Pool(100)}, {@code spawn} each item then {@code join};
 *     {@link #weftPoolImap} / {@link #weftPoolImapUnordered}: the same items through
 *     {@code Pool(100).imap} / {@code imapUnordered}, gevent's idiom (its own numbers are the
 *     gevent {@code pool_imap} rows);</li>
 * <li>{@link #rawMapOrdered} / {@link #rawMapUnordered}: the raw twins of those two, with each
 *     item's value handed to a reader as {@code imap} hands it (not part of the target,
 *     which compares with {@link #rawSemaphoreNonFair}; BENCHMARKS.md, "Session 7").</li>
 * </ul>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FanOutBench {
    /** Items per invocation. */
    public static final int ITEMS = 100_000;
    /** Tasks running at once, at most. */
    public static final int LIMIT = 100;

    private static final Runnable NOOP = () -> {};

    private Hub hub;

    @Setup
    public void setUp() {
        hub = Hub.parallel();
    }

    @TearDown
    public void tearDown() {
        hub.close();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public int rawSemaphoreFair() {
        return Bench.inVirtualThread(() -> rawSemaphore(ITEMS, LIMIT, true, NOOP));
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public int rawSemaphoreNonFair() {
        return Bench.inVirtualThread(() -> rawSemaphore(ITEMS, LIMIT, false, NOOP));
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public int rawMapOrdered() {
        return Bench.inVirtualThread(() -> rawMap(ITEMS, LIMIT, true, NOOP));
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public int rawMapUnordered() {
        return Bench.inVirtualThread(() -> rawMap(ITEMS, LIMIT, false, NOOP));
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public int weftSemaphore() {
        return hub.spawn(() -> weftSemaphore(hub, ITEMS, LIMIT, NOOP)).get();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public int weftSpawnJdkSemaphore() {
        return hub.spawn(() -> weftSpawnJdkSemaphore(hub, ITEMS, LIMIT, NOOP)).get();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public int weftPool() {
        return hub.spawn(() -> weftPool(ITEMS, LIMIT, NOOP)).get();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public int weftPoolImap() {
        return hub.spawn(() -> weftPoolImap(ITEMS, LIMIT, true, NOOP)).get();
    }

    @Benchmark
    @OperationsPerInvocation(ITEMS)
    public int weftPoolImapUnordered() {
        return hub.spawn(() -> weftPoolImap(ITEMS, LIMIT, false, NOOP)).get();
    }

    /**
     * Runs {@code task} {@code items} times, each in a new virtual thread, at most {@code limit}
     * at once; returns when all have finished.
     *
     * @return {@code items}
     */
    public static int rawSemaphore(int items, int limit, boolean fair, Runnable task) {
        Semaphore slots = new Semaphore(limit, fair);
        for (int i = 0; i < items; i++) {
            slots.acquireUninterruptibly();
            Thread.ofVirtual().start(() -> {
                try {
                    task.run();
                } finally {
                    slots.release();
                }
            });
        }
        slots.acquireUninterruptibly(limit); // every task has released its slot
        return items;
    }

    /**
     * The raw twin of {@code imap} ({@code ordered}) and {@code imapUnordered}: the fan-out of
     * {@link #rawSemaphore} from a feeder virtual thread, with each item's value handed to a
     * reader — in input order through a {@code CompletableFuture} per item, queued by the feeder
     * and joined by the reader in turn, or in completion order through a
     * {@code LinkedBlockingQueue} the items put their values into. Unbounded buffering, as
     * {@code imap} without a {@code maxsize}.
     *
     * @return how many values the reader received ({@code items})
     */
    public static int rawMap(int items, int limit, boolean ordered, Runnable task) {
        Semaphore slots = new Semaphore(limit, false);
        java.util.concurrent.LinkedBlockingQueue<Object> handOff = new java.util.concurrent.LinkedBlockingQueue<>();
        Thread.ofVirtual().start(() -> {
            for (int i = 0; i < items; i++) {
                slots.acquireUninterruptibly();
                Integer item = i;
                java.util.concurrent.CompletableFuture<Integer> value =
                        ordered ? new java.util.concurrent.CompletableFuture<>() : null;
                Thread.ofVirtual().start(() -> {
                    try {
                        task.run();
                        if (ordered) value.complete(item);
                        else handOff.add(item);
                    } finally {
                        slots.release();
                    }
                });
                if (ordered) handOff.add(value);
            }
        });
        int read = 0;
        try {
            for (int i = 0; i < items; i++) {
                Object next = handOff.take();
                if (next instanceof java.util.concurrent.CompletableFuture<?> f) f.join();
                read++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the reader was interrupted", e);
        }
        return read;
    }

    /** weft's own fan-out: greenlets of {@code hub} gated by a weft {@link dev.weft.sync.Semaphore}. */
    public static int weftSemaphore(Hub hub, int items, int limit, Runnable task) {
        dev.weft.sync.Semaphore slots = new dev.weft.sync.Semaphore(limit);
        for (int i = 0; i < items; i++) {
            slots.acquire();
            hub.spawn(() -> {
                try {
                    task.run();
                } finally {
                    slots.release();
                }
            });
        }
        for (int i = 0; i < limit; i++) slots.acquire();
        return items;
    }

    /** Like {@link #rawSemaphore} with weft greenlets of {@code hub} instead of raw virtual threads. */
    public static int weftSpawnJdkSemaphore(Hub hub, int items, int limit, Runnable task) {
        Semaphore slots = new Semaphore(limit, false);
        for (int i = 0; i < items; i++) {
            slots.acquireUninterruptibly();
            hub.spawn(() -> {
                try {
                    task.run();
                } finally {
                    slots.release();
                }
            });
        }
        slots.acquireUninterruptibly(limit);
        return items;
    }

    /**
     * The step between {@link #weftSpawnJdkSemaphore} and {@link #weftPool}: greenlets spawned
     * through an unbounded {@code Group} (membership, but no weft slots), gated by a JDK
     * {@code Semaphore} whose slot each member gives back by a rawlink when it ends (as a Pool
     * member's slot is), then a join of the group.
     */
    public static int weftGroupJdkSemaphore(int items, int limit, Runnable task) {
        Semaphore slots = new Semaphore(limit, false);
        dev.weft.pool.Group group = new dev.weft.pool.Group();
        for (int i = 0; i < items; i++) {
            slots.acquireUninterruptibly();
            group.spawn(task).rawlink(g -> slots.release());
        }
        slots.acquireUninterruptibly(limit);
        group.join();
        return items;
    }

    /** weft's Pool: {@code items} spawns into a {@code Pool(limit)} of the current hub, then a join. */
    public static int weftPool(int items, int limit, Runnable task) {
        Pool pool = new Pool(limit);
        for (int i = 0; i < items; i++) pool.spawn(task);
        pool.join();
        return items;
    }

    /**
     * {@code items} trivial items through {@code Pool(limit).imap} (or {@code imapUnordered}),
     * reading every result; each item runs {@code task}.
     *
     * @return how many results were read
     */
    public static int weftPoolImap(int items, int limit, boolean ordered, Runnable task) {
        Pool pool = new Pool(limit);
        CheckedFunction<Integer, Integer> fn = i -> {
            task.run();
            return i;
        };
        Iterable<Integer> input = () -> IntStream.range(0, items).iterator();
        int read = 0;
        try (MapIterator<Integer> it = ordered ? pool.imap(fn, input) : pool.imapUnordered(fn, input)) {
            while (it.hasNext()) {
                it.next();
                read++;
            }
        }
        return read;
    }
}
