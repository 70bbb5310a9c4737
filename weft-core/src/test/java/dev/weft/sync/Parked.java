package dev.weft.sync;

import dev.weft.Greenlet;
import dev.weft.HubTestBase;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/** Test helpers for the JDK views: threads and greenlets parked in a wait, observed without sleeping. */
final class Parked {
    /** Generous bound for waits that should end quickly; only reached when a test fails. */
    static final Duration LONG = Duration.ofSeconds(20);

    private Parked() {}

    /** Waits (yielding, never sleeping) until platform thread {@code t} is parked. */
    static void awaitParked(Thread t) {
        long end = System.nanoTime() + LONG.toNanos();
        for (;;) {
            Thread.State s = t.getState();
            if (s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING) return;
            if (!t.isAlive()) throw new AssertionError(t + " ended instead of waiting");
            if (System.nanoTime() > end) throw new AssertionError(t + " never parked");
            Thread.yield();
        }
    }

    /** A platform thread running {@code body}; {@link Outcome#join()} gives what it returned or threw. */
    static <T> Outcome<T> onPlatformThread(Callable<T> body) {
        return new Outcome<>(body);
    }

    /** A greenlet of the default hub, parked in {@code body} before this returns. */
    static <T> Greenlet<T> parkedGreenlet(Callable<T> body) {
        Greenlet<T> g = Greenlet.spawn(body);
        HubTestBase.awaitWaiting(g);
        return g;
    }

    static final class Outcome<T> {
        final Thread thread;
        private final AtomicReference<Object> result = new AtomicReference<>();
        private volatile boolean interruptedAfter;

        Outcome(Callable<T> body) {
            thread = Thread.ofPlatform().start(() -> {
                try {
                    result.set(new Object[] {body.call()});
                } catch (Throwable e) {
                    result.set(e);
                }
                interruptedAfter = Thread.currentThread().isInterrupted();
            });
        }

        /** Waits for the thread; returns what the body threw (null if it returned). */
        Throwable thrown() throws InterruptedException {
            thread.join();
            return result.get() instanceof Throwable e ? e : null;
        }

        /** Waits for the thread; returns what the body returned (fails if it threw). */
        @SuppressWarnings("unchecked")
        T value() throws InterruptedException {
            thread.join();
            Object r = result.get();
            if (r instanceof Throwable e) throw new AssertionError("the body threw", e);
            return (T) ((Object[]) r)[0];
        }

        /** The thread's interrupt status when the body had ended. */
        boolean interruptedAfter() throws InterruptedException {
            thread.join();
            return interruptedAfter;
        }
    }
}
