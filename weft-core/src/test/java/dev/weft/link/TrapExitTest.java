package dev.weft.link;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.HubTestBase;
import dev.weft.Outcome;
import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import dev.weft.sync.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** OTP trap-exit and two-way links, under every hub. */
class TrapExitTest extends HubTestBase {

    @Test
    void aTrappingGreenletReceivesExitsAsDownsInsteadOfHavingThemRaised() {
        inHub(() -> {
            Queue<Down> inbox = new Queue<>();
            Links.trapExits(inbox);
            assertTrue(Links.isTrappingExits());
            Greenlet<Void> child = Links.spawnLink(() -> {
                throw new IllegalStateException("trapped");
            });
            Down d = inbox.get(LONG);
            assertSame(child, d.source());
            assertInstanceOf(Outcome.Failed.class, d.outcome());
            assertInstanceOf(Link.class, d.ref());
            Links.stopTrappingExits();
            assertFalse(Links.isTrappingExits());
        });
    }

    @Test
    void exitsQueuedBeforeTrappingMoveToTheInbox() {
        inHub(() -> {
            Greenlet<Integer> a = Links.spawnLink(() -> 1);
            boolean raisedInJoin = false;
            try {
                // single carrier: the link's listener queues the exit before join's wakes us, and
                // join returns on its outcome; the exit stays queued (no blocking point since)
                a.join();
            } catch (LinkedCompleted e) {
                // parallel: we may wake between the two listeners and take the exit in join
                raisedInJoin = true;
            }
            if (Hub.current().isSingleCarrier()) assertFalse(raisedInJoin, "join raised the exit on a single carrier");
            Queue<Down> inbox = new Queue<>();
            Links.trapExits(inbox);
            Greenlets.sleep(Duration.ofMillis(1)); // nothing raised
            Down d = inbox.tryGet();
            if (raisedInJoin) {
                assertNull(d, "an exit raised in join is not also in the inbox");
            } else {
                assertEquals(new Outcome.Value<>(1), d.outcome());
            }
        });
    }

    @Test
    void afterStoppingExitsAreRaisedAgain() {
        inHub(() -> {
            Links.trapExits(new Queue<>());
            Links.stopTrappingExits();
            Links.spawnLink(() -> 1);
            assertThrows(LinkedCompleted.class, () -> Greenlets.sleep(LONG));
        });
    }

    @Test
    void trapExitToggledUnderLoadLosesNoExitAndDeliversNoneTwice() {
        inHub(() -> {
            int n = 2_000;
            Queue<Down> inbox = new Queue<>();
            Greenlet<?> me = Greenlet.current();
            SplittableRandom rnd = new SplittableRandom(42);
            List<Greenlet<Void>> sources = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                int yields = rnd.nextInt(20);
                Greenlet<Void> s = new Greenlet<>(() -> {
                    for (int k = 0; k < yields; k++) Greenlets.yieldNow();
                    throw new IllegalStateException("source");
                });
                sources.add(s);
                Links.linkException(s, me);
            }
            for (Greenlet<Void> s : sources) s.start();
            Map<Object, Integer> seen = new IdentityHashMap<>();
            int raised = 0, trapped = 0;
            boolean trapping = false;
            while (raised + trapped < n) {
                try {
                    if (trapping) Links.stopTrappingExits();
                    else Links.trapExits(inbox);
                    trapping = !trapping;
                    Greenlets.yieldNow();
                    for (Down d; (d = inbox.tryGet()) != null; trapped++) seen.merge(d.source(), 1, Integer::sum);
                } catch (LinkedFailed e) {
                    raised++;
                    seen.merge(e.source(), 1, Integer::sum);
                }
            }
            Links.stopTrappingExits();
            Greenlets.joinAll(sources);
            Greenlets.sleep(Duration.ofMillis(1)); // one more exit would be raised here
            assertTrue(inbox.isEmpty());
            assertEquals(n, seen.size(), "every source's exit arrived");
            assertTrue(seen.values().stream().allMatch(c -> c == 1), "none twice");
            assertEquals(n, raised + trapped, "raised " + raised + ", trapped " + trapped);
        });
    }

    @Test
    void aBoundedInboxIsRefused() {
        inHub(() -> assertThrows(IllegalArgumentException.class, () -> Links.trapExits(new Queue<>(10))));
    }

    // ---------------------------------------------------------------- two-way links

    private static Greenlet<Void> waiter(Event never, AsyncResult<LinkedExited> got) {
        return Greenlet.spawn(() -> {
            try {
                never.await();
            } catch (LinkedExited e) {
                got.set(e);
                throw e;
            }
        });
    }

    @Test
    void aFailureOfEitherSideOfATwoWayLinkIsRaisedInTheOther() {
        inHub(() -> {
            hub.setErrorHandler((s, e) -> {});
            Event never = new Event();
            Event go = new Event();
            AsyncResult<LinkedExited> got = new AsyncResult<>();
            Greenlet<Void> a = Greenlet.spawn(() -> {
                go.await();
                throw new IllegalStateException("a failed");
            });
            Greenlet<Void> b = waiter(never, got);
            Links.linkBoth(a, b);
            go.set();
            LinkedFailed e = assertInstanceOf(LinkedFailed.class, got.get(LONG));
            assertSame(a, e.source());
            b.join();
        });
    }

    @Test
    void aKillOfOneSideIsRaisedInTheOtherAsALinkedKill() {
        inHub(() -> {
            hub.setErrorHandler((s, e) -> {});
            Event never = new Event();
            AsyncResult<LinkedExited> got = new AsyncResult<>();
            Greenlet<Void> a = Greenlet.spawn(() -> never.await());
            Greenlet<Void> b = waiter(never, got);
            Links.linkBoth(a, b);
            a.kill();
            assertInstanceOf(LinkedKilled.class, got.get(LONG));
        });
    }

    @Test
    void aNormalEndOfOneSideIsNotRaisedInTheOther() {
        inHub(() -> {
            Event go = new Event();
            Event release = new Event();
            Greenlet<Integer> a = Greenlet.spawn(() -> {
                go.await();
                return 1;
            });
            Greenlet<String> b = Greenlet.spawn(() -> {
                release.await();
                Greenlets.sleep(Duration.ofMillis(1));
                return "untouched";
            });
            Links.linkBoth(a, b);
            go.set();
            a.join();
            release.set();
            assertEquals("untouched", b.get());
        });
    }

    @Test
    void aTrappingSideReceivesEvenANormalEndAsADown() {
        inHub(() -> {
            Queue<Down> inbox = new Queue<>();
            Links.trapExits(inbox);
            Greenlet<Integer> a = Greenlet.spawn(() -> 1);
            Links.linkBoth(a, Greenlet.current());
            assertEquals(new Outcome.Value<>(1), inbox.get(LONG).outcome());
            Links.stopTrappingExits();
        });
    }

    @Test
    void unlinkBothRemovesBothDirections() {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Void> a = Greenlet.spawn(() -> {
                go.await();
                throw new IllegalStateException("a");
            });
            Links.linkBoth(a, Greenlet.current());
            assertTrue(Links.unlinkBoth(a, Greenlet.current()));
            assertFalse(Links.unlinkBoth(a, Greenlet.current()));
            hub.setErrorHandler((s, e) -> {});
            go.set();
            a.join();
            Greenlets.sleep(Duration.ofMillis(1)); // nothing raised
        });
    }
}
