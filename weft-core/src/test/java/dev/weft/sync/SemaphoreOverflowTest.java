package dev.weft.sync;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Semaphore's permit count never overflows: a release past Integer.MAX_VALUE is an Error at the
 * call, as java.util.concurrent.Semaphore makes it, and the count is unchanged (issue 9).
 */
class SemaphoreOverflowTest {

    @Test
    void releasePastTheMaximumIsAnErrorAndKeepsTheCount() {
        Semaphore s = new Semaphore(Integer.MAX_VALUE);
        Error e = assertThrows(Error.class, s::release);
        assertEquals("Maximum permit count exceeded", e.getMessage());
        assertEquals(Integer.MAX_VALUE, s.availablePermits());
    }

    @Test
    void releaseUpToTheMaximumSucceeds() {
        Semaphore s = new Semaphore(Integer.MAX_VALUE - 1);
        s.release();
        assertEquals(Integer.MAX_VALUE, s.availablePermits());
    }

    @Test
    void aPermitTakenAtTheMaximumCanBeGivenBack() {
        Semaphore s = new Semaphore(Integer.MAX_VALUE);
        assertTrue(s.tryAcquire());
        s.release();
        assertEquals(Integer.MAX_VALUE, s.availablePermits());
        assertThrows(Error.class, s::release);
    }

    @Test
    void aReleaseHandedToAWaiterAddsNoPermit() {
        Semaphore s = new Semaphore(0);
        dev.weft.Greenlet<Boolean> waiter = Parked.parkedGreenlet(() -> s.acquire(Duration.ofDays(1)));
        s.release(); // the slow path: handed to the waiter
        assertTrue(waiter.get(Parked.LONG));
        assertEquals(0, s.availablePermits());
        for (int i = 0; i < 3; i++) s.release();
        assertEquals(3, s.availablePermits(), "the count is exact after a hand-over");
    }

    @Test
    void aBoundedSemaphoreAtTheMaximumRefusesAsBounded() {
        BoundedSemaphore s = new BoundedSemaphore(Integer.MAX_VALUE);
        assertThrows(IllegalStateException.class, s::release);
        assertEquals(Integer.MAX_VALUE, s.availablePermits());
    }
}
