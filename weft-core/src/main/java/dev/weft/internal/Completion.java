package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The one-shot half of the linkable base, shared by {@code Greenlet} and {@code AsyncResult}:
 * an outcome set once, and a lazily created {@link NodeList} of waiters and listeners that is
 * notified and closed when the outcome is set.
 *
 * <h2>Overview (for maintainers)</h2>
 * Non-nullness of {@code result} means done: the value itself ({@link Node#NULL} for null), or a
 * {@link Failure} holding the exception. The node list is created on first use (most greenlets
 * are never joined or linked). Only the completer notifies: it sets {@code result}, then either
 * installs the shared, closed {@code NodeList.CLOSED} (nobody had registered) or notifies and
 * closes the list a registrant installed. A registrant's {@code add} to a closed list fails, and
 * the registrant offers the outcome to its own node. So every node is offered exactly once, and
 * the receivers count the error report depends on is exact.
 *
 * <p>Members are package-private or protected: subclasses in the public packages use the
 * protected ones; nothing here is part of weft's API.
 */
public abstract class Completion {
    /** The outcome of a completion that ended with an exception. */
    public static final class Failure {
        final Throwable error;

        Failure(Throwable error) {
            this.error = error;
        }
    }

    private volatile Object result;
    private volatile NodeList links;

    protected Completion() {}

    /**
     * True once the outcome is set.
     *
     * @return true once a value or an exception was set; it never becomes false again
     */
    protected final boolean isComplete() {
        return result != null;
    }

    /**
     * True once the outcome is set and every waiter and listener registered before now has been
     * told: what a wait returns on. A listener's effects happen before a wait that sees this.
     *
     * @return true once complete and notified; it never becomes false again
     */
    protected final boolean isSettled() {
        NodeList l = links;
        return l != null && l.isSettled();
    }

    /**
     * Sets the outcome once and notifies every waiter and listener registered so far.
     *
     * @param value the value (may be null), used when {@code error} is null
     * @param error the exception, or null for a value
     * @return -1 if the outcome was set already; else how many pending receiving nodes were
     *     notified (0 means nobody received a failure: the error-reporting rule)
     */
    protected final int complete(Object value, Throwable error) {
        return complete(value, error, null);
    }

    /**
     * Like {@link #complete(Object, Throwable)}, calling {@code beforeOffers} with the receivers
     * count after the outcome is set and before any waiter or listener is told: a greenlet
     * reports an unreceived failure there, so whoever it wakes sees the report done.
     *
     * @param value the value (may be null), used when {@code error} is null
     * @param error the exception, or null for a value
     * @param beforeOffers given, once, how many receiving nodes took the outcome (0 when nobody
     *     had registered; {@code NodeList.notifyAll} says when a pending receiving listener
     *     makes that count come after the offers); null for no hook. Not called when the outcome
     *     was set already
     * @return -1 if the outcome was set already; else how many receiving nodes took the outcome
     *     (0 means nobody received a failure: the error-reporting rule)
     */
    protected final int complete(Object value, Throwable error, java.util.function.IntConsumer beforeOffers) {
        Object r = error != null ? new Failure(error) : value == null ? Node.NULL : value;
        if (!RESULT.compareAndSet(this, null, r)) return -1;
        if (links == null && LINKS.compareAndSet(this, null, NodeList.CLOSED)) {
            // nobody registered: anyone who comes now finds the closed list and is offered the outcome
            if (beforeOffers != null) beforeOffers.accept(0);
            return 0;
        }
        return links.notifyAll(r, true, null, beforeOffers);
    }

    /**
     * The value, or null if not complete or failed.
     *
     * @return the value given to {@code complete}, as given (a subclass's own wrapper included);
     *     null if not complete, if it failed, or if the value was null
     */
    protected final Object resultValue() {
        Object r = result;
        return r == null || r == Node.NULL || r instanceof Failure ? null : r;
    }

    /**
     * The exception, or null if not complete or it succeeded.
     *
     * @return the very exception given to {@code complete} (a checked one not wrapped); null if
     *     not complete or completed with a value
     */
    protected final Throwable resultError() {
        return result instanceof Failure f ? f.error : null;
    }

    /**
     * Registers a node; if already complete, offers it the outcome at once, in the caller.
     *
     * @param node a waiter or listener node not registered anywhere yet; it is offered the
     *     outcome exactly once (unless removed first)
     */
    protected final void addNode(Node node) {
        NodeList l = links;
        if (l == null) {
            l = new NodeList();
            if (!LINKS.compareAndSet(this, null, l)) l = links;
        }
        if (!l.add(node)) node.offer(result); // closed: the outcome is set, offer it here
        // else the completer will notify it: it sets the result, then either finds our list or
        // closes an empty one (then our add above would have failed)
    }

    /**
     * Removes a waiter node that gave up (timed out or was interrupted).
     *
     * @param node a node given to {@link #addNode}; one no longer in the list (offered already,
     *     or removed) is left alone
     */
    protected final void removeNode(Node node) {
        NodeList l = links;
        if (l != null) l.remove(node);
    }

    /**
     * Stops a listener registered by identity; false if none was pending.
     *
     * @param listener the identity the listener node was registered under (the user's callback
     *     or receiver), compared with {@code ==}
     * @return true if a pending listener was removed; false if none was registered under it or
     *     it has fired already
     * @throws NullPointerException if {@code listener} is null
     */
    protected final boolean unlinkListener(Object listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        NodeList l = links;
        return l != null && l.unlinkListener(listener);
    }

    /**
     * Waits until complete and settled ({@link #isSettled()}), through the waiting core: so it
     * returns after every listener registered before it has run. On the completer's own thread
     * (a listener looking at its source) it returns as soon as the outcome is set.
     *
     * @param strand the current strand
     * @param deadline on the strand's hub clock, or {@link Waiter#NO_DEADLINE}
     * @return true if complete, false if the deadline passed first
     */
    protected final boolean awaitComplete(Strand strand, long deadline) {
        if (isSettled()) return true;
        if (result != null) {
            // a listener of ours (on the completer's thread) must not wait for its own notification
            NodeList l = links;
            if (l != null && l.isNotifyingThread()) return true;
        }
        Waiter w = new Waiter(strand, true, this);
        addNode(w);
        boolean done = false;
        try {
            done = w.await(deadline);
        } finally {
            if (!done) removeNode(w);
        }
        return done || result != null; // out of time while the listeners ran: the outcome is there
    }

    /**
     * The outcome: the value, or the failure rethrown — an unchecked one as the very instance,
     * a checked one wrapped in {@link dev.weft.GreenletFailure}. Must be complete.
     *
     * @return the value as given to {@code complete} (null for a null value)
     * @throws dev.weft.GreenletFailure wrapping the failure, if it is a checked exception
     */
    protected final Object outcomeOrThrow() {
        Object r = result;
        if (r instanceof Failure f) {
            Throwable e = f.error;
            if (e instanceof RuntimeException re) throw re;
            if (e instanceof Error er) throw er;
            throw new dev.weft.GreenletFailure(e);
        }
        return r == Node.NULL ? null : r;
    }

    /**
     * Waits at most {@code timeout} ({@code null}: no limit), then returns the outcome.
     *
     * @param me the calling strand: the one that parks, on whose hub clock {@code timeout} runs
     * @param timeout at most this long; {@code null}: no limit
     * @return the value, as {@link #outcomeOrThrow()} returns it; a failure is rethrown as there
     * @throws dev.weft.Timeout a new, unstarted one, if not complete in time
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    protected final Object getOrThrow(Strand me, java.time.Duration timeout) {
        Waiter.checkTimeout(timeout);
        if (!awaitComplete(me, Waiter.deadline(me, timeout))) {
            throw expired(timeout);
        }
        return outcomeOrThrow();
    }

    /**
     * The outcome now, without waiting.
     *
     * @return the value, as {@link #outcomeOrThrow()} returns it; a failure is rethrown as there
     * @throws dev.weft.Timeout if not complete (gevent's {@code get(block=False)})
     */
    protected final Object getNowOrThrow() {
        if (result == null) throw expired(java.time.Duration.ZERO);
        return outcomeOrThrow();
    }

    private static dev.weft.Timeout expired(java.time.Duration d) {
        dev.weft.Timeout t = new dev.weft.Timeout(d);
        t.fillInStackTrace();
        return t;
    }

    // VarHandle mechanics
    private static final VarHandle RESULT;
    private static final VarHandle LINKS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            RESULT = l.findVarHandle(Completion.class, "result", Object.class);
            LINKS = l.findVarHandle(Completion.class, "links", NodeList.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The first listener not fired yet that passes {@code test}, or null (see {@link NodeList#findPendingListener}). */
    final Object findPendingListener(java.util.function.Predicate<Object> test) {
        NodeList l = links;
        return l == null ? null : l.findPendingListener(test);
    }

    /** The keys of this object's listeners that have not fired yet (for {@link Telemetry#linksOf}). */
    final java.util.List<Object> pendingListenerKeys() {
        NodeList l = links;
        return l == null || l == NodeList.CLOSED ? java.util.List.of() : l.pendingListenerKeys();
    }
}
