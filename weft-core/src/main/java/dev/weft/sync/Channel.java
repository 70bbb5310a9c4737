package dev.weft.sync;

/**
 * An unbuffered rendezvous between greenlets (gevent's {@code Channel}): {@link #put} returns
 * only once a getter has taken the item, and {@link #get} waits for a putter.
 *
 * <p>A put that finds a getter waiting hands it the item and yields: on the cooperative hub the
 * getter then runs before the putter goes on, as gevent's channel switches to the getter first
 * (on the parallel hub both go on at once; the simulated hub picks by its seed).
 *
 * <p>{@link #tryPut} succeeds only if a getter is waiting; {@link #tryGet} only if a putter is.
 * {@link #isFull()} and {@link #isEmpty()} are always true, as gevent's {@code full()} and
 * {@code empty()} of a channel: it holds no item (whether a put would wait is whether a getter
 * waits; {@link #tryPut} tells).
 * A put whose item was taken returns normally even if a kill arrived meanwhile (the kill stays
 * queued for the next blocking point); a put that timed out or was killed first leaves no item
 * behind. Closing, iteration and the {@code BlockingQueue} view work as for {@link Queue};
 * {@link #peek()} has nothing to look at and waits until the channel closes.
 *
 * @param <T> the type of the items
 */
public class Channel<T> extends Queue<T> {
    /** A new channel. */
    public Channel() {
        super(0, fifo());
    }

    /** Always true: a channel holds no item (gevent's {@code Channel.full()}). */
    @Override
    public boolean isFull() {
        return true;
    }
}
