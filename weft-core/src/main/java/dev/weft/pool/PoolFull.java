package dev.weft.pool;

import dev.weft.sync.Full;

/**
 * Thrown by {@link Pool#add(dev.weft.Greenlet, boolean, java.time.Duration)} (and
 * {@code start} with the same arguments) when the pool has no free slot: without waiting, or
 * when the timeout passes first (gevent's {@code PoolFull}, a {@code queue.Full}).
 */
public class PoolFull extends Full {
    private static final long serialVersionUID = 1L;

    /**
     * A full-pool failure with {@code message}.
     *
     * @param message the detail message: which pool is full, and how long it waited if it did
     */
    public PoolFull(String message) {
        super(message);
    }
}
