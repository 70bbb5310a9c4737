package dev.weft.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.LockSupport;

/**
 * The scheduler of the single-carrier hubs: one platform thread runs every virtual thread of
 * its hub, one at a time, so switches happen only where a greenlet blocks (gevent's model).
 *
 * <h2>Overview (for maintainers)</h2>
 * {@link #execute} is called by the JDK with the continuation pinned, from any thread: it only
 * appends to a lock-free queue and unparks the carrier if it is idle (ARCHITECTURE §2: a lock a
 * virtual thread of this carrier could hold would deadlock it). The carrier drains that queue
 * into its own ready list and picks the next task: the oldest (FIFO, the cooperative hub), or one
 * chosen by a seeded random generator (the simulated hub: the same seed replays the same
 * interleaving). With nothing ready it asks its {@link Idler} — the simulated hub moves virtual
 * time or reports a deadlock there — and otherwise parks until {@code execute} is called.
 * {@code idle} and the carrier's park use the volatile-write-then-read pattern so a wake-up is
 * never missed.
 */
public final class CarrierScheduler implements Executor {
    /** What the carrier does when nothing is ready. */
    public interface Idler {
        /**
         * Called on the carrier with no task ready.
         *
         * @return true if it made something ready (the carrier looks again at once); false to
         *     park until a task arrives
         */
        boolean onIdle();
    }

    private final ConcurrentLinkedQueue<Runnable> incoming = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Runnable> fifo = new ArrayDeque<>(); // carrier only (cooperative)
    private final ArrayList<Runnable> pool = new ArrayList<>(); // carrier only (simulated)
    private final SplittableRandom random; // null: FIFO
    private final Thread carrier;
    private volatile Idler idler = () -> false;
    private volatile java.util.function.BooleanSupplier drained = () -> true;
    private volatile boolean idle;
    private volatile boolean closing;

    /**
     * @param name the carrier thread's name
     * @param seed the seed of the random pick, or {@code null} for FIFO
     */
    public CarrierScheduler(String name, Long seed) {
        this.random = seed == null ? null : new SplittableRandom(seed);
        this.carrier = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
    }

    /** Sets the idle hook (before {@link #start()}). */
    public void setIdler(Idler idler) {
        this.idler = idler;
    }

    /**
     * Sets what tells the carrier, after {@link #shutdown()}, that no greenlet of its hub is left
     * (before {@link #start()}): it stops only then, so killed greenlets can unwind.
     */
    public void setDrained(java.util.function.BooleanSupplier drained) {
        this.drained = drained;
    }

    /** Makes the carrier look at its state again (after the hub drained). */
    public void wakeUp() {
        LockSupport.unpark(carrier);
    }

    /** Starts the carrier thread. */
    public void start() {
        carrier.start();
    }

    @Override
    public void execute(Runnable task) {
        incoming.add(task);
        if (idle) LockSupport.unpark(carrier);
    }

    /** True if a task other than the caller's is waiting to run. */
    public boolean hasReadyTasks() {
        return !incoming.isEmpty() || !fifo.isEmpty() || !pool.isEmpty();
    }

    /**
     * Asks the carrier to stop once nothing is ready and its hub has drained; tasks still queued
     * run first. Virtual threads parked forever afterwards are abandoned.
     */
    public void shutdown() {
        closing = true;
        LockSupport.unpark(carrier);
    }

    /** Waits for the carrier thread to end (after {@link #shutdown()}); true if it has. */
    public boolean awaitTermination(long millis) throws InterruptedException {
        carrier.join(millis);
        return !carrier.isAlive();
    }

    private void loop() {
        for (;;) {
            Runnable r;
            while ((r = incoming.poll()) != null) {
                if (random == null) fifo.add(r);
                else pool.add(r);
            }
            Runnable next = pick();
            if (next != null) {
                runTask(next);
                continue;
            }
            if (!incoming.isEmpty()) continue; // a wake-up arrived meanwhile: not idle after all
            if (idler.onIdle()) continue;
            if (closing && incoming.isEmpty() && drained.getAsBoolean()) return;
            idle = true;
            if (incoming.isEmpty() && !(closing && drained.getAsBoolean())) LockSupport.park(this);
            idle = false;
        }
    }

    private Runnable pick() {
        if (random == null) return fifo.poll();
        int n = pool.size();
        if (n == 0) return null;
        int i = random.nextInt(n);
        Runnable r = pool.get(i);
        pool.set(i, pool.get(n - 1));
        pool.remove(n - 1);
        return r;
    }

    private static void runTask(Runnable r) {
        try {
            r.run();
        } catch (Throwable t) {
            Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), t);
        }
    }
}
