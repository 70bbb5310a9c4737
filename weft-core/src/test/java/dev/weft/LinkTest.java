package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** gevent 1.x links (ARCHITECTURE §4; gevent's test__greenlet link cases). */
class LinkTest extends HubTestBase {

    @Test
    void aLinkRunsInANewGreenletOfTheRegisteringHub() {
        inHub(() -> {
            AsyncResult<Greenlet<?>> ranIn = new AsyncResult<>();
            Greenlet<Integer> g = Greenlet.spawn(() -> 1);
            g.link(x -> ranIn.set(Greenlet.current()));
            Greenlet<?> runner = ranIn.get(LONG);
            assertNotSame(g, runner);
            assertNotSame(Greenlet.current(), runner);
            assertSame(hub, runner.hub());
        });
    }

    @Test
    void linksAreSpawnedInRegistrationOrder() {
        inHub(() -> {
            Event go = new Event();
            long[] greenletIdOfLink = new long[5];
            AsyncResult<Boolean> all = new AsyncResult<>();
            java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();
            Greenlet<Void> g = Greenlet.spawn(() -> go.await());
            for (int i = 0; i < 5; i++) {
                int index = i;
                g.link(x -> {
                    greenletIdOfLink[index] = Greenlet.current().id();
                    if (count.incrementAndGet() == 5) all.set(true);
                });
            }
            go.set();
            all.get(LONG);
            for (int i = 1; i < 5; i++) {
                assertTrue(greenletIdOfLink[i - 1] < greenletIdOfLink[i], "link " + i + " was spawned out of order");
            }
        });
    }

    @Test
    void aLinkMayBlock() {
        inHub(() -> {
            Event release = new Event();
            AsyncResult<String> out = new AsyncResult<>();
            Greenlet<Integer> g = Greenlet.spawn(() -> 1);
            g.link(x -> {
                release.await(); // blocking in a link is fine: it has its own greenlet
                out.set("linked after release");
            });
            g.join();
            release.set();
            assertEquals("linked after release", out.get(LONG));
        });
    }

    @Test
    void linkingAfterCompletionStillFires() {
        inHub(() -> {
            Greenlet<Integer> g = Greenlet.spawn(() -> 1);
            g.join();
            AsyncResult<Integer> seen = new AsyncResult<>();
            g.link(x -> seen.set(x.value()));
            assertEquals(1, seen.get(LONG));
        });
    }

    @Test
    void linkValueFiresOnlyOnSuccessAndLinkExceptionOnlyOnFailure() {
        inHub(() -> {
            List<String> fired = new CopyOnWriteArrayList<>();
            AsyncResult<Boolean> both = new AsyncResult<>();
            Greenlet<Integer> ok = Greenlet.spawn(() -> 1);
            Greenlet<Integer> bad = Greenlet.spawn(() -> {
                throw new IllegalStateException("bad");
            });
            Consumer<Greenlet<Integer>> record = x -> {
                fired.add((x == ok ? "ok" : "bad"));
                if (fired.size() == 2) both.set(true);
            };
            ok.linkValue(record);
            ok.linkException(record);
            bad.linkValue(record);
            bad.linkException(record);
            both.get(LONG);
            Greenlets.joinAll(List.of(ok, bad));
            assertEquals(2, fired.size());
            assertTrue(fired.containsAll(List.of("ok", "bad")));
        });
    }

    @Test
    void unlinkRemovesAnyKindAndUnknownListenersAreIgnored() {
        inHub(() -> {
            Event go = new Event();
            AsyncResult<Integer> receiver = new AsyncResult<>();
            List<String> fired = new CopyOnWriteArrayList<>();
            Greenlet<Integer> g = Greenlet.spawn(() -> {
                go.await();
                return 1;
            });
            Consumer<Greenlet<Integer>> link = x -> fired.add("link");
            Consumer<Greenlet<Integer>> raw = x -> fired.add("raw");
            g.link(link);
            g.rawlink(raw);
            g.link(receiver);
            assertTrue(g.unlink(link));
            assertTrue(g.unlink(raw));
            assertTrue(g.unlink(receiver));
            assertFalse(g.unlink(new Object()));
            go.set();
            g.join();
            Greenlets.yieldNow();
            assertTrue(fired.isEmpty());
            assertFalse(receiver.isReady());
        });
    }

    @Test
    void aThrowingLinkIsReportedAndTheOtherLinksStillRun() {
        inHub(() -> {
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            hub.setErrorHandler((source, error) -> reported.add(error));
            AsyncResult<Boolean> second = new AsyncResult<>();
            IllegalStateException boom = new IllegalStateException("link failed");
            Greenlet<Integer> g = Greenlet.spawn(() -> 1);
            g.link(x -> {
                throw boom;
            });
            g.link(x -> second.set(true));
            assertTrue(second.get(LONG));
            long end = System.nanoTime() + LONG.toNanos();
            while (reported.isEmpty() && System.nanoTime() < end) Greenlets.yieldNow();
            assertEquals(List.of(boom), reported);
        });
    }

    @Test
    void aReceiverGetsTheValue() {
        inHub(() -> {
            AsyncResult<Integer> r = new AsyncResult<>();
            Greenlet.spawn(() -> 42).link(r);
            assertEquals(42, r.get(LONG));
        });
    }

    @Test
    void aReceiverGetsTheIdenticalException() {
        inHub(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            AsyncResult<Integer> r = new AsyncResult<>();
            Greenlet<Integer> g = Greenlet.spawn(() -> {
                throw boom;
            });
            g.link(r);
            assertSame(boom, assertThrows(IllegalStateException.class, () -> r.get(LONG)));
        });
    }

    @Test
    void linksCountAsReceivingAFailure() {
        inHub(() -> {
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            hub.setErrorHandler((source, error) -> reported.add(error));
            Event go = new Event();
            AsyncResult<Integer> r = new AsyncResult<>();
            Greenlet<Integer> g = Greenlet.spawn(() -> {
                go.await();
                throw new IllegalStateException("received");
            });
            g.link(r);
            go.set();
            assertThrows(IllegalStateException.class, () -> r.get(LONG));
            assertTrue(reported.isEmpty());
        });
    }

    @Test
    void aFailureWithOnlyALinkValueIsStillReported() {
        inHub(() -> {
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            hub.setErrorHandler((source, error) -> reported.add(error));
            Event go = new Event();
            Greenlet<Integer> g = Greenlet.spawn(() -> {
                go.await();
                throw new IllegalStateException("nobody");
            });
            g.linkValue(x -> {});
            AsyncResult<Boolean> died = new AsyncResult<>();
            g.rawlink((ErrorReportingTest.InternalConsumerOf<Integer>) x -> died.set(true));
            go.set();
            died.get(LONG);
            assertEquals(1, reported.size());
        });
    }

    @Test
    void linkingNullFailsAtTheCallSite() {
        inHub(() -> {
            Greenlet<Integer> g = Greenlet.spawn(() -> 1);
            assertThrows(NullPointerException.class, () -> g.link((Consumer<Greenlet<Integer>>) null));
            assertThrows(NullPointerException.class, () -> g.link((dev.weft.Receiver<Integer>) null));
            assertThrows(NullPointerException.class, () -> g.rawlink(null));
        });
    }

    @Test
    void rawlinksThatRelinkToTheirEndingGreenletOnItsOwnThreadDoNotOverflowTheStack() {
        inHub(() -> {
            int n = 100_000;
            int[] ran = {0};
            int[] elsewhere = {0};
            Thread[] endedOn = {null};
            Event go = new Event();
            Event done = new Event();
            Greenlet<Void> g = Greenlet.spawn(() -> {
                go.await();
                endedOn[0] = Thread.currentThread();
            });
            @SuppressWarnings("unchecked")
            Consumer<Greenlet<Void>>[] relink = new Consumer[1];
            relink[0] = x -> { // each callback links the next to the ended g: nested, on g's thread
                if (Thread.currentThread() != endedOn[0]) elsewhere[0]++;
                if (++ran[0] < n) x.rawlink(relink[0]);
                else done.set();
            };
            g.rawlink(relink[0]); // registered before g ends: the first runs at its end
            go.set();
            done.await();
            assertEquals(n, ran[0]);
            assertEquals(0, elsewhere[0]);
        });
    }
}
