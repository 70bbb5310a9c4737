package dev.weft.pool;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.Timeout;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Group.scoped(): a nursery with gevent's handles. */
class ScopedGroupTest extends HubTestBase {

    @Test
    void leavingTheBlockWaitsForEveryMember() {
        inHub(() -> {
            AtomicInteger done = new AtomicInteger();
            try (Group scope = Group.scoped()) {
                for (int i = 0; i < 3; i++) {
                    scope.spawn(() -> {
                        Greenlets.sleep(Duration.ofMillis(2));
                        done.incrementAndGet();
                    });
                }
            }
            assertEquals(3, done.get());
        });
    }

    @Test
    void theFirstFailureKillsTheOthersAndIsRethrownAtTheEnd() {
        AtomicReference<Throwable> reported = new AtomicReference<>();
        hub.setErrorHandler((s, e) -> reported.set(e));
        inHub(() -> {
            Event never = new Event();
            AtomicReference<Greenlet<Void>> sibling = new AtomicReference<>();
            IllegalStateException boom = new IllegalStateException("boom");
            IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
                try (Group scope = Group.scoped()) {
                    sibling.set(scope.spawn(() -> never.await()));
                    scope.spawn(() -> {
                        Greenlets.yieldNow();
                        throw boom;
                    });
                }
            });
            assertSame(boom, thrown);
            assertTrue(sibling.get().isKilled());
        });
        assertNull(reported.get(), "the scope received the failure: not reported");
    }

    @Test
    void aCancelledScopeRefusesSpawns() {
        inHub(() -> {
            Group scope = Group.scoped();
            scope.spawn(() -> {});
            scope.kill();
            assertThrows(IllegalStateException.class, () -> scope.spawn(() -> 1));
            scope.close(); // a kill is not a failure
        });
    }

    @Test
    void aClosedScopeRefusesSpawns() {
        inHub(() -> {
            Group scope = Group.scoped();
            scope.close();
            assertThrows(IllegalStateException.class, () -> scope.spawn(() -> 1));
        });
    }

    @Test
    @SuppressWarnings("try")
    void aTimeoutOfTheOwnerWhileClosingKillsTheMembers() {
        inHub(() -> {
            Event never = new Event();
            AtomicReference<Greenlet<Void>> member = new AtomicReference<>();
            assertThrows(Timeout.class, () -> {
                try (Timeout t = Timeout.start(Duration.ofMillis(10)); Group scope = Group.scoped()) {
                    member.set(scope.spawn(() -> never.await()));
                }
            });
            assertTrue(member.get().isKilled());
        });
    }

    @Test
    void theLambdaFormKillsTheMembersWhenTheBodyThrows() {
        inHub(() -> {
            Event never = new Event();
            AtomicReference<Greenlet<Void>> member = new AtomicReference<>();
            assertThrows(ArithmeticException.class, () -> Group.scoped(scope -> {
                member.set(scope.spawn(() -> never.await()));
                return 1 / 0;
            }));
            assertTrue(member.get().isKilled());
            int five = Group.scoped(scope -> scope.spawn(() -> 5).get());
            assertEquals(5, five);
        });
    }

    @Test
    void membersMaySpawnMembersWhileTheScopeCloses() {
        inHub(() -> {
            AtomicInteger ran = new AtomicInteger();
            try (Group scope = Group.scoped()) {
                scope.spawn(() -> {
                    Greenlets.sleep(Duration.ofMillis(2));
                    scope.spawn(() -> {
                        Greenlets.sleep(Duration.ofMillis(2));
                        ran.incrementAndGet();
                    });
                });
            }
            assertEquals(1, ran.get());
        });
    }

    @Test
    void theFailureOfTheLastMemberToLeaveIsRethrownEveryTime() {
        // the member's leave wakes close(); its failure was noted after the leave and lost now and then
        inHub(() -> {
            for (int round = 0; round < 2000; round++) {
                IllegalStateException boom = new IllegalStateException("round " + round);
                IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> {
                    try (Group scope = Group.scoped()) {
                        scope.spawn(() -> {
                            throw boom;
                        });
                    }
                });
                assertSame(boom, thrown);
            }
        });
    }

    @Test
    void aCheckedFailureOfAMemberIsRethrownWrapped() {
        inHub(() -> {
            java.io.IOException io = new java.io.IOException("disk");
            dev.weft.GreenletFailure f = assertThrows(dev.weft.GreenletFailure.class, () -> {
                try (Group scope = Group.scoped()) {
                    scope.spawn(() -> {
                        throw io;
                    });
                }
            });
            assertSame(io, f.getCause());
        });
    }
}
