package dev.weft.sync;

import java.util.Comparator;

/**
 * A {@link Queue} that hands out the least item first, by natural order or a comparator
 * (gevent's {@code PriorityQueue}). Equal items come out in no particular order. Everything
 * else — waiting, cancellation, closing — is as for {@link Queue}.
 *
 * @param <T> the type of the items
 */
public class PriorityQueue<T> extends Queue<T> {
    /** An unbounded priority queue ordering items by their natural order. */
    public PriorityQueue() {
        this(Integer.MAX_VALUE, null);
    }

    /**
     * A priority queue holding at most {@code maxsize} items, in their natural order (gevent's
     * {@code PriorityQueue(maxsize)}).
     *
     * @param maxsize the most items it holds (putters wait beyond that); 1 or more
     * @throws IllegalArgumentException if {@code maxsize} is less than 1
     */
    public PriorityQueue(int maxsize) {
        this(maxsize, null);
    }

    /**
     * An unbounded priority queue ordered by {@code comparator}.
     *
     * @param comparator orders the items, least first; {@code null}: their natural order (they
     *     must then be {@link Comparable}: a put that queues one that is not throws
     *     {@link ClassCastException})
     */
    public PriorityQueue(Comparator<? super T> comparator) {
        this(Integer.MAX_VALUE, comparator);
    }

    /**
     * A priority queue holding at most {@code maxsize} items, ordered by {@code comparator}
     * ({@code null}: natural order).
     *
     * @param maxsize the most items it holds (putters wait beyond that); 1 or more
     * @param comparator orders the items, least first; {@code null}: their natural order (they
     *     must then be {@link Comparable}: a put that queues one that is not throws
     *     {@link ClassCastException})
     * @throws IllegalArgumentException if {@code maxsize} is less than 1
     */
    public PriorityQueue(int maxsize, Comparator<? super T> comparator) {
        super(LifoQueue.positive(maxsize), heap(comparator));
    }

    private static <T> Buffer<T> heap(Comparator<? super T> comparator) {
        return over(new java.util.PriorityQueue<>(comparator));
    }
}
