package dev.weft.sync;

/**
 * A {@link Semaphore} that refuses to be released more often than it was acquired: a release
 * that would raise the free permits above the initial count is an {@link IllegalStateException}
 * (gevent's {@code BoundedSemaphore}, which raises {@code ValueError}).
 */
public class BoundedSemaphore extends Semaphore {
    private final int bound;

    /** A bounded semaphore with one permit (gevent's {@code BoundedSemaphore()}). */
    public BoundedSemaphore() {
        this(1);
    }

    /**
     * A bounded semaphore with {@code permits} free permits, never more.
     *
     * @param permits how many permits are free at first, and the most that may ever be free; 0
     *     or more
     * @throws IllegalArgumentException if {@code permits} is negative
     */
    public BoundedSemaphore(int permits) {
        super(permits);
        this.bound = permits;
    }

    @Override
    void checkRelease(int freePermits) {
        if (freePermits >= bound) {
            throw new IllegalStateException("BoundedSemaphore released too many times (bound " + bound + ")");
        }
    }

    /**
     * The initial, and largest, number of permits.
     *
     * @return the {@code permits} given at construction
     */
    public int bound() {
        return bound;
    }
}
