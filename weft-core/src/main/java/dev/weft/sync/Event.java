package dev.weft.sync;

import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.Linkable;
import dev.weft.internal.ListenerNode;
import dev.weft.internal.NodeList;
import dev.weft.internal.Selfish;
import dev.weft.internal.Waiter;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A flag greenlets wait for: {@link #set()} wakes every waiter, {@link #clear()} resets it
 * (gevent's {@code Event}).
 *
 * <p>Waiters present when {@link #set()} is called all wake (and only those: one that started
 * waiting after a {@code set()} and a {@code clear()} waits for the next {@code set()}) — and {@link #await(Duration)}
 * returns true for each — even if {@link #clear()} follows at once. Waits park through weft's
 * waiting core, so they are blocking points: a kill or a Timeout aimed at the waiting greenlet
 * is thrown there. Listeners ({@link #rawlink}) fire once, on the next {@code set()}.
 *
 * <p>Thread safety: every method may be called from any thread, including threads weft did not
 * start. Memory consistency: actions before {@code set()} happen-before a waiter's return.
 */
public final class Event implements Linkable<Event> {
    private volatile boolean flag;
    private final NodeList nodes = new NodeList();
    private final java.util.function.BooleanSupplier isSet = () -> flag;

    /** A new event, not set. */
    public Event() {}

    /** Sets the flag and wakes every current waiter and listener. */
    public void set() {
        nodes.notifyAll(Boolean.TRUE, false, raise);
    }

    private final Runnable raise = () -> flag = true; // runs under the node list's monitor

    /** Resets the flag; later waiters block until the next {@link #set()}. */
    public void clear() {
        flag = false;
    }

    /**
     * True if the flag is set.
     *
     * @return true between a {@link #set()} and the next {@link #clear()}
     */
    public boolean isSet() {
        return flag;
    }

    /** The same as {@link #isSet()}. */
    @Override
    public boolean isReady() {
        return flag;
    }

    /** Waits until the flag is set; returns at once if it is. */
    public void await() {
        // written out rather than await(null): a million parked greenlets each keep every frame
        Selfish.act(); // Shrapnel's selfish acts: a set event is an operation that did not block
        if (flag) return;
        Waiter w = new Waiter(Greenlet.current(), false, this);
        if (!nodes.addUnless(w, isSet)) return; // set meanwhile
        boolean woken = false;
        try {
            woken = w.await(Waiter.NO_DEADLINE);
        } finally {
            if (!woken) nodes.remove(w);
        }
    }

    /**
     * Waits at most {@code timeout} ({@code null}: no limit) for the flag.
     *
     * @param timeout at most this long, on the caller's hub clock; {@code null}: no limit
     * @return true if it was set (or a {@link #set()} woke this waiter), false on timeout
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean await(Duration timeout) {
        Waiter.checkTimeout(timeout);
        Selfish.act();
        if (flag) return true;
        Greenlet<?> me = Greenlet.current();
        long deadline = Waiter.deadline(me, timeout);
        Waiter w = new Waiter(me, false, this);
        if (!nodes.addUnless(w, isSet)) return true; // set meanwhile

        boolean woken = nodes.await(w, deadline);
        return woken;
    }

    /** Runs {@code listener} on the next {@link #set()}, or now (in the caller) if set already. */
    @Override
    public void rawlink(Consumer<? super Event> listener) {
        Objects.requireNonNull(listener, "listener");
        ListenerNode<Event> node = new ListenerNode<>(listener, listener, this, true, Hub.current());
        if (flag) {
            node.runNow();
            return;
        }
        if (!nodes.addUnless(node, isSet)) node.runNow(); // set meanwhile: ready now
    }

    @Override
    public boolean unlink(Object listener) {
        return nodes.unlinkListener(listener);
    }

    @Override
    public String toString() {
        return "Event[" + (flag ? "set" : "unset") + ", waiters=" + nodes.pendingCount() + "]";
    }
}
