package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One entry in a linkable's {@link NodeList}: a parked {@link Waiter} or a {@link ListenerNode}.
 *
 * <h2>Overview (for maintainers)</h2>
 * A node is decided by exactly one CAS on {@code outcome}:
 * <pre>
 *   null (pending) ──tryComplete(v)──▶ v          the hand-over won (a value, an item, a permit)
 *        │
 *        └────────tryCancel()───────▶ CANCELLED   the deadline, a signal or an unlink won
 *                                                  (a kill's sender cancels too: ADR 10)
 * </pre>
 * The value travels in the same CAS that decides the node, so a hand-over can never be half
 * done, and an item offered to a node that had already lost stays with the offerer, who passes
 * it on to the next node (ARCHITECTURE §3). {@code null} values travel as {@link #NULL}.
 *
 * <p>A node extends {@link TimerEntry} so a timed wait needs no second object: the waiter is its
 * own timer entry.
 */
public abstract class Node extends TimerEntry {
    /** The outcome of a node cancelled by its deadline, a signal or an unlink. */
    static final Object CANCELLED = new Object() {
        @Override
        public String toString() {
            return "CANCELLED";
        }
    };
    /** Stands for a {@code null} value in {@code outcome}. */
    static final Object NULL = new Object() {
        @Override
        public String toString() {
            return "NULL";
        }
    };

    private volatile Object outcome;
    Node prev, next; // guarded by the owning NodeList's monitor
    boolean linked; // guarded by the owning NodeList's monitor

    /** True until a hand-over or a cancellation decided this node. */
    public final boolean isPending() {
        return outcome == null;
    }

    /** Decides this node as cancelled; false if it was decided already. */
    public final boolean tryCancel() {
        return OUTCOME.compareAndSet(this, null, CANCELLED);
    }

    /** True if this node was cancelled. */
    public final boolean isCancelled() {
        return outcome == CANCELLED;
    }

    /**
     * Decides this node with {@code value} without waking anyone: a primitive claims a node
     * under its own lock (a hand-over decided together with its state change), then wakes it
     * after the lock is released. False if the node was decided already.
     */
    public final boolean claim(Object value) {
        return tryComplete(value);
    }

    /** Decides this node with {@code value}; false if it was decided already. */
    final boolean tryComplete(Object value) {
        return OUTCOME.compareAndSet(this, null, value == null ? NULL : value);
    }

    /** The value this node was completed with ({@code null} if pending or cancelled). */
    final Object completedValue() {
        Object o = outcome;
        return o == NULL || o == CANCELLED ? null : o;
    }

    final Object rawOutcome() {
        return outcome;
    }

    /**
     * Offers {@code value} to this node: a waiter takes it and wakes, a listener runs.
     *
     * @return true if this node took it; false if it had been decided already
     */
    public abstract boolean offer(Object value);

    /** Whether a pending node of this kind counts as receiving a greenlet's failure (§6). */
    boolean receives() {
        return false;
    }

    /** Whether this node, offered the outcome just now, received it (§6): as {@link #receives()} unless it says otherwise. */
    boolean received() {
        return receives();
    }

    /** The user's listener object this node runs, for {@code unlink}; null for waiters. */
    Object listener() {
        return null;
    }

    @Override
    protected void expire() {
        // only waiters are timed
    }

    // VarHandle mechanics
    private static final VarHandle OUTCOME;

    static {
        try {
            OUTCOME = MethodHandles.lookup().findVarHandle(Node.class, "outcome", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
