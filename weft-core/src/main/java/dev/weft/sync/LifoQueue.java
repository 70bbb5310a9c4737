package dev.weft.sync;

import java.util.ArrayDeque;
import java.util.Collections;

/**
 * A {@link Queue} that hands out the most recently added item first (gevent's {@code LifoQueue}).
 * Everything else — waiting, cancellation, closing — is as for {@link Queue}.
 *
 * @param <T> the type of the items
 */
public class LifoQueue<T> extends Queue<T> {
    /** An unbounded LIFO queue. */
    public LifoQueue() {
        super(Integer.MAX_VALUE, lifo());
    }

    /**
     * A LIFO queue holding at most {@code maxsize} items.
     *
     * @param maxsize the most items it holds (putters wait beyond that); 1 or more
     * @throws IllegalArgumentException if {@code maxsize} is less than 1
     */
    public LifoQueue(int maxsize) {
        super(positive(maxsize), lifo());
    }

    static int positive(int maxsize) {
        if (maxsize < 1) throw new IllegalArgumentException("maxsize must be at least 1: " + maxsize);
        return maxsize;
    }

    private static <T> Buffer<T> lifo() {
        return over(Collections.asLifoQueue(new ArrayDeque<>()));
    }
}
