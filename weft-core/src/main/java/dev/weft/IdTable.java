package dev.weft;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentHashMap;
import java.util.ArrayList;
import java.util.List;

/**
 * A concurrent table from ids handed out in increasing order to the values registered under
 * them: a hub's registry of started greenlets by greenlet id ({@link Hub#greenlet(long)},
 * {@link Hub#greenlets()}, the simulated hub's idle check, {@link Hub#close()}), and its weak
 * registry of unstarted ones. (Not {@link Greenlet#current()}'s thread → greenlet map: looked up
 * on every wait, from greenlets of any age, it would reach the map of chunks, whose boxed
 * {@code Long} key is an allocation per lookup.)
 *
 * <p>Ids {@code [k·32, k·32 + 32)} share chunk {@code k}: an array with one slot per id and a
 * count of the values in it. Registering stores the value in its slot and counts it in;
 * unregistering clears the slot and counts it out. Both touch only the chunk, which the
 * spawner and the ending greenlets share for the 32 ids of its life — not a
 * {@code ConcurrentHashMap}, whose put and remove per greenlet (a node, a bin lock, one size
 * counter that every carrier updates) this replaces (BENCHMARKS.md, "Session 6").
 *
 * <p>Chunks live in a map by index, touched only when a chunk is made or dropped (once per 32
 * ids in a steady fan-out), or to find a chunk that is not one of the eight made last. Those
 * eight are kept in a ring of (index, chunk) entries, so a lookup compares indexes without
 * reading any chunk but the one it finds: the spawner writes the newest chunk's count on every
 * add, and a remove on another carrier that read that chunk to look past it pulled its cache
 * line over twice per greenlet (a pooled fan-out ran 25% slower; BENCHMARKS.md, "Session 7").
 *
 * <p>A chunk is dropped — its count CASed from 0 to {@code DEAD}, then removed — when it is
 * empty and ids are no longer handed out from it (a newer chunk exists); a value registered
 * late under an old id that finds its chunk dead makes a fresh one. Lookup is constant time, and one table never scans another's entries (engine defect R11). Memory: one
 * slot per live entry plus its chunk's share, ~5 B where a map entry was ~40 B; in a sparse
 * table (long-lived entries far apart, each the last of its chunk) up to a chunk, ~170 B, per
 * entry. The chunk size trades those two: 128 ids would make the sparse case ~550 B, and the
 * map is touched once per chunk either way.
 *
 * <p>Ordering: a slot is written with a volatile store, so whoever sets a flag and then scans
 * sees every value whose registration then read the flag as unset (the Dekker handshake of
 * {@code Greenlet.launch} with {@code Hub.close}). An add CASes the count up from a value ≥ 0,
 * so a dead chunk never holds a value. When the last value of the newest chunk leaves just as
 * a newer chunk is made, one of the two sees the other (a count decrement then a read of
 * {@code newest}, against a write of {@code newest} then a read of the count), so the chunk is
 * dropped. Test: {@code IdTableTest}.
 *
 * @param <T> the values
 */
final class IdTable<T> {
    private static final int SHIFT = 5;
    static final int CHUNK = 1 << SHIFT; // ids per chunk (tests read it)
    private static final int MASK = CHUNK - 1;
    private static final int DEAD = -1;

    /** One chunk of ids: the values registered under them, and how many. */
    private static final class Chunk {
        final long index;
        final Object[] slots = new Object[CHUNK];
        volatile int count; // values in slots; DEAD once dropped (never counts up again)

        Chunk(long index) {
            this.index = index;
        }
    }

    private final ConcurrentHashMap<Long, Chunk> chunks = new ConcurrentHashMap<>();
    /** The chunk with the highest index made so far: where new ids are; never dropped while newest. */
    private volatile Chunk newest;
    /** Chunks whose count is above 0: the table is empty when this is 0. */
    private volatile int occupied;
    /**
     * The chunks made last, a ring: {@link #find} looks here before the map, whose {@code Long} key would be a boxed allocation per lookup once indexes pass 127.
     * In a fan-out the greenlets that end are a few chunks behind the newest.
     */
    private final Recent[] recent = new Recent[RECENT];
    private int recentNext; // where the next chunk made goes (racy: a hint)
    private static final int RECENT = 8;

    /**
     * A ring entry: a chunk with its index beside it, so that {@link #find} compares indexes
     * without reading the chunks themselves. The newest chunk's count is CASed by the spawner on
     * every add; a remove on another carrier that read that chunk's index (in the same cache
     * line) to find an older chunk moved the line between the carriers twice per greenlet.
     */
    private record Recent(long index, Chunk chunk) {}

    /**
     * Registers {@code value} under {@code id}.
     *
     * @param id a positive id nothing else is registered under
     * @param value the value
     */
    void add(long id, T value) {
        long index = id >>> SHIFT;
        Chunk c = newest;
        for (;;) {
            if (c == null || c.index != index || c.count == DEAD) c = chunkFor(index);
            int n = c.count;
            if (n == DEAD) continue; // dropped meanwhile: chunkFor makes a fresh one
            if (n == 0) OCCUPIED.getAndAdd(this, 1); // before it is counted: isEmpty() never misses it
            if (COUNT.compareAndSet(c, n, n + 1)) {
                SLOTS.setVolatile(c.slots, (int) (id & MASK), value);
                return;
            }
            if (n == 0) OCCUPIED.getAndAdd(this, -1);
        }
    }

    /**
     * Unregisters {@code value} from {@code id}.
     *
     * @param id its id
     * @param value the value registered under it
     * @return true if this call removed it; false if it was not registered there (never, or no longer)
     */
    boolean remove(long id, T value) {
        long index = id >>> SHIFT;
        Chunk c = find(index);
        if (c == null || !SLOTS.compareAndSet(c.slots, (int) (id & MASK), value, null)) return false;
        if ((int) COUNT.getAndAdd(c, -1) == 1) {
            OCCUPIED.getAndAdd(this, -1);
            // no new ids come from it once a newer chunk exists: drop it (else the one that makes
            // the newer chunk drops it, in chunkFor)
            if (newest != c) drop(c);
        }
        return true;
    }

    /**
     * The value registered under {@code id}, or null.
     *
     * @param id any id
     * @return the value, or null if none is registered under it
     */
    @SuppressWarnings("unchecked")
    T get(long id) {
        if (id <= 0) return null;
        Chunk c = find(id >>> SHIFT);
        return c == null ? null : (T) SLOTS.getVolatile(c.slots, (int) (id & MASK));
    }

    /**
     * True if nothing is registered.
     *
     * @return true if every chunk's count is 0
     */
    boolean isEmpty() {
        return occupied == 0;
    }

    /**
     * The registered values, a snapshot (weakly consistent, like a concurrent map's iteration:
     * one added or removed meanwhile may or may not be in it).
     *
     * @return a new list, in no particular order
     */
    @SuppressWarnings("unchecked")
    List<T> values() {
        List<T> out = new ArrayList<>();
        for (Chunk c : chunks.values()) {
            for (int i = 0; i < CHUNK; i++) {
                Object v = SLOTS.getVolatile(c.slots, i);
                if (v != null) out.add((T) v);
            }
        }
        return out;
    }

    /**
     * How many chunks are held (for tests).
     *
     * @return the chunks in the map, dead ones not yet removed included
     */
    int chunks() {
        return chunks.size();
    }

    /** The chunk for {@code index} that is not dead, or null: one of the ring's (the newest among them), or the map's. */
    private Chunk find(long index) {
        // the ring's entries, not the chunks: only the chunk found is read (see Recent)
        for (int i = 0; i < RECENT; i++) {
            Recent r = (Recent) RECENT_SLOTS.getAcquire(recent, i);
            if (r != null && r.index == index && r.chunk.count != DEAD) return r.chunk;
        }
        Chunk c = chunks.get(index);
        return c == null || c.count == DEAD ? null : c;
    }

    /** The live chunk for {@code index}, made if missing or dead; becomes the newest if it is. */
    private Chunk chunkFor(long index) {
        Chunk c = find(index);
        if (c == null) {
            c = chunks.compute(index, (k, old) -> old == null || old.count == DEAD ? new Chunk(k) : old);
            RECENT_SLOTS.setRelease(recent, recentNext++ & (RECENT - 1), new Recent(index, c));
        }
        for (;;) {
            Chunk n = newest;
            if (n != null && n.index >= index) return c;
            if (NEWEST.compareAndSet(this, n, c)) {
                // ids have moved on from n: drop it if it is empty (else its last remove does)
                if (n != null && n.count == 0) drop(n);
                return c;
            }
        }
    }

    private void drop(Chunk c) {
        if (COUNT.compareAndSet(c, 0, DEAD)) chunks.remove(c.index, c);
    }

    private static final VarHandle SLOTS = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle RECENT_SLOTS = MethodHandles.arrayElementVarHandle(Recent[].class);
    private static final VarHandle COUNT;
    private static final VarHandle OCCUPIED;
    private static final VarHandle NEWEST;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COUNT = l.findVarHandle(Chunk.class, "count", int.class);
            OCCUPIED = l.findVarHandle(IdTable.class, "occupied", int.class);
            NEWEST = l.findVarHandle(IdTable.class, "newest", Chunk.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
