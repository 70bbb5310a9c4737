package dev.weft.link;

import dev.weft.Greenlet;
import dev.weft.Outcome;
import dev.weft.internal.InternalListener;
import dev.weft.internal.LinkSlot;
import dev.weft.internal.SignalQueue;
import dev.weft.sync.Queue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A greenlet's side of the links that end in it: whether it traps exits (and where they go),
 * the linked exits queued in its signal queue and not yet delivered, and its two-way links.
 * Created on first use and kept in the greenlet's {@link LinkSlot}.
 *
 * <h2>Overview (for maintainers)</h2>
 * A linked exit travels as a kill does: an {@link ExitToken} in the greenlet's signal queue
 * ({@link SignalQueue#send}), thrown at its next blocking point. Everything that decides where an
 * exit goes holds this state's lock:
 * <ul>
 * <li>a sender either puts a {@link Down} in the inbox (trapping) or queues a token and records
 *     it in {@code pending}, and sends it before it unlocks;</li>
 * <li>{@link #trap} (on the greenlet's own thread: only it polls its signal queue) withdraws every
 *     recorded token that is still queued and turns it into a {@code Down}.</li>
 * </ul>
 * A token is decided once, by CAS: QUEUED → DELIVERED (thrown: {@link ExitToken#throwable}),
 * TRAPPED (withdrawn by {@code trap}) or DROPPED (its greenlet ended first: a failure it carried
 * is then reported to the hub's error handler, never lost). So toggling trap-exit under load
 * loses no exit and delivers none twice (TrapExitTest counts them).
 *
 * <p>The lock is not the engine's {@code SpinLock}: a sender holds it across
 * {@code SignalQueue.send}, which may yield for a moment (another sender's interrupt in flight), so a
 * contended locker must let the holder run again — on a single carrier it yields rather than
 * spin. Contention is rare: only exits arriving at one greenlet at the same instant.
 */
final class LinkState {
    private final Greenlet<?> owner;
    private Queue<? super Down> inbox; // guarded by this; non-null while trapping exits
    private final ArrayList<ExitToken> pending = new ArrayList<>(2); // guarded by this
    private final ArrayList<Link> mutual = new ArrayList<>(2); // guarded by this: two-way links it is in

    private volatile int locked; // 1 while held

    private LinkState(Greenlet<?> owner) {
        this.owner = owner;
    }

    private void lock() {
        while (!LOCKED.compareAndSet(this, 0, 1)) SignalQueue.pause(); // yields a virtual thread: the holder may need our carrier
    }

    private void unlock() {
        LOCKED.setRelease(this, 0);
    }

    /** The state of {@code g}, created on first use (with a hook that runs when {@code g} ends). */
    static LinkState of(Greenlet<?> g) {
        Object s = LinkSlot.get(g);
        if (s != null) return (LinkState) s;
        LinkState mine = new LinkState(g);
        Object won = LinkSlot.putIfAbsent(g, mine);
        if (won == mine && !g.isAdopted()) g.rawlink(mine.new OnDeath());
        return (LinkState) won;
    }

    /** The state of {@code g} if it has one. */
    static LinkState peek(Greenlet<?> g) {
        return (LinkState) LinkSlot.get(g);
    }

    // ---------------------------------------------------------------- delivering an exit

    /**
     * Delivers {@code outcome} of {@code link}'s source into {@code target}: as a {@code Down}
     * if it traps exits, else raised as a linked exit (a normal end on a two-way link is not
     * raised). An exit that cannot be delivered (the target has ended) reports the failure it
     * carried.
     */
    static void deliver(Greenlet<?> target, Link link, Outcome<?> outcome) {
        boolean raise = !(link.kind() == Link.Kind.MUTUAL && outcome instanceof Outcome.Value<?>);
        if (target.isDead()) {
            dropped(link, outcome);
            return;
        }
        LinkState st = of(target);
        Down trapped = null;
        Queue<? super Down> to = null;
        boolean sent = false;
        st.lock();
        try {
            if (st.inbox != null) {
                trapped = new Down(link.source(), outcome, link);
                to = st.inbox;
                if (!offer(to, trapped)) to = null; // report below, outside the lock
                else trapped = null;
            } else if (raise) {
                ExitToken t = new ExitToken(link, outcome);
                st.prune();
                st.pending.add(t);
                link.raised = true;
                SignalQueue.send(target, t);
                sent = true;
            }
        } finally {
            st.unlock();
        }
        if (sent) {
            dev.weft.internal.Telemetry.linkedExitSent(target, link.source(), switch (outcome) {
                case Outcome.Value<?> v -> "value";
                case Outcome.Failed<?> f -> "failed";
                case Outcome.Killed<?> k -> "killed";
            });
        }
        if (trapped != null) lostDown(target, trapped);
        if (target.isDead()) st.sweep(); // it ended meanwhile: its OnDeath may have run before we queued
    }

    private static boolean offer(Queue<? super Down> q, Down d) {
        try {
            return q.tryPut(d);
        } catch (RuntimeException closed) { // QueueClosedException
            return false;
        }
    }

    static void lostDown(Greenlet<?> where, Down d) {
        where.hub().report(d.source(), new IllegalStateException("an exit inbox refused " + d + " (closed)"));
    }

    /** An exit that found its target ended: a failure it carried is reported, never lost. */
    private static void dropped(Link link, Outcome<?> outcome) {
        if (outcome instanceof Outcome.Failed<?> f && link.source() instanceof Greenlet<?> g) {
            g.hub().report(g, f.error());
        }
    }

    private void prune() {
        pending.removeIf(t -> t.state != ExitToken.QUEUED);
    }

    /** Drops every exit still queued in the ended owner. */
    private void sweep() {
        List<ExitToken> lost = null;
        lock();
        try {
            for (ExitToken t : pending) {
                if (ExitToken.STATE.compareAndSet(t, ExitToken.QUEUED, ExitToken.DROPPED)) {
                    if (lost == null) lost = new ArrayList<>();
                    lost.add(t);
                }
            }
            pending.clear();
        } finally {
            unlock();
        }
        if (lost != null) for (ExitToken t : lost) dropped(t.link, t.outcome);
    }

    /**
     * On the owner's thread: withdraws the exits of {@code source} that are queued and not yet
     * raised — proc.py notifies links a hub turn after the end, so an unlink in that turn stops
     * the exit (its test_killing_unlinked). A failure one carried is reported, never lost.
     *
     * @return true if an exit was withdrawn
     */
    boolean withdrawFrom(dev.weft.Linkable<?> source) {
        List<ExitToken> withdrawn = null;
        lock();
        try {
            for (ExitToken t : pending) {
                if (t.link.source() == source && t.state == ExitToken.QUEUED && SignalQueue.withdraw(owner, t)
                        && ExitToken.STATE.compareAndSet(t, ExitToken.QUEUED, ExitToken.DROPPED)) {
                    if (withdrawn == null) withdrawn = new ArrayList<>();
                    withdrawn.add(t);
                }
            }
            prune();
        } finally {
            unlock();
        }
        if (withdrawn == null) return false;
        for (ExitToken t : withdrawn) dropped(t.link, t.outcome);
        return true;
    }

    // ---------------------------------------------------------------- trap-exit

    /** On the owner's thread: from now on exits go to {@code to}; queued ones are moved there. */
    void trap(Queue<? super Down> to) {
        List<Down> refused = null;
        lock();
        try {
            inbox = to;
            for (ExitToken t : pending) {
                if (t.state == ExitToken.QUEUED && SignalQueue.withdraw(owner, t)
                        && ExitToken.STATE.compareAndSet(t, ExitToken.QUEUED, ExitToken.TRAPPED)) {
                    Down d = new Down(t.link.source(), t.outcome, t.link);
                    if (!offer(to, d)) {
                        if (refused == null) refused = new ArrayList<>();
                        refused.add(d);
                    }
                }
            }
            pending.clear();
        } finally {
            unlock();
        }
        if (refused != null) for (Down d : refused) lostDown(owner, d);
    }

    /** From now on exits are raised again; Downs already in the inbox stay there. */
    void untrap() {
        lock();
        try {
            inbox = null;
        } finally {
            unlock();
        }
    }

    boolean isTrapping() {
        lock();
        try {
            return inbox != null;
        } finally {
            unlock();
        }
    }

    // ---------------------------------------------------------------- two-way links

    /** Records a two-way link in both of its greenlets' states. */
    static void rememberMutual(Link link, Greenlet<?> a, Greenlet<?> b) {
        of(a).addMutual(link);
        of(b).addMutual(link);
    }

    private void addMutual(Link link) {
        lock();
        try {
            mutual.add(link);
        } finally {
            unlock();
        }
    }

    /** Forgets a two-way link that fired or was cancelled. */
    static void forgetMutual(Link link) {
        if (link.source() instanceof Greenlet<?> a) remove(a, link);
        if (link.listener() instanceof Greenlet<?> b) remove(b, link);
    }

    private static void remove(Greenlet<?> g, Link link) {
        LinkState st = peek(g);
        if (st == null) return;
        st.lock();
        try {
            st.mutual.remove(link);
        } finally {
            st.unlock();
        }
    }

    /** The two-way links between {@code a} and {@code b}, in either direction. */
    static List<Link> mutualBetween(Greenlet<?> a, Greenlet<?> b) {
        LinkState st = peek(a);
        List<Link> out = new ArrayList<>(2);
        if (st == null) return out;
        st.lock();
        try {
            for (Link l : st.mutual) {
                if ((l.source() == a && l.listener() == b) || (l.source() == b && l.listener() == a)) out.add(l);
            }
        } finally {
            st.unlock();
        }
        return out;
    }

    /** Runs when the owner ends: exits still queued in it can never be delivered. */
    private final class OnDeath implements Consumer<Object>, InternalListener {
        @Override
        public void accept(Object g) {
            sweep();
        }
    }

    /**
     * A linked exit in the owner's signal queue; the exception is made when it is sent (cheap:
     * weft's signals capture their stack trace only when delivered).
     */
    static final class ExitToken implements SignalQueue.Token {
        static final int QUEUED = 0, DELIVERED = 1, TRAPPED = 2, DROPPED = 3;

        final Link link;
        final Outcome<?> outcome;
        private final LinkedExited exit;
        volatile int state;

        ExitToken(Link link, Outcome<?> outcome) {
            this.link = link;
            this.outcome = outcome;
            this.exit = Links.exitFor(link.source(), outcome);
        }

        @Override
        public Throwable throwable() {
            STATE.compareAndSet(this, QUEUED, DELIVERED);
            return exit;
        }

        @Override
        public String toString() {
            return "linked exit " + exit.getMessage();
        }

        static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(ExitToken.class, "state", int.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    // VarHandle mechanics
    private static final VarHandle LOCKED;

    static {
        try {
            LOCKED = MethodHandles.lookup().findVarHandle(LinkState.class, "locked", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
