package dev.weft.pool;

import java.time.Duration;

/**
 * Options of the map family ({@link Group#imap(CheckedFunction, Iterable, MapOptions)} and the
 * others): an immutable value, built from {@link #DEFAULTS}.
 *
 * {@snippet :
 * MapOptions o = MapOptions.DEFAULTS.maxsize(16).itemTimeout(Duration.ofSeconds(2));
 * }
 *
 * <ul>
 * <li>{@link #maxsize(int)}: at most this many items pulled from the input and not yet read by
 *     the reader — running, or finished and waiting. A slow reader then stops the feeder instead
 *     of letting results pile up (gevent's {@code maxsize}). Default: no bound.</li>
 * <li>{@link #itemTimeout(Duration)}: each item's function runs under its own {@code Timeout};
 *     an item that takes longer fails with that {@code Timeout}. Default: none.</li>
 * </ul>
 * How a failed item reaches the reader is chosen by how the results are read:
 * {@link MapIterator#next()} throws its exception and the map goes on (gevent);
 * {@link MapIterator#nextOutcome()} returns it as an {@code Outcome.Failed}; {@code map} throws
 * the first failure in input order and kills the rest; {@code mapOutcomes} returns them all.
 *
 * @param maxsize the bound, or {@code Integer.MAX_VALUE} for none
 * @param itemTimeout the per-item timeout, or null for none
 */
public record MapOptions(int maxsize, Duration itemTimeout) {
    /** No bound, no per-item timeout. */
    public static final MapOptions DEFAULTS = new MapOptions(Integer.MAX_VALUE, null);

    /**
     * Options with {@code maxsize} and {@code itemTimeout}; most code starts from
     * {@link #DEFAULTS} instead.
     *
     * @throws IllegalArgumentException if {@code maxsize} is less than 1 or {@code itemTimeout}
     *     is negative
     */
    public MapOptions {
        if (maxsize < 1) throw new IllegalArgumentException("maxsize must be at least 1: " + maxsize);
        if (itemTimeout != null && itemTimeout.isNegative()) {
            throw new IllegalArgumentException("negative item timeout: " + itemTimeout);
        }
    }

    /**
     * These options with {@code maxsize}.
     *
     * @param maxsize at least 1
     * @return the new options
     * @throws IllegalArgumentException if {@code maxsize} is less than 1
     */
    public MapOptions maxsize(int maxsize) {
        return new MapOptions(maxsize, itemTimeout);
    }

    /**
     * These options with a per-item timeout.
     *
     * @param itemTimeout how long each item may take; {@code null}: no limit
     * @return the new options
     * @throws IllegalArgumentException if {@code itemTimeout} is negative
     */
    public MapOptions itemTimeout(Duration itemTimeout) {
        return new MapOptions(maxsize, itemTimeout);
    }

    boolean bounded() {
        return maxsize != Integer.MAX_VALUE;
    }
}
