package dev.weft.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.HubTestBase;
import dev.weft.Hub;
import dev.weft.Timeout;
import dev.weft.pool.Pool;
import dev.weft.sync.Event;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

/** A hub's MXBean, read through the platform MBean server. */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class HubMXBeanTest {
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
    private Hub hub;
    private ObjectName name;

    @BeforeEach
    void open() {
        hub = Hub.parallel();
        name = Monitoring.objectName(hub);
        Monitoring.awaitRegistrations();
    }

    @AfterEach
    void close() {
        hub.close();
    }

    private Object attribute(String a) throws Exception {
        return server.getAttribute(name, a);
    }

    @Test
    void aNewHubIsRegisteredUnderItsName() throws Exception {
        assertTrue(server.isRegistered(name), name::toString);
        assertEquals(hub.name(), attribute("Name"));
        assertEquals("parallel", attribute("Kind"));
        assertEquals(new ObjectName("dev.weft:type=Hub,name=" + hub.name()), name);
    }

    @Test
    void aClosedHubIsUnregistered() {
        hub.close();
        Monitoring.awaitRegistrations();
        assertFalse(server.isRegistered(name));
    }

    @Test
    void aSimulatedHubsNameIsQuoted() throws Exception {
        try (Hub sim = Hub.simulated(7)) {
            Monitoring.awaitRegistrations();
            ObjectName n = Monitoring.objectName(sim);
            assertTrue(server.isRegistered(n), n::toString);
            assertEquals("simulated", server.getAttribute(n, "Kind"));
        }
    }

    @Test
    void countersCountStartsEndsKillsFailuresAndTimeouts() throws Exception {
        Event reported = new Event();
        hub.setErrorHandler((s, e) -> reported.set());
        hub.run(() -> {
            hub.spawn(() -> 1).join();
            Greenlet<Void> victim = hub.spawn(() -> new Event().await());
            HubTestBase.awaitWaiting(victim);
            victim.kill(new GreenletExit());
            hub.spawn(() -> { throw new IllegalStateException("boom"); });
            reported.await();
            Timeout.silently(Duration.ofMillis(2), () -> new Event().await());
            Timeout.silently(Duration.ofSeconds(30), () -> {}); // armed, cancelled
        });
        // main + 1 + victim + failer
        assertEquals(4L, attribute("StartedGreenlets"));
        assertEquals(4L, attribute("FinishedGreenlets"));
        assertEquals(1L, attribute("KilledGreenlets"));
        assertEquals(1L, attribute("FailedGreenlets"));
        assertEquals(1L, attribute("KillsSent"));
        assertEquals(1L, attribute("ErrorsReported"));
        assertEquals(2L, attribute("TimeoutsArmed"));
        assertEquals(1L, attribute("TimeoutsFired"));
        CompositeData[] failures = (CompositeData[]) attribute("RecentFailures");
        assertEquals(1, failures.length);
        assertEquals(IllegalStateException.class.getName(), failures[0].get("exceptionType"));
        assertEquals("boom", failures[0].get("message"));
    }

    @Test
    void gaugesShowWhoIsParkedOnWhatKindOfPrimitive() throws Exception {
        Event never = new Event();
        Pool pool = hub.spawn(() -> new Pool(1)).get(); // listed by the hub current when it was made
        Greenlet<Void> a = hub.spawn(() -> never.await());
        Greenlet<Void> b = hub.spawn(() -> never.await());
        Greenlet<Void> sleeper = hub.spawn(() -> dev.weft.Greenlets.sleep(Duration.ofHours(1)));
        java.util.concurrent.atomic.AtomicReference<Greenlet<?>> inner = new java.util.concurrent.atomic.AtomicReference<>();
        Greenlet<?> member = hub.spawn(() -> {
            Greenlet<Void> g = pool.spawn(() -> never.await());
            inner.set(g);
            g.join();
        });
        Greenlet<?> admitted = hub.spawn(() -> { // waits for the pool's one slot
            while (pool.freeCount() > 0) dev.weft.Greenlets.yieldNow();
            pool.spawn(() -> 1);
        });
        for (Greenlet<?> g : List.of(a, b, sleeper, member, admitted)) HubTestBase.awaitWaiting(g);
        HubTestBase.awaitWaiting(inner.get()); // set before member parked in its join
        // a, b, the pool member on the event; member joins its greenlet; sleeper; admitted waits
        // for a slot (on the pool's semaphore)
        assertEquals(6, attribute("LiveGreenlets"));
        assertEquals(6, attribute("ParkedGreenlets"));
        TabularData byKind = (TabularData) attribute("ParkedByKind");
        assertEquals(Map.of("Event", 3, "Greenlet", 1, "sleep", 1, "Semaphore", 1), toMap(byKind));
        CompositeData[] pools = (CompositeData[]) attribute("Pools");
        CompositeData p = java.util.Arrays.stream(pools)
                .filter(c -> c.get("description").toString().equals(pool.toString())).findFirst().orElseThrow();
        assertEquals(1, p.get("capacity"));
        assertEquals(1, p.get("inUse"));
        assertEquals(1, p.get("waiting"));
        assertEquals(1, p.get("members"));
        hub.close(); // kills them all
    }

    /** A pool of the default hub, checked to be listed, then dropped. */
    private static java.lang.ref.WeakReference<Pool> listedPool() {
        Pool pool = new Pool(2);
        HubMXBean m = Monitoring.metrics(Hub.defaultHub());
        assertTrue(m.getPools().stream().anyMatch(p -> p.getDescription().equals(pool.toString()) && p.getCapacity() == 2));
        return new java.lang.ref.WeakReference<>(pool);
    }

    private static Map<String, Integer> toMap(TabularData t) {
        Map<String, Integer> m = new java.util.TreeMap<>();
        for (Object row : t.values()) {
            CompositeData c = (CompositeData) row;
            m.put((String) c.get("key"), (Integer) c.get("value"));
        }
        return m;
    }

    @Test
    void aShortLivedPoolDropsOutOnceUnreachable() {
        java.lang.ref.WeakReference<Pool> ref = listedPool();
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (ref.get() != null && System.nanoTime() < end) System.gc();
        assertTrue(ref.get() == null, "the pool was collected: the hub's list holds it weakly");
    }
}
