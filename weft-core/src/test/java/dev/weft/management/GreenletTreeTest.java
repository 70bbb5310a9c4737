package dev.weft.management;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.HubTestBase;
import dev.weft.management.GreenletTree.Entry;
import dev.weft.management.GreenletTree.State;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

/** The greenlet tree: its shape, what each entry says, its cost, and its text and JSON forms. */
@org.junit.jupiter.api.Timeout(value = 120, threadMode = ThreadMode.SEPARATE_THREAD)
class GreenletTreeTest {

    @Test
    void entriesComeInTreeOrderUnderTheirSpawner() {
        try (Hub hub = Hub.simulated(1)) {
            hub.run(() -> {
                Event never = new Event();
                Greenlet<?> a = named(hub, "a", () -> {
                    named(hub, "a1", never::await);
                    named(hub, "a2", never::await);
                    never.await();
                });
                Greenlet<?> b = named(hub, "b", never::await);
                Greenlets.sleep(Duration.ofSeconds(1)); // everyone parks
                List<Entry> e = GreenletTree.of(hub, false).entries();
                List<String> order = new ArrayList<>();
                for (Entry x : e) order.add(x.depth() + ":" + x.name());
                String main = Greenlet.current().name();
                assertEquals(List.of("1:" + main, "2:a", "3:a1", "3:a2", "2:b"), order);
                assertEquals(a.id(), e.get(2).parentId());
                assertEquals(Greenlet.current().id(), b.parentId());
                hub.greenlets().forEach(g -> { if (g != Greenlet.current()) g.kill(); });
            });
        }
    }

    @Test
    void anEntryListsTheLinksAndMonitorsOnItThatHaveNotFired() {
        try (Hub hub = Hub.simulated(3)) {
            hub.run(() -> {
                Event never = new Event();
                Greenlet<?> source = named(hub, "source", never::await);
                Greenlet<?> watcher = named(hub, "watcher", never::await);
                dev.weft.link.Links.link(source, watcher);
                dev.weft.link.Links.link(source, (java.util.function.Consumer<Object>) x -> {});
                dev.weft.link.Links.monitor(source, (java.util.function.Consumer<dev.weft.link.Down>) d -> {});
                source.rawlink(x -> {}); // a plain rawlink is the engine's business: not listed
                Greenlets.sleep(Duration.ofSeconds(1)); // everyone parks
                GreenletTree tree = GreenletTree.of(hub, false);
                Entry e = tree.entries().stream().filter(x -> x.id() == source.id()).findFirst().orElseThrow();
                assertEquals(List.of("link \u2192 #" + watcher.id() + " watcher", "link \u2192 callback", "monitor"),
                        e.links());
                assertTrue(tree.toText().contains("linked: link \u2192 #" + watcher.id()), tree.toText());
                assertTrue(tree.toJson().contains("\"links\":[\"link \u2192 #" + watcher.id()), tree.toJson());
                hub.greenlets().forEach(g -> { if (g != Greenlet.current()) g.kill(); });
            });
        }
    }

    private static Greenlet<Void> named(Hub hub, String name, dev.weft.CheckedRunnable body) {
        Greenlet<Void> g = new Greenlet<>(hub, body);
        g.setName(name);
        g.start();
        return g;
    }

    @Test
    void anEntrySaysWhatItWaitsOnAndForHowLong() {
        try (Hub hub = Hub.simulated(2)) {
            hub.run(() -> {
                Event gate = new Event();
                Greenlet<?> waiter = named(hub, "waiter", gate::await);
                Greenlet<?> joiner = named(hub, "joiner", waiter::join);
                Greenlet<?> sleeper = named(hub, "sleeper", () -> Greenlets.sleep(Duration.ofHours(1)));
                Greenlets.sleep(Duration.ofSeconds(5)); // virtual: exactly 5 s pass while they wait
                GreenletTree tree = GreenletTree.of(hub, false);
                Entry w = find(tree, "waiter"), j = find(tree, "joiner"), s = find(tree, "sleeper");
                assertEquals(State.WAITING, w.state());
                assertEquals("Event", w.waitKind());
                assertEquals(gate.toString(), w.waitingOn());
                assertEquals(Duration.ofSeconds(5).toNanos(), w.waitingNanos());
                assertEquals("Greenlet", j.waitKind());
                assertEquals("waiter", j.waitingOn());
                assertEquals("sleep", s.waitKind());
                Entry main = find(tree, Greenlet.current().name());
                assertEquals(State.RUNNING, main.state());
                assertNull(main.waitingOn());
                assertEquals(-1, main.waitingNanos());
                String text = tree.toText();
                assertTrue(text.contains("waiter[WAITING on " + gate + " (Event) for 5.00 s] #" + waiter.id()), text);
                gate.set();
                sleeper.kill();
                joiner.join();
            });
        }
    }

    private static Entry find(GreenletTree t, String name) {
        return t.entries().stream().filter(e -> e.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aGreenletBlockedInJdkCodeIsBlocked() throws Exception {
        try (Hub hub = Hub.parallel()) {
            java.util.concurrent.SynchronousQueue<String> q = new java.util.concurrent.SynchronousQueue<>();
            Greenlet<String> g = hub.spawn(() -> q.take());
            long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (GreenletTree.stateOf(g) != State.BLOCKED && System.nanoTime() < end) Thread.onSpinWait();
            assertEquals(State.BLOCKED, GreenletTree.stateOf(g));
            q.put("done");
            assertEquals("done", g.get());
        }
    }

    @Test
    void stacksAreTakenWhenAsked() {
        try (Hub hub = Hub.parallel()) {
            Event never = new Event();
            Greenlet<Void> g = hub.spawn(() -> never.await());
            HubTestBase.awaitWaiting(g);
            assertTrue(find(GreenletTree.of(hub, false), g.name()).stack().isEmpty());
            String dump = hub.dump(true);
            assertTrue(dump.contains("at dev.weft.sync.Event.await("), dump);
            g.kill();
        }
    }

    @Test
    void dumpAllShowsEveryOpenHub() {
        try (Hub one = Hub.parallel(); Hub two = Hub.cooperative()) {
            String all = Hub.dumpAll();
            assertTrue(all.contains(one.toString()) && all.contains(two.toString()), all);
            assertTrue(all.indexOf(Hub.defaultHub().toString()) < all.indexOf(one.toString()), all);
        }
    }

    @Test
    void theJsonFormCarriesTheSameFieldsEscaped() {
        try (Hub hub = Hub.parallel()) {
            Event never = new Event();
            Greenlet<Void> g = named(hub, "say \"hi\"\n", never::await);
            HubTestBase.awaitWaiting(g);
            String json = GreenletTree.of(hub, false).toJson();
            assertTrue(json.startsWith("{\"hub\":\"" + hub.name() + "\""), json);
            assertTrue(json.contains("\"id\":" + g.id() + ",\"name\":\"say \\\"hi\\\"\\n\",\"state\":\"WAITING\""), json);
            assertTrue(json.contains("\"waitKind\":\"Event\""), json);
            assertTrue(json.contains("\"counts\":{\"NEW\":0,\"SCHEDULED\":0,\"RUNNING\":0,\"WAITING\":1,"), json);
            g.kill();
        }
    }

    /**
     * 100,000 live greenlets (a fan-out of 90,000 and a spawn chain 10,000 deep) dump in well
     * under the time bound: the old dump scanned every greenlet for every greenlet's parent and
     * children (10^10 steps here, hours) and recursed once per level (the chain overflowed).
     */
    @Test
    void aHundredThousandGreenletsDumpInLinearTime() {
        try (Hub hub = Hub.parallel()) {
            Event release = new Event();
            int fan = 90_000, chain = 10_000;
            hub.run(() -> {
                for (int i = 0; i < fan; i++) hub.spawn(() -> release.await());
                Greenlet<?> top = hub.spawn(() -> spawnChain(hub, chain - 1, release));
                while (hub.greenlets().size() < fan + chain + 1) Greenlets.sleep(Duration.ofMillis(10));
                long t0 = System.nanoTime();
                String dump = hub.dump();
                long took = System.nanoTime() - t0;
                assertEquals(fan + chain + 1 + 1, dump.split("\n", -1).length - 1); // hub line + one per greenlet
                assertTrue(took < Duration.ofSeconds(30).toNanos(), "took " + took / 1_000_000 + " ms");
                int deepest = GreenletTree.of(hub, false).entries().stream().mapToInt(Entry::depth).max().orElseThrow();
                assertEquals(chain + 1, deepest);
                release.set();
                top.join();
            });
        }
    }

    @Test
    void everyHubsSnapshotIsWellFormedJson() {
        try (Hub sim = Hub.simulated(3, true); Hub coop = Hub.cooperative()) {
            Event never = new Event();
            Greenlet<Void> g = named(coop, "tab\there, \"quoted\", back\\slash, \u0001", never::await);
            HubTestBase.awaitWaiting(g);
            String json = Monitoring.toJson(true);
            JsonCheck.valid(json);
            assertTrue(json.contains("\"name\":\"" + sim.name() + "\""), "a simulated hub's name is a plain string");
            assertTrue(json.contains("tab\\there, \\\"quoted\\\", back\\\\slash, \\u0001"), json);
            g.kill();
        }
    }

    private static void spawnChain(Hub hub, int left, Event release) {
        if (left > 0) hub.spawn(() -> spawnChain(hub, left - 1, release));
        release.await();
    }
}
