package dev.weft.pool;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The lock-free membership list of a Group (session 5): members that end are unlinked in
 * batches while others join, and adds race with kills, joins and other adds. On the parallel
 * hub the races are real (two carriers); on the cooperative and simulated hubs the same code
 * runs interleaved at blocking points only.
 */
class GroupMembershipStressTest extends HubTestBase {

    @Test
    void membersKeepTheOrderTheyJoinedInWhileThousandsAroundThemEnd() {
        inHub(() -> {
            Group group = new Group();
            Event never = new Event();
            List<Greenlet<?>> shortLived = new ArrayList<>();
            Greenlet<Void> a = group.spawn(() -> never.await());
            for (int i = 0; i < 700; i++) shortLived.add(group.spawn(() -> {}));
            Greenlet<Void> b = group.spawn(() -> never.await());
            for (int i = 0; i < 700; i++) shortLived.add(group.spawn(() -> {}));
            Greenlet<Void> c = group.spawn(() -> never.await());
            Greenlets.joinAll(shortLived);
            assertEquals(List.of(a, b, c), group.members());
            assertEquals(3, group.size());
            assertTrue(group.contains(b));
            group.kill();
            assertTrue(group.isEmpty());
            assertEquals(List.of(), group.members());
        });
    }

    @Test
    void aKillRacingWithSpawnsLeavesNoMemberAliveAfterAFinalKill() {
        inHub(() -> {
            Group group = new Group();
            Event never = new Event();
            Event halfway = new Event();
            List<Greenlet<?>> spawned = new ArrayList<>();
            Greenlet<Void> spawner = hub.spawn(() -> {
                for (int i = 0; i < 2000; i++) {
                    spawned.add(group.spawn(() -> never.await()));
                    if (i == 1000) halfway.set();
                    if (i % 64 == 0) Greenlets.yieldNow();
                }
            });
            halfway.await();
            group.kill(); // while the spawner goes on adding
            spawner.join();
            group.kill(); // reaches every member added after the first kill's list
            assertTrue(group.join(LONG));
            assertEquals(0, group.size());
            assertEquals(List.of(), group.members());
            assertEquals(2000, spawned.size());
            for (Greenlet<?> g : spawned) assertTrue(g.isDead(), g + " is still alive");
        });
    }

    @Test
    void twoConcurrentAddsOfOneGreenletMakeOneMembership() {
        inHub(() -> {
            Event never = new Event();
            for (int round = 0; round < 300; round++) {
                Group group = new Group();
                Greenlet<Void> member = hub.spawn(() -> never.await());
                Event go = new Event();
                Greenlet<Void> one = hub.spawn(() -> {
                    go.await();
                    group.add(member);
                });
                Greenlet<Void> two = hub.spawn(() -> {
                    go.await();
                    group.add(member);
                });
                go.set();
                one.join();
                two.join();
                assertEquals(1, group.size(), "round " + round);
                assertEquals(List.of(member), group.members());
                group.discard(member);
                assertEquals(0, group.size());
                assertFalse(group.contains(member));
                member.kill();
            }
        });
    }

    @Test
    void joinSeesTheGroupEmptyWhenItsLastMemberEndsAtTheSameTime() {
        inHub(() -> {
            Group group = new Group();
            for (int round = 0; round < 2000; round++) {
                group.spawn(() -> {});
                assertTrue(group.join(LONG), "round " + round);
                assertEquals(0, group.size());
            }
        });
    }

    @Test
    void everySlotOfAPoolIsFreeAgainAfterTwoSpawnersRaceThroughThousandsOfItems() {
        inHub(() -> {
            Pool pool = new Pool(8);
            AtomicInteger ran = new AtomicInteger();
            List<Greenlet<Void>> spawners = new ArrayList<>();
            for (int s = 0; s < 2; s++) {
                spawners.add(hub.spawn(() -> {
                    for (int i = 0; i < 2500; i++) pool.spawn(() -> { ran.incrementAndGet(); });
                }));
            }
            Greenlets.joinAll(spawners);
            assertTrue(pool.join(LONG));
            assertEquals(5000, ran.get());
            assertEquals(0, pool.size());
            assertEquals(8, pool.freeCount());
        });
    }

    @Test
    void aDiscardRacingWithTheMembersEndFreesItsSlotOnce() {
        inHub(() -> {
            Pool pool = new Pool(4);
            for (int round = 0; round < 500; round++) {
                Event go = new Event();
                Greenlet<Void> member = pool.spawn(() -> go.await());
                Greenlet<Void> discarder = hub.spawn(() -> pool.discard(member));
                go.set();
                discarder.join();
                assertTrue(pool.join(LONG)); // member.join() may return before its link ran
                member.join();
                assertEquals(0, pool.size(), "round " + round);
                assertEquals(4, pool.freeCount(), "round " + round);
            }
        });
    }

    @Test
    void aSpawnAfterTheGroupIsKilledIsRefusedOnlyInAScopedGroup() {
        inHub(() -> {
            Event never = new Event();
            Group plain = new Group();
            plain.spawn(() -> never.await());
            plain.kill();
            Greenlet<Void> later = plain.spawn(() -> never.await()); // a plain group takes members after a kill
            assertEquals(List.of(later), plain.members());
            plain.kill();
            Group scoped = Group.scoped();
            scoped.spawn(() -> never.await());
            scoped.kill();
            assertThrows(IllegalStateException.class, () -> scoped.spawn(() -> never.await()));
            assertEquals(0, scoped.size());
            scoped.close();
        });
    }

    /** In its own frame, so no local of the test's keeps the value alive. */
    private static Greenlet<Object> spawnReturningATrackedValue(Group group, List<java.lang.ref.WeakReference<Object>> refs) {
        Object value = new byte[1 << 16];
        refs.add(new java.lang.ref.WeakReference<>(value));
        return group.spawn(() -> value);
    }

    @Test
    void aGroupDoesNotKeepTheValuesOfItsEndedMembersReachable() {
        inHub(() -> {
            Group group = new Group();
            Event never = new Event();
            group.spawn(() -> never.await()); // a live member keeps the list from being swept
            List<java.lang.ref.WeakReference<Object>> values = new ArrayList<>();
            List<Greenlet<Object>> ended = new ArrayList<>();
            for (int i = 0; i < 20; i++) ended.add(spawnReturningATrackedValue(group, values)); // fewer than a sweep waits for
            Greenlets.joinAll(ended);
            ended.clear();
            for (int i = 0; i < 50 && values.stream().anyMatch(r -> r.get() != null); i++) System.gc();
            assertTrue(values.stream().allMatch(r -> r.get() == null),
                    "an ended member's value is still reachable from its group");
            assertEquals(1, group.size());
            group.kill();
        });
    }

    @Test
    void aTimedJoinThatGivesUpLeavesNoWaiterBehindForTheNextJoin() {
        inHub(() -> {
            Group group = new Group();
            Event go = new Event();
            group.spawn(() -> go.await());
            for (int i = 0; i < 50; i++) assertFalse(group.join(Duration.ZERO));
            go.set();
            assertTrue(group.join(LONG));
            assertTrue(group.isEmpty());
        });
    }
}
