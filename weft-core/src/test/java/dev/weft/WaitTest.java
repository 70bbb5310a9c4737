package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Waiting on many, killing many, with_timeout (gevent's test__joinall, test__iwait, test__timeout). */
class WaitTest extends HubTestBase {
    private static final Duration SHORT = Duration.ofMillis(30);

    @Test
    void waitReturnsObjectsInTheOrderTheyBecameReady() {
        inHub(() -> {
            Event a = new Event(), b = new Event(), c = new Event();
            Event registered = new Event();
            Greenlet.spawn(() -> {
                registered.await();
                b.set();
                c.set();
                a.set();
            });
            // register first (a listener fires at once for an object already ready)
            try (ReadyIterator<Event> it = Greenlets.iwait(List.of(a, b, c))) {
                registered.set();
                List<Event> order = new java.util.ArrayList<>();
                it.forEachRemaining(order::add);
                assertEquals(List.of(b, c, a), order);
            }
        });
    }

    @Test
    void waitOnObjectsReadyAlreadyReturnsThemInListOrder() {
        inHub(() -> {
            Event a = new Event(), b = new Event();
            b.set();
            a.set();
            assertEquals(List.of(a, b), Greenlets.wait(List.of(a, b)));
        });
    }

    @Test
    void waitWithACountReturnsAfterThatManyAreReady() {
        inHub(() -> {
            Event a = new Event(), b = new Event();
            b.set();
            assertEquals(List.of(b), Greenlets.wait(List.of(a, b), null, 1));
        });
    }

    @Test
    void waitReturnsAPartialListOnTimeoutWithoutThrowing() {
        inHub(() -> {
            Event a = new Event(), b = new Event();
            a.set();
            assertEquals(List.of(a), Greenlets.wait(List.of(a, b), SHORT));
        });
    }

    @Test
    void waitWorksOnMixedLinkables() {
        inHub(() -> {
            AsyncResult<Integer> r = new AsyncResult<>();
            Greenlet<Integer> g = Greenlet.spawn(() -> 1);
            Event e = new Event();
            r.set(2);
            e.set();
            List<Linkable<?>> ready = Greenlets.wait(List.of(r, g, e), LONG);
            assertEquals(3, ready.size());
        });
    }

    @Test
    void iwaitYieldsInReadyOrderAndUnlinksTheRestWhenClosed() {
        inHub(() -> {
            Event a = new Event(), b = new Event();
            try (ReadyIterator<Event> it = Greenlets.iwait(List.of(a, b))) {
                Greenlet.spawn(() -> b.set());
                assertSame(b, it.next());
            }
            assertTrue(a.toString().contains("waiters=0"), "closing unlinked the listener on a: " + a);
        });
    }

    @Test
    void iwaitEndsWhenTheTimeoutPasses() {
        inHub(() -> {
            Event a = new Event();
            ReadyIterator<Event> it = Greenlets.iwait(List.of(a), SHORT, 1);
            assertFalse(it.hasNext());
            assertThrows(java.util.NoSuchElementException.class, it::next);
        });
    }

    @Test
    void iwaitCanBeUsedInAForEachLoop() {
        inHub(() -> {
            Greenlet<Integer> one = Greenlet.spawn(() -> 1);
            Greenlet<Integer> two = Greenlet.spawn(() -> 2);
            int sum = 0;
            for (Greenlet<Integer> g : Greenlets.iwait(List.of(one, two))) sum += g.get();
            assertEquals(3, sum);
        });
    }

    @Test
    void joinAllReturnsTheFinishedGreenletsAndToleratesDuplicates() {
        inHub(() -> {
            Greenlet<Integer> a = Greenlet.spawn(() -> 1);
            Greenlet<Integer> b = Greenlet.spawn(() -> 2);
            List<Greenlet<Integer>> done = Greenlets.joinAll(List.of(a, b, a));
            assertEquals(2, done.size());
            assertTrue(done.containsAll(List.of(a, b)));
        });
    }

    @Test
    void joinAllWithATimeoutReturnsOnlyThoseThatFinished() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Integer> quick = Greenlet.spawn(() -> 1);
            Greenlet<Void> stuck = Greenlet.spawn(() -> never.await());
            quick.join();
            assertEquals(List.of(quick), Greenlets.joinAll(List.of(stuck, quick), SHORT, false, Integer.MAX_VALUE));
            stuck.kill();
        });
    }

    @Test
    void joinAllWithRaiseErrorRaisesTheFirstFailureInTimeNotInListOrder() {
        inHub(() -> {
            Event second = new Event();
            IllegalStateException early = new IllegalStateException("early");
            Greenlet<Void> late = Greenlet.spawn(() -> {
                second.await();
                throw new IllegalStateException("late");
            });
            Greenlet<Void> first = Greenlet.spawn(() -> {
                throw early;
            });
            IllegalStateException raised = assertThrows(IllegalStateException.class,
                    () -> Greenlets.joinAll(List.of(late, first), LONG, true, Integer.MAX_VALUE));
            assertSame(early, raised);
            late.kill();
        });
    }

    @Test
    void joinAllWithACountStopsAfterThatMany() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Integer> quick = Greenlet.spawn(() -> 1);
            Greenlet<Void> stuck = Greenlet.spawn(() -> never.await());
            assertEquals(List.of(quick), Greenlets.joinAll(List.of(stuck, quick), LONG, false, 1));
            stuck.kill();
        });
    }

    @Test
    void killAllKillsUnstartedGreenletsWithoutRunningThem() {
        AtomicBoolean ran = new AtomicBoolean();
        inHub(() -> {
            Greenlet<Void> unstarted = new Greenlet<>(hub, () -> {
                ran.set(true);
                return null;
            });
            Event never = new Event();
            Greenlet<Void> started = Greenlet.spawn(() -> never.await());
            awaitWaiting(started);
            Greenlets.killAll(List.of(unstarted, started));
            assertTrue(unstarted.isKilled());
            assertTrue(started.isKilled());
        });
        assertFalse(ran.get());
    }

    @Test
    void aBlockingKillAllWithATimeoutRaisesTimeoutWhenAGreenletIgnoresTheExit() {
        inHub(() -> {
            Event release = new Event();
            Greenlet<Void> stubborn = Greenlet.spawn(() -> {
                try {
                    release.await();
                } catch (GreenletExit ignored) {
                    release.await();
                }
            });
            awaitWaiting(stubborn);
            assertThrows(Timeout.class, () -> Greenlets.killAll(List.of(stubborn), new GreenletExit(), true, SHORT));
            release.set();
            stubborn.join();
        });
    }

    @Test
    void killAllRefusesACheckedException() {
        assertThrows(IllegalArgumentException.class,
                () -> Greenlets.killAll(List.of(), new IOException("checked"), false, null));
    }

    @Test
    void withTimeoutReturnsTheValueWhenInTime() {
        inHub(() -> assertEquals(7, Greenlets.withTimeout(LONG, () -> 7)));
    }

    @Test
    void withTimeoutRaisesItsTimeoutWithoutAFallback() {
        inHub(() -> assertThrows(Timeout.class, () -> Greenlets.withTimeout(SHORT, () -> {
            Greenlets.sleep(LONG);
            return 1;
        })));
    }

    @Test
    void withTimeoutReturnsTheFallbackWhenItsOwnTimerFires() {
        inHub(() -> assertEquals("fallback", Greenlets.withTimeout(SHORT, () -> {
            Greenlets.sleep(LONG);
            return "value";
        }, "fallback")));
    }

    @Test
    void anOuterTimeoutPassesThroughAnInnerWithTimeoutFallback() {
        inHub(() -> {
            Duration outer = Duration.ofMillis(100), inner = Duration.ofMillis(200);
            assertThrows(Timeout.class, () -> Greenlets.withTimeout(outer,
                    () -> Greenlets.withTimeout(inner, () -> {
                        Greenlets.sleep(Duration.ofSeconds(2));
                        return "slept";
                    }, "inner fallback")));
        });
    }

    @Test
    void withTimeoutWrapsACheckedFailure() {
        inHub(() -> {
            IOException io = new IOException("io");
            GreenletFailure f = assertThrows(GreenletFailure.class, () -> Greenlets.withTimeout(LONG, () -> {
                throw io;
            }));
            assertSame(io, f.getCause());
        });
    }

    @Test
    void spawnRawRunsTheTask() {
        inHub(() -> {
            AsyncResult<String> r = new AsyncResult<>();
            Greenlets.spawnRaw(() -> r.set("raw"));
            assertEquals("raw", r.get(LONG));
        });
    }

    @Test
    void theStaticKillDoesNotWait() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> g = Greenlet.spawn(() -> never.await());
            awaitWaiting(g);
            assertTrue(Greenlets.kill(g, new GreenletExit()));
            g.join();
            assertTrue(g.isKilled());
        });
    }

    @Test
    void aJoinAllRaisingTheFirstFailureReportsTheOtherFailuresNotLoseThem() {
        List<Throwable> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        Event reportedOne = new Event();
        hub.setErrorHandler((source, error) -> {
            reported.add(error);
            reportedOne.set();
        });
        inHub(() -> { // §6: errors are never lost (gevent's hub reports every failure)
            Event go = new Event();
            IllegalStateException a = new IllegalStateException("a"), b = new IllegalStateException("b");
            Greenlet<Void> ga = Greenlet.spawn(() -> {
                go.await();
                throw a;
            });
            Greenlet<Void> gb = Greenlet.spawn(() -> {
                go.await();
                throw b;
            });
            awaitWaiting(ga);
            awaitWaiting(gb);
            Greenlet<?> me = Greenlet.current();
            Greenlet.spawn(() -> { // both fail while the joinAll below waits, its links receiving
                awaitWaiting(me);
                go.set();
            });
            IllegalStateException thrown = assertThrows(IllegalStateException.class,
                    () -> Greenlets.joinAll(List.of(ga, gb), null, true, Integer.MAX_VALUE));
            assertTrue(reportedOne.await(LONG));
            assertEquals(1, reported.size(), "exactly the other failure: " + reported);
            assertNotSame(thrown, reported.get(0));
        });
    }
}
