package dev.weft.pool;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * A Pool's map run by workers, under what races with it: spawns and timed adds into the same
 * pool, a producer feeding the input from inside the pool, an early close, a pool kill. Each
 * round is seeded (the seed is in the message) and bounded by a Timeout, so a lost wake-up
 * fails instead of hanging; after every round the pool is empty with every slot free.
 */
class MapWorkersStressTest extends HubTestBase {

    @Test
    void mapsRacingWithSpawnsProducersClosesAndKillsLoseNothingAndFreeEverySlot() {
        inHub(() -> {
            for (int round = 0; round < 1500; round++) {
                long seed = 0x5eed0000L + round;
                Greenlets.withTimeout(Duration.ofSeconds(20), (Runnable) () -> oneRound(seed));
            }
        });
    }

    private void oneRound(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        String where = "seed " + Long.toHexString(seed);
        int size = 1 + rnd.nextInt(4);
        int items = rnd.nextInt(60);
        boolean ordered = rnd.nextBoolean();
        boolean fedFromInside = rnd.nextBoolean();
        int maxsize = rnd.nextBoolean() ? Integer.MAX_VALUE : 1 + rnd.nextInt(5);
        int closeAfter = rnd.nextInt(4) == 0 ? rnd.nextInt(items + 1) : -1;
        boolean killPool = closeAfter < 0 && rnd.nextInt(5) == 0;
        Pool pool = new Pool(size);
        MapInputs.Queued queued = new MapInputs.Queued();
        Iterable<Integer> listed = IntStream.range(0, items).boxed().toList();
        CheckedFunction<Integer, Integer> fn = i -> {
            if (i % 7 == 3) Greenlets.yieldNow();
            if (i % 11 == 5) Greenlets.sleep(Duration.ofNanos(1000));
            return i * 2;
        };
        List<Greenlet<?>> others = new ArrayList<>();
        MapIterator<Integer> it;
        if (fedFromInside) {
            it = ordered ? pool.imap(fn, queued, MapOptions.DEFAULTS.maxsize(maxsize))
                    : pool.imapUnordered(fn, queued, MapOptions.DEFAULTS.maxsize(maxsize));
            others.add(hub.spawn(() -> pool.spawn(() -> { // a producer that needs a slot of the same pool
                for (int i = 0; i < items; i++) {
                    queued.queue.put(i);
                    if (i % 5 == 0) Greenlets.yieldNow();
                }
                queued.queue.put(MapInputs.STOP);
            })));
        } else {
            it = ordered ? pool.imap(fn, listed, maxsize) : pool.imapUnordered(fn, listed, maxsize);
        }
        for (int k = 0; k < rnd.nextInt(4); k++) { // others wanting slots meanwhile
            boolean timed = rnd.nextBoolean();
            others.add(hub.spawn(() -> {
                if (timed) {
                    try {
                        pool.start(new Greenlet<>(() -> null), true, Duration.ofNanos(2000));
                    } catch (PoolFull expected) {
                        // waited its time: no slot
                    }
                } else {
                    pool.spawn(() -> Greenlets.yieldNow());
                }
            }));
        }
        List<Integer> got = new ArrayList<>();
        boolean cancelled = false;
        try {
            while (it.hasNext()) {
                if (got.size() == closeAfter) {
                    it.close();
                    break;
                }
                if (killPool && got.size() == items / 2) pool.kill(new GreenletExit("stress kill"), false, null);
                got.add(it.next());
            }
        } catch (CancellationException e) {
            cancelled = true; // the pool was killed
        }
        it.close();
        if (fedFromInside && (closeAfter >= 0 || cancelled)) queued.queue.put(MapInputs.STOP); // a producer still waiting to put
        for (Greenlet<?> g : others) {
            g.join();
        }
        assertTrue(pool.join(Duration.ofSeconds(10)), where + ": the pool empties");
        assertEquals(size, pool.freeCount(), where + ": every slot free");
        if (closeAfter < 0 && !cancelled) {
            List<Integer> expected = IntStream.range(0, items).map(i -> i * 2).boxed().toList();
            if (!ordered) got.sort(null);
            assertEquals(expected, got, where + ": every result once" + (ordered ? ", in order" : ""));
        } else {
            assertTrue(got.size() <= items, where);
            assertFalse(it.hasNext(), where);
        }
    }
}
