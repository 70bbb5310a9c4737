package dev.weft.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastInstance;
import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

/** ClusterPool on three Hazelcast members in this JVM (loopback, TCP/IP join), shared by the class. */
@org.junit.jupiter.api.Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
class ClusterPoolHazelcastTest {
    static TestCluster cluster;
    static final java.util.concurrent.ConcurrentHashMap<String, CountDownLatch> LATCHES = new java.util.concurrent.ConcurrentHashMap<>();

    static CountDownLatch latch(String key) {
        return LATCHES.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    @BeforeAll
    static void start() {
        cluster = new TestCluster(3);
        assertEquals(3, cluster.caller().getCluster().getMembers().size());
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void imapRunsEveryItemOnTheMembersAndReturnsTheResultsInOrder() {
        ClusterPool pool = ClusterPool.on(cluster.caller(), 32);
        List<Integer> input = IntStream.range(0, 600).boxed().toList();
        List<Integer> out = new ArrayList<>();
        pool.imap(x -> x * 3, input).forEachRemaining(out::add);
        assertEquals(input.stream().map(x -> x * 3).toList(), out);
        for (HazelcastInstance m : cluster.members) {
            long done = m.getExecutorService(MemberConfig.EXECUTOR).getLocalExecutorStats().getCompletedTaskCount();
            assertTrue(done > 0, "every member ran items: " + m.getName() + " ran " + done);
        }
    }

    static String fetch(String url) {
        return "<html>" + url + "</html>";
    }

    @Test
    void theReadmeSwitchFromPoolRunsTheSameMapOnTheMembers() {
        HazelcastInstance hz = cluster.caller();
        List<String> urls = List.of("a", "bb", "ccc");
        ClusterPool pool = ClusterPool.on(hz, 64);                 // was: Pool pool = new Pool(64);
        List<Integer> lengths = pool.map(url -> fetch(url).length(), urls);   // runs on the members
        assertEquals(List.of(14, 15, 16), lengths);
    }

    @Test
    void aCooperativeHubCallerIsNeverBlockedByTheEngine() {
        try (Hub hub = Hub.cooperative()) {
            int sum = hub.run(() -> {
                ClusterPool pool = ClusterPool.on(cluster.caller(), 8);
                List<Greenlet<Integer>> gs = new ArrayList<>();
                for (int i = 0; i < 20; i++) {
                    int x = i;
                    gs.add(pool.spawn(() -> x));
                }
                // the one carrier stays free while the stand-ins wait: another greenlet runs meanwhile
                Greenlet<String> local = hub.spawn(() -> "local");
                assertEquals("local", local.get());
                int s = 0;
                for (Greenlet<Integer> g : gs) s += g.get();
                return s;
            });
            assertEquals(190, sum);
        }
    }

    @Test
    void aRemoteFailureArrivesAsTheSameException() {
        ClusterPool pool = ClusterPool.on(cluster.caller(), 4);
        Greenlet<Integer> g = pool.spawn(() -> {
            throw new IllegalArgumentException("bad item");
        });
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, g::get);
        assertEquals("bad item", e.getMessage());
    }

    @Test
    void killingTheStandInInterruptsTheTaskOnItsMember() throws Exception {
        String started = "started-" + System.nanoTime();
        String ended = "ended-" + System.nanoTime();
        ClusterPool pool = ClusterPool.on(cluster.caller(), 4);
        Greenlet<String> g = pool.spawn(() -> {
            latch(started).countDown();
            try {
                Greenlets.sleep(Duration.ofMinutes(5));
                return "late";
            } finally {
                latch(ended).countDown();
            }
        });
        assertTrue(latch(started).await(30, TimeUnit.SECONDS));
        g.kill();
        assertTrue(g.isKilled());
        assertTrue(latch(ended).await(30, TimeUnit.SECONDS), "the member's greenlet was killed");
    }

    @Test
    void killingAStandInOnACooperativeHubStopsTheRemoteTask() throws Exception {
        String started = "started-" + System.nanoTime();
        String ended = "ended-" + System.nanoTime();
        try (Hub hub = Hub.cooperative()) {
            boolean killed = hub.run(() -> {
                ClusterPool pool = ClusterPool.on(cluster.caller(), 4);
                Greenlet<String> g = pool.spawn(() -> {
                    ClusterPoolSimulatedTest.event(started).set(); // a weft Event: set from the member's hub
                    try {
                        Greenlets.sleep(Duration.ofMinutes(5));
                        return "late";
                    } finally {
                        latch(ended).countDown();
                    }
                });
                assertTrue(ClusterPoolSimulatedTest.event(started).await(Duration.ofSeconds(30))); // parks: the carrier stays free
                g.kill();
                return g.isKilled();
            });
            assertTrue(killed);
        }
        assertTrue(latch(ended).await(30, TimeUnit.SECONDS), "the member's greenlet was killed");
    }

    @Test
    void aTaskTimeoutStopsTheTaskHereAndOnItsMember() throws Exception {
        String ended = "ended-" + System.nanoTime();
        ClusterPool pool = ClusterPool.on(cluster.caller(), 4).taskTimeout(Duration.ofMillis(300));
        Greenlet<String> g = pool.spawn(() -> {
            try {
                Greenlets.sleep(Duration.ofMinutes(5));
                return "late";
            } finally {
                latch(ended).countDown();
            }
        });
        g.join();
        assertTrue(g.exception() instanceof dev.weft.Timeout, "outcome: " + g.outcome());
        assertTrue(latch(ended).await(30, TimeUnit.SECONDS), "the member's greenlet stopped");
    }

    @Test
    void aNonSerializableTaskIsAnErrorAtSpawn() {
        ClusterPool pool = ClusterPool.on(cluster.caller(), 4);
        Object notSerializable = new Object();
        assertThrows(IllegalArgumentException.class, () -> pool.spawn(() -> notSerializable.toString()));
        assertEquals(4, pool.freeCount());
    }

    @Test
    void fullExecutorQueuesMakeTasksResubmittedNotBuffered() {
        // each member runs one task at a time and queues one: 3 members take 6, the pool sends 24
        ClusterPool pool = new ClusterPool(24, new HazelcastBackend(cluster.caller(), TestCluster.TINY));
        List<Integer> out = pool.map(x -> {
            Greenlets.sleep(Duration.ofMillis(5)); // work on the member, on its hub's clock
            return x;
        }, IntStream.range(0, 48).boxed().toList());
        assertEquals(IntStream.range(0, 48).boxed().toList(), out);
        assertTrue(pool.resubmissions() > 0, "full queues refused tasks, which were sent again");
        for (HazelcastInstance m : cluster.members) {
            assertEquals(0, m.getExecutorService(TestCluster.TINY).getLocalExecutorStats().getPendingTaskCount());
        }
    }

    @Test
    void aTaskOnAShutDownInstanceFailsWithARemoteFailure() {
        int port = cluster.portBase + 50;
        HazelcastInstance alone = com.hazelcast.core.Hazelcast.newHazelcastInstance(
                new MemberConfig(cluster.name + "-alone").port(port).members("127.0.0.1:" + port).build());
        ClusterPool pool = ClusterPool.on(alone, 2);
        RemoteCall.forget(alone.getName());
        alone.getLifecycleService().terminate();
        Greenlet<Integer> g = pool.spawn(() -> 1);
        assertThrows(RemoteFailure.class, g::get);
    }

    @Test
    void aBackendOnAnExecutorWithAnUnboundedQueueIsRefused() {
        IllegalArgumentException notConfigured = assertThrows(IllegalArgumentException.class,
                () -> new HazelcastBackend(cluster.caller(), "weft-not-configured")); // Hazelcast's default: Integer.MAX_VALUE
        assertTrue(notConfigured.getMessage().contains("unbounded"), notConfigured.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> new HazelcastBackend(cluster.caller(), TestCluster.ZERO_QUEUE));
        assertTrue(zero.getMessage().contains("unbounded"), zero.getMessage());
    }

    @Test
    void aSimulatedHubCallerIsRefused() {
        try (Hub hub = Hub.simulated(1)) {
            IllegalStateException e = hub.run(() -> assertThrows(IllegalStateException.class,
                    () -> ClusterPool.on(cluster.caller(), 2).spawn(() -> 1)));
            assertTrue(e.getMessage().contains("InProcessBackend"), e.getMessage());
        }
    }
}
