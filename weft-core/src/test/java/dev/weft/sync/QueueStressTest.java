package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.HubTestBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Cancel-safety under load (ARCHITECTURE §3): producers and consumers with random timeouts while
 * a chaos greenlet kills random waiters; then every item is counted. Scaled by
 * {@code -Dweft.stress.scale} (1: at least 100,000 operations in CI; 100: 10,000,000).
 */
class QueueStressTest extends HubTestBase {
    private static final int SCALE = Integer.getInteger("weft.stress.scale", 1);

    @Test
    void noItemIsLostOrDuplicatedWhileWaitersTimeOutAndAreKilled() {
        for (Queue<Integer> q : List.<Queue<Integer>>of(new Queue<>(8), new Channel<>())) {
            runQueueChaos(q, 4, 25_000 * SCALE / (q instanceof Channel ? 5 : 1));
        }
    }

    private void runQueueChaos(Queue<Integer> q, int producers, int perProducer) {
        Set<Integer> put = ConcurrentHashMap.newKeySet();
        List<Integer> taken = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger timeouts = new AtomicInteger(), kills = new AtomicInteger();
        inHub(() -> {
            List<Greenlet<Void>> producerGs = new ArrayList<>();
            for (int p = 0; p < producers; p++) {
                int base = p * perProducer;
                producerGs.add(Greenlet.spawn(() -> {
                    SplittableRandom r = new SplittableRandom(base);
                    for (int i = 0; i < perProducer; i++) {
                        int item = base + i;
                        for (;;) {
                            try {
                                q.put(item, Duration.ofNanos(r.nextInt(50_000)));
                                put.add(item); // no blocking point between the put and this line
                                break;
                            } catch (Full full) {
                                timeouts.incrementAndGet();
                            }
                        }
                    }
                }));
            }
            List<Greenlet<Void>> consumers = Collections.synchronizedList(new ArrayList<>());
            Runnable consume = () -> {
                SplittableRandom r = new SplittableRandom();
                for (;;) {
                    try {
                        Integer item = q.get(Duration.ofNanos(r.nextInt(50_000)));
                        taken.add(item); // no blocking point between the get and this line
                    } catch (Empty empty) {
                        timeouts.incrementAndGet();
                    } catch (QueueClosedException drained) {
                        return;
                    }
                }
            };
            for (int c = 0; c < 3; c++) consumers.add(Greenlet.spawn(consume));
            Greenlet<Void> chaos = Greenlet.spawn(() -> {
                SplittableRandom r = new SplittableRandom(99);
                while (true) {
                    Greenlets.sleep(Duration.ofNanos(20_000 + r.nextInt(200_000)));
                    Greenlet<Void> victim = consumers.get(r.nextInt(consumers.size()));
                    if (victim.kill(new GreenletExit(), false, null)) kills.incrementAndGet();
                    consumers.set(consumers.indexOf(victim), Greenlet.spawn(consume)); // a replacement
                }
            });
            Greenlets.joinAll(producerGs);
            chaos.kill();
            q.close();
            List<Greenlet<Void>> remaining;
            synchronized (consumers) {
                remaining = new ArrayList<>(consumers);
            }
            Greenlets.joinAll(remaining);
            Integer left;
            while ((left = q.tryGet()) != null) taken.add(left);
            return null;
        });
        assertEquals(producers * perProducer, put.size(), "every producer finished its items");
        Set<Integer> unique = new HashSet<>(taken);
        assertEquals(taken.size(), unique.size(), "an item was delivered twice");
        assertEquals(put, unique, "an item was lost");
        if (!hub.isSimulated()) { // virtual time can schedule it without a single timeout
            assertTrue(timeouts.get() + kills.get() > 0, "the chaos actually happened");
        }
    }

    @Test
    void noPermitIsLostOrDuplicatedWhileWaitersTimeOutAndAreKilled() {
        int permits = 3, workers = 12, rounds = 4_000 * SCALE;
        Semaphore s = new Semaphore(permits);
        AtomicInteger inside = new AtomicInteger(), maxInside = new AtomicInteger(), acquired = new AtomicInteger();
        inHub(() -> {
            List<Greenlet<Void>> all = Collections.synchronizedList(new ArrayList<>());
            Runnable work = () -> {
                SplittableRandom r = new SplittableRandom();
                for (int i = 0; i < rounds / workers; i++) {
                    if (!s.acquire(Duration.ofNanos(r.nextInt(30_000)))) continue;
                    try {
                        maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        acquired.incrementAndGet();
                        if (r.nextBoolean()) Greenlets.yieldNow();
                    } finally {
                        inside.decrementAndGet();
                        s.release();
                    }
                }
            };
            for (int w = 0; w < workers; w++) all.add(Greenlet.spawn(work));
            Greenlet<Void> chaos = Greenlet.spawn(() -> {
                SplittableRandom r = new SplittableRandom(7);
                while (true) {
                    Greenlets.sleep(Duration.ofNanos(50_000 + r.nextInt(200_000)));
                    all.get(r.nextInt(all.size())).kill(new GreenletExit(), false, null);
                }
            });
            List<Greenlet<Void>> snapshot;
            synchronized (all) {
                snapshot = new ArrayList<>(all);
            }
            Greenlets.joinAll(snapshot);
            chaos.kill();
            return null;
        });
        assertTrue(maxInside.get() <= permits, "more holders than permits: " + maxInside.get());
        assertEquals(permits, s.availablePermits(), "permits lost or duplicated");
        assertEquals(0, s.waiting());
        assertTrue(acquired.get() > 0);
    }

    /** The same races, explored deterministically over many interleavings of the simulated hub. */
    @Test
    void channelHandOverRacesHoldOverManySeeds() {
        assumeSimulatedRunOnce();
        for (long seed = 0; seed < 1_000L * SCALE; seed++) {
            try (Hub sim = Hub.simulated(seed)) {
                List<Integer> taken = new ArrayList<>();
                List<Integer> put = new ArrayList<>();
                sim.run(() -> {
                    Channel<Integer> ch = new Channel<>();
                    Greenlet<Void> producer = Greenlet.spawn(() -> {
                        for (int i = 0; i < 6; i++) {
                            try {
                                ch.put(i, Duration.ofMillis(3));
                                put.add(i);
                            } catch (Full timedOut) {
                                // not put: must not be taken either
                            }
                        }
                    });
                    Runnable consume = () -> {
                        try {
                            while (true) taken.add(ch.get(Duration.ofMillis(2)));
                        } catch (Empty | QueueClosedException done) {
                            // stop
                        }
                    };
                    Greenlet<Void> c1 = Greenlet.spawn(consume);
                    Greenlet<Void> c2 = Greenlet.spawn(consume);
                    Greenlets.sleep(Duration.ofMillis(2));
                    c1.kill(new GreenletExit(), false, null);
                    producer.join();
                    ch.close();
                    Greenlets.joinAll(List.of(c1, c2));
                    return null;
                });
                List<Integer> sortedTaken = new ArrayList<>(taken);
                Collections.sort(sortedTaken);
                assertEquals(put, sortedTaken, "seed " + seed + ": put " + put + " but taken " + taken);
            }
        }
    }

    @Test
    void semaphoreHandOverRacesHoldOverManySeeds() {
        assumeSimulatedRunOnce();
        for (long seed = 0; seed < 500L * SCALE; seed++) {
            Semaphore s = new Semaphore(1);
            int[] inside = new int[1], maxInside = new int[1];
            try (Hub sim = Hub.simulated(seed)) {
                sim.run(() -> {
                    List<Greenlet<Void>> workers = new ArrayList<>();
                    for (int w = 0; w < 3; w++) {
                        workers.add(Greenlet.spawn(() -> {
                            for (int i = 0; i < 4; i++) {
                                if (!s.acquire(Duration.ofMillis(1))) continue;
                                try {
                                    maxInside[0] = Math.max(maxInside[0], ++inside[0]);
                                    Greenlets.sleep(Duration.ofNanos(700_000));
                                } finally {
                                    inside[0]--;
                                    s.release();
                                }
                            }
                        }));
                    }
                    Greenlets.sleep(Duration.ofNanos(1_500_000));
                    workers.get(0).kill(new GreenletExit(), false, null);
                    Greenlets.joinAll(workers);
                    return null;
                });
            }
            assertEquals(1, maxInside[0], "seed " + seed + ": two holders at once");
            assertEquals(1, s.availablePermits(), "seed " + seed + ": a permit lost or duplicated");
            assertEquals(0, s.waiting(), "seed " + seed);
        }
    }

    private void assumeSimulatedRunOnce() {
        org.junit.jupiter.api.Assumptions.assumeTrue(hub.isSimulated(), "runs its own simulated hubs, once");
    }
}
