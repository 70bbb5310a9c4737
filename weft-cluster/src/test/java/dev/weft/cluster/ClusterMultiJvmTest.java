package dev.weft.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Outcome;
import dev.weft.pool.MapIterator;
import dev.weft.pool.MapOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

/**
 * ClusterPool over member JVMs (tag {@code multijvm}, left out of the default run; see
 * docs/cluster.md). Each test starts its own members and prints what it measured.
 */
@Tag("multijvm")
@org.junit.jupiter.api.Timeout(value = 300, threadMode = ThreadMode.SEPARATE_THREAD)
class ClusterMultiJvmTest {
    static final int ITEMS = Integer.getInteger("weft.cluster.items", 10_000);

    @Test
    void imapAcrossThreeMemberJvmsReturnsEveryResultOnceInOrder() throws Exception {
        try (MemberJvms jvms = new MemberJvms(3, 0)) {
            ClusterPool pool = ClusterPool.on(jvms.caller, 64);
            List<Integer> input = IntStream.range(0, ITEMS).boxed().toList();
            long t0 = System.nanoTime();
            List<long[]> out = new ArrayList<>();
            pool.imap(x -> new long[] {x, 2L * x, ProcessHandle.current().pid()}, input).forEachRemaining(out::add);
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(ITEMS, out.size());
            Set<Long> pids = new HashSet<>();
            for (int i = 0; i < ITEMS; i++) {
                assertEquals(i, out.get(i)[0], "result " + i + " in order");
                assertEquals(2L * i, out.get(i)[1]);
                pids.add(out.get(i)[2]);
            }
            assertEquals(Set.of(jvms.pid(0), jvms.pid(1), jvms.pid(2)), pids, "every member JVM ran items");
            System.out.printf("multijvm: imap of %d items on 3 member JVMs: %d ms (%.1f us/item)%n", ITEMS, ms, ms * 1000.0 / ITEMS);
        }
    }

    /** kill -9 of a member mid-run: at-most-once loses the items it held; retry(n) recovers them. */
    @Test
    void killMinus9OfAMemberMidRunAtMostOnceVersusRetry() throws Exception {
        for (int retries : new int[] {0, 3}) {
            try (MemberJvms jvms = new MemberJvms(3, 0)) {
                ClusterPool pool = ClusterPool.on(jvms.caller, 48).retry(retries);
                List<Integer> input = IntStream.range(0, 2_000).boxed().toList();
                List<Outcome<Integer>> out = new ArrayList<>();
                try (MapIterator<Integer> it = pool.imap(x -> {
                    Greenlets.sleep(Duration.ofMillis(3)); // work on the member, on its hub's clock
                    return x;
                }, input)) {
                    long t0 = System.nanoTime();
                    while (it.hasNext()) {
                        out.add(it.nextOutcome());
                        if (out.size() == 500) jvms.processes.get(1).destroyForcibly(); // SIGKILL
                    }
                    long ms = (System.nanoTime() - t0) / 1_000_000;
                    long lost = out.stream().filter(o -> o instanceof Outcome.Failed<Integer> f && f.error() instanceof MemberLost).count();
                    long values = out.stream().filter(o -> o instanceof Outcome.Value<Integer>).count();
                    System.out.printf("multijvm: kill -9 mid-run, retry(%d): %d values, %d MemberLost, %d resubmissions, %d ms%n",
                            retries, values, lost, pool.resubmissions(), ms);
                    assertEquals(input.size(), out.size());
                    assertEquals(input.size(), values + lost, "every item is a value or a MemberLost");
                    if (retries == 0) assertTrue(lost > 0, "at-most-once: the items the dead member held failed");
                    else assertEquals(0, lost, "retry: every item was run again elsewhere");
                    for (int i = 0; i < out.size(); i++) {
                        if (out.get(i) instanceof Outcome.Value<Integer> v) assertEquals(i, v.value());
                    }
                }
            }
        }
    }

    /** kill -STOP: a hung member is declared dead after the (lowered) heartbeat timeout. */
    @Test
    void aHungMemberFailsItsTasksAfterTheHeartbeatTimeout() throws Exception {
        try (MemberJvms jvms = new MemberJvms(3, 5)) {
            ClusterPool pool = ClusterPool.on(jvms.caller, 30);
            List<Greenlet<Integer>> gs = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                int x = i;
                gs.add(pool.spawn(() -> {
                    Greenlets.sleep(Duration.ofSeconds(2));
                    return x;
                }));
            }
            jvms.signal(2, "STOP");
            long t0 = System.nanoTime();
            int lost = 0;
            for (Greenlet<Integer> g : gs) {
                g.join();
                if (g.exception() instanceof MemberLost) lost++;
                else assertTrue(g.isSuccessful(), "outcome: " + g.outcome());
            }
            long s = (System.nanoTime() - t0) / 1_000_000_000;
            System.out.printf("multijvm: kill -STOP of one of 3 members: %d of 30 tasks failed with MemberLost after %d s%n", lost, s);
            assertTrue(lost > 0 && lost < 30, "the hung member's tasks failed, the others' succeeded: " + lost);
            assertTrue(s < 60, "within the heartbeat timeout and its detection: " + s + " s");
        }
    }

    @Test
    void killingTheCallersPoolStopsTheRemoteItems() throws Exception {
        try (MemberJvms jvms = new MemberJvms(3, 0)) {
            ClusterPool pool = ClusterPool.on(jvms.caller, 9);
            MapIterator<Integer> it = pool.imapUnordered(x -> {
                System.out.println("STARTED " + x);
                try {
                    Greenlets.sleep(Duration.ofMinutes(5));
                    return x;
                } finally {
                    System.out.println("ENDED " + x);
                }
            }, IntStream.range(0, 9).boxed().toList());
            int started = 0;
            while (started < 9) {
                String line = jvms.merged.poll(60, java.util.concurrent.TimeUnit.SECONDS);
                if (line == null) throw new AssertionError("only " + started + " items started");
                if (line.startsWith("STARTED")) started++;
            }
            pool.kill();
            it.close();
            int ended = 0;
            while (ended < 9) {
                String line = jvms.merged.poll(30, java.util.concurrent.TimeUnit.SECONDS);
                if (line == null) break;
                if (line.startsWith("ENDED")) ended++;
            }
            assertEquals(9, ended, "every remote item was stopped");
        }
    }

    @Test
    void aNonSerializableTaskIsAClearErrorAtSpawn() throws Exception {
        try (MemberJvms jvms = new MemberJvms(1, 0)) {
            ClusterPool pool = ClusterPool.on(jvms.caller, 4);
            Thread notSerializable = Thread.currentThread();
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> pool.spawn(() -> notSerializable.getName()));
            assertTrue(e.getMessage().contains("not serializable"), e.getMessage());
            assertEquals(4, pool.freeCount());
        }
    }
}
