package dev.weft.link;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.Outcome;
import dev.weft.Timeout;
import dev.weft.sync.Event;
import dev.weft.sync.Queue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * spawnLink*: the child's end raised in the parent wherever it blocks, a Timeout keeping its
 * identity, what the parent's death does to its children, and 10,000 pairs at once.
 */
class SpawnLinkTest extends HubTestBase {
    static final IllegalStateException BOOM = new IllegalStateException("child failed");

    /** A child that fails once the parent is parked. */
    private static Greenlet<Void> failingChildOf(Greenlet<?> parent) {
        return Links.spawnLinkException(() -> {
            awaitWaiting(parent);
            throw BOOM;
        });
    }

    @Test
    void aChildsFailureIsRaisedInTheParentWhileItSleeps() {
        inHub(() -> {
            Greenlet<Void> child = failingChildOf(Greenlet.current());
            LinkedFailed e = assertThrows(LinkedFailed.class, () -> Greenlets.sleep(Duration.ofHours(1)));
            assertSame(child, e.source());
            assertSame(BOOM, e.getCause());
        });
    }

    @Test
    void aChildsFailureIsRaisedInTheParentWhileItWaitsOnAQueue() {
        inHub(() -> {
            Queue<String> q = new Queue<>();
            failingChildOf(Greenlet.current());
            assertThrows(LinkedFailed.class, q::get);
            q.put("still works");
            assertEquals("still works", q.get()); // no item was lost, no signal left behind
        });
    }

    @Test
    void aChildsFailureIsRaisedInTheParentWhileItJoinsAnother() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> other = Greenlet.spawn(() -> never.await());
            failingChildOf(Greenlet.current());
            assertThrows(LinkedFailed.class, other::join);
            assertTrue(other.isAlive());
            other.kill();
        });
    }

    @Test
    @SuppressWarnings("try")
    void aChildsFailureIsRaisedInsideTheParentsOwnTimeoutAndTheTimeoutNeverFiresAfterIt() {
        inHub(() -> {
            Queue<String> q = new Queue<>();
            Timeout t = Timeout.start(LONG);
            assertThrows(LinkedFailed.class, () -> {
                try (t) {
                    failingChildOf(Greenlet.current());
                    q.get();
                }
            });
            assertFalse(t.isPending());
            assertFalse(t.isExpired());
            Greenlets.sleep(Duration.ofMillis(1)); // a blocking point: nothing else is queued
        });
    }

    @Test
    @SuppressWarnings("try")
    void aTimeoutThatExpiresFirstIsRaisedAsItselfAndTheLinkedExitComesNext() {
        inHub(() -> {
            Queue<String> q = new Queue<>();
            Event gate = new Event();
            Greenlet<Void> child = Links.spawnLinkException(() -> {
                gate.await();
                throw BOOM;
            });
            Timeout t = Timeout.start(Duration.ofMillis(20));
            Timeout caught = assertThrows(Timeout.class, () -> {
                try (t) {
                    q.get();
                }
            });
            assertSame(t, caught);
            gate.set();
            LinkedFailed e = assertThrows(LinkedFailed.class, q::get);
            assertSame(child, e.source());
        });
    }

    @Test
    void spawnLinkRaisesACompletionAndSpawnLinkValueOnlyAValue() {
        inHub(() -> {
            Greenlet<Integer> a = Links.spawnLink(() -> 1);
            assertThrows(LinkedCompleted.class, () -> Greenlets.sleep(LONG));
            assertEquals(1, a.get());
            Greenlet<Integer> b = Links.spawnLinkValue(() -> 2);
            assertThrows(LinkedCompleted.class, () -> Greenlets.sleep(LONG));
            assertEquals(2, b.get());
            Greenlet<Void> c = Links.spawnLinkValue(() -> {
                throw new IllegalStateException("not raised in the parent");
            });
            c.join();
            Greenlets.sleep(Duration.ofMillis(1)); // nothing raised
        });
    }

    @Test
    void spawnLinkExceptionIgnoresAValue() {
        inHub(() -> {
            Greenlet<Integer> a = Links.spawnLinkException(() -> 1);
            a.join();
            Greenlets.sleep(Duration.ofMillis(1));
            assertEquals(1, a.get());
        });
    }

    @Test
    void aParentKilledRaisesItsKillInItsLiveLinkedChildren() {
        inHub(() -> {
            Event never = new Event();
            List<Greenlet<Void>> children = new CopyOnWriteArrayList<>();
            Greenlet<Void> parent = Greenlet.spawn(() -> {
                for (int i = 0; i < 3; i++) children.add(Links.spawnLink(() -> never.await()));
                never.await();
            });
            while (children.size() < 3) Greenlets.yieldNow();
            parent.kill();
            for (Greenlet<Void> c : children) {
                c.join();
                Outcome.Failed<Void> f = assertInstanceOf(Outcome.Failed.class, c.outcome());
                LinkedKilled e = assertInstanceOf(LinkedKilled.class, f.error());
                assertSame(parent, e.source());
            }
        });
    }

    @Test
    void aParentThatFailsRaisesItsFailureInItsLiveLinkedChildren() {
        inHub(() -> {
            hub.setErrorHandler((s, e) -> {});
            Event never = new Event();
            Event spawned = new Event();
            List<Greenlet<Void>> children = new CopyOnWriteArrayList<>();
            Greenlet<Void> parent = Greenlet.spawn(() -> {
                children.add(Links.spawnLink(() -> never.await()));
                spawned.set();
                never.await(Duration.ofMillis(1));
                throw new IllegalStateException("parent failed");
            });
            spawned.await();
            parent.join();
            Greenlet<Void> child = children.get(0);
            child.join();
            LinkedFailed e = assertInstanceOf(LinkedFailed.class, ((Outcome.Failed<Void>) child.outcome()).error());
            assertEquals("parent failed", e.getCause().getMessage());
        });
    }

    @Test
    void aParentThatReturnsLeavesItsChildrenRunningAndTheirLaterFailureIsReported() {
        inHub(() -> {
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            hub.setErrorHandler((s, e) -> reported.add(e));
            Event release = new Event();
            IllegalStateException late = new IllegalStateException("after the parent");
            Greenlet<Greenlet<Void>> parent = Greenlet.spawn(() -> Links.spawnLink(() -> {
                release.await();
                throw late;
            }));
            Greenlet<Void> child = parent.get();
            assertTrue(child.isAlive(), "OTP: a normal exit does not end linked children");
            release.set();
            Greenlets.wait(List.of(child)); // wait's plumbing does not receive the failure (a join would)
            assertEquals(List.of(late), reported, "its failure had nobody left: reported, never lost");
        });
    }

    @Test
    void tenThousandLinkedPairsDyingAtOnceDeliverExactlyTenThousandExits() {
        inHub(() -> {
            int n = 10_000;
            Event gate = new Event();
            Event never = new Event();
            AtomicInteger exits = new AtomicInteger();
            List<Greenlet<Void>> parents = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                parents.add(Greenlet.spawn(() -> {
                    Greenlet<Void> child = Links.spawnLinkException(() -> {
                        gate.await();
                        throw BOOM;
                    });
                    try {
                        never.await();
                    } catch (LinkedFailed e) {
                        if (e.source() == child) exits.incrementAndGet();
                    }
                    Greenlets.yieldNow(); // a second exit would be raised here and fail the parent
                }));
            }
            gate.set();
            Greenlets.joinAll(parents);
            assertEquals(n, exits.get());
            for (Greenlet<Void> p : parents) assertTrue(p.isSuccessful(), p.toString());
        });
    }
}
