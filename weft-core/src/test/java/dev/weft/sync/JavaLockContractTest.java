package dev.weft.sync;

import static dev.weft.sync.Parked.awaitParked;
import static dev.weft.sync.Parked.onPlatformThread;
import static java.util.concurrent.TimeUnit.DAYS;
import static java.util.concurrent.TimeUnit.MILLISECONDS;
import static java.util.concurrent.TimeUnit.NANOSECONDS;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.locks.Lock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * dev.weft.sync.Lock.asJavaLock() against the java.util.concurrent.locks.Lock contract (issue 9):
 * lock() is not interruptible, lockInterruptibly() and the timed tryLock() are, at entry too.
 */
class JavaLockContractTest {
    private final dev.weft.sync.Lock weftLock = new dev.weft.sync.Lock();
    private final Lock lock = weftLock.asJavaLock();

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted(); // a failed assertion must not leave the test thread interrupted
    }

    /** Holds the lock on another thread until the returned runnable is run. */
    private Runnable heldElsewhere() throws InterruptedException {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            lock.lock();
            held.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                lock.unlock();
            }
        });
        held.await();
        return () -> {
            release.countDown();
            try {
                holder.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        };
    }

    @Test
    void lockKeepsWaitingThroughAnInterruptAndReturnsWithTheStatusSet() throws Exception {
        Runnable release = heldElsewhere();
        var locker = onPlatformThread(() -> {
            lock.lock();
            boolean interrupted = Thread.currentThread().isInterrupted();
            lock.unlock();
            return interrupted;
        });
        awaitParked(locker.thread);
        locker.thread.interrupt();
        awaitParked(locker.thread); // still waiting
        release.run();
        assertTrue(locker.value(), "lock() returned holding the lock, the interrupt status set");
    }

    @Test
    void lockOnAnInterruptedThreadTakesAFreeLockAndKeepsTheStatus() {
        Thread.currentThread().interrupt();
        lock.lock();
        assertTrue(Thread.interrupted());
        assertTrue(weftLock.isHeldByCurrent());
        lock.unlock();
    }

    @Test
    void lockInterruptiblyThrowsWhenInterruptedOnEntryEvenIfTheLockIsFree() {
        Thread.currentThread().interrupt();
        assertThrows(InterruptedException.class, lock::lockInterruptibly);
        assertFalse(Thread.interrupted(), "the interrupt status is cleared");
        assertFalse(weftLock.isLocked());
    }

    @Test
    void aTimedTryLockThrowsWhenInterruptedOnEntryEvenIfTheLockIsFree() {
        for (long t : new long[] {1, 0, -1}) {
            Thread.currentThread().interrupt();
            assertThrows(InterruptedException.class, () -> lock.tryLock(t, DAYS), "time " + t);
            assertFalse(Thread.interrupted(), "the interrupt status is cleared");
        }
        assertFalse(weftLock.isLocked());
    }

    @Test
    void aTimedTryLockWithAnExpiredTimeoutThrowsWhenInterruptedAndTheLockIsHeld() throws Exception {
        Runnable release = heldElsewhere();
        try {
            for (long t : new long[] {0, -1, 1}) {
                Thread.currentThread().interrupt();
                assertThrows(InterruptedException.class, () -> lock.tryLock(t, NANOSECONDS), "time " + t + " ns");
                assertFalse(Thread.interrupted());
            }
        } finally {
            release.run();
        }
    }

    @Test
    void lockInterruptiblyInterruptedWhileWaitingThrowsAndDoesNotTakeTheLock() throws Exception {
        Runnable release = heldElsewhere();
        var locker = onPlatformThread(() -> {
            lock.lockInterruptibly();
            return null;
        });
        awaitParked(locker.thread);
        locker.thread.interrupt();
        assertInstanceOf(InterruptedException.class, locker.thrown());
        assertFalse(locker.interruptedAfter());
        release.run();
        assertFalse(weftLock.isLocked(), "the interrupted waiter was skipped");
    }

    @Test
    void aTimedTryLockInterruptedWhileWaitingThrows() throws Exception {
        Runnable release = heldElsewhere();
        try {
            var locker = onPlatformThread(() -> lock.tryLock(1, DAYS));
            awaitParked(locker.thread);
            locker.thread.interrupt();
            assertInstanceOf(InterruptedException.class, locker.thrown());
            assertFalse(locker.interruptedAfter());
        } finally {
            release.run();
        }
        assertFalse(weftLock.isLocked());
    }

    @Test
    void aTimedTryLockReturnsFalseWhenTheTimeRunsOut() throws Exception {
        Runnable release = heldElsewhere();
        try {
            assertFalse(lock.tryLock(10, MILLISECONDS));
            for (long t : new long[] {0, -1, Long.MIN_VALUE}) assertFalse(lock.tryLock(t, DAYS));
        } finally {
            release.run();
        }
    }

    @Test
    void aTimedTryLockTakesAFreeLockAtOnceAndReentrantly() throws Exception {
        assertTrue(lock.tryLock(0, DAYS));
        assertTrue(lock.tryLock(Long.MAX_VALUE, NANOSECONDS));
        assertEquals(2, weftLock.holdCount());
        lock.unlock();
        lock.unlock();
        assertFalse(weftLock.isLocked());
    }

    @Test
    void aTimedTryLockWithANullUnitIsANullPointerException() {
        assertThrows(NullPointerException.class, () -> lock.tryLock(1, null));
    }

    @Test
    void unlockByAThreadThatDoesNotHoldItIsIllegal() throws Exception {
        assertThrows(IllegalMonitorStateException.class, lock::unlock);
        Runnable release = heldElsewhere();
        try {
            assertThrows(IllegalMonitorStateException.class, lock::unlock);
        } finally {
            release.run();
        }
    }

    @Test
    void tryLockFailsWhileTheLockIsHeldElsewhere() throws Exception {
        Runnable release = heldElsewhere();
        try {
            assertFalse(lock.tryLock());
        } finally {
            release.run();
        }
        assertTrue(lock.tryLock());
        lock.unlock();
    }

    @Test
    void newConditionIsUnsupported() {
        assertThrows(UnsupportedOperationException.class, lock::newCondition);
    }
}
