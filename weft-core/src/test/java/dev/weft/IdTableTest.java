package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The id-indexed table behind a hub's registry and {@code Greenlet.current()} ({@link IdTable}):
 * lookup by id across chunks, chunks dropped once empty, a late registration under an old id,
 * and concurrent adds and removes. The values here are unstarted greenlets of a private hub,
 * registered under their own ids.
 */
class IdTableTest {
    private final Hub hub = Hub.parallel();
    private final IdTable<Greenlet<?>> registry = new IdTable<>();

    @AfterEach
    void closeHub() {
        hub.close();
    }

    private List<Greenlet<?>> greenlets(int n) {
        List<Greenlet<?>> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(new Greenlet<>(hub, () -> null));
        return out;
    }

    @Test
    void eachRegisteredGreenletIsFoundByItsIdAcrossChunks() {
        List<Greenlet<?>> all = greenlets(1000);
        for (Greenlet<?> g : all) registry.add(g.id(), g);
        for (Greenlet<?> g : all) assertSame(g, registry.get(g.id()));
        assertFalse(registry.isEmpty());
        List<Greenlet<?>> seen = registry.values();
        assertEquals(all.size(), seen.size());
        assertTrue(seen.containsAll(all));
    }

    @Test
    void anIdNeverRegisteredOrNotPositiveFindsNothing() {
        List<Greenlet<?>> all = greenlets(3);
        registry.add(all.get(0).id(), all.get(0));
        assertNull(registry.get(all.get(1).id()));
        assertNull(registry.get(0));
        assertNull(registry.get(-5));
        assertNull(registry.get(Long.MAX_VALUE));
    }

    @Test
    void removeIsTrueOnceAndTheGreenletIsGoneAfter() {
        Greenlet<?> g = greenlets(1).get(0);
        assertFalse(registry.remove(g.id(), g), "not registered yet");
        registry.add(g.id(), g);
        assertTrue(registry.remove(g.id(), g));
        assertFalse(registry.remove(g.id(), g));
        assertNull(registry.get(g.id()));
        assertTrue(registry.isEmpty());
    }

    @Test
    void emptiedChunksAreDroppedButTheNewestIsKept() {
        List<Greenlet<?>> all = greenlets(1000); // dozens of chunks of ids
        for (Greenlet<?> g : all) registry.add(g.id(), g);
        assertTrue(registry.chunks() >= 8, registry.chunks() + " chunks");
        for (Greenlet<?> g : all) registry.remove(g.id(), g);
        assertTrue(registry.isEmpty());
        assertEquals(1, registry.chunks(), "only the chunk new ids come from stays");
    }

    @Test
    void longLivedEntriesHoldOnlyTheirOwnChunksAndTheNewest() {
        List<Greenlet<?>> all = greenlets(1000);
        for (Greenlet<?> g : all) registry.add(g.id(), g);
        java.util.Set<Long> kept = new java.util.HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            Greenlet<?> g = all.get(i);
            if (i % 100 == 0) kept.add(g.id() / IdTable.CHUNK); // one long-lived entry every 100 ids
            else registry.remove(g.id(), g);
        }
        long newest = all.get(all.size() - 1).id() / IdTable.CHUNK;
        int expected = kept.size() + (kept.contains(newest) ? 0 : 1);
        assertEquals(expected, registry.chunks(), "the chunks of the live entries, and the one new ids come from");
    }

    @Test
    void aChunkEmptiedWhileNewestIsDroppedWhenNewerIdsArrive() {
        List<Greenlet<?>> all = greenlets(300);
        registry.add(all.get(0).id(), all.get(0));
        registry.remove(all.get(0).id(), all.get(0)); // its chunk is empty, but ids still come from it
        assertEquals(1, registry.chunks());
        registry.add(all.get(299).id(), all.get(299)); // a later chunk: the first is dropped now
        assertEquals(1, registry.chunks());
        assertSame(all.get(299), registry.get(all.get(299).id()));
    }

    @Test
    void aGreenletStartedLateWithAnOldIdIsRegisteredInAFreshChunk() {
        List<Greenlet<?>> all = greenlets(400);
        Greenlet<?> late = all.get(0);
        for (Greenlet<?> g : all.subList(1, 400)) registry.add(g.id(), g);
        for (Greenlet<?> g : all.subList(1, 400)) registry.remove(g.id(), g); // the first chunk is dropped
        registry.add(late.id(), late);
        assertSame(late, registry.get(late.id()));
        assertEquals(2, registry.chunks());
        assertTrue(registry.remove(late.id(), late));
        assertEquals(1, registry.chunks(), "the late one's chunk is dropped when it ends");
        assertTrue(registry.isEmpty());
    }

    @Test
    void concurrentStartsAndEndsInAnyOrderLeaveItEmptyAndEveryLiveOneFindable() throws Exception {
        int threads = 4;
        int perThread = 20_000;
        List<Greenlet<?>> all = greenlets(threads * perThread);
        List<List<Greenlet<?>>> shares = new ArrayList<>();
        for (int t = 0; t < threads; t++) shares.add(new ArrayList<>());
        for (int i = 0; i < all.size(); i++) shares.get(i % threads).add(all.get(i));
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<String> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Greenlet<?>> mine = shares.get(t);
            long seed = t;
            workers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                Random random = new Random(seed);
                List<Greenlet<?>> held = new ArrayList<>();
                for (Greenlet<?> g : mine) {
                    registry.add(g.id(), g);
                    held.add(g);
                    if (held.size() > 50 || random.nextInt(4) == 0) {
                        Collections.shuffle(held, random); // ends out of start order
                        while (held.size() > random.nextInt(20)) {
                            Greenlet<?> h = held.remove(held.size() - 1);
                            if (registry.get(h.id()) != h) failure.compareAndSet(null, "lost " + h.id());
                            if (registry.isEmpty()) failure.compareAndSet(null, "empty while " + h.id() + " was registered");
                            if (!registry.remove(h.id(), h)) failure.compareAndSet(null, "could not remove " + h.id());
                        }
                    }
                }
                for (Greenlet<?> h : held) {
                    if (!registry.remove(h.id(), h)) failure.compareAndSet(null, "could not remove " + h.id());
                }
            }));
        }
        go.countDown();
        for (Thread w : workers) w.join();
        assertNull(failure.get());
        assertTrue(registry.isEmpty());
        assertEquals(1, registry.chunks());
        for (Greenlet<?> g : all) assertNull(registry.get(g.id()));
    }

    @Test
    void aHubsLookupStaysConstantTimeWithManyLiveGreenletsInAnotherHub() {
        // engine defect R11: the registry is the hub's own; here counted, not timed
        IdTable<Greenlet<?>> crowded = new IdTable<>();
        for (Greenlet<?> g : greenlets(10_000)) crowded.add(g.id(), g);
        Greenlet<?> one = greenlets(1).get(0);
        registry.add(one.id(), one);
        List<Greenlet<?>> seen = registry.values();
        assertEquals(List.of(one), seen);
        assertEquals(1, registry.chunks());
    }
}
