package dev.weft.internal;

/**
 * The one linkable base: a FIFO of {@link Node}s (parked waiters and listeners) owned by one
 * primitive, gevent's {@code AbstractLinkable} and the JDK's AQS queue in one small class.
 *
 * <h2>Overview (for maintainers)</h2>
 * The list's links are guarded by its {@link SpinLock} (not a monitor: a contended monitor
 * unmounts a virtual thread, a switch in the middle of a non-blocking call on a cooperative hub),
 * which is never held while a node is offered a value (so no user code and no unpark runs under
 * it). Two ways out of the list:
 * <ul>
 * <li>{@link #poll()} hands one value to the first node; the caller offers it and, if the node
 *     had already lost to its cancellation, polls the next one (FIFO, no barging);</li>
 * <li>{@link #notifyAll(Object, boolean, Runnable)} detaches every node present now and offers
 *     each the same value in registration order. The caller's state change (an event's flag)
 *     runs under the same lock as the detach, so "present at the change" is exact: a node
 *     added after it is not woken by it. Notification is guarded against re-entry and
 *     concurrent use the way Netty's promises are: a notify that arrives while another is running
 *     detaches its nodes at once and leaves them in {@code backlog}, and the running notifier
 *     offers them after its own, so notification never recurses on one list. Detached chains
 *     stay reachable ({@code firing}, {@code backlog}) so that {@link #unlinkListener} can still
 *     stop a listener that has not run yet, even from inside another listener.</li>
 * </ul>
 * A one-shot primitive closes its list on completion, but only once its notification is over:
 * a node added while the completer is still offering (a {@code join} that arrives while the
 * ending greenlet runs its listeners) is queued behind the ones being notified and offered by
 * the completer too, in order. So a waiter returns only after every listener registered before
 * it has run, on the fast path too ({@link #isSettled()}). Nodes added after the close are
 * refused and the caller runs them at once. (Past {@code Notifier}'s nesting depth a listener
 * runs after its list has closed: a chain of completions eight deep.)
 */
public final class NodeList extends SpinLock {
    private Node head, tail; // guarded by this
    private Node firing; // guarded by this: the chain a notifier is walking
    private java.util.ArrayDeque<Object[]> backlog; // guarded by this: {chain, value} to notify next
    // written under this (set with release semantics); read under it, or by isSettled() with
    // acquire: no fence on a greenlet's end, which a volatile write would cost
    private boolean closed;
    private boolean notifying, closing; // guarded by this
    private Object closeValue; // guarded by this: what a closing list offers late registrants
    // the thread offering a closing list's value, while it does; read without the lock only to
    // compare with the reader's own thread, which only that thread can have written
    private Thread notifier;

    /** A list that is closed from the start: what a completion with no waiters installs. */
    static final NodeList CLOSED = new NodeList(true);

    /** A new, open list. */
    public NodeList() {}

    private NodeList(boolean closed) {
        this.closed = closed;
    }

    /** Appends {@code node}; false if the list is closed (the caller then offers it directly). */
    public boolean add(Node node) {
        if (this == CLOSED) return false; // shared by every completed object: never take its lock
        lock();
        try {
            return addGuarded(node);
        } finally {
            unlock();
        }
    }

    /*
     * The *Guarded operations take no lock: they are for a list whose every access holds the
     * owner's own lock (a queue's getters and putters, under the queue's lock), which saves a
     * nested lock on every hand-over. Never mix them with the lock-taking ones on a list
     * that is touched without that lock.
     */

    /** {@link #add} for a list guarded by its owner's lock. */
    public boolean addGuarded(Node node) {
        if (closed) return false;
        node.prev = tail;
        node.next = null;
        if (tail == null) head = node;
        else tail.next = node;
        tail = node;
        node.linked = true;
        return true;
    }

    /**
     * Appends {@code node} unless {@code refuse} says so, both under this list's lock (the
     * check a notifier's state change cannot slip between).
     *
     * @return true if added; false if refused or the list is closed
     */
    public boolean addUnless(Node node, java.util.function.BooleanSupplier refuse) {
        lock();
        try {
            if (refuse.getAsBoolean()) return false;
            return addGuarded(node);
        } finally {
            unlock();
        }
    }

    /** Removes {@code node} if it is still queued here; a node being notified is left alone. */
    public boolean remove(Node node) {
        if (this == CLOSED) return false;
        lock();
        try {
            return removeGuarded(node);
        } finally {
            unlock();
        }
    }

    /** {@link #remove} for a list guarded by its owner's lock. */
    public boolean removeGuarded(Node node) {
        if (!node.linked) return false;
        unlinkLocked(node);
        return true;
    }

    private void unlinkLocked(Node n) {
        Node p = n.prev, x = n.next;
        if (p == null) head = x;
        else p.next = x;
        if (x == null) tail = p;
        else x.prev = p;
        n.prev = n.next = null;
        n.linked = false;
    }

    /**
     * Parks on {@code waiter}, which the caller queued here, through the waiting core; if it did
     * not get a hand-over (deadline, signal), takes it off this list.
     *
     * @return true if the hand-over won
     */
    public boolean await(Waiter waiter, long deadline) {
        boolean handedOver = false;
        try {
            handedOver = waiter.await(deadline);
        } finally {
            if (!handedOver) remove(waiter);
        }
        return handedOver;
    }

    /** Removes and returns the first queued node, or null. */
    public Node poll() {
        lock();
        try {
            return pollGuarded();
        } finally {
            unlock();
        }
    }

    /** {@link #poll} for a list guarded by its owner's lock. */
    public Node pollGuarded() {
        Node n = head;
        if (n != null) unlinkLocked(n);
        return n;
    }

    /** True if a pending node is queued (cancelled nodes not yet removed are skipped). */
    public boolean hasPending() {
        lock();
        try {
            return hasPendingGuarded();
        } finally {
            unlock();
        }
    }

    /** {@link #hasPending} for a list guarded by its owner's lock. */
    public boolean hasPendingGuarded() {
        for (Node n = head; n != null; n = n.next) if (n.isPending()) return true;
        return false;
    }

    /**
     * True if no node was queued as far as the caller can see without taking the lock: a hint
     * for skipping an empty notification, exact only when the caller synchronizes otherwise with
     * whoever adds nodes (a primitive whose own lock orders the add and this read).
     */
    public boolean looksEmpty() {
        return head == null;
    }

    /** True if no node is queued (nodes being notified are not counted). */
    public boolean isEmpty() {
        lock();
        try {
            return head == null;
        } finally {
            unlock();
        }
    }

    /** The number of queued pending nodes. */
    public int pendingCount() {
        lock();
        try {
            return pendingCountGuarded();
        } finally {
            unlock();
        }
    }

    /** {@link #pendingCount} for a list guarded by its owner's lock. */
    public int pendingCountGuarded() {
        int c = 0;
        for (Node n = head; n != null; n = n.next) if (n.isPending()) c++;
        return c;
    }

    /** True once {@link #notifyAll(Object, boolean) notifyAll(v, true)} closed the list. */
    public boolean isClosed() {
        lock();
        try {
            return closed;
        } finally {
            unlock();
        }
    }

    /**
     * True once a one-shot list has closed: its value was offered to every node, the ones added
     * during the notification included. Read without the lock: the close happens after every
     * listener ran, so a caller that sees it sees their effects.
     */
    public boolean isSettled() {
        return (boolean) CLOSED_FLAG.getAcquire(this);
    }

    /**
     * True if the calling thread is the one offering this list's closing value now (a listener
     * of a completion looking at it): it must not wait for the notification it is part of.
     */
    public boolean isNotifyingThread() {
        return notifier == Thread.currentThread();
    }

    /**
     * Stops the listener node registered for {@code listener} (by identity) from running:
     * the first one still pending, whether queued or in a notification under way. Only listener
     * nodes are ever matched: a parked waiter is never cancelled this way.
     *
     * @throws NullPointerException if {@code listener} is null
     */
    public boolean unlinkListener(Object listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        if (this == CLOSED) return false; // nothing is ever queued on it
        Node found = null;
        lock();
        try {
            found = findAndCancel(listener);
        } finally {
            unlock();
        }
        // a keyed listener hears of it, outside the lock (it may unlink elsewhere)
        if (found != null && found.listener() instanceof KeyedListener k) k.unlinked();
        return found != null;
    }

    private Node findAndCancel(Object listener) {
        for (Node n = head; n != null; n = n.next) {
            if (n instanceof ListenerNode<?> && answers(n, listener) && n.tryCancel()) {
                unlinkLocked(n);
                return n;
            }
        }
        for (Node n = firing; n != null; n = n.next) {
            if (n instanceof ListenerNode<?> && answers(n, listener) && n.tryCancel()) return n;
        }
        if (backlog != null) {
            for (Object[] pending : backlog) {
                for (Node n = (Node) pending[0]; n != null; n = n.next) {
                    if (n instanceof ListenerNode<?> && answers(n, listener) && n.tryCancel()) return n;
                }
            }
        }
        return null;
    }

    /** {@link #notifyAll(Object, boolean, Runnable)} with no state change under the lock. */
    public int notifyAll(Object value, boolean close) {
        return notifyAll(value, close, null, null);
    }

    /** {@link #notifyAll(Object, boolean, Runnable, java.util.function.IntConsumer)} without a receivers hook. */
    public int notifyAll(Object value, boolean close, Runnable underMonitor) {
        return notifyAll(value, close, underMonitor, null);
    }

    /**
     * Offers {@code value} to every node queued now, in order.
     *
     * <p>With {@code beforeOffers} (a greenlet's failure, §6: "reported unless some receiver
     * took it"), the count must be what happened, not what was pending: a waiter counted as a
     * receiver may be cancelled (killed, timed out) before it is offered the failure. So the
     * pending waiters are <em>claimed</em> first — the hand-over decided by their one CAS, their
     * wake-up deferred — and the count is of waiters that took it. If none did but a receiving
     * listener is pending, the count is given after the offers, from the listeners that ran (one
     * may be unlinked meanwhile); otherwise before any node is woken or run, so whoever is woken
     * sees the report done.
     *
     * @param close true for a one-shot completion: the list refuses nodes from now on
     * @param underMonitor run under the list's lock just before the nodes are detached (the
     *     state change that makes the primitive ready), or null
     * @param beforeOffers given, once, how many receiving nodes took the value (a greenlet reports
     *     an unreceived failure there), or null
     * @return how many receiving nodes took the value ({@code beforeOffers} present), or how many
     *     of the detached nodes were pending receivers (without it)
     */
    public int notifyAll(Object value, boolean close, Runnable underMonitor, java.util.function.IntConsumer beforeOffers) {
        Node chain;
        int receivers = 0;
        lock();
        try {
            if (underMonitor != null) underMonitor.run();
            if (close && !closed && !closing) { // closed when this notification (or the running one) is over
                closing = true;
                closeValue = value;
            }
            chain = detachLocked();
            if (beforeOffers == null) {
                for (Node n = chain; n != null; n = n.next) if (n.receives() && n.isPending()) receivers++;
            }
            if (notifying) {
                if (chain != null) {
                    if (backlog == null) backlog = new java.util.ArrayDeque<>();
                    backlog.add(new Object[] {chain, value});
                }
                if (beforeOffers != null) beforeOffers.accept(countReceivers(chain)); // not a completion's path
                return receivers;
            }
            notifying = true;
            firing = chain;
            if (closing) notifier = Thread.currentThread();
        } finally {
            unlock();
        }
        java.util.ArrayList<Waiter> claimed = null;
        boolean listenerMayReceive = false;
        if (beforeOffers != null) {
            for (Node n = chain; n != null; n = n.next) {
                if (n instanceof Waiter w) {
                    if (w.claim(value)) {
                        if (claimed == null) claimed = new java.util.ArrayList<>();
                        claimed.add(w);
                        if (w.receives()) receivers++;
                    }
                } else if (n.receives() && n.isPending()) {
                    listenerMayReceive = true;
                }
            }
            if (receivers > 0 || !listenerMayReceive) {
                beforeOffers.accept(receivers);
                beforeOffers = null;
            }
        }
        int listenersTook = 0;
        for (;;) {
            int k = 0;
            for (Node n = chain; n != null; n = n.next) {
                if (claimed != null && k < claimed.size() && claimed.get(k) == n) {
                    claimed.get(k++).wake();
                } else if (n.offer(value) && n.received()) {
                    listenersTook++;
                }
            }
            claimed = null;
            boolean reportFirst = false;
            lock();
            try {
                Object[] next = backlog == null ? null : backlog.poll();
                if (next != null) {
                    chain = (Node) next[0];
                    value = next[1];
                    firing = chain;
                } else if (closing && head != null) { // registered while we offered: theirs too, in order
                    chain = detachLocked();
                    value = closeValue;
                    firing = chain;
                } else if (closing && beforeOffers != null) {
                    chain = null; // the report comes before the close that lets a late waiter return
                    firing = null;
                    reportFirst = true;
                } else {
                    if (closing) {
                        closing = false;
                        closeValue = null;
                        notifier = null;
                        CLOSED_FLAG.setRelease(this, true); // after every listener ran: isSettled()
                    }
                    firing = null;
                    notifying = false;
                    break;
                }
            } finally {
                unlock();
            }
            if (reportFirst) {
                receivers = listenersTook; // only receiving listeners were pending: count those that ran
                beforeOffers.accept(receivers);
                beforeOffers = null;
            }
        }
        if (beforeOffers != null) { // only receiving listeners were pending: count those that ran
            receivers = listenersTook;
            beforeOffers.accept(receivers);
        }
        return receivers;
    }

    private static final java.lang.invoke.VarHandle CLOSED_FLAG;

    static {
        try {
            CLOSED_FLAG = java.lang.invoke.MethodHandles.lookup().findVarHandle(NodeList.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** True if node {@code n} was registered for {@code listener}: as itself, or as its {@link KeyedListener#listenerKey()}. */
    private static boolean answers(Node n, Object listener) {
        Object l = n.listener();
        return l == listener || (l instanceof KeyedListener k && k.listenerKey() == listener);
    }

    private static int countReceivers(Node chain) {
        int c = 0;
        for (Node n = chain; n != null; n = n.next) if (n.receives() && n.isPending()) c++;
        return c;
    }

    private Node detachLocked() {
        Node chain = head;
        for (Node n = chain; n != null; n = n.next) n.linked = false;
        head = tail = null;
        return chain;
    }

    /**
     * The first listener that has not fired yet and passes {@code test} (as it was registered),
     * or null: how a group finds a greenlet's membership in the greenlet's own links.
     *
     * @param test called under this list's lock: it must not block or take other locks
     * @return the listener, or null
     */
    public Object findPendingListener(java.util.function.Predicate<Object> test) {
        if (this == CLOSED) return null;
        lock();
        try {
            for (Node n = head; n != null; n = n.next) {
                if (n instanceof ListenerNode<?> && n.isPending() && test.test(n.listener())) return n.listener();
            }
        } finally {
            unlock();
        }
        return null;
    }

    /**
     * The listeners that have not fired yet (a snapshot, for the greenlet tree): each as it was
     * registered (a {@link KeyedListener} itself, not its key).
     *
     * @return the listeners, in registration order; empty if none
     */
    public java.util.List<Object> pendingListenerKeys() {
        java.util.List<Object> out = new java.util.ArrayList<>();
        lock();
        try {
            for (Node n = head; n != null; n = n.next) {
                if (n instanceof ListenerNode<?> && n.isPending()) {
                    out.add(n.listener());
                }
            }
        } finally {
            unlock();
        }
        return out;
    }
}
