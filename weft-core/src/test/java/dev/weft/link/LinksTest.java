package dev.weft.link;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.HubTestBase;
import dev.weft.Outcome;
import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** proc.py's link rules (its docstrings and test__proc's TestProc / TestStuff), under every hub. */
class LinksTest extends HubTestBase {

    @Test
    void linkingWithoutAListenerLinksTheCurrentGreenlet() {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Integer> p = Greenlet.spawn(() -> {
                go.await();
                return 100;
            });
            Links.link(p);
            go.set();
            LinkedCompleted e = assertThrows(LinkedCompleted.class, () -> Greenlets.sleep(LONG));
            assertSame(p, e.source());
        });
    }

    @Test
    void linkingTheCurrentGreenletAfterTheEndRaisesAtOnce() {
        inHub(() -> {
            Greenlet<Integer> p = Greenlet.spawn(() -> 100);
            p.join();
            assertThrows(LinkedCompleted.class, () -> Links.link(p)); // proc: "performed immediately"
            Greenlets.yieldNow(); // nothing more is queued
        });
    }

    @Test
    void eachLinkFiresOnce() {
        inHub(() -> {
            Greenlet<Integer> p = Greenlet.spawn(() -> 1);
            AtomicInteger calls = new AtomicInteger();
            Link l = Links.link(p, g -> calls.incrementAndGet());
            p.join();
            Greenlets.yieldNow();
            assertEquals(1, calls.get());
            assertTrue(l.isFired());
            assertFalse(l.cancel(), "a fired link cannot be cancelled");
        });
    }

    @Test
    void aThrowingListenerIsReportedAndTheOthersStillRun() {
        inHub(() -> {
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            hub.setErrorHandler((source, error) -> reported.add(error));
            IllegalStateException oops = new IllegalStateException("listener1");
            List<Integer> results = new CopyOnWriteArrayList<>();
            Event go = new Event();
            Greenlet<Integer> p = Greenlet.spawn(() -> {
                go.await();
                return 5;
            });
            Links.link(p, g -> {
                results.add(10);
                throw oops;
            });
            Links.link(p, g -> results.add(20));
            go.set();
            p.join();
            assertEquals(List.of(10, 20), results);
            assertEquals(List.of(oops), reported);
        });
    }

    @Test
    void unlinkBeforeTheEndStopsTheLinkedExit() {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Integer> p = Links.spawnLink(() -> {
                go.await();
                return 1;
            });
            assertTrue(Links.unlink(p)); // before the end: no LinkedCompleted afterwards (after it: the test below)
            go.set();
            p.join();
            Greenlets.sleep(Duration.ofMillis(1));
            assertEquals(1, p.get());
        });
    }

    @Test
    void unlinkAfterTheSourceEndedButBeforeItsExitWasRaisedStopsTheExit() {
        inHub(() -> { // proc's test_killing_unlinked itself: the child ends, the unlink comes before a blocking point
            dev.weft.sync.AsyncResult<Void> e = new dev.weft.sync.AsyncResult<>();
            Greenlet<Void> p = Links.spawnLink(() -> e.setException(new IllegalStateException("expected")));
            try {
                assertThrows(IllegalStateException.class, e::get);
                // the join's waiter is decided before the link fires (waiters first), so the join
                // returns and the child's exit waits, queued, for the next blocking point
                p.join();
            } finally {
                assertTrue(Links.unlink(p), "the queued exit was withdrawn");
            }
            Greenlets.sleep(Duration.ofMillis(1)); // a blocking point: nothing is raised here
            assertTrue(p.isDead());
        });
    }

    @Test
    void unlinkOfSomethingNeverLinkedReturnsFalse() {
        inHub(() -> {
            Greenlet<Integer> p = Greenlet.spawn(() -> 1);
            assertFalse(Links.unlink(p));
            assertFalse(Links.unlink(p, (Consumer<Object>) x -> {}));
            AsyncResult<Integer> r = new AsyncResult<>();
            assertFalse(Links.unlink(r, new AsyncResult<Integer>()));
        });
    }

    @Test
    void unlinkFindsACallbackOrAReceiverByItself() {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Integer> p = Greenlet.spawn(() -> {
                go.await();
                return 1;
            });
            List<String> fired = new CopyOnWriteArrayList<>();
            Consumer<Greenlet<Integer>> callback = g -> fired.add("callback");
            AsyncResult<Integer> receiver = new AsyncResult<>();
            Link l1 = Links.link(p, callback);
            Link l2 = Links.linkValue(p, receiver);
            assertTrue(Links.unlink(p, callback));
            assertTrue(Links.unlink(p, receiver));
            assertFalse(l1.isPending());
            assertFalse(l2.isPending());
            go.set();
            p.join();
            assertTrue(fired.isEmpty());
            assertFalse(receiver.isReady());
        });
    }

    @Test
    void unlinkFromInsideAnotherListenerStopsIt() {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Integer> p = Greenlet.spawn(() -> {
                go.await();
                return 5;
            });
            List<Integer> results = new CopyOnWriteArrayList<>();
            Consumer<Greenlet<Integer>>[] listeners = newListeners(2);
            listeners[0] = g -> {
                Links.unlink(p, listeners[1]);
                results.add(5);
            };
            listeners[1] = g -> {
                Links.unlink(p, listeners[0]);
                results.add(5);
            };
            Links.link(p, listeners[0]);
            Links.link(p, listeners[1]);
            go.set();
            p.join();
            assertEquals(List.of(5), results);
        });
    }

    @SuppressWarnings("unchecked")
    private static Consumer<Greenlet<Integer>>[] newListeners(int n) {
        return new Consumer[n];
    }

    @Test
    void aLinkClosedByTryWithResourcesNeverFires() {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Integer> p = Greenlet.spawn(() -> {
                go.await();
                return 1;
            });
            try (Link l = Links.link(p)) {
                assertTrue(l.isPending());
            }
            go.set();
            p.join();
            Greenlets.sleep(Duration.ofMillis(1)); // a blocking point: nothing is raised
        });
    }

    @Test
    void aGreenletsOwnUnlinkFindsAProcLinkByItsListener() {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Integer> p = Greenlet.spawn(() -> {
                go.await();
                return 1;
            });
            Consumer<Greenlet<Integer>> callback = g -> fail("unlinked");
            Link l = Links.link(p, callback);
            assertTrue(p.unlink(callback));
            assertFalse(l.isPending());
            go.set();
            p.join();
        });
    }

    @Test
    void anAsyncResultIsALinkSourceLikeProcsSource() {
        inHub(() -> {
            AsyncResult<String> s = new AsyncResult<>();
            AsyncResult<String> event = new AsyncResult<>();
            Links.link(s, event);
            Links.link(s);
            s.set("hello");
            assertEquals("hello", event.get(LONG));
            LinkedCompleted e = assertThrows(LinkedCompleted.class, () -> Greenlets.sleep(LONG));
            assertSame(s, e.source());
            assertEquals("hello", ((Outcome.Value<?>) e.outcome()).value());
        });
    }

    @Test
    void anAsyncResultSetWithAnExitIsAKill() {
        inHub(() -> {
            AsyncResult<String> s = new AsyncResult<>();
            Links.linkException(s);
            s.setException(new ProcExit());
            LinkedKilled e = assertThrows(LinkedKilled.class, () -> Greenlets.sleep(LONG));
            assertInstanceOf(ProcExit.class, e.getCause());
        });
    }

    @Test
    void anEventIsALinkSourceAndFiresOnItsNextSet() {
        inHub(() -> {
            Event ev = new Event();
            AsyncResult<Object> r = new AsyncResult<>();
            Links.link(ev, r);
            Links.linkValue(ev);
            ev.set();
            assertNull(r.get(LONG));
            assertThrows(LinkedCompleted.class, () -> Greenlets.sleep(LONG));
        });
    }

    @Test
    void aLinkWorksAcrossHubs() {
        // the source runs on a real parallel hub: a simulated hub's virtual time would run the
        // sleep below to its end before the real-time source failed
        org.junit.jupiter.api.Assumptions.assumeFalse(hub.isSimulated(),
                "a simulated hub does not wait in virtual time for a real-time hub");
        inHub(() -> {
            try (Hub other = Hub.parallel()) {
                Event go = new Event();
                Greenlet<Integer> p = other.spawn(() -> {
                    go.await();
                    throw new IllegalStateException("elsewhere");
                });
                Links.linkException(p);
                go.set();
                LinkedFailed e = assertThrows(LinkedFailed.class, () -> Greenlets.sleep(LONG));
                assertEquals("elsewhere", e.getCause().getMessage());
            }
        });
    }

    @Test
    void aLinkToAGreenletCountsAsReceivingItsFailure() {
        inHub(() -> {
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            hub.setErrorHandler((source, error) -> reported.add(error));
            Greenlet<Integer> p = Links.spawnLinkException(() -> {
                throw new IllegalStateException("received");
            });
            assertThrows(LinkedFailed.class, () -> Greenlets.sleep(LONG));
            p.join();
            assertTrue(reported.isEmpty(), reported.toString());
        });
    }

    @Test
    void aFailureWhoseExitFindsItsTargetEndedIsReported() {
        inHub(() -> {
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            hub.setErrorHandler((source, error) -> reported.add(error));
            Greenlet<Void> target = Greenlet.spawn(() -> {});
            target.join();
            IllegalStateException lost = new IllegalStateException("nobody left");
            Event go = new Event();
            Greenlet<Integer> p = Greenlet.spawn(() -> {
                go.await();
                throw lost;
            });
            Links.linkException(p, target);
            go.set();
            p.join();
            assertEquals(List.of(lost), reported);
        });
    }

    @Test
    void aFailureWhoseExitIsStillQueuedWhenItsTargetEndsIsReported() {
        // the source's hub is driven from this (platform) thread: a virtual thread started from a
        // single-carrier hub's greenlet would inherit that hub's carrier (the JDK's rule)
        try (Hub other = Hub.parallel()) {
            AsyncResult<Throwable> reported = new AsyncResult<>();
            other.setErrorHandler((source, error) -> reported.set(error));
            IllegalStateException lost = new IllegalStateException("target ended first");
            Event go = new Event();
            Greenlet<Integer> src = other.spawn(() -> {
                go.await();
                throw lost;
            });
            inHub(() -> {
                Greenlet<Void> target = new Greenlet<>(() -> {
                    go.set();
                    while (!src.isDead()) Thread.onSpinWait(); // no blocking point: the exit stays queued
                });
                Links.linkException(src, target);
                target.start();
                target.join();
                assertTrue(target.isSuccessful(), "it ended before any blocking point");
            });
            assertSame(lost, reported.get(LONG));
        }
    }

    @Test
    void aKillIsAFailureForProcLinksButASuccessForGevent1LinkException() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> p = Greenlet.spawn(() -> never.await());
            AtomicInteger gevent = new AtomicInteger();
            AtomicInteger proc = new AtomicInteger();
            p.linkException(g -> gevent.incrementAndGet()); // gevent 1.x: a kill is a success
            Links.linkException(p, g -> proc.incrementAndGet()); // proc.py: a kill is a failure
            p.kill(new ProcExit());
            Greenlets.sleep(Duration.ofMillis(1));
            assertEquals(0, gevent.get());
            assertEquals(1, proc.get());
            assertInstanceOf(ProcExit.class, ((Outcome.Killed<?>) p.outcome()).exit());
        });
    }

    // ---------------------------------------------------------------- bad input

    @Test
    void linkingAGreenletToItselfIsRefused() {
        inHub(() -> {
            assertThrows(IllegalArgumentException.class, () -> Links.link(Greenlet.current()));
            Greenlet<Void> g = Greenlet.spawn(() -> {});
            assertThrows(IllegalArgumentException.class, () -> Links.link(g, g));
            assertThrows(IllegalArgumentException.class, () -> Links.linkBoth(g, g));
        });
    }

    @Test
    void nullsAreRefusedAtTheCallSite() {
        inHub(() -> {
            Greenlet<Integer> g = Greenlet.spawn(() -> 1);
            assertThrows(NullPointerException.class, () -> Links.link(null));
            assertThrows(NullPointerException.class, () -> Links.link(g, (Greenlet<?>) null));
            assertThrows(NullPointerException.class, () -> Links.link(g, (Consumer<Greenlet<Integer>>) null));
            assertThrows(NullPointerException.class, () -> Links.link(g, (dev.weft.Receiver<Integer>) null));
            assertThrows(NullPointerException.class, () -> Links.unlink(g, null));
            assertThrows(NullPointerException.class, () -> Links.monitor(g, (dev.weft.sync.Queue<Down>) null));
            assertThrows(NullPointerException.class, () -> Links.spawnLink((java.util.concurrent.Callable<Integer>) null));
        });
    }

    @Test
    void linkingToAGreenletOfAClosedHubIsRefused() {
        inHub(() -> {
            Hub closed = Hub.parallel();
            Greenlet<Integer> never = new Greenlet<>(closed, () -> 1);
            closed.close();
            assertThrows(IllegalStateException.class, () -> Links.link(never));
            assertThrows(IllegalStateException.class, () -> Links.link(new AsyncResult<Integer>(), never));
            assertThrows(IllegalStateException.class, () -> Links.linkBoth(Greenlet.current(), never));
            assertThrows(IllegalStateException.class, () -> Links.monitor(never, d -> {}));
        });
    }

    @Test
    void aKillOfTheLinkedGreenletIsStillALinkedKill() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> p = Links.spawnLink(() -> never.await());
            p.kill(new GreenletExit(), false, null);
            LinkedKilled e = assertThrows(LinkedKilled.class, () -> Greenlets.sleep(LONG));
            assertSame(p, e.source());
        });
    }
}
