package dev.weft.pool;

import dev.weft.sync.Queue;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicInteger;

/** Inputs for the map tests: an endless counting one, and one fed through a queue. */
final class MapInputs {
    private MapInputs() {}

    /** The end of a {@link Queued} input. */
    static final Integer STOP = -1;

    /** An endless input that counts what was pulled from it (0, 1, 2, ...). */
    static final class Counting implements Iterator<Integer> {
        final AtomicInteger pulled = new AtomicInteger();

        @Override
        public boolean hasNext() {
            return true;
        }

        @Override
        public Integer next() {
            return pulled.getAndIncrement();
        }
    }

    /** An input read from a queue: it waits for each item, and ends at {@link #STOP}. */
    static final class Queued implements Iterator<Integer> {
        final Queue<Integer> queue = new Queue<>();
        private Integer next;

        @Override
        public boolean hasNext() {
            if (next == null) next = queue.get();
            return !next.equals(STOP);
        }

        @Override
        public Integer next() {
            if (!hasNext()) throw new NoSuchElementException();
            Integer n = next;
            next = null;
            return n;
        }
    }
}
