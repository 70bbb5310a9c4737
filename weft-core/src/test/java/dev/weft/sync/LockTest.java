package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.Trail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Lock: Shrapnel's mutex semantics and the java.util.concurrent.locks.Lock view. */
class LockTest extends HubTestBase {

    @Test
    void aSecondLockerWaitsUntilTheOwnerUnlocksAndThenHoldsIt() {
        inHub(() -> {
            Lock lock = new Lock();
            lock.lock();
            Greenlet<Boolean> other = Greenlet.spawn(() -> {
                lock.lock(); // waits: the main greenlet holds it
                boolean holds = lock.isHeldByCurrent();
                lock.unlock();
                return holds;
            });
            awaitWaiting(other);
            assertTrue(lock.isLocked());
            lock.unlock();
            assertTrue(other.get());
            assertFalse(lock.isLocked());
        });
    }

    @Test
    void theOwnerMayLockAgainAndEachLockNeedsItsUnlock() {
        inHub(() -> {
            Lock lock = new Lock();
            lock.lock();
            lock.lock(); // reentrant: does not wait
            assertEquals(2, lock.holdCount());
            lock.unlock();
            assertTrue(lock.isLocked());
            lock.unlock();
            assertFalse(lock.isLocked());
        });
    }

    @Test
    void unlockByANonOwnerIsAnError() {
        inHub(() -> {
            Lock lock = new Lock();
            lock.lock();
            Greenlet<Void> other = Greenlet.spawn(() -> lock.unlock());
            other.rawlink(x -> {});
            assertThrows(IllegalMonitorStateException.class, other::get);
            lock.unlock();
        });
    }

    @Test
    void unlockOfAFreeLockIsAnError() {
        assertThrows(IllegalMonitorStateException.class, () -> new Lock().unlock());
    }

    @Test
    void unlockHandsOwnershipToTheFirstWaiterInOrder() {
        inHub(() -> {
            Lock lock = new Lock();
            Trail trail = new Trail();
            lock.lock();
            List<Greenlet<Void>> all = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                Greenlet<Void> g = Greenlet.spawn(() -> {
                    lock.lock();
                    trail.add(name);
                    lock.unlock();
                });
                awaitWaiting(g);
                all.add(g);
            }
            lock.unlock();
            Greenlets.joinAll(all);
            trail.assertSteps("a", "b", "c");
        });
    }

    @Test
    void tryLockFailsWhileAnotherHoldsIt() {
        inHub(() -> {
            Lock lock = new Lock();
            Greenlet<Void> holder = Greenlet.spawn(() -> {
                lock.lock();
                new Event().await();
            });
            awaitWaiting(holder);
            assertFalse(lock.tryLock());
            assertFalse(lock.lock(Duration.ofMillis(20)));
            holder.kill();
        });
    }

    @Test
    void aWaiterThatTimedOutNeverOwnsTheLock() {
        inHub(() -> {
            Lock lock = new Lock();
            lock.lock();
            Greenlet<Boolean> timid = Greenlet.spawn(() -> lock.lock(Duration.ofMillis(20)));
            assertFalse(timid.get());
            lock.unlock();
            assertFalse(lock.isLocked());
            assertTrue(lock.tryLock());
            lock.unlock();
        });
    }

    @Test
    void theJavaLockViewLocksAndUnlocks() throws Exception {
        Lock lock = new Lock();
        java.util.concurrent.locks.Lock view = lock.asJavaLock();
        view.lock();
        assertTrue(lock.isHeldByCurrent());
        assertTrue(view.tryLock(10, TimeUnit.MILLISECONDS));
        view.unlock();
        view.unlock();
        assertFalse(lock.isLocked());
        assertThrows(UnsupportedOperationException.class, view::newCondition);
    }
}
