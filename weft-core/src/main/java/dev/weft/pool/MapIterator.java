package dev.weft.pool;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.Interrupted;
import dev.weft.Outcome;
import dev.weft.Timeout;
import dev.weft.internal.SpinLock;
import dev.weft.internal.Waiter;
import dev.weft.sync.Semaphore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The results of {@link Group#imap} / {@link Group#imapUnordered}: an iterator that waits for
 * each result, and stops the work when closed.
 *
 * {@snippet :
 * try (MapIterator<Page> pages = pool.imap(url -> fetch(url), urls, 16)) {
 *     while (pages.hasNext()) save(pages.next());
 * }   // leaving early stops the feeder and kills the fetches still running
 * }
 *
 * <h2>How it runs</h2>
 * In a bounded {@link Pool} (without a {@link GreenletFactory}) the items run in <em>workers</em>:
 * members of the pool that each pull an item from the input (one worker at a time reads it),
 * run it, and go on with the next — so a pool of {@code n} runs at most {@code n} items at once,
 * as gevent's does, without starting a greenlet per item. A starter greenlet (outside the
 * pool) starts a worker whenever one could pull an item now: a slot is free, a {@code maxsize}
 * permit is, and no worker is already on its way to the input or waiting for it. A worker gives
 * its slot back as soon as someone else waits for one (after the item it runs), when one other
 * worker already waits for the input (so a slow input holds at most two slots idle: the worker
 * reading it and the one next in line — and gives them up when someone is about to wait for a
 * slot: the worker reading then takes a slot again, in turn, before it runs its item), at
 * {@code maxsize}, after 128 items, and at the end of the input. What differs from gevent:
 * several items run, one after another, in the same greenlet, so {@code Greenlet.current()}, a
 * {@code GreenletLocal} and a {@code ThreadLocal} seen by one item may be the previous item's,
 * and a kill aimed at an item that ended reaches the worker's next item, or its reading of the
 * input — and a kill of a worker as it reads the input ends the whole input (as a killed feeder
 * does): kill a map's items through {@link #close()} or the pool, not one by one. Give the pool a
 * {@link GreenletFactory} to have a greenlet of its own for each item.
 *
 * <p>In any other group (a {@link Group}, {@link Pool#unbounded()}, a pool with a factory) a
 * feeder greenlet (outside the group) reads the input lazily and spawns one member per item.
 * Either way the results wait here for the reader, in input order ({@code imap}) or completion
 * order ({@code imapUnordered}). With a {@link MapOptions#maxsize(int) maxsize}, at most that
 * many items are pulled from the input and not yet read: a slow reader stops the map, and an
 * infinite input is fine. Without one, the map goes as fast as the group lets it. (On a
 * single-carrier hub an unbounded {@code Group} never makes the feeder wait: give an infinite
 * input a {@code maxsize}.)
 *
 * <h2>Reading and failures</h2>
 * <ul>
 * <li>{@link #hasNext()} and {@link #next()} wait (blocking points). {@link #next()} returns a
 *     result; a failed item's exception is rethrown (an unchecked one as is, a checked one
 *     wrapped in {@code GreenletFailure}), and an item that was killed (its group was killed)
 *     is a {@link CancellationException} whose cause is the exit. Either way the map goes on,
 *     as gevent's does: the next call returns the next result. A loop that lets the exception
 *     escape from a try-with-resources block closes the map, and so stops it.</li>
 * <li>{@link #nextOutcome()} returns each item's {@link Outcome} instead of throwing.</li>
 * <li>{@link #stream()} cannot go on after its source throws: a failure ends the stream and
 *     closes the map. {@link #outcomes()} goes on.</li>
 * <li>An input item that is {@code null} is a failed item: a {@link NullPointerException}
 *     naming its index. An input that throws ends the input: its exception is delivered after
 *     the results of the items pulled before it. If the group is killed, the feeder stops; the
 *     map ends with a {@link CancellationException} after the items it had started.</li>
 * </ul>
 *
 * <h2>Closing</h2>
 * {@link #close()} stops the feeder, kills the items still running, waits for both to end, and
 * closes a {@code Stream} input; nothing keeps running for a reader that left. Reading to the
 * end closes it too. {@link #stream()} and {@link #outcomes()} are {@code Stream} views whose
 * {@code close()} closes this iterator.
 *
 * <p>Thread safety: one reader at a time; {@link #close()} may be called from any thread.
 *
 * @param <R> the result type
 */
public final class MapIterator<R> implements Iterator<R>, AutoCloseable {
    /*
     * Overview (for maintainers). Guarded by `lock` (a SpinLock, never held while parking, waking
     * or running user code): the counters, the finished entries (a Greenlet, or an Outcome for a
     * null item), the running items, the reader's Waiter and the flags. Each item has one
     * ItemNode: its group membership's link runs it after the member left (so a pooled item
     * costs one listener, not two), and it is its node in the intrusive list of running items
     * (what close() kills), linked by the feeder in its one locked section per item, after the
     * spawn (skipped if the item ended already); an item spawned while close() ran is killed by
     * the feeder, which finds `closed` set in that section. An item's end (through a receiving link: the map delivers its
     * failure, so it is not reported) stores the greenlet — imap in a ring indexed by item
     * number, spanning [read, spawned), grown when an ending item needs room — and, if it
     * is what the reader waits for, takes the reader's waiter and offers it after the lock; the
     * reader loops: take an entry, or see the end (input done and every started item read), or
     * park. `pulled` (maxsize permits) is taken by the feeder before it pulls an item and given
     * back by the reader when it takes that item's entry. `spawned` counts items that will have
     * an entry (the index of the next one); it grows only after an item's greenlet exists, so an
     * item whose spawn failed (the feeder killed while waiting for a slot) is never waited for.
     *
     * Workers (a bounded Pool without a factory; `workers`): the starter (in `feeder`) starts
     * a worker, counting it in `live` and `arriving`, when no worker is arriving or waiting for
     * the input, a maxsize permit is free and a slot is (tryAcquireSlot; with no worker of ours
     * alive it queues for one instead, first come first served — after it has held the input
     * and seen an item there (`peekedAt`), so an empty input ends the map without a slot, as
     * gevent's feeder reads outside the pool). Else it parks in `starterWait`,
     * woken by an arrival, the input changing hands, a permit given back (a rawlink on
     * `pulled`) or a slot freed in the pool (Pool.slotFreed nudges the group's maps while a
     * starter counts itself in mapStarterWaits: counted before its last look, read after each
     * release). A worker loops: store the last item's entry and, in the same locked section,
     * take the input (`pulling`), or become the one `pullWaiter`, or leave — when someone waits
     * for a slot, no permit is free, a waiter exists already, the input is done or the map
     * closed (the check of `slotWaiters`, under the lock, is ordered with slotWanted()). Holding
     * the input (`reading`) it pulls one item, numbers it (`spawned` counts the items pulled),
     * hands the input to the waiter (`handedTo`, `pullWaiterNode`) and runs the item; a kill
     * while it reads ends the input. slotWanted() — someone about to wait for a slot of the Pool
     * (counted in its `wanting` first) — sends the pull waiter away and takes the slot of the
     * worker reading (`holdsSlot` false; its membership then frees none as it leaves); that
     * worker's item runs on the slot of the worker it hands the input to (a swap in
     * releaseInput: that one reads without a slot), or it waits its turn for a slot (reacquire,
     * counted in `reacquiring`, while which no worker takes the input: one that ends its item
     * leaves and its slot goes to the waiting one). discard() of a worker leaves its link in
     * place (it delivers its item) and takes its slot (SlotHolder.discarded).
     * Its entry is stored by the worker, or — if it was killed while the item ran (`delivered`
     * false) — by its membership link from its outcome. The end is
     * input done, every pulled item read and no worker left (`live` 0), so the pool's slots are
     * free when hasNext() turns false. A worker runs at most RENEW items, then leaves (the starter
     * starts a new one); on a single-carrier hub it yields after each item.
     * Tests: MapTest, MapWorkersTest.
     */
    private static final Object END = new Object();

    private final SpinLock lock = new SpinLock();
    private final Group group;
    private final CheckedFunction<Object, ? extends R> fn;
    private final Iterator<?> iterator;
    private final Iterable<?> iterable;
    private final Stream<?> stream;
    private final boolean ordered;
    private final Duration itemTimeout;
    private final Semaphore pulled; // null: no maxsize
    private final java.util.function.Function<Object, Callable<R>> itemTasks; // null: task(item) below

    private long spawned; // guarded by lock
    private long read; // guarded by lock
    private boolean inputDone, inputFailureRead, stopRequested; // guarded by lock
    private volatile boolean closed; // written under lock; the feeder reads it before each item without
    private Throwable inputFailure; // guarded by lock
    private final ArrayDeque<Object> finished; // guarded by lock: imapUnordered
    private Object[] ring; // guarded by lock: imap's finished entries, item i at i & (length - 1)
    private ItemNode runningHead; // guarded by lock: the running items, a doubly linked list
    private int awaited; // guarded by lock: items close() waits for whose link has not run yet
    private Waiter closer; // guarded by lock: close() waiting for them
    private Waiter reader; // guarded by lock
    private Greenlet<Void> feeder; // guarded by lock: the feeder, or the starter of the workers
    private Object peeked; // the reader's

    // the workers (a Pool's map; see "Workers" in the overview)
    private final boolean workers;
    private Iterator<?> input; // the one who holds the input (pulling) reads it
    private boolean pulling; // guarded by lock: a worker holds the input
    private Waiter pullWaiter; // guarded by lock: the one worker waiting for the input
    private int live; // guarded by lock: workers whose membership link has not run
    private Waiter starterWait; // guarded by lock: the starter waiting for a reason to start one
    private Waiter handedTo; // guarded by lock: the waiter the input was last handed to
    private ItemNode reading; // guarded by lock: the worker holding the input
    private ItemNode pullWaiterNode; // guarded by lock: the worker of pullWaiter
    private int reacquiring; // guarded by lock: workers with an item, waiting for a slot again
    private int arriving; // guarded by lock: workers started that have not reached the input yet
    private long peekedAt = -1; // guarded by lock: `spawned` when the starter last saw the input had an item

    @SuppressWarnings("unchecked")
    MapIterator(Group group, CheckedFunction<?, ? extends R> fn, Iterator<?> iterator, Iterable<?> iterable,
            Stream<?> stream, boolean ordered, MapOptions options) {
        this.group = group;
        this.fn = (CheckedFunction<Object, ? extends R>) fn;
        this.iterator = iterator;
        this.iterable = iterable;
        this.stream = stream;
        this.ordered = ordered;
        this.itemTimeout = options.itemTimeout();
        this.pulled = options.bounded() ? new Semaphore(options.maxsize()) : null;
        this.finished = ordered ? null : new ArrayDeque<>();
        this.ring = ordered ? new Object[16] : null;
        this.itemTasks = group.mapItemTasks(this.fn, itemTimeout); // a subclass's hook (weft-cluster), usually null
        this.workers = itemTasks == null && group.runsMapsInWorkers();
    }

    void startFeeder() {
        Greenlet<Void> f = Hub.current().spawn(workers ? this::startWorkers : this::feed);
        boolean stop;
        lock.lock();
        try {
            feeder = f;
            stop = stopRequested || closed;
        } finally {
            lock.unlock();
        }
        f.rawlink(new FeederEnd());
        if (stop) f.kill(new GreenletExit("its group was killed"), false, null);
    }

    /** The group was killed: stop pulling items (the items themselves are the group's to kill). */
    void stopFeeder() {
        Greenlet<Void> f;
        lock.lock();
        try {
            stopRequested = true;
            f = feeder;
        } finally {
            lock.unlock();
        }
        if (f != null) f.kill(new GreenletExit("its group was killed"), false, null);
    }

    // ---------------------------------------------------------------- the feeder

    private void feed() {
        Iterator<?> it = iterator != null ? iterator : iterable != null ? iterable.iterator() : stream.iterator();
        long index = 0;
        for (;;) {
            if (pulled != null) pulled.acquire();
            if (!it.hasNext()) {
                if (pulled != null) pulled.release();
                return;
            }
            Object item = it.next();
            long i = index++;
            if (item == null) {
                Outcome<R> failed = new Outcome.Failed<>(new NullPointerException("item " + i + " of the map's input is null"));
                if (!finish(i, failed, null, true)) return;
                continue;
            }
            if (closed) return;
            ItemNode node = new ItemNode(i, false);
            // one locked section per item on this side, after the spawn: the item is linked
            // among the running ones then (unless it ended already), and its end makes room in
            // the ring for itself; a close() meanwhile did not see it, so it is killed here
            Greenlet<R> g = group.spawnMember(task(item), node); // waits for a slot in a Pool
            if (!spawnedRunning(node, g, i + 1)) return;
        }
    }

    /**
     * After the spawn of an item or a worker (its node's link may have run already): links the
     * node among the running ones (and counts an item spawned: {@code spawnedNow} > 0), or — if
     * close() ran meanwhile and did not see it — kills it and has close() wait for it. False if
     * the map was closed.
     */
    private boolean spawnedRunning(ItemNode node, Greenlet<?> g, long spawnedNow) {
        boolean closedMeanwhile;
        lock.lock();
        try {
            closedMeanwhile = closed;
            if (!closedMeanwhile) {
                if (!node.ended) linkRunning(node);
                node.greenlet = g;
                if (spawnedNow > 0) spawned = spawnedNow;
            } else if (!node.ended && g != Greenlet.current()) {
                node.greenlet = g; // close() did not see it: it waits for it after the feeder
                node.awaited = true;
                awaited++;
            }
        } finally {
            lock.unlock();
        }
        if (closedMeanwhile) killItem(g);
        return !closedMeanwhile;
    }

    private Callable<R> task(Object item) {
        if (itemTasks != null) return itemTasks.apply(item);
        return () -> apply(item);
    }

    /** Applies {@code fn} to {@code item} under the item timeout, if any. */
    private R apply(Object item) throws Exception {
        if (itemTimeout == null) return fn.applyChecked(item);
        Timeout mine = Timeout.start(itemTimeout);
        try {
            return fn.applyChecked(item);
        } catch (Throwable t) {
            // JDK code the timer interrupted ends with its own exception: the item timed out
            if (t != mine && mine.isExpired() && !(t instanceof Interrupted)) {
                mine.addSuppressed(t);
                throw mine;
            }
            if (t instanceof Exception e) throw e;
            throw (Error) t;
        } finally {
            mine.cancel();
        }
    }

    // ---------------------------------------------------------------- the workers (a Pool's map)

    private static final int TAKEN = 0, WAIT = 1, EXIT = 2;

    /**
     * Items a worker runs at most; then it leaves and the starter starts a new one. A worker whose
     * items never block would otherwise never leave its carrier: on the JDK's scheduler, a
     * carrier whose own queue never empties (the worker, and the reader it wakes) never takes
     * the greenlets started meanwhile from the shared queue, and they wait for as long as the
     * map runs (a yield does not help: the worker goes back to the carrier's own queue). A new
     * worker is started from the shared queue, behind them. Measured: a greenlet started during
     * a map of trivial items waited up to ~1,000,000 items without this, ~100 items as with a
     * greenlet per item with it (BENCHMARKS.md, Session 8).
     */
    static final int RENEW = 128;

    /**
     * The starter (the feeder greenlet of a map run by workers): starts a worker whenever one
     * could pull an item now — no worker is on its way to the input or waiting for it, a
     * {@code maxsize} permit is free, and a slot is — until the input is done or the map closed.
     */
    private void startWorkers() {
        Greenlet<?> me = Greenlet.current();
        for (;;) {
            Waiter w = new Waiter(me, false, this);
            boolean start = false, blocking = false, slotWait = false, permitWait = false, peek = false;
            lock.lock();
            try {
                if (closed || inputDone) return;
                // stopped by a kill of its group: its kill is delivered at a blocking point, and
                // while the group kills each worker it starts at once, this loop may never reach
                // one; it ends as killed, so the map ends with a CancellationException (FeederEnd)
                if (stopRequested) throw new GreenletExit("its group was killed");
                if (arriving > 0 || pullWaiter != null) {
                    starterWait = w; // woken when that worker holds the input
                } else if (pulled != null && pulled.availablePermits() <= 0) {
                    starterWait = w;
                    permitWait = true;
                } else if (group.slotWaiters() == 0 && group.tryAcquireSlot()) {
                    start = true;
                } else if (live == 0 && !pulling && peekedAt != spawned) {
                    pulling = peek = true; // no slot to read it in: look outside the pool first
                } else if (live == 0 && group.slotWaiters() == 0) {
                    blocking = true; // none of ours holds a slot to pass on: queue for one, first come first served
                } else {
                    starterWait = w;
                    slotWait = true;
                }
                if (start || blocking) {
                    live++;
                    arriving++;
                }
            } finally {
                lock.unlock();
            }
            if (peek) {
                if (!peekInput()) return; // the input is empty: the map ends without taking a slot
            } else if (start || blocking) {
                if (!startWorker(start)) return;
            } else {
                awaitStarter(w, slotWait, permitWait);
            }
        }
    }

    /**
     * With no worker alive and no slot free, the starter holds the input and asks it for an
     * item before it waits for a slot, as gevent's feeder reads the input outside the pool: an
     * empty input ends the map at once, even on a full pool (or a {@code Pool(0)}, or from a
     * member of the full pool). False if the input is done. A failure or a kill here ends the
     * starter, and its link ends the input with it ({@link FeederEnd}).
     */
    private boolean peekInput() {
        boolean more = false, answered = false;
        try {
            Iterator<?> in = input;
            if (in == null) input = in = iterator != null ? iterator : iterable != null ? iterable.iterator() : stream.iterator();
            more = in.hasNext();
            answered = true;
        } finally {
            lock.lock();
            try {
                pulling = false;
                if (more) peekedAt = spawned; // not again until an item is pulled
                else if (answered) inputDone = true; // failed: the input ends with FeederEnd, which notes why
            } finally {
                lock.unlock();
            }
        }
        return more;
    }

    /** The starter waits for a reason to look again (its waiter is registered). */
    private void awaitStarter(Waiter w, boolean slotWait, boolean permitWait) {
        Consumer<Semaphore> permitFree = permitWait ? sem -> w.offer(Boolean.TRUE) : null;
        if (slotWait) group.mapStarterWaits(1);
        try {
            if (permitFree != null) pulled.rawlink(permitFree); // at once if one was given back meanwhile
            // a slot freed between the look and the count above did not nudge us: look again
            if (slotWait && !group.isFull() && group.slotWaiters() == 0) return;
            w.await(Waiter.NO_DEADLINE);
        } finally {
            if (slotWait) group.mapStarterWaits(-1);
            if (permitFree != null) pulled.unlink(permitFree);
            lock.lock();
            try {
                if (starterWait == w) starterWait = null;
            } finally {
                lock.unlock();
            }
        }
    }

    /** A slot may have been freed in the group: the starter looks again. */
    void nudgeStarter() {
        Waiter w;
        lock.lock();
        try {
            w = takeStarter();
        } finally {
            lock.unlock();
        }
        if (w != null) w.offer(Boolean.TRUE);
    }

    private Waiter takeStarter() { // under lock
        Waiter w = starterWait;
        starterWait = null;
        return w;
    }

    /**
     * Spawns a worker ({@code live} and {@code arriving} counted it already); {@code admitted}: a
     * slot is held for it, else it waits for one. False if the map was closed meanwhile.
     */
    private boolean startWorker(boolean admitted) {
        ItemNode node = new ItemNode(-1, true);
        Greenlet<Void> g = null;
        try {
            Callable<Void> body = () -> {
                work(node);
                return null;
            };
            g = admitted ? group.spawnAdmittedMember(body, node) : group.spawnMember(body, node);
        } finally {
            if (g == null) { // refused, or the starter was stopped while it waited for a slot
                Waiter r;
                lock.lock();
                try {
                    live--;
                    arriving--;
                    r = live == 0 && inputDone ? takeReader() : null;
                } finally {
                    lock.unlock();
                }
                if (r != null) r.offer(Boolean.TRUE);
            }
        }
        return spawnedRunning(node, g, 0); // a worker numbers its items as it pulls them
    }

    /**
     * A worker's body: pull an item (holding the input alone), run it, store its entry; again,
     * until there is no reason to go on (see the overview).
     */
    private void work(ItemNode node) {
        Greenlet<?> me = Greenlet.current();
        boolean yieldEach = !Hub.current().isParallelScheduler();
        boolean permit = false; // a maxsize permit taken for an item not pulled yet
        try {
            Object entry = null; // the last item's, not stored yet
            for (int n = 0;; n++) {
                if (entry != null && yieldEach) {
                    storeEntry(node, entry); // before the yield, where a kill may come
                    entry = null;
                    Greenlets.yieldNow(); // one carrier: the others' turn after each item, as a greenlet per item gives
                }
                boolean goOn = n < RENEW && !node.dying;
                if (goOn && pulled != null) goOn = permit = pulled.tryAcquire();
                Waiter r = null, st = null, pw = null;
                int step;
                lock.lock();
                try {
                    if (!node.arrived) {
                        node.arrived = true;
                        if (--arriving == 0 && pullWaiter == null) st = takeStarter();
                    }
                    if (entry != null) {
                        node.delivered = true;
                        if (!closed) r = store(node.index, entry);
                    }
                    // read under the lock: ordered with slotWanted(), which gives the reader's slot away
                    if (!goOn || closed || inputDone || reacquiring != 0 || group.slotWaiters() != 0) {
                        step = EXIT; // its slot goes back as it ends
                    } else if (!pulling) {
                        pulling = true;
                        reading = node;
                        step = TAKEN;
                    } else if (pullWaiter == null) {
                        pw = pullWaiter = new Waiter(me, false, this);
                        pullWaiterNode = node;
                        step = WAIT;
                    } else {
                        step = EXIT; // one worker waits for the input already
                    }
                } finally {
                    lock.unlock();
                }
                entry = null;
                if (r != null) r.offer(Boolean.TRUE);
                if (st != null) st.offer(Boolean.TRUE);
                if (step == WAIT && !awaitInput(pw)) step = EXIT;
                if (step == EXIT) return;
                permit = false; // pullAndRun's now: the item's, or given back
                entry = pullAndRun(node, me);
                if (entry == null) return; // the input is done
            }
        } finally {
            if (permit) pulled.release();
        }
    }

    /** Stores a worker's last entry on its own (before a yield). */
    private void storeEntry(ItemNode node, Object entry) {
        Waiter r = null;
        lock.lock();
        try {
            node.delivered = true;
            if (!closed) r = store(node.index, entry);
        } finally {
            lock.unlock();
        }
        if (r != null) r.offer(Boolean.TRUE);
    }

    /** Waits to be handed the input; false if it was handed nothing (the input is done). */
    private boolean awaitInput(Waiter w) {
        boolean woken = false;
        try {
            woken = w.await(Waiter.NO_DEADLINE);
            return woken && w.value() == Boolean.TRUE;
        } finally {
            if (!woken) { // killed while waiting: if the input was handed over meanwhile, pass it on
                Waiter next = null, st = null;
                boolean handed = false;
                lock.lock();
                try {
                    if (pullWaiter == w) {
                        pullWaiter = null;
                        pullWaiterNode = null;
                        st = takeStarter();
                    } else if (handedTo == w) {
                        next = handInput();
                        handed = next != null && handedTo == next;
                        st = takeStarter();
                    }
                } finally {
                    lock.unlock();
                }
                if (next != null) next.offer(handed);
                if (st != null) st.offer(Boolean.TRUE);
            }
        }
    }

    /**
     * Gives up the input (under lock): to the waiting worker, or to nobody. Returns the waiter
     * to wake, whose value says whether it holds the input ({@code handedTo}).
     */
    private Waiter handInput() {
        Waiter w = pullWaiter;
        pullWaiter = null;
        if (w != null && !inputDone && !closed) {
            handedTo = w; // `pulling` stays set: it holds the input now
            reading = pullWaiterNode;
        } else {
            pulling = false;
            handedTo = null;
            reading = null;
        }
        pullWaiterNode = null;
        return w;
    }

    /**
     * Someone is about to wait for a slot of the pool: the worker waiting for the input leaves
     * (its slot goes back as it ends), and the one reading it gives its slot up now — it takes
     * one again, waiting its turn, before it runs the item it reads. So an input that waits for
     * another member of the pool (a producer) never waits for a slot this map holds idle.
     */
    void slotWanted() {
        Waiter pw;
        boolean giveUp = false;
        lock.lock();
        try {
            if (!workers) return;
            pw = pullWaiter;
            pullWaiter = null;
            pullWaiterNode = null;
            ItemNode r = reading;
            if (r != null && r.holdsSlot) {
                r.holdsSlot = false;
                giveUp = true;
            }
        } finally {
            lock.unlock();
        }
        if (pw != null) pw.offer(Boolean.FALSE);
        if (giveUp) group.slotFreed();
    }

    /**
     * Holding the input: pulls the next item, gives the input up, and runs the item. Returns its
     * entry, or null when the input is done (or failed).
     */
    private Object pullAndRun(ItemNode node, Greenlet<?> me) {
        Object item = null;
        boolean more = false;
        Throwable failure = null;
        try {
            dev.weft.internal.SignalQueue.deliverPending(me); // a kill that came meanwhile ends it here
            Iterator<?> in = input;
            if (in == null) input = in = iterator != null ? iterator : iterable != null ? iterable.iterator() : stream.iterator();
            more = in.hasNext();
            if (more) item = in.next();
        } catch (Throwable t) {
            if (t instanceof GreenletExit || group.isDying(me)) {
                // killed at the input: the input ends, as when the feeder of a Group's map is killed
                CancellationException c = new CancellationException("a worker of the map was killed as it read the input");
                c.initCause(t);
                releaseInput(false, c, node, true);
                if (pulled != null) pulled.release();
                throw dev.weft.internal.SignalQueue.sneakyThrow(t);
            }
            failure = t; // the input's own failure (a Timeout of its own too) ends it
        }
        long i = releaseInput(more && failure == null, failure, node, true);
        if (i < 0) {
            if (pulled != null) pulled.release();
            return null;
        }
        if (node.mustReacquire) reacquire(node);
        if (item == null) return new Outcome.Failed<R>(new NullPointerException("item " + i + " of the map's input is null"));
        try {
            return new Outcome.Value<R>(apply(item));
        } catch (GreenletExit e) {
            throw e; // killed: the worker ends, and its link stores the item as killed
        } catch (Throwable t) {
            dev.weft.internal.SignalQueue.deliverPending(me); // a kill queued as it failed wins, as for a greenlet
            if (group.isDying(me)) node.dying = true; // a kill that is not a GreenletExit: the item's failure, and the worker ends
            return new Outcome.Failed<R>(t);
        }
    }

    /**
     * Waits its turn for a slot (its own was given up while it read the input), first come first
     * served; while it waits no worker of this map takes the input (`reacquiring`), so a worker
     * that ends its item gives its slot back instead of holding it at an input that may wait for
     * this very item.
     */
    private void reacquire(ItemNode node) {
        boolean got = false, giveBack = false;
        try {
            group.acquireSlotQuietly();
            got = true;
        } finally {
            lock.lock();
            try {
                node.mustReacquire = false;
                reacquiring--;
                if (got) {
                    if (node.discarded) giveBack = true; // not a member: its item runs outside the pool
                    else node.holdsSlot = true;
                }
            } finally {
                lock.unlock();
            }
            if (giveBack) group.slotFreed();
        }
    }

    /**
     * Gives the input up; if an item was pulled ({@code got}), numbers it as this worker's and
     * returns its index; else, if {@code ended}, marks the input done (with {@code failure}, if
     * any); -1.
     */
    private long releaseInput(boolean got, Throwable failure, ItemNode node, boolean ended) {
        Waiter next, st, r = null;
        boolean handed;
        long i = -1;
        lock.lock();
        try {
            if (got) {
                i = spawned++;
                node.index = i;
                node.delivered = false;
            } else if (ended && !inputDone) {
                inputDone = true;
                if (failure != null && !closed) inputFailure = failure;
                if (live == 0) r = takeReader();
            }
            ItemNode heir = pullWaiterNode;
            next = handInput();
            handed = next != null && handedTo == next;
            if (got && !node.holdsSlot) { // its slot was given up while it read
                if (handed && heir.holdsSlot) { // the next reader's slot runs this item; it reads without one
                    heir.holdsSlot = false;
                    node.holdsSlot = true;
                } else {
                    node.mustReacquire = true; // it waits its turn; meanwhile no worker of ours takes the input
                    reacquiring++;
                }
            }
            st = takeStarter();
        } finally {
            lock.unlock();
        }
        if (next != null) next.offer(handed);
        if (st != null) st.offer(Boolean.TRUE);
        if (r != null) r.offer(Boolean.TRUE);
        return i;
    }

    /** A worker's membership link: it left the group (its slot is free). */
    private void workerEnded(ItemNode node, Greenlet<?> g) {
        Waiter c = null, r = null, st = null;
        lock.lock();
        try {
            unlinkRunning(node);
            node.ended = true;
            if (node.awaited && --awaited == 0) {
                c = closer;
                closer = null;
            }
            live--;
            if (!node.arrived) {
                node.arrived = true;
                if (--arriving == 0) st = takeStarter();
            }
            if (!node.delivered) { // it was killed (or broke) while its item ran
                node.delivered = true;
                if (!closed) r = store(node.index, entryOf(g));
            }
            if (r == null && live == 0 && inputDone) r = takeReader();
            if (st == null && live == 0) st = takeStarter(); // none of ours holds a slot now: it queues for one
        } finally {
            lock.unlock();
        }
        if (c != null) c.offer(Boolean.TRUE);
        if (r != null) r.offer(Boolean.TRUE);
        if (st != null) st.offer(Boolean.TRUE);
    }

    private Object entryOf(Greenlet<?> g) {
        Outcome<?> o = g.outcome();
        if (o instanceof Outcome.Value<?>) {
            return new Outcome.Failed<R>(new IllegalStateException("a worker of the map ended without its item's result"));
        }
        return o;
    }

    /**
     * Stores the entry of item {@code i} and wakes the reader if it waits for it. False if the
     * map was closed (the entry is dropped).
     */
    private boolean finish(long i, Object entry, ItemNode node, boolean counts) {
        Waiter w = null;
        boolean dropped = false;
        lock.lock();
        try {
            if (node != null) {
                unlinkRunning(node);
                node.ended = true;
                if (node.awaited && --awaited == 0) {
                    w = closer;
                    closer = null;
                }
            }
            if (closed) {
                dropped = true; // the entry is dropped; w, if any, is the closer
            } else {
                if (counts) spawned = i + 1;
                w = store(i, entry);
            }
        } finally {
            lock.unlock();
        }
        if (w != null) w.offer(Boolean.TRUE);
        return !dropped;
    }

    /** Stores item {@code i}'s entry (under lock, not closed); returns the reader to wake, if any. */
    private Waiter store(long i, Object entry) {
        if (ordered) {
            ensureRoom(i);
            ring[(int) i & (ring.length - 1)] = entry;
            return i == read ? takeReader() : null;
        }
        finished.add(entry);
        return takeReader();
    }

    private Waiter takeReader() { // under lock
        Waiter w = reader;
        reader = null;
        return w;
    }

    /** Makes the ring hold item {@code i} (under lock; imap): the window is [read, i]. */
    private void ensureRoom(long i) {
        int n = ring.length;
        if (i - read < n) return;
        int size = n;
        while (i - read >= size) size <<= 1;
        Object[] bigger = new Object[size];
        for (long k = read; k < read + n; k++) bigger[(int) k & (size - 1)] = ring[(int) k & (n - 1)];
        ring = bigger;
    }

    private void linkRunning(ItemNode node) { // under lock
        node.next = runningHead;
        if (runningHead != null) runningHead.prev = node;
        runningHead = node;
        node.linked = true;
    }

    private void unlinkRunning(ItemNode node) { // under lock
        if (!node.linked) return;
        node.linked = false;
        if (node.prev != null) node.prev.next = node.next;
        else runningHead = node.next;
        if (node.next != null) node.next.prev = node.prev;
        node.prev = node.next = null;
    }

    /**
     * One item: run by its membership link after the member left the group, it stores the result
     * (the membership link receives, so the item's failure is delivered here and not reported);
     * and its node in the list of running items.
     */
    private final class ItemNode implements Consumer<Greenlet<?>>, Group.SlotHolder {
        private final boolean worker;
        long index; // guarded by lock: a worker's current item
        Greenlet<?> greenlet; // guarded by lock: set once spawned
        ItemNode prev, next; // guarded by lock
        boolean linked, ended, awaited; // guarded by lock: in the list; its link ran; close() waits for it
        boolean arrived, delivered = true; // guarded by lock: a worker reached the input; its item's entry is stored
        boolean mustReacquire; // guarded by lock: its slot was given up while it read
        volatile boolean holdsSlot = true; // a worker's, false while its slot is given up (written under lock)
        volatile boolean dying; // the worker leaves after its item: a kill an item took as its failure, or discarded
        boolean discarded; // guarded by lock: no longer a member (its slot was freed or never held)

        ItemNode(long index, boolean worker) {
            this.index = index;
            this.worker = worker;
        }

        @Override
        public void accept(Greenlet<?> g) {
            if (worker) workerEnded(this, g);
            else finish(index, g, this, false);
        }

        @Override
        public boolean holdsSlot() {
            return holdsSlot;
        }

        @Override
        public boolean discarded() {
            lock.lock();
            try {
                dying = true; // a worker leaves after its item: it is not the pool's any more
                discarded = true;
                boolean had = holdsSlot;
                holdsSlot = false;
                return had;
            } finally {
                lock.unlock();
            }
        }
    }

    /** The feeder's end: the input is done (or failed, or the feeder was stopped). */
    private final class FeederEnd implements Consumer<Greenlet<Void>> {
        @Override
        public void accept(Greenlet<Void> f) {
            Waiter w, pw;
            lock.lock();
            try {
                inputDone = true;
                if (!closed) {
                    Throwable e = f.exception();
                    if (e != null) inputFailure = e;
                    else if (f.isKilled()) {
                        CancellationException c = new CancellationException("the map's feeder was stopped");
                        switch (f.outcome()) {
                            case Outcome.Killed<Void>(GreenletExit exit) -> c.initCause(exit);
                            default -> {}
                        }
                        inputFailure = c;
                    }
                }
                w = takeReader();
                pw = pullWaiter; // a worker waiting for the input leaves
                pullWaiter = null;
            } finally {
                lock.unlock();
            }
            group.mapEnded(MapIterator.this);
            if (w != null) w.offer(Boolean.TRUE);
            if (pw != null) pw.offer(Boolean.FALSE);
        }
    }

    // ---------------------------------------------------------------- the reader

    /** Waits for the next entry, or END. */
    private Object take() {
        Greenlet<?> me = Greenlet.current();
        for (;;) {
            Waiter w = null;
            Object e;
            boolean release = false;
            lock.lock();
            try {
                if (closed) return END;
                if (ordered) {
                    int slot = (int) read & (ring.length - 1);
                    e = ring[slot];
                    ring[slot] = null;
                } else {
                    e = finished.poll();
                }
                if (e != null) {
                    read++;
                    release = true;
                } else if (inputDone && read == spawned && live == 0) {
                    if (inputFailure != null && !inputFailureRead) {
                        inputFailureRead = true;
                        e = new Outcome.Failed<R>(inputFailure);
                    } else {
                        e = END;
                    }
                } else {
                    w = new Waiter(me, false, this);
                    reader = w;
                }
            } finally {
                lock.unlock();
            }
            if (e != null) {
                if (release && pulled != null) pulled.release();
                return e;
            }
            boolean woken = false;
            try {
                woken = w.await(Waiter.NO_DEADLINE);
            } finally {
                if (!woken) {
                    lock.lock();
                    try {
                        if (reader == w) reader = null;
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
    }

    /**
     * True if another result (or failure) is coming; waits until that is known. Reading to the
     * end closes the iterator.
     */
    @Override
    public boolean hasNext() {
        if (closed) { // also when a result was peeked before close()
            peeked = null;
            return false;
        }
        if (peeked == null) peeked = take();
        if (peeked != END) return true;
        close();
        return false;
    }

    private Object nextEntry() {
        if (!hasNext()) throw new NoSuchElementException("the map has no more results");
        Object e = peeked;
        peeked = null;
        return e;
    }

    /**
     * The next result, waiting for it. A failed item's exception is rethrown, and a killed item
     * is a {@link CancellationException}; the map goes on (gevent): the next call returns the
     * next result (see the class comment).
     *
     * @return the result
     * @throws NoSuchElementException if there are no more results
     */
    @Override
    public R next() {
        return valueOrThrow(nextOutcome());
    }

    private static <R> R valueOrThrow(Outcome<R> outcome) {
        switch (outcome) {
            case Outcome.Value<R>(R value) -> {
                return value;
            }
            case Outcome.Failed<R>(Throwable error) -> throw Group.rethrow(error);
            case Outcome.Killed<R>(GreenletExit exit) ->
                throw (CancellationException) new CancellationException("an item of the map was killed: " + exit)
                        .initCause(exit);
        }
    }

    /**
     * The next item's outcome, waiting for it: a failure is returned, not thrown, and the map
     * goes on.
     *
     * @return the outcome
     * @throws NoSuchElementException if there are no more results
     */
    @SuppressWarnings("unchecked")
    public Outcome<R> nextOutcome() {
        Object e = nextEntry();
        if (e instanceof Greenlet<?> g) return ((Greenlet<R>) g).outcome();
        return (Outcome<R>) e;
    }

    /**
     * The results as a sequential {@code Stream}; closing the stream closes this iterator. A
     * stream cannot go on after its source throws, so a failed or killed item (thrown as by
     * {@link #next()}) also closes this iterator: the items still running are killed.
     *
     * @return the stream
     */
    public Stream<R> stream() {
        Iterator<R> it = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return MapIterator.this.hasNext();
            }

            @Override
            public R next() {
                Outcome<R> o = nextOutcome();
                if (!(o instanceof Outcome.Value<R>)) close(); // the stream ends with the exception below
                return valueOrThrow(o);
            }
        };
        Spliterator<R> s = Spliterators.spliteratorUnknownSize(it, ordered ? Spliterator.ORDERED : 0);
        return StreamSupport.stream(s, false).onClose(this::close);
    }

    /**
     * Every item's {@link Outcome} as a sequential {@code Stream} (failures do not end it);
     * closing the stream closes this iterator.
     *
     * @return the stream
     */
    public Stream<Outcome<R>> outcomes() {
        Iterator<Outcome<R>> it = new Iterator<>() {
            @Override
            public boolean hasNext() {
                return MapIterator.this.hasNext();
            }

            @Override
            public Outcome<R> next() {
                return nextOutcome();
            }
        };
        Spliterator<Outcome<R>> s = Spliterators.spliteratorUnknownSize(it, ordered ? Spliterator.ORDERED : 0);
        return StreamSupport.stream(s, false).onClose(this::close);
    }

    // ---------------------------------------------------------------- closing

    /**
     * Stops the map: the feeder stops pulling, the items still running are killed, and this
     * waits for both to end (a blocking point) — the killed items have left the group, and freed
     * their slots in a {@link Pool}, when it returns; then a {@code Stream} input is closed. Results
     * not read are dropped; {@link #hasNext()} is false from now on. Closing twice does nothing.
     */
    @Override
    public void close() {
        Greenlet<Void> f;
        List<Greenlet<?>> inFlight;
        Waiter w;
        lock.lock();
        try {
            if (closed) return;
            closed = true;
            f = feeder;
            inFlight = new ArrayList<>();
            Greenlet<?> me = Greenlet.current();
            for (ItemNode n = runningHead; n != null; ) {
                ItemNode next = n.next;
                if (n.greenlet != null) { // else its feeder kills it
                    inFlight.add(n.greenlet);
                    if (n.greenlet != me) {
                        n.awaited = true;
                        awaited++;
                    }
                }
                n.linked = false;
                n.prev = n.next = null;
                n = next;
            }
            runningHead = null;
            if (finished != null) finished.clear();
            if (ring != null) java.util.Arrays.fill(ring, null);
            w = takeReader();
        } finally {
            lock.unlock();
        }
        group.mapEnded(this);
        if (w != null) w.offer(Boolean.TRUE);
        try {
            if (f != null && !f.isReady()) f.kill(new GreenletExit("its map was closed"), false, null);
            for (Greenlet<?> g : inFlight) killItem(g);
            if (f != null && f != Greenlet.current()) f.join();
            awaitItemLinks();
        } finally {
            if (stream != null) stream.close();
        }
    }

    /**
     * Waits until the link of every item close() killed has run — not only until the items
     * ended: a greenlet is ready before its links run, and only its link takes it out of the
     * group and frees its slot.
     */
    private void awaitItemLinks() {
        Greenlet<?> me = Greenlet.current();
        for (;;) {
            Waiter w;
            lock.lock();
            try {
                if (awaited == 0) return;
                w = new Waiter(me, false, this);
                closer = w;
            } finally {
                lock.unlock();
            }
            boolean woken = false;
            try {
                woken = w.await(Waiter.NO_DEADLINE);
            } finally {
                if (!woken) {
                    lock.lock();
                    try {
                        if (closer == w) closer = null;
                    } finally {
                        lock.unlock();
                    }
                }
            }
        }
    }

    private void killItem(Greenlet<?> g) {
        GreenletExit exit = new GreenletExit("its map was closed");
        if (!group.killOne(g, exit, false, null) && !group.contains(g)) g.kill(exit, false, null);
    }

    @Override
    public String toString() {
        return (ordered ? "imap" : "imapUnordered") + "[read=" + read + ", started=" + spawned
                + (closed ? ", closed" : inputDone ? ", input done" : "") + "]";
    }
}
