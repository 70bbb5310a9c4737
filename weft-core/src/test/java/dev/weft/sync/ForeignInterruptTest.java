package dev.weft.sync;

import static dev.weft.sync.Parked.awaitParked;
import static dev.weft.sync.Parked.onPlatformThread;
import static org.junit.jupiter.api.Assertions.*;

import java.util.concurrent.CancellationException;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * What weft's own blocking methods do (and document) when a thread weft did not start is
 * interrupted while it waits: an unchecked CancellationException, nothing taken, and the
 * interrupt status set again for the caller's caller (issue 9).
 */
class ForeignInterruptTest {

    private static void assertInterruptedWait(Callable<?> waits) throws Exception {
        var waiter = onPlatformThread(waits);
        awaitParked(waiter.thread);
        waiter.thread.interrupt();
        assertInstanceOf(CancellationException.class, waiter.thrown());
        assertTrue(waiter.interruptedAfter(), "the interrupt status is set again");
    }

    @Test
    void semaphoreAcquireThrowsCancellationExceptionAndTakesNoPermit() throws Exception {
        Semaphore s = new Semaphore(0);
        assertInterruptedWait(() -> {
            s.acquire();
            return null;
        });
        s.release();
        assertEquals(1, s.availablePermits(), "the interrupted waiter took nothing");
    }

    @Test
    void lockThrowsCancellationExceptionAndDoesNotTakeTheLock() throws Exception {
        Lock lock = new Lock();
        var holder = onPlatformThread(() -> {
            lock.lock();
            return null;
        });
        holder.value(); // the holder thread ended holding it: nobody can unlock it but it
        assertInterruptedWait(() -> { lock.lock(); return null; });
        assertEquals(0, lock.waiting());
    }

    @Test
    void queueGetThrowsCancellationExceptionAndTakesNothing() throws Exception {
        Queue<Integer> q = new Queue<>();
        assertInterruptedWait(q::get);
        q.put(1);
        assertEquals(1, q.size());
    }

    @Test
    void queuePutThrowsCancellationExceptionAndPutsNothing() throws Exception {
        Queue<Integer> q = new Queue<>(1);
        q.put(1);
        assertInterruptedWait(() -> {
            q.put(2);
            return null;
        });
        assertEquals(1, q.get());
        assertNull(q.tryGet(), "the interrupted put left nothing behind");
    }

    @Test
    void queuePeekThrowsCancellationException() throws Exception {
        assertInterruptedWait(new Queue<Integer>()::peek);
    }

    @Test
    void joinableQueueJoinThrowsCancellationException() throws Exception {
        JoinableQueue<Integer> q = new JoinableQueue<>();
        q.put(1);
        assertInterruptedWait(() -> {
            q.join();
            return null;
        });
    }
}
