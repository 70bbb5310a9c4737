package dev.weft.pool;

import dev.weft.CheckedRunnable;
import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.GreenletFailure;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.Interrupted;
import dev.weft.Outcome;
import dev.weft.internal.InternalListener;
import dev.weft.internal.Node;
import dev.weft.internal.NodeList;
import dev.weft.internal.SpinLock;
import dev.weft.internal.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A set of running greenlets that can be joined and killed together (gevent's {@code Group},
 * proc.py's {@code RunningProcSet}), with gevent's apply/map family; {@link Pool} adds a bound on
 * how many run at once.
 *
 * {@snippet :
 * Group group = new Group();
 * for (String url : urls) group.spawn(() -> fetch(url));
 * group.join();                                  // every member has finished
 * }
 *
 * <h2>Membership</h2>
 * {@link #spawn} starts a greenlet in the group; {@link #add}/{@link #start} track one made
 * elsewhere; {@link #Group(Collection)} adopts running greenlets. A member leaves by itself when
 * it finishes (an internal link, which does <em>not</em> count as receiving its failure: a
 * member's failure is still reported to the hub's error handler, as gevent prints it), or when
 * {@link #discard}ed. Adding a finished greenlet does nothing. Iteration, {@link #size()} and
 * {@link #contains} see a snapshot.
 *
 * <h2>Joining and killing</h2>
 * {@link #join()} waits until the group is empty <em>at least once</em> — members spawned by
 * members while the join waits are waited for too. {@link #kill()} throws a {@link GreenletExit}
 * into every member, each at most once however often {@code kill}/{@link #killOne} is called;
 * a blocking kill also kills members added while it waits (a dying member spawning more), and
 * stops the feeders of the group's running {@code imap}s. (gevent's {@code kill} and
 * {@code join} snapshot the members, so a member spawned meanwhile is neither waited for nor
 * killed.) A member cannot join or wait for its own group (it would wait for itself):
 * {@link IllegalStateException}.
 *
 * <h2>The apply / map family</h2>
 * {@link #apply} runs a task in the group and returns its value (inline when the caller is a
 * member, which would otherwise deadlock a full pool); {@link #applyAsync} never blocks;
 * {@link #map} keeps input order and raises the first failure; {@link #imap} and
 * {@link #imapUnordered} return a lazy {@link MapIterator} (input order, completion order) with
 * back-pressure ({@code maxsize}), an optional per-item timeout, early close, and failures as
 * {@link Outcome}s if wanted. Several inputs (gevent's {@code imap(func, *iterables)}) are one
 * zipped input: pass a stream of records and unpack them in the function.
 *
 * <h2>Scoped groups</h2>
 * {@link #scoped()} makes a group for try-with-resources: leaving the block waits for every
 * member; the first member failure kills the others, refuses new spawns, and is rethrown by
 * {@link #close()} (later failures attached as suppressed). See {@code docs/pool.md} for how it
 * differs from the JDK's {@code StructuredTaskScope}.
 *
 * <h2>Blocking, kills and timeouts</h2>
 * {@code join}, a blocking {@code kill}, {@code apply}, {@code map}, {@code close} — and for a
 * {@link Pool}, {@code spawn}, {@code add} and {@code waitAvailable} — park through weft's
 * waiting core: a kill or a {@code Timeout} aimed at the caller is thrown there, and leaves the
 * group as it was (a pool slot being waited for is not taken). Timed forms follow ADR 4: a wait
 * for a condition returns a boolean; {@code null} means no limit; a negative timeout is an
 * {@link IllegalArgumentException}.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public class Group implements Iterable<Greenlet<?>>, AutoCloseable {
    /*
     * Overview (for maintainers). Each membership is a Member: the member's rawlink (it leaves
     * when the member ends) and a node of a lock-free list, newest first (`head`, pushed with a
     * CAS), with two flags set once by CAS: `dying` (a kill was sent: never send another) and
     * `gone` (it left: ended or discarded — whoever sets it does the leaving, once: the Pool's
     * slot freed in `slotFreed`, then `left` up). Gone members stay linked until a sweep (one
     * at a time, the only writer of `next`) unlinks them, when as many are gone as are live (at
     * least 64; looked at every 64th leave): readers walk the list without a lock and skip them.
     * The size is two counters that only grow, `added` (counted by a push) and `left` (by a
     * leave), size = added − left. They sit apart: `head` and `added` on cache lines of their
     * own (the spawner's), `left` on another (the ending members'), away from this object's
     * fields that both sides read. A pooled spawn and a member's end run on two carriers at
     * once; one counter written by both, or a counter beside the fields the other side reads,
     * moved a cache line between the carriers on every item (Pool(100) spawn+join ~2.0x raw with
     * one `size`, ~1.6x without it; BENCHMARKS.md, "Session 7"). A member's add is counted
     * before its leave can be, so left ≤ added at every moment; reading `left` and then `added`
     * and finding them equal proves the group was empty when `left` was read. A greenlet's membership is found
     * among the greenlet's own pending links (GreenletAccess.pendingListener), not in a map.
     * Why not a map under the lock (as before session 5): a pooled spawn and a member's end run
     * on two carriers at once, and the lock and the map's entries moved between their caches on
     * every item — 25% of a Pool(100) spawn+join (BENCHMARKS.md, "Session 5").
     * The slow state — `emptyWaiters`, `killing`, `killers`, `maps`, the scoped failures — is
     * guarded by `lock` (a SpinLock, never held while parking, waking, or running user code).
     * `closed`, `cancelled` and `killing` pair with the list as a Dekker handshake: an adder
     * pushes, then reads them; whoever sets one (under the lock) then walks the list. Either the
     * adder sees the flag (and refuses, or kills its member) or the walker sees the member.
     * Joiners: under the lock, a joiner queues its waiter and counts itself in `joiners`, then
     * looks (left, then added). A leave counts itself in `left`, then reads `joiners` (the
     * Dekker handshake: either the leave sees the joiner or the joiner's look sees the leave);
     * if a joiner waits and the counters look equal, it takes the lock and looks again. Every
     * look that finds the group empty while holding the lock claims every queued waiter (one
     * CAS each; all were queued before the look) and wakes them after the lock; so does size()
     * when it reads 0 while a joiner waits. An add that lands between a leave's two looks
     * overlaps that leave, and is ordered before it: the group was never empty, and no one was
     * told otherwise. So "empty at least once after join was called" holds for every joiner
     * and is consistent with what size() reported; the spawner never reads the leaves' side.
     * spawn makes the greenlet unstarted, adds it, then starts it: a member is a member from its
     * first instruction (apply inline, kills). Tests: GroupTest, PoolTest, ScopedGroupTest,
     * MapTest, GroupMembershipStressTest; the Lincheck models GroupMembershipModelTest,
     * PoolSlotsModelTest and GroupJoinModelTest (the join handshake above: it fails if a leave
     * skips its look at `joiners`, if a joiner looks before it counts itself, or if a look reads
     * `added` before `left`).
     */
    private final SpinLock lock = new SpinLock();
    // The hot cells, each on a cache line of its own (see the overview). A Java object's field
    // order is the JVM's choice, so they are array elements 64 bytes from anything else: the
    // list's head at HEAD_AT of `heads`; `added` and `left` at ADDED_AT and LEFT_AT of `counts`.
    private final Member[] heads = new Member[2 * HEAD_AT + 1]; // the membership list, newest first; pushed by CAS
    private final long[] counts = new long[LEFT_AT + 8]; // added at ADDED_AT (spawner side), left at LEFT_AT (leaving side)
    private static final int HEAD_AT = 16; // 16 references of 4 bytes (8 uncompressed): ≥ 64 bytes either side
    private static final int ADDED_AT = 8, LEFT_AT = 16; // longs: 64 bytes apart, and from both ends
    private long swept; // gone members unlinked so far; written under `sweeping`
    private volatile int sweeping; // 1 while a sweep runs (a try-lock)
    private volatile int joiners; // written under lock: join waiters queued
    private final java.util.HashSet<Greenlet<?>> adding = new java.util.HashSet<>(); // guarded by lock: adds of existing greenlets between push and link
    private final NodeList emptyWaiters = new NodeList(); // guarded by lock (its *Guarded operations)
    private final List<MapIterator<?>> maps = new ArrayList<>(); // guarded by lock: running imaps
    private volatile int mapCount; // maps.size(), written under lock, read without it (slotWanted)
    private int killers; // guarded by lock: blocking kills under way
    private volatile Throwable killing; // written under lock: what blocking kills throw into members added meanwhile
    private volatile boolean closed; // written under lock: close() finished: no more spawns
    private volatile String cancelled; // written under lock: why a scoped group refuses spawns, or null
    private Throwable firstFailure; // guarded by lock: scoped groups
    private List<Throwable> laterFailures; // guarded by lock: scoped groups
    private final GreenletFactory factory; // null: the hub's own spawn
    private final boolean scoped;

    /**
     * One membership, and the member's rawlink: when the member ends it leaves the group, then
     * runs {@code then} (a map item's node, which takes the result). This class receives the
     * member's failure (a scoped group rethrows it; a map delivers it), so it is not reported;
     * {@link InternalMember}, a plain group's, does not.
     */
    private class Member implements Consumer<Greenlet<?>> {
        // both dropped once used, so a gone member waiting for a sweep keeps nothing reachable
        Greenlet<?> greenlet; // null once gone
        Consumer<? super Greenlet<?>> then; // null: none, or run already
        volatile Member next; // written before the push; later only by a sweep
        volatile int dying; // 1: a kill was sent
        volatile int gone; // 1: it left

        Member(Greenlet<?> greenlet, Consumer<? super Greenlet<?>> then) {
            this.greenlet = greenlet;
            this.then = then;
        }

        final Group group() {
            return Group.this;
        }

        final boolean markDying() {
            return dying == 0 && DYING.compareAndSet(this, 0, 1);
        }

        final boolean markGone() {
            return gone == 0 && GONE.compareAndSet(this, 0, 1);
        }

        @Override
        public final void accept(Greenlet<?> g) {
            Consumer<? super Greenlet<?>> t = then;
            memberEnded(this, g);
            if (t != null) {
                then = null;
                t.accept(g);
            }
        }

        @Override
        public String toString() {
            return "member of " + Group.this;
        }
    }

    /** A plain group's membership link: internal, so a member's failure is still reported. */
    private final class InternalMember extends Member implements InternalListener {
        InternalMember(Greenlet<?> greenlet) {
            super(greenlet, null);
        }
    }

    /** An empty group spawning plain greenlets of the current hub. */
    public Group() {
        this(null, false);
    }

    /**
     * An empty group whose {@link #spawn} makes its greenlets with {@code factory} (gevent's
     * {@code greenlet_class}).
     *
     * @param factory makes new, unstarted greenlets
     * @throws NullPointerException if {@code factory} is null
     */
    public Group(GreenletFactory factory) {
        this(Objects.requireNonNull(factory, "factory"), false);
    }

    /**
     * A group tracking {@code greenlets} (gevent's {@code Group(iterable)}); those finished
     * already are left out.
     *
     * @param greenlets running greenlets to adopt
     * @throws NullPointerException if {@code greenlets} or one of them is null
     */
    @SuppressWarnings("this-escape") // add() is final in effect: Pool's overrides touch only its own final fields
    public Group(Collection<? extends Greenlet<?>> greenlets) {
        this(null, false);
        Objects.requireNonNull(greenlets, "greenlets");
        for (Greenlet<?> g : greenlets) add(g);
    }

    Group(GreenletFactory factory, boolean scoped) {
        this.factory = factory;
        this.scoped = scoped;
    }

    /**
     * A group for try-with-resources (Trio's nursery, the JDK's {@code StructuredTaskScope},
     * with gevent's handles):
     *
     * {@snippet :
     * try (Group scope = Group.scoped()) {
     *     scope.spawn(() -> fetch(a));
     *     scope.spawn(() -> fetch(b));
     * }   // waits for both; if one fails, the other is killed and the failure is thrown here
     * }
     *
     * <ul>
     * <li>{@link #close()} (the end of the block) waits for every member, including members
     *     spawned while it waits;</li>
     * <li>the first member that fails (any exception but a {@link GreenletExit}; a
     *     {@code Timeout} that ends a member counts) kills the others and makes the group refuse
     *     spawns ({@link IllegalStateException}); {@code close()} rethrows it — an unchecked one
     *     as the very instance, a checked one wrapped in {@link GreenletFailure} — with later
     *     failures attached as suppressed. Members' failures are received by the scope, so they
     *     are not reported to the hub's error handler;</li>
     * <li>{@link #kill()} cancels the scope too: members are killed, spawns are refused, and
     *     {@code close()} returns normally;</li>
     * <li>if the owner is killed or times out <em>while</em> {@code close()} waits, the members
     *     are killed and waited for, and the signal goes on. Java's {@code close()} cannot see
     *     an exception that left the block: for that, kill the scope in a {@code catch}, or use
     *     {@link #scoped(ScopeBody)}.</li>
     * </ul>
     *
     * @return a new, empty scoped group spawning plain greenlets of the current hub
     */
    public static Group scoped() {
        return new Group(null, true);
    }

    /**
     * The body of {@link #scoped(ScopeBody)}.
     *
     * @param <T> its value's type
     */
    @FunctionalInterface
    public interface ScopeBody<T> {
        /**
         * Runs in the scope.
         *
         * @param scope the scoped group
         * @return the value
         * @throws Exception any failure
         */
        T run(Group scope) throws Exception;
    }

    /**
     * Runs {@code body} with a new {@link #scoped()} group and closes it: unlike a
     * try-with-resources block, if {@code body} throws, the members are killed (and waited for)
     * before the exception goes on, with a member's failure attached as suppressed.
     *
     * @param body what to run in the scope
     * @param <T> its value's type
     * @return the body's value, once every member has finished
     * @throws GreenletFailure wrapping a checked exception of the body or of a member
     */
    public static <T> T scoped(ScopeBody<T> body) {
        Objects.requireNonNull(body, "body");
        Group scope = scoped();
        T value;
        try {
            value = body.run(scope);
        } catch (Throwable t) {
            try {
                scope.kill();
                scope.close();
            } catch (Throwable u) {
                if (u != t) t.addSuppressed(u);
            }
            throw rethrow(t);
        }
        scope.close();
        return value;
    }

    // ---------------------------------------------------------------- slots (Pool overrides)

    /** Takes a slot, waiting at most {@code timeout}; false on expiry (Group: always true). */
    boolean acquireSlot(Duration timeout) {
        return true;
    }

    /** Takes a slot if one is free now and nobody waits (Group: always true). */
    boolean tryAcquireSlot() {
        return true;
    }

    /** Gives back a slot taken by {@code acquireSlot}/{@code tryAcquireSlot} (Group: nothing). */
    void slotFreed() {}

    /** True if the group makes its greenlets with a {@link GreenletFactory}. */
    final boolean hasFactory() {
        return factory != null;
    }

    /**
     * Waits for a slot without telling the maps (a map's worker taking one back after it read
     * the input; Group: nothing to wait for).
     */
    void acquireSlotQuietly() {}

    /** How many wait for a slot now (Group: none). */
    int slotWaiters() {
        return 0;
    }

    /**
     * True if this group's maps run their items in workers that each run several items (a
     * bounded Pool without a greenlet factory; see MapIterator); else each item is a member of
     * its own.
     */
    boolean runsMapsInWorkers() {
        return false;
    }

    /**
     * A member's link that may have given its slot away while it lived (a map's worker reading
     * the input): its leave frees a slot only if it holds one then.
     */
    interface SlotHolder {
        /** True if the member holds its slot now. */
        boolean holdsSlot();

        /**
         * The member was discarded (it left without freeing a slot): it is not the group's any
         * more, and its link still runs when it ends. Returns whether it held its slot, which the
         * caller then frees; it holds none from now on.
         */
        boolean discarded();
    }

    /** Someone is about to wait for a slot: the maps' workers idle at the input give theirs up. */
    final void slotWanted() {
        // the caller counted itself first; a map registered after this look checks that count
        // before any of its workers takes the input, so skipping it here loses nothing
        forEachMap(MapIterator::slotWanted);
    }

    /** Runs {@code action} for each running map, outside the lock (a snapshot). */
    private void forEachMap(Consumer<MapIterator<?>> action) {
        if (mapCount == 0) return;
        List<MapIterator<?>> ms;
        lock.lock();
        try {
            if (maps.isEmpty()) return;
            ms = new ArrayList<>(maps);
        } finally {
            lock.unlock();
        }
        for (MapIterator<?> m : ms) action.accept(m);
    }

    /** True if the member {@code g} was sent a kill by this group (kill, killOne). */
    final boolean isDying(Greenlet<?> g) {
        Member m = find(g);
        return m != null && m.dying != 0;
    }

    /** A map's starter begins (+1) or ends (-1) waiting for a slot to be freed (a Pool counts). */
    void mapStarterWaits(int delta) {}

    /** A slot was freed while a map's starter waited for one: they look again. */
    final void nudgeMapStarters() {
        forEachMap(MapIterator::nudgeStarter);
    }

    // ---------------------------------------------------------------- membership

    /**
     * Starts tracking {@code greenlet} (gevent's {@code add}); a finished one, or a member, is
     * left alone. Usually the greenlet is unstarted: {@link #start} adds and starts it. In a
     * {@link Pool} this waits for a free slot.
     *
     * @param greenlet the greenlet
     * @throws NullPointerException if {@code greenlet} is null
     * @throws IllegalStateException if the group was closed, or is a cancelled scope
     */
    public void add(Greenlet<?> greenlet) {
        Objects.requireNonNull(greenlet, "greenlet");
        if (contains(greenlet)) return;
        checkOpen();
        acquireSlot(null);
        trackOrFree(greenlet);
    }

    /** {@link #track}, freeing the held slot if {@code g} did not become a member. */
    final void trackOrFree(Greenlet<?> g) {
        boolean added = false;
        try {
            added = track(g);
        } finally {
            if (!added) slotFreed();
        }
    }

    /**
     * Adds the <em>unstarted</em> {@code greenlet} to the group, then starts it (gevent's
     * {@code start}).
     *
     * @param greenlet the greenlet
     * @throws NullPointerException if {@code greenlet} is null
     * @throws IllegalStateException if the group was closed, is a cancelled scope, or the
     *     greenlet's hub is closed
     */
    public void start(Greenlet<?> greenlet) {
        add(greenlet);
        startTracked(greenlet);
    }

    final void startTracked(Greenlet<?> greenlet) {
        try {
            greenlet.start();
        } catch (RuntimeException | Error e) {
            discard(greenlet);
            throw e;
        }
    }

    /**
     * Makes {@code g}, which holds a slot, a member; false (the caller frees the slot) if it
     * finished already or is a member. A scoped group notes the failure of one that finished.
     */
    final boolean track(Greenlet<?> g) {
        return track(g, null, false);
    }

    /**
     * {@link #track(Greenlet)} with {@code then} run by the member's link after it leaves.
     * {@code fresh}: {@code g} was just made by this group's spawn, so it cannot be a member yet
     * (no lookup, no lock); otherwise the check and the push happen under the lock, so two
     * concurrent adds of one greenlet make one member.
     */
    private boolean track(Greenlet<?> g, Consumer<? super Greenlet<?>> then, boolean fresh) {
        if (g.isReady()) {
            checkOpen();
            if (scoped) noteFailure(g);
            return false;
        }
        Member m = then != null || scoped ? new Member(g, then) : new InternalMember(g);
        if (fresh) {
            push(m);
        } else {
            lock.lock();
            try {
                if (adding.contains(g) || find(g) != null) return false;
                adding.add(g);
                push(m);
            } finally {
                lock.unlock();
            }
        }
        try {
            // the Dekker handshake with close, cancel and kill: pushed, now read their flags
            String refused = closed ? "closed" : cancelled;
            if (refused != null) {
                leave(m, false); // never a member: undone (the caller frees the slot)
                throw new IllegalStateException(this + " refuses new members: " + refused);
            }
            g.rawlink(m); // runs at once if g ended meanwhile: it leaves
        } finally {
            if (!fresh) {
                lock.lock();
                try {
                    adding.remove(g);
                } finally {
                    lock.unlock();
                }
            }
        }
        Throwable killWith = killing;
        if (killWith != null && m.markDying()) g.kill(killWith, false, null);
        return true;
    }

    private void push(Member m) {
        for (;;) {
            Member h = head();
            m.next = h;
            if (HEADS.compareAndSet(heads, HEAD_AT, h, m)) break;
        }
        COUNTS.getAndAdd(counts, ADDED_AT, 1L);
    }

    private Member head() {
        return (Member) HEADS.getVolatile(heads, HEAD_AT);
    }

    private long added() {
        return (long) COUNTS.getVolatile(counts, ADDED_AT);
    }

    private long left() {
        return (long) COUNTS.getVolatile(counts, LEFT_AT);
    }

    /** True if the group is empty now: left read first, then added (see the overview). */
    private boolean looksEmpty() {
        long l = left();
        return added() == l;
    }

    /** The live membership of {@code g} in this group, from {@code g}'s own pending links; or null. */
    private Member find(Greenlet<?> g) {
        return (Member) dev.weft.internal.GreenletAccess.pendingListener(g,
                l -> l instanceof Member m && m.group() == this && m.gone == 0);
    }

    /** Called by each member's link when it ends; does nothing if it left already (discarded). */
    private void memberEnded(Member m, Greenlet<?> g) {
        // a scope's failure is noted before the member leaves: its leave may wake the scope's
        // close(), which must find the failure there (noted after, it was lost now and then)
        if (scoped && m.gone == 0) noteFailure(g);
        leave(m, true);
    }

    /**
     * Makes {@code m} gone, once: size down, a join waiter woken if that emptied the group, a
     * sweep if enough are gone; {@code freeSlot}: the Pool's slot too (not for a refused add,
     * whose caller frees it). False if it was gone already.
     */
    private boolean leave(Member m, boolean freeSlot) {
        if (!m.markGone()) return false;
        m.greenlet = null; // a list walk reads it before `gone`, and skips a null
        // the slot first: once the size reads 0 (an empty group, a join that returns) every
        // slot is free again; the price is that a spawn admitted into this slot may be counted
        // in size() for a moment before this member stops being counted
        if (freeSlot && (!(m.then instanceof SlotHolder h) || h.holdsSlot())) slotFreed();
        long left = (long) COUNTS.getAndAdd(counts, LEFT_AT, 1L) + 1;
        // counted out, now read `joiners` (the handshake with awaitEmpty); `added` is the
        // spawner's line: read only while a joiner waits
        if (joiners != 0 && added() == left) lookAgainAndWake();
        if ((left & 63) == 0) sweepIfDue();
        return true;
    }

    /**
     * Under the lock, looks again; if the group is empty, claims every queued join waiter and
     * wakes them (after the lock).
     *
     * @return the size seen under the lock
     */
    private long lookAgainAndWake() {
        List<Waiter> woken;
        long n;
        lock.lock();
        try {
            long l = left();
            n = added() - l;
            woken = n == 0 ? claimEmptyWaiters() : null;
        } finally {
            lock.unlock();
        }
        if (woken != null) for (Waiter w : woken) w.wake();
        return n;
    }

    /** Unlinks gone members once as many are gone as are live (at least 64): amortised O(1) per leave. */
    private void sweepIfDue() {
        if (sweeping != 0 || !SWEEPING.compareAndSet(this, 0, 1)) return;
        try {
            long l = left();
            long garbage = l - swept;
            if (garbage < 64 || garbage < added() - l) return;
            int removed = 0;
            Member h = head();
            if (h == null) return;
            Member prev = h;
            for (Member n = h.next; n != null; n = n.next) {
                if (n.gone != 0) {
                    prev.next = n.next; // readers at n go on from n.next: nothing is skipped
                    removed++;
                } else {
                    prev = n;
                }
            }
            if (h.gone != 0 && HEADS.compareAndSet(heads, HEAD_AT, h, h.next)) removed++;
            swept += removed;
        } finally {
            SWEEPING.setRelease(this, 0);
        }
    }

    private List<Waiter> claimEmptyWaiters() { // under lock
        if (emptyWaiters.looksEmpty()) return null;
        List<Waiter> out = new ArrayList<>();
        for (Node n; (n = emptyWaiters.pollGuarded()) != null; ) {
            if (n.claim(Boolean.TRUE)) out.add((Waiter) n);
        }
        joiners = 0;
        return out;
    }

    /** The members not gone, in the order they joined; {@code dying}: only those not sent a kill, now marked. */
    private List<Greenlet<?>> snapshot(boolean markDying) {
        ArrayList<Greenlet<?>> out = new ArrayList<>();
        for (Member n = head(); n != null; n = n.next) {
            Greenlet<?> g = n.greenlet;
            if (g == null || n.gone != 0) continue;
            if (markDying && !n.markDying()) continue;
            out.add(g);
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /**
     * Stops tracking {@code greenlet} without killing it (gevent's {@code discard}); in a
     * {@link Pool} its slot is freed. Does nothing if it is not a member.
     *
     * @param greenlet the greenlet
     * @throws NullPointerException if {@code greenlet} is null
     */
    public void discard(Greenlet<?> greenlet) {
        Objects.requireNonNull(greenlet, "greenlet");
        Member m = find(greenlet);
        if (m == null) return;
        if (m.then instanceof SlotHolder h) { // a map's item or worker: its link stays, to deliver its result
            if (leave(m, false) && h.discarded()) slotFreed();
            return;
        }
        if (!leave(m, true)) return;
        greenlet.unlink(m);
    }

    /**
     * True if {@code greenlet} is a member now.
     *
     * @param greenlet the greenlet to look for; any object (one that is not a member's greenlet,
     *     null included, gives false)
     * @return true if it was added and has not left yet (a member leaves when it ends or is
     *     discarded)
     */
    public boolean contains(Object greenlet) {
        return greenlet instanceof Greenlet<?> g && find(g) != null;
    }

    /**
     * The number of members now (gevent's {@code len}; proc.py's {@code current_size}).
     * In a {@link Pool}, a member that is leaving frees its slot before it stops being counted:
     * once this reads 0 every slot is free, and a spawn admitted into a slot just freed may be
     * counted for a moment alongside the member leaving it (one more than the pool's size).
     *
     * @return the members now, 0 or more; a snapshot
     */
    public int size() {
        long l = left();
        long n = added() - l; // ≥ 0: left ≤ added, and added is read after left
        // a joiner waits: a 0 reported must be one it sees too (the leave that emptied the group
        // may have seen an add land meanwhile and left the joiner waiting), so look under the lock
        if (n == 0 && joiners != 0) n = lookAgainAndWake();
        return (int) Math.min(n, Integer.MAX_VALUE);
    }

    /** {@link #size()} without taking the lock or waking anyone: for toString (a debugger may call it any time). */
    final int sizeForDisplay() {
        long l = left();
        return (int) Math.min(added() - l, Integer.MAX_VALUE);
    }

    /**
     * True if the group has no member now.
     *
     * @return true if {@link #size()} is 0
     */
    public boolean isEmpty() {
        return size() == 0;
    }

    /**
     * The members now, in the order they joined: a snapshot, never affected by later changes.
     *
     * @return an unmodifiable list of the members, empty if there are none
     */
    public List<Greenlet<?>> members() {
        return List.copyOf(snapshot(false));
    }

    /** Iterates over a snapshot of the members ({@link #members()}); {@code remove} is not supported. */
    @Override
    public Iterator<Greenlet<?>> iterator() {
        return members().iterator();
    }

    /**
     * True if the group cannot take a member without waiting (a {@code Group}: never).
     *
     * @return true if an add or spawn would wait now (a {@code Group}: always false)
     */
    public boolean isFull() {
        return false;
    }

    /** Waits until a member can be added without waiting (a {@code Group}: returns at once). */
    public void waitAvailable() {
        waitAvailable(null);
    }

    /**
     * Waits at most {@code timeout} until a member can be added without waiting.
     *
     * @param timeout at most this long; {@code null}: no limit
     * @return true if there is room (a {@code Group}: always, at once)
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean waitAvailable(Duration timeout) {
        Waiter.checkTimeout(timeout);
        return true;
    }

    final void checkOpen() { // an early, lock-free check: track() decides under the lock
        String refused = closed ? "closed" : cancelled;
        if (refused != null) throw new IllegalStateException(this + " refuses new members: " + refused);
    }

    // ---------------------------------------------------------------- spawning

    /**
     * Starts {@code task} in a new greenlet of the current hub and adds it (gevent's
     * {@code spawn}). In a {@link Pool} this first waits for a free slot.
     *
     * @param task what to run
     * @param <T> the type of its value
     * @return the started member
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the group was closed, is a cancelled scope, or the hub
     *     is closed
     */
    public <T> Greenlet<T> spawn(Callable<? extends T> task) {
        Objects.requireNonNull(task, "task");
        return spawnTask(task);
    }

    /**
     * {@link #spawn(Callable)} for a task without a value (its value is null).
     *
     * @param task what to run
     * @return the started member
     */
    public Greenlet<Void> spawn(Runnable task) {
        Objects.requireNonNull(task, "task");
        return spawnTask(dev.weft.internal.Tasks.runOnly(task));
    }

    /**
     * {@link #spawn(Callable)} for a void task that may throw a checked exception (which becomes
     * the greenlet's exception).
     *
     * @param task what to run
     * @return the started member
     */
    public Greenlet<Void> spawn(CheckedRunnable task) {
        Objects.requireNonNull(task, "task");
        return spawnTask(dev.weft.internal.Tasks.runCheckedOnly(task));
    }

    private <T> Greenlet<T> spawnTask(Object task) {
        checkOpen();
        acquireSlot(null);
        return spawnAdmitted(task);
    }

    /**
     * Spawns {@code task} (a Callable, CheckedRunnable or Runnable) as a member; a slot is held.
     * The greenlet is a member before it starts: from its first instruction, {@code apply} in it
     * runs inline and a kill of the group reaches it.
     */
    @SuppressWarnings("unchecked")
    final <T> Greenlet<T> spawnAdmitted(Object task) {
        return spawnAdmitted(task, null);
    }

    /**
     * Spawns {@code task} (a Callable, CheckedRunnable or Runnable) as a member whose membership
     * link runs {@code then} after the member left (a map item's node, which takes the result;
     * apply's receiving link); waits for a slot in a Pool.
     */
    final <T> Greenlet<T> spawnMember(Object task, Consumer<? super Greenlet<?>> then) {
        checkOpen();
        acquireSlot(null);
        return spawnAdmitted(task, then);
    }

    /** {@link #spawnMember} for a caller that holds a slot already (freed if the group refuses). */
    final <T> Greenlet<T> spawnAdmittedMember(Callable<? extends T> task, Consumer<? super Greenlet<?>> then) {
        try {
            checkOpen();
        } catch (IllegalStateException refused) {
            slotFreed();
            throw refused;
        }
        return spawnAdmitted(task, then);
    }

    private <T> Greenlet<T> spawnAdmitted(Object task, Consumer<? super Greenlet<?>> then) {
        Greenlet<T> g;
        boolean added = false;
        try {
            if (factory != null) {
                g = Objects.requireNonNull(factory.newGreenlet((Callable<? extends T>) asCallable(task)),
                        "the greenlet factory returned null");
            } else {
                // started right after it is tracked: no weak "unstarted" registration in the hub
                g = (Greenlet<T>) dev.weft.internal.GreenletAccess.newStartedSoon(null, task); // the caller's hub
            }
            try {
                added = track(g, then, factory == null); // a factory might hand back a greenlet it made before
                if (!added && then != null) g.rawlink(then); // ended already: its node still takes the result
            } catch (IllegalStateException refused) { // closed or cancelled meanwhile: it never runs
                g.kill(new GreenletExit("its group refused it"), false, null);
                throw refused;
            }
        } finally {
            if (!added) slotFreed();
        }
        startTracked(g);
        return g;
    }

    private static Callable<?> asCallable(Object task) {
        if (task instanceof Callable<?> c) return c;
        if (task instanceof CheckedRunnable r) {
            return () -> {
                r.runChecked();
                return null;
            };
        }
        Runnable r = (Runnable) task;
        return () -> {
            r.run();
            return null;
        };
    }

    // ---------------------------------------------------------------- joining

    /**
     * Waits until the group is empty (gevent's {@code join}): returns at once if it is; else
     * waits until it becomes empty at least once — members added meanwhile are waited for too.
     * By the time it returns, a new member may have been added.
     *
     * @throws IllegalStateException if the caller is a member (it would wait for itself)
     */
    public void join() {
        join(null);
    }

    /**
     * Like {@link #join()}, waiting at most {@code timeout}.
     *
     * @param timeout at most this long; {@code null}: no limit
     * @return true if the group became empty, false on expiry
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws IllegalStateException if the caller is a member
     */
    public boolean join(Duration timeout) {
        Waiter.checkTimeout(timeout);
        Greenlet<?> me = Greenlet.current();
        return awaitEmpty(me, Waiter.deadline(me, timeout));
    }

    /**
     * Like {@link #join(Duration)}, then, if {@code raiseError}, rethrows the failure of a member
     * that was in the group when join was called (the first of them in joining order) — an
     * unchecked one as the very instance, a checked one wrapped in {@link GreenletFailure} — also
     * after an expiry. The failure is still reported to the hub's error handler (the group's
     * link does not receive it), as gevent prints it.
     *
     * @param timeout at most this long; {@code null}: no limit
     * @param raiseError whether to rethrow a member's failure
     * @return true if the group became empty, false on expiry
     */
    public boolean join(Duration timeout, boolean raiseError) {
        Waiter.checkTimeout(timeout);
        List<Greenlet<?>> present = raiseError ? members() : List.of();
        boolean empty = join(timeout);
        for (Greenlet<?> g : present) if (g.exception() != null) g.getNow(); // rethrows it
        return empty;
    }

    private boolean awaitEmpty(Greenlet<?> me, long deadline) {
        if (looksEmpty()) return true;
        if (find(me) != null) {
            throw new IllegalStateException(me + " is a member of " + this + ": it cannot wait for it to be empty");
        }
        Waiter w = new Waiter(me, false, this);
        List<Waiter> woken;
        lock.lock();
        try {
            emptyWaiters.addGuarded(w);
            joiners = 1;
            // queued and counted, now look: a leave that empties the group after this look
            // reads `joiners` after its count, and takes the lock after us (see the overview)
            woken = looksEmpty() ? claimEmptyWaiters() : null; // ours among them
        } finally {
            lock.unlock();
        }
        if (woken != null) {
            for (Waiter other : woken) if (other != w) other.wake();
            return true;
        }
        boolean ok = false;
        try {
            ok = w.await(deadline);
        } finally {
            if (!ok) {
                lock.lock();
                try {
                    emptyWaiters.removeGuarded(w);
                    if (emptyWaiters.looksEmpty()) joiners = 0;
                } finally {
                    lock.unlock();
                }
            }
        }
        return ok;
    }

    // ---------------------------------------------------------------- killing

    /** Kills every member with a {@link GreenletExit} and waits for the group to be empty. */
    public void kill() {
        kill(new GreenletExit(), true, null);
    }

    /**
     * Throws {@code exception} into every member — into each at most once, however often
     * {@code kill}/{@link #killOne} is called — and stops the feeders of the group's running
     * {@code imap}s (gevent's {@code kill}). Members not started yet die without running. With
     * {@code block}, it waits (at most {@code timeout}) for the group to be empty, and kills
     * members added meanwhile. A scoped group becomes cancelled: it refuses new spawns. If the
     * caller is a member, it is killed too: with {@code block} the signal is thrown at once.
     *
     * @param exception what to throw; must be unchecked
     * @param block wait until the group is empty
     * @param timeout how long to wait when blocking; {@code null}: no limit. Expiry is not an error
     * @return true if the group is empty (after the wait, with {@code block})
     * @throws NullPointerException if {@code exception} is null
     * @throws IllegalArgumentException if {@code exception} is checked or {@code timeout} negative
     */
    public boolean kill(Throwable exception, boolean block, Duration timeout) {
        Objects.requireNonNull(exception, "exception");
        checkUnchecked(exception);
        Greenlet<?> me = Greenlet.current();
        long deadline = Waiter.deadline(me, timeout); // validates the timeout first
        List<Greenlet<?>> targets;
        List<MapIterator<?>> feeders;
        boolean iAmMember = find(me) != null;
        lock.lock();
        try {
            if (scoped && cancelled == null) cancelled = "it was killed";
            if (block) {
                killers++;
                killing = exception;
            }
            targets = snapshot(true); // after the flags: an adder that missed them is in it
            feeders = maps.isEmpty() ? List.of() : new ArrayList<>(maps);
        } finally {
            lock.unlock();
        }
        try {
            for (MapIterator<?> m : feeders) m.stopFeeder();
            for (Greenlet<?> g : targets) g.kill(exception, false, null);
            if (!block) return isEmpty();
            if (iAmMember) {
                Greenlets.yieldNow(); // throws our own kill
                return isEmpty();
            }
            return awaitEmpty(me, deadline);
        } finally {
            if (block) {
                lock.lock();
                try {
                    if (--killers == 0) killing = null;
                } finally {
                    lock.unlock();
                }
            }
        }
    }

    /**
     * Kills every member with a {@link GreenletExit} and waits at most {@code timeout} for the
     * group to be empty.
     *
     * @param timeout at most this long; {@code null}: no limit
     * @return true if the group is empty
     */
    public boolean kill(Duration timeout) {
        return kill(new GreenletExit(), true, timeout);
    }

    /**
     * Kills {@code greenlet} with a {@link GreenletExit} if it is a member, waiting for it to die.
     *
     * @param greenlet the member
     * @return true if this call killed it; false if it is not a member or was killed already
     */
    public boolean killOne(Greenlet<?> greenlet) {
        return killOne(greenlet, new GreenletExit(), true, null);
    }

    /**
     * If {@code greenlet} is a member not killed yet by the group, throws {@code exception} into
     * it (gevent's {@code killone}); with {@code block}, waits at most {@code timeout} for it to
     * die (expiry is not an error).
     *
     * @param greenlet the member
     * @param exception what to throw; must be unchecked
     * @param block wait for it to die
     * @param timeout how long to wait when blocking; {@code null}: no limit
     * @return true if this call killed it; false if it is not a member or was killed already
     * @throws IllegalArgumentException if {@code exception} is checked or {@code timeout} negative
     */
    public boolean killOne(Greenlet<?> greenlet, Throwable exception, boolean block, Duration timeout) {
        Objects.requireNonNull(greenlet, "greenlet");
        Objects.requireNonNull(exception, "exception");
        checkUnchecked(exception);
        Waiter.checkTimeout(timeout);
        Member m = find(greenlet);
        if (m == null || !m.markDying()) return false;
        greenlet.kill(exception, block, timeout);
        return true;
    }

    static void checkUnchecked(Throwable t) {
        if (!(t instanceof RuntimeException) && !(t instanceof Error)) {
            throw new IllegalArgumentException("a checked exception cannot be raised in a greenlet: " + t);
        }
    }

    // ---------------------------------------------------------------- closing and scopes

    /**
     * Waits for every member (as {@link #join()}), then closes the group: later spawns and adds
     * throw {@link IllegalStateException}. A scoped group then rethrows its first member failure.
     * Closing a closed group does nothing.
     *
     * @throws IllegalStateException if the caller is a member
     */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) return;
        } finally {
            lock.unlock();
        }
        Greenlet<?> me = Greenlet.current();
        try {
            awaitEmpty(me, Waiter.NO_DEADLINE);
        } catch (Interrupted signal) {
            if (scoped) {
                try {
                    kill();
                } catch (Interrupted again) {
                    if (again != signal) signal.addSuppressed(again);
                }
            }
            throw signal;
        } finally {
            lock.lock();
            try {
                closed = true;
            } finally {
                lock.unlock();
            }
        }
        if (!scoped) return;
        Throwable first;
        List<Throwable> later;
        lock.lock();
        try {
            first = firstFailure;
            later = laterFailures;
            firstFailure = null; // thrown once
            laterFailures = null;
        } finally {
            lock.unlock();
        }
        if (first == null) return;
        if (later != null) for (Throwable t : later) if (t != first) first.addSuppressed(t);
        throw rethrow(first);
    }

    /**
     * True once {@link #close()} has finished.
     *
     * @return true if closed (it then refuses new members)
     */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** A scoped group: the first failure of a member kills the others. */
    private void noteFailure(Greenlet<?> g) {
        Throwable e = g.exception();
        if (e == null) return;
        List<Greenlet<?>> targets = null;
        lock.lock();
        try {
            if (firstFailure == null && cancelled == null) {
                firstFailure = e;
                cancelled = "a member failed: " + e;
                targets = snapshot(true); // after `cancelled`: an adder that missed it is in it
            } else if (firstFailure == null) {
                firstFailure = e; // cancelled by a kill: still rethrown
            } else {
                if (laterFailures == null) laterFailures = new ArrayList<>();
                laterFailures.add(e);
            }
        } finally {
            lock.unlock();
        }
        if (targets != null) {
            for (Greenlet<?> t : targets) t.kill(new GreenletExit("a member of its scope failed"), false, null);
        }
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        throw new GreenletFailure(t);
    }

    // ---------------------------------------------------------------- apply

    /**
     * Runs {@code task} in the group and returns its value (gevent's {@code apply}): in a new
     * member, waiting for it — or inline, in the caller, when the caller is a member already
     * (which in a full pool would otherwise wait for itself). If the caller is killed or times
     * out while waiting, the task's greenlet is killed too. A failure of the task is the
     * caller's: rethrown here, never reported to the hub's error handler.
     *
     * @param task what to run
     * @param <T> the type of its value
     * @return its value (null if it was killed)
     * @throws GreenletFailure wrapping a checked exception of the task; an unchecked one is
     *     rethrown as is
     */
    public <T> T apply(Callable<? extends T> task) {
        Objects.requireNonNull(task, "task");
        if (contains(Greenlet.current())) {
            try {
                return task.call();
            } catch (Exception e) {
                throw rethrow(e);
            }
        }
        return await(spawnApplied(task));
    }

    /**
     * {@link #apply(Callable)} for a task without a value.
     *
     * @param task what to run
     */
    public void apply(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (contains(Greenlet.current())) task.run();
        else await(spawnApplied(dev.weft.internal.Tasks.runOnly(task)));
    }

    /**
     * {@link #apply(Callable)} for a void task that may throw a checked exception.
     *
     * @param task what to run
     */
    public void apply(CheckedRunnable task) {
        Objects.requireNonNull(task, "task");
        if (contains(Greenlet.current())) {
            try {
                task.runChecked();
            } catch (Exception e) {
                throw rethrow(e);
            }
        } else {
            await(spawnApplied(dev.weft.internal.Tasks.runCheckedOnly(task)));
        }
    }

    /** apply's caller receives the outcome, so its member's link is a receiving one: a failure is never reported. */
    private static final Consumer<Greenlet<?>> APPLIED = g -> {};

    /** A member for {@code apply} (waits for a slot in a Pool), linked as received by the caller. */
    private <T> Greenlet<T> spawnApplied(Object task) {
        return spawnMember(task, APPLIED);
    }

    private static <T> T await(Greenlet<T> g) {
        try {
            return g.get();
        } catch (Interrupted signal) {
            if (!g.isReady()) g.kill(new GreenletExit("the caller of apply left"), false, null);
            throw signal;
        }
    }

    /**
     * Starts {@code task} and returns its greenlet without ever waiting (gevent's
     * {@code apply_async}): in a new member if there is room now; in a full {@link Pool}, a
     * greenlet outside the group that waits for a slot, then applies the task (its value is the
     * task's). Join the returned greenlet, not the group, to wait for it.
     *
     * @param task what to run
     * @param <T> the type of its value
     * @return a greenlet whose value is the task's
     */
    public <T> Greenlet<T> applyAsync(Callable<? extends T> task) {
        Objects.requireNonNull(task, "task");
        return applyAsyncTask(task);
    }

    /**
     * {@link #applyAsync(Callable)} for a task without a value.
     *
     * @param task what to run
     * @return its greenlet
     */
    public Greenlet<Void> applyAsync(Runnable task) {
        Objects.requireNonNull(task, "task");
        return applyAsyncTask(dev.weft.internal.Tasks.runOnly(task));
    }

    /**
     * {@link #applyAsync(Callable)} for a void task that may throw a checked exception.
     *
     * @param task what to run
     * @return its greenlet
     */
    public Greenlet<Void> applyAsync(CheckedRunnable task) {
        Objects.requireNonNull(task, "task");
        return applyAsyncTask(dev.weft.internal.Tasks.runCheckedOnly(task));
    }

    /**
     * {@link #applyAsync(Callable)}, then {@code callback} with the task's value — only if it
     * succeeds (not on a failure, not when killed), in its own greenlet, not tracked by the
     * group.
     *
     * @param task what to run
     * @param callback given the value
     * @param <T> the type of its value
     * @return the task's greenlet
     */
    public <T> Greenlet<T> applyAsync(Callable<? extends T> task, Consumer<? super T> callback) {
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(callback, "callback");
        Greenlet<T> g = applyAsyncTask(task);
        g.linkValue(done -> {
            if (!done.isKilled()) callback.accept(done.value());
        });
        return g;
    }

    private <T> Greenlet<T> applyAsyncTask(Object task) {
        checkOpen();
        if (tryAcquireSlot()) return spawnAdmitted(task);
        Callable<? extends T> later = applyLater(task);
        return Hub.current().spawn(later);
    }

    @SuppressWarnings("unchecked")
    private <T> Callable<? extends T> applyLater(Object task) {
        if (task instanceof Callable<?> c) return () -> apply((Callable<? extends T>) c);
        if (task instanceof CheckedRunnable r) {
            return () -> {
                apply(r);
                return null;
            };
        }
        Runnable r = (Runnable) task;
        return () -> {
            apply(r);
            return null;
        };
    }

    /**
     * {@link #apply(Callable)}, then, if the task succeeded, {@code callback} with its value in a
     * new greenlet not tracked by the group (gevent's {@code apply_cb}).
     *
     * @param task what to run
     * @param callback given the value, or null for none
     * @param <T> the type of its value
     * @return the task's value
     */
    public <T> T applyCb(Callable<? extends T> task, Consumer<? super T> callback) {
        T value = apply(task);
        if (callback != null) Hub.current().spawn(() -> callback.accept(value));
        return value;
    }

    // ---------------------------------------------------------------- map

    /**
     * Applies {@code fn} to every item of {@code input}, in parallel in the group, and returns the
     * results in input order (gevent's {@code map}). The first failure in input order ends the
     * map: the items still running are killed, the feeder stops, and the failure is rethrown (an
     * unchecked one as is, a checked one wrapped in {@link GreenletFailure}). A kill or timeout of
     * the caller does the same.
     *
     * @param fn the function
     * @param input the items
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <I, R> List<R> map(CheckedFunction<? super I, ? extends R> fn, Iterable<? extends I> input) {
        return map(fn, input, MapOptions.DEFAULTS);
    }

    /**
     * {@link #map(CheckedFunction, Iterable)} with {@code options} (a per-item timeout,
     * {@code maxsize}).
     *
     * @param fn the function
     * @param input the items
     * @param options the options
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <I, R> List<R> map(CheckedFunction<? super I, ? extends R> fn, Iterable<? extends I> input, MapOptions options) {
        List<R> out = new ArrayList<>();
        try (MapIterator<R> it = imap(fn, input, options)) {
            while (it.hasNext()) out.add(it.next());
        }
        return out;
    }

    /**
     * Like {@link #map(CheckedFunction, Iterable)}, but a failed item does not end the map: every
     * item's {@link Outcome}, in input order — so one bad item loses none of the others' results.
     *
     * @param fn the function
     * @param input the items
     * @param options the options
     * @param <I> the item type
     * @param <R> the result type
     * @return the outcomes, in input order
     */
    public <I, R> List<Outcome<R>> mapOutcomes(CheckedFunction<? super I, ? extends R> fn, Iterable<? extends I> input,
            MapOptions options) {
        List<Outcome<R>> out = new ArrayList<>();
        try (MapIterator<R> it = imap(fn, input, options)) {
            while (it.hasNext()) out.add(it.nextOutcome());
        }
        return out;
    }

    /**
     * Runs {@link #mapCb} in a new greenlet outside the group and returns it at once (gevent's
     * {@code map_async}).
     *
     * @param fn the function
     * @param input the items
     * @param callback given the list of results if the map succeeds, or null
     * @param <I> the item type
     * @param <R> the result type
     * @return the greenlet, whose value is the list of results
     */
    public <I, R> Greenlet<List<R>> mapAsync(CheckedFunction<? super I, ? extends R> fn, Iterable<? extends I> input,
            Consumer<? super List<R>> callback) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(input, "input");
        return Hub.current().spawn(() -> mapCb(fn, input, callback));
    }

    /**
     * {@link #map(CheckedFunction, Iterable)}, then {@code callback} with the results, in the
     * caller (gevent's {@code map_cb}).
     *
     * @param fn the function
     * @param input the items
     * @param callback given the results, or null
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <I, R> List<R> mapCb(CheckedFunction<? super I, ? extends R> fn, Iterable<? extends I> input,
            Consumer<? super List<R>> callback) {
        List<R> out = map(fn, input);
        if (callback != null) callback.accept(out);
        return out;
    }

    // ---------------------------------------------------------------- imap

    /**
     * Applies {@code fn} to the items of {@code input} in parallel in the group, yielding the
     * results in input order (gevent's {@code imap}); see {@link MapIterator} for reading,
     * failures and closing. The input is read lazily by a feeder greenlet (outside the group), as
     * slots free up; without a {@code maxsize} finished results wait for the reader without
     * bound.
     *
     * @param fn the function
     * @param input the items; an item that is null fails that item ({@link NullPointerException}
     *     naming its index), the others go on
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order; close it if you stop early
     * @throws NullPointerException if {@code fn} or {@code input} is null
     */
    public <I, R> MapIterator<R> imap(CheckedFunction<? super I, ? extends R> fn, Iterable<? extends I> input) {
        return imap(fn, input, MapOptions.DEFAULTS);
    }

    /**
     * {@link #imap(CheckedFunction, Iterable)} with at most {@code maxsize} items pulled from the
     * input and not yet read by the reader (running or finished): a slow reader stops the feeder.
     *
     * @param fn the function
     * @param input the items
     * @param maxsize at least 1
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     * @throws IllegalArgumentException if {@code maxsize} is less than 1
     */
    public <I, R> MapIterator<R> imap(CheckedFunction<? super I, ? extends R> fn, Iterable<? extends I> input, int maxsize) {
        return imap(fn, input, MapOptions.DEFAULTS.maxsize(maxsize));
    }

    /**
     * {@link #imap(CheckedFunction, Iterable)} with {@code options}.
     *
     * @param fn the function
     * @param input the items
     * @param options maxsize, per-item timeout
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <I, R> MapIterator<R> imap(CheckedFunction<? super I, ? extends R> fn, Iterable<? extends I> input,
            MapOptions options) {
        Objects.requireNonNull(input, "input");
        return startMap(fn, null, input, true, options, null);
    }

    /**
     * {@link #imap(CheckedFunction, Iterable, MapOptions)} over an iterator, read lazily by the
     * feeder (so it must not be used by anyone else meanwhile).
     *
     * @param fn the function
     * @param input the items
     * @param options maxsize, per-item timeout
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <I, R> MapIterator<R> imap(CheckedFunction<? super I, ? extends R> fn, Iterator<? extends I> input,
            MapOptions options) {
        Objects.requireNonNull(input, "input");
        return startMap(fn, input, null, true, options, null);
    }

    /**
     * {@link #imap(CheckedFunction, Iterable, MapOptions)} over a stream, read lazily by the
     * feeder; closing the iterator closes the stream.
     *
     * @param fn the function
     * @param input the items
     * @param options maxsize, per-item timeout
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in input order
     */
    public <I, R> MapIterator<R> imap(CheckedFunction<? super I, ? extends R> fn, Stream<? extends I> input,
            MapOptions options) {
        Objects.requireNonNull(input, "input");
        return startMap(fn, null, null, true, options, input);
    }

    /**
     * Like {@link #imap(CheckedFunction, Iterable)}, yielding the results in the order the items
     * finish (gevent's {@code imap_unordered}): lighter, and {@code maxsize} bounds exactly the
     * finished results waiting for the reader.
     *
     * @param fn the function
     * @param input the items
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in completion order
     */
    public <I, R> MapIterator<R> imapUnordered(CheckedFunction<? super I, ? extends R> fn, Iterable<? extends I> input) {
        return imapUnordered(fn, input, MapOptions.DEFAULTS);
    }

    /**
     * {@link #imapUnordered(CheckedFunction, Iterable)} with at most {@code maxsize} items pulled
     * and not yet read.
     *
     * @param fn the function
     * @param input the items
     * @param maxsize at least 1
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in completion order
     * @throws IllegalArgumentException if {@code maxsize} is less than 1
     */
    public <I, R> MapIterator<R> imapUnordered(CheckedFunction<? super I, ? extends R> fn, Iterable<? extends I> input,
            int maxsize) {
        return imapUnordered(fn, input, MapOptions.DEFAULTS.maxsize(maxsize));
    }

    /**
     * {@link #imapUnordered(CheckedFunction, Iterable)} with {@code options}.
     *
     * @param fn the function
     * @param input the items
     * @param options maxsize, per-item timeout
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in completion order
     */
    public <I, R> MapIterator<R> imapUnordered(CheckedFunction<? super I, ? extends R> fn, Iterable<? extends I> input,
            MapOptions options) {
        Objects.requireNonNull(input, "input");
        return startMap(fn, null, input, false, options, null);
    }

    /**
     * {@link #imapUnordered(CheckedFunction, Iterable, MapOptions)} over an iterator.
     *
     * @param fn the function
     * @param input the items
     * @param options maxsize, per-item timeout
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in completion order
     */
    public <I, R> MapIterator<R> imapUnordered(CheckedFunction<? super I, ? extends R> fn, Iterator<? extends I> input,
            MapOptions options) {
        Objects.requireNonNull(input, "input");
        return startMap(fn, input, null, false, options, null);
    }

    /**
     * {@link #imapUnordered(CheckedFunction, Iterable, MapOptions)} over a stream; closing the
     * iterator closes the stream.
     *
     * @param fn the function
     * @param input the items
     * @param options maxsize, per-item timeout
     * @param <I> the item type
     * @param <R> the result type
     * @return the results, in completion order
     */
    public <I, R> MapIterator<R> imapUnordered(CheckedFunction<? super I, ? extends R> fn, Stream<? extends I> input,
            MapOptions options) {
        Objects.requireNonNull(input, "input");
        return startMap(fn, null, null, false, options, input);
    }

    private <I, R> MapIterator<R> startMap(CheckedFunction<? super I, ? extends R> fn, Iterator<? extends I> iterator,
            Iterable<? extends I> iterable, boolean ordered, MapOptions options, Stream<? extends I> stream) {
        Objects.requireNonNull(fn, "fn");
        Objects.requireNonNull(options, "options");
        checkOpen();
        MapIterator<R> m = new MapIterator<>(this, fn, iterator, iterable, stream, ordered, options);
        lock.lock();
        try {
            maps.add(m);
            mapCount = maps.size();
        } finally {
            lock.unlock();
        }
        m.startFeeder();
        return m;
    }

    /**
     * A hook for subclasses that run the map family's items elsewhere (weft-cluster's
     * {@code ClusterPool} ships each item to another machine): called once per map, on the caller
     * of {@code map}/{@code imap}/{@code imapUnordered} (so it may refuse {@code fn} with an
     * exception at the call site), it returns what makes the task of each item, or null (the
     * default) for the map's own task (which applies {@code fn} under the item timeout).
     *
     * @param fn the map's function
     * @param itemTimeout the per-item timeout of the map's options, or null for none
     * @param <I> the item type
     * @param <R> the result type
     * @return makes the task that runs one item (called by the map's feeder, once per non-null
     *     item; the task must apply the item timeout itself), or null for the default
     */
    protected <I, R> java.util.function.Function<I, Callable<R>> mapItemTasks(CheckedFunction<? super I, ? extends R> fn,
            Duration itemTimeout) {
        return null;
    }

    final void mapEnded(MapIterator<?> m) {
        lock.lock();
        try {
            maps.remove(m);
            mapCount = maps.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return (scoped ? "ScopedGroup" : getClass().getSimpleName()) + "[members=" + sizeForDisplay() + "]";
    }

    // VarHandle mechanics
    private static final java.lang.invoke.VarHandle HEADS =
            java.lang.invoke.MethodHandles.arrayElementVarHandle(Member[].class);
    private static final java.lang.invoke.VarHandle COUNTS =
            java.lang.invoke.MethodHandles.arrayElementVarHandle(long[].class);
    private static final java.lang.invoke.VarHandle SWEEPING, DYING, GONE;

    static {
        try {
            java.lang.invoke.MethodHandles.Lookup l = java.lang.invoke.MethodHandles.lookup();
            SWEEPING = l.findVarHandle(Group.class, "sweeping", int.class);
            DYING = l.findVarHandle(Member.class, "dying", int.class);
            GONE = l.findVarHandle(Member.class, "gone", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
