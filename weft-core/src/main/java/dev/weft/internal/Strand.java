package dev.weft.internal;

/**
 * The engine's half of a greenlet: the thread it runs on, its hub, and its signal queue
 * (ARCHITECTURE §5). The public {@code Greenlet} extends it; the operations on it live in
 * {@link SignalQueue} and {@link Waiter}, so none of this shows on the public type.
 *
 * <h2>Overview (for maintainers)</h2>
 * <ul>
 * <li>{@code signals}: a FIFO of pending signals, copy-on-write arrays swapped by CAS (signals
 *     are rare, reads are frequent); null when empty.</li>
 * <li>{@code parkedOn}: the waiter this strand is parked on in the waiting core, or null. A
 *     sender writes {@code signals} then reads {@code parkedOn}; the parker writes
 *     {@code parkedOn} then reads {@code signals}: one of them sees the other, so a signal is
 *     never missed. A sender that finds the strand outside the core interrupts its thread (it may
 *     be blocked in JDK code) and records that in {@code interruptState} (SENDING while the
 *     interrupt is on its way, SENT once it is), so the interrupt is cleared when the signal is
 *     consumed and never leaks into later code.</li>
 * </ul>
 */
public abstract class Strand extends Completion {
    final HubCore hub;
    volatile Thread thread;
    volatile Object[] signals; // null when empty; Throwables and SignalQueue.Tokens
    volatile Waiter parkedOn;
    volatile int interruptState; // SignalQueue.IDLE / SENDING / SENT: an interrupt weft sent
    int notifyDepth; // Notifier: listener callbacks of this strand running on its own thread (that thread only)
    // Shrapnel's selfish acts (see Selfish): the budget left, touched by the owner's thread only,
    // and the maximum, which any thread may set
    int selfishLeft = Selfish.DEFAULT;
    volatile int maxSelfishActs = Selfish.DEFAULT;
    // GreenletLocal values (see Locals), touched by the owner's thread only (and by its creator
    // before it starts, for the inherited ones)
    java.util.HashMap<Object, Object> locals;
    java.util.HashMap<Object, Object> inheritableLocals;
    volatile Object linkState; // dev.weft.link's per-greenlet state (trap-exit, exits in flight): LinkSlot
    Throwable lastDelivered; // the signal last thrown in this strand by the core (owner's thread only): SignalQueue.wasDelivered

    long runStart; // Telemetry: System.nanoTime() at the body's start, stamped only while JFR's GreenletEnd is on

    protected Strand(HubCore hub) {
        this.hub = hub;
    }

    /**
     * Binds the thread this strand runs on; called once, before the thread starts.
     *
     * @param t the greenlet's new thread (an adopted strand binds the foreign thread it stands for)
     */
    protected final void bindThread(Thread t) {
        thread = t;
    }

    /**
     * The thread this strand runs on, or null before it is bound.
     *
     * @return the bound thread; null for a greenlet not launched yet
     */
    protected final Thread boundThread() {
        return thread;
    }

    /**
     * The hub this strand belongs to.
     *
     * @return the hub given at construction; never changes
     */
    protected final HubCore hubCore() {
        return hub;
    }

    /**
     * True if this strand is the identity of a thread weft did not start.
     *
     * @return true for an adopted identity (it never ends); false for a strand weft runs
     */
    protected abstract boolean isAdopted();

    /**
     * What this strand is parked on in the waiting core, or null.
     *
     * @return the blocker its waiter was made with (a greenlet, a primitive, or a description
     *     such as {@code "sleep"}); null if it is not parked in the core
     */
    protected final Object parkedBlocker() {
        Waiter w = parkedOn;
        return w == null ? null : w.blocker();
    }

    /**
     * True if this strand, parked in the waiting core, will wake without anyone's help: a signal
     * is queued for it, or its wait was decided (a hand-over or a cancellation) and its unpark is
     * on its way.
     *
     * @return whether a wake-up of this strand is pending
     */
    protected final boolean isWakePending() {
        Waiter w = parkedOn;
        return signals != null || (w != null && !w.isPending());
    }

    /**
     * True while this strand is parked in weft's waiting core.
     *
     * @return true while parked on a waiter; false while running or blocked in JDK code
     */
    protected final boolean isParkedInCore() {
        return parkedOn != null;
    }
}
