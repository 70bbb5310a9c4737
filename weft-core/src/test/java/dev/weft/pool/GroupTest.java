package dev.weft.pool;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.sync.Event;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Group: membership, join, kill (gevent's test__greenletset and the Group half of test__pool). */
class GroupTest extends HubTestBase {

    private void quiet() {
        hub.setErrorHandler((source, error) -> {});
    }

    @Test
    void aSpawnedMemberLeavesTheGroupWhenItFinishes() {
        inHub(() -> {
            Group group = new Group();
            Event go = new Event();
            Greenlet<Integer> g = group.spawn(() -> {
                go.await();
                return 7;
            });
            assertTrue(group.contains(g));
            assertEquals(1, group.size());
            go.set();
            assertEquals(7, g.get());
            group.join();
            assertFalse(group.contains(g));
            assertTrue(group.isEmpty());
        });
    }

    @Test
    void joinOnAnEmptyGroupReturnsTrueAtOnce() {
        inHub(() -> assertTrue(new Group().join(Duration.ZERO)));
    }

    @Test
    void aTimedJoinReturnsFalseWhenMembersOutliveIt() {
        inHub(() -> {
            Group group = new Group();
            Event never = new Event();
            group.spawn(() -> never.await());
            assertFalse(group.join(Duration.ofMillis(10)));
            assertEquals(1, group.size());
            group.kill();
        });
    }

    @Test
    void joinWaitsForMembersSpawnedByMembersWhileItWaits() {
        inHub(() -> {
            Group group = new Group();
            Event go = new Event();
            AtomicReference<Greenlet<?>> child = new AtomicReference<>();
            Event childGo = new Event();
            group.spawn(() -> {
                go.await();
                child.set(group.spawn(() -> childGo.await()));
            });
            Greenlet<Boolean> joiner = Greenlet.spawn(() -> group.join(LONG));
            awaitWaiting(joiner);
            go.set();
            while (child.get() == null) Greenlets.yieldNow();
            assertFalse(joiner.isReady(), "the child is a member: join still waits");
            childGo.set();
            assertTrue(joiner.get());
            assertTrue(child.get().isDead());
        });
    }

    @Test
    void joinWithRaiseErrorRethrowsTheFailureOfAMemberPresentAtTheCall() {
        quiet();
        inHub(() -> {
            Group group = new Group();
            Event go = new Event();
            IllegalStateException boom = new IllegalStateException("boom");
            group.spawn(() -> {
                go.await();
                throw boom;
            });
            Greenlet<Boolean> joiner = Greenlet.spawn(() -> group.join(LONG, true));
            awaitWaiting(joiner);
            go.set();
            joiner.join();
            assertSame(boom, joiner.exception());
        });
    }

    @Test
    void aCheckedFailureIsRethrownWrappedByJoinWithRaiseError() {
        quiet();
        inHub(() -> {
            Group group = new Group();
            IOException io = new IOException("disk");
            dev.weft.sync.Event go = new dev.weft.sync.Event();
            group.spawn(() -> {
                go.await(); // still a member when join is called
                throw io;
            });
            Greenlet<?> main = Greenlet.current();
            Greenlet.spawn(() -> {
                awaitWaiting(main); // main is in join now
                go.set();
            });
            dev.weft.GreenletFailure f = assertThrows(dev.weft.GreenletFailure.class, () -> group.join(LONG, true));
            assertSame(io, f.getCause());
        });
    }

    @Test
    void killEndsEveryMemberAndWaitsForTheGroupToBeEmpty() {
        inHub(() -> {
            Group group = new Group();
            Event never = new Event();
            List<Greenlet<Void>> gs = new ArrayList<>();
            for (int i = 0; i < 3; i++) gs.add(group.spawn(() -> never.await()));
            group.kill();
            assertTrue(group.isEmpty());
            for (Greenlet<Void> g : gs) assertTrue(g.isKilled());
        });
    }

    @Test
    void aKillIsThrownIntoEachMemberAtMostOnceHoweverOftenKillIsCalled() {
        inHub(() -> {
            Group group = new Group();
            AtomicInteger kills = new AtomicInteger();
            Event release = new Event();
            Greenlet<Void> stubborn = group.spawn(() -> {
                for (;;) {
                    try {
                        release.await();
                        return;
                    } catch (GreenletExit e) {
                        kills.incrementAndGet(); // survives, waits again
                    }
                }
            });
            awaitWaiting(stubborn);
            group.kill(new GreenletExit(), false, null);
            group.kill(new GreenletExit(), false, null);
            assertFalse(group.killOne(stubborn, new GreenletExit(), false, null));
            assertFalse(group.kill(new GreenletExit(), true, Duration.ofMillis(20)));
            release.set();
            group.join();
            assertEquals(1, kills.get());
        });
    }

    @Test
    void aBlockingKillAlsoKillsMembersSpawnedWhileItWaits() {
        inHub(() -> {
            Group group = new Group();
            Event never = new Event();
            AtomicReference<Greenlet<Void>> child = new AtomicReference<>();
            Greenlet<Void> parent = group.spawn(() -> {
                try {
                    never.await();
                } finally {
                    child.set(group.spawn(() -> never.await())); // spawned while dying
                }
            });
            awaitWaiting(parent);
            assertTrue(group.kill(new GreenletExit(), true, LONG));
            assertTrue(group.isEmpty());
            assertTrue(child.get().isKilled());
        });
    }

    @Test
    void killOneKillsAMemberAndIgnoresOthers() {
        inHub(() -> {
            Group group = new Group();
            Event never = new Event();
            Greenlet<Void> member = group.spawn(() -> never.await());
            Greenlet<Void> stranger = Greenlet.spawn(() -> never.await());
            assertTrue(group.killOne(member));
            assertTrue(member.isKilled());
            assertFalse(group.killOne(stranger));
            assertTrue(stranger.isAlive());
            stranger.kill();
        });
    }

    @Test
    void addingAFinishedGreenletDoesNothing() {
        inHub(() -> {
            Group group = new Group();
            Greenlet<Integer> done = Greenlet.spawn(() -> 1);
            done.join();
            group.add(done);
            assertTrue(group.isEmpty());
        });
    }

    @Test
    void startAddsThenStartsAnUnstartedGreenlet() {
        inHub(() -> {
            Group group = new Group();
            Greenlet<Integer> g = new Greenlet<>(() -> 5);
            group.start(g);
            assertEquals(5, g.get());
            group.join();
            assertTrue(group.isEmpty());
        });
    }

    @Test
    void discardStopsTrackingWithoutKilling() {
        inHub(() -> {
            Group group = new Group();
            Event go = new Event();
            Greenlet<Void> g = group.spawn(() -> go.await());
            group.discard(g);
            assertFalse(group.contains(g));
            assertTrue(group.join(Duration.ZERO));
            assertTrue(g.isAlive());
            go.set();
            g.join();
        });
    }

    @Test
    void iterationSeesASnapshotInJoiningOrder() {
        inHub(() -> {
            Group group = new Group();
            Event go = new Event();
            Greenlet<Void> a = group.spawn(() -> go.await());
            Greenlet<Void> b = group.spawn(() -> go.await());
            List<Greenlet<?>> seen = new ArrayList<>();
            for (Greenlet<?> g : group) {
                seen.add(g);
                go.set();
                g.join(); // leaves while we iterate: the snapshot does not change
            }
            assertEquals(List.of(a, b), seen);
        });
    }

    @Test
    void aGroupAdoptsRunningGreenletsAndLeavesOutFinishedOnes() {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Void> running = Greenlet.spawn(() -> go.await());
            Greenlet<Integer> done = Greenlet.spawn(() -> 1);
            done.join();
            Group group = new Group(List.of(running, done));
            assertEquals(List.of(running), group.members());
            go.set();
            group.join();
            assertTrue(group.isEmpty());
        });
    }

    @Test
    void theFactoryMakesTheGreenletsTheGroupSpawns() {
        inHub(() -> {
            List<Greenlet<?>> made = new ArrayList<>();
            Group group = new Group(new GreenletFactory() {
                @Override
                public <T> Greenlet<T> newGreenlet(Callable<? extends T> task) {
                    Greenlet<T> g = new Greenlet<>(task);
                    g.setName("made-" + made.size());
                    made.add(g);
                    return g;
                }
            });
            Greenlet<Integer> g = group.spawn(() -> 3);
            Greenlet<Void> v = group.spawn(() -> {});
            assertEquals(List.of(g, v), made);
            assertEquals("made-0", g.name());
            assertEquals(3, g.get());
            v.join();
        });
    }

    @Test
    void aMemberCannotJoinItsOwnGroup() {
        inHub(() -> {
            Group group = new Group();
            Greenlet<Void> g = group.spawn(() -> group.join());
            g.join();
            assertInstanceOf(IllegalStateException.class, g.exception());
        });
    }

    @Test
    void aGroupIsNeverFull() {
        inHub(() -> {
            Group group = new Group();
            assertFalse(group.isFull());
            assertTrue(group.waitAvailable(Duration.ZERO));
        });
    }

    @Test
    void applyRunsTheTaskAndReturnsItsValue() {
        inHub(() -> assertEquals(6, new Group().apply(() -> 6)));
    }

    @Test
    void aClosedGroupRefusesSpawns() {
        inHub(() -> {
            Group group = new Group();
            group.spawn(() -> {});
            group.close();
            assertTrue(group.isEmpty());
            assertThrows(IllegalStateException.class, () -> group.spawn(() -> 1));
        });
    }

    @Test
    void badArgumentsFailAtTheCall() {
        inHub(() -> {
            Group group = new Group();
            assertThrows(NullPointerException.class, () -> group.spawn((Callable<Integer>) null));
            assertThrows(NullPointerException.class, () -> group.add(null));
            assertThrows(IllegalArgumentException.class, () -> group.join(Duration.ofMillis(-1)));
            assertThrows(IllegalArgumentException.class, () -> group.kill(new Exception("checked"), true, null));
            assertThrows(IllegalArgumentException.class, () -> group.kill(new GreenletExit(), true, Duration.ofMillis(-1)));
        });
    }

    @Test
    @SuppressWarnings("try")
    void anOuterTimeoutDuringATimedJoinIsThrownNotLost() {
        inHub(() -> { // gevent's TestJoinSleep.test_outer_timeout_is_not_lost
            Group group = new Group();
            Event never = new Event();
            group.spawn(() -> never.await());
            dev.weft.Timeout outer = dev.weft.Timeout.start(Duration.ofMillis(10));
            try (dev.weft.Timeout t = outer) {
                dev.weft.Timeout thrown = assertThrows(dev.weft.Timeout.class, () -> group.join(LONG, true));
                assertSame(outer, thrown);
            }
            assertEquals(1, group.size(), "the member is untouched");
            group.kill();
        });
    }

    @Test
    void aTimedJoinRaisingErrorsReturnsFalseWithoutThrowingWhileMembersAreHealthy() {
        inHub(() -> { // gevent's TestJoinSleep raise_error with a sleeping member
            Group group = new Group();
            Event never = new Event();
            group.spawn(() -> never.await());
            assertFalse(group.join(Duration.ofMillis(5), true));
            group.kill();
        });
    }

    @Test
    void aNonBlockingKillReturnsAtOnceAndTheMembersDieSoonAfter() {
        inHub(() -> { // gevent's test__greenletset test_kill_noblock
            Group group = new Group();
            Event never = new Event(), release = new Event();
            AtomicInteger exits = new AtomicInteger();
            dev.weft.CheckedRunnable lingering = () -> { // takes its time to die: it finishes after the release
                try {
                    never.await();
                } catch (GreenletExit e) {
                    exits.incrementAndGet();
                    release.await();
                    throw e;
                }
            };
            Greenlet<?> a = group.spawn(lingering);
            Greenlet<?> b = group.spawn(lingering);
            awaitWaiting(a);
            awaitWaiting(b);
            assertFalse(group.kill(new GreenletExit("stop"), false, null), "it returned before they died");
            release.set();
            assertTrue(group.join(LONG));
            assertTrue(a.isKilled() && b.isKilled());
            assertEquals(2, exits.get());
        });
    }

    @Test
    void aBlockingKillOneOfAMemberAlreadyDyingReturnsFalseAtOnce() {
        inHub(() -> { // gevent's test_kill_fires_once, the blocking form
            Group group = new Group();
            Event release = new Event(), firstExit = new Event();
            AtomicInteger exits = new AtomicInteger();
            Greenlet<?> stubborn = group.spawn(() -> {
                for (;;) {
                    try {
                        release.await();
                        return;
                    } catch (GreenletExit e) {
                        exits.incrementAndGet(); // ignores it and waits again
                        firstExit.set();
                    }
                }
            });
            awaitWaiting(stubborn);
            assertTrue(group.killOne(stubborn, new GreenletExit("first"), false, null));
            firstExit.await();
            boolean second = Greenlets.withTimeout(Duration.ofSeconds(5), // at once: it does not wait for the death
                    () -> group.killOne(stubborn, new GreenletExit("second"), true, LONG));
            assertFalse(second, "a second kill is never sent");
            release.set();
            assertTrue(group.join(LONG));
            assertEquals(1, exits.get());
        });
    }
}
