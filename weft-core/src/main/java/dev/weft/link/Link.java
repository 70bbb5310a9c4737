package dev.weft.link;

import dev.weft.Greenlet;
import dev.weft.Linkable;
import dev.weft.Outcome;
import dev.weft.Receiver;
import dev.weft.internal.InternalListener;
import dev.weft.internal.KeyedListener;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * One proc.py link from a source to a listener, as returned by {@link Links#link} and its
 * siblings: it fires once, when the source ends (or at once, if it has ended already), and
 * {@link #cancel()} stops it if it has not. It is {@link AutoCloseable} like proc.py's
 * {@code Link} (a context manager): {@code try (Link l = Links.link(p)) { … }} unlinks at the end
 * of the block.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class Link implements AutoCloseable {
    /*
     * Overview (for maintainers). state, changed by CAS only:
     *   PENDING ──the source ends, the kind matches──▶ FIRED      (delivered to the listener)
     *      │    ──the source ends, the kind does not─▶ SKIPPED    (a linkValue of a failure...)
     *      └──── cancel() / Links.unlink ───────────▶ CANCELLED  (the rawlink node is removed)
     * Whatever ends it first also cancels its partner (the other direction of a two-way link).
     * The node registered on the source is `fire` (a KeyedListener, so that the source's own
     * unlink(listener) finds it by the user's listener). Tests: LinksTest, LinkMatrixTest.
     */
    enum Kind {
        /** every end (proc's link). */
        ANY,
        /** a value only (proc's link_value). */
        VALUE,
        /** a failure or a kill only (proc's link_exception). */
        EXCEPTION,
        /** OTP's link: failures and kills are raised; a normal end reaches only a greenlet that traps exits. */
        MUTUAL
    }

    private static final int PENDING = 0, FIRED = 1, SKIPPED = 2, CANCELLED = 3;

    private final Linkable<?> source;
    private final Object listener;
    private final Kind kind;
    private final Fire fire;
    private volatile int state;
    volatile Link partner; // the other direction of a two-way link, or null
    volatile boolean raised; // a linked exit was queued in the listener greenlet

    Link(Linkable<?> source, Object listener, Kind kind) {
        this.source = source;
        this.listener = listener;
        this.kind = kind;
        this.fire = kind == Kind.VALUE ? new FireQuietly(this) : new Fire(this);
    }

    /** Registers this link on its source; it may fire at once, in the caller. */
    Link register() {
        source.rawlink(fire);
        return this;
    }

    /**
     * The object whose end this link reports.
     *
     * @return the source given to the link method
     */
    public Linkable<?> source() {
        return source;
    }

    /**
     * Who is told: a callback ({@code Consumer}), a {@link Receiver}, or a {@link Greenlet}.
     *
     * @return the listener given to the link method (the linking greenlet when none was given)
     */
    public Object listener() {
        return listener;
    }

    /**
     * True until the link fired or was cancelled.
     *
     * @return true while the source has not ended and the link was not cancelled
     */
    public boolean isPending() {
        return state == PENDING;
    }

    /**
     * True once the link delivered the source's end to its listener.
     *
     * @return true if it fired; false if pending, cancelled, or skipped (a value link whose source
     *     failed, an exception link whose source returned)
     */
    public boolean isFired() {
        return state == FIRED;
    }

    /**
     * Stops the link if it has not fired (proc.py's {@code Link.cancel}); also from inside another
     * listener of the same notification.
     *
     * @return true if it was pending and is now cancelled; false if it fired, was skipped or was
     *     cancelled already
     */
    public boolean cancel() {
        if (!STATE.compareAndSet(this, PENDING, CANCELLED)) return false;
        source.unlink(fire);
        ended();
        return true;
    }

    /** The same as {@link #cancel()}: try-with-resources unlinks at the end of the block. */
    @Override
    public void close() {
        cancel();
    }

    /** Marks this link cancelled by a {@code Links.unlink} that removed its node from the source. */
    void unlinked() {
        if (STATE.compareAndSet(this, PENDING, CANCELLED)) ended();
    }

    Kind kind() {
        return kind;
    }

    private void ended() {
        Link p = partner;
        if (p != null) {
            partner = null;
            p.cancel();
        }
        if (kind == Kind.MUTUAL) LinkState.forgetMutual(this);
    }

    /** The source ended: deliver its end to the listener, once. */
    private void fire() {
        Outcome<?> outcome = Links.outcomeOf(source);
        boolean normal = outcome instanceof Outcome.Value<?>;
        boolean wanted = switch (kind) {
            case VALUE -> normal;
            case EXCEPTION -> !normal;
            case ANY, MUTUAL -> true;
        };
        if (!STATE.compareAndSet(this, PENDING, wanted ? FIRED : SKIPPED)) return;
        ended();
        if (!wanted) return;
        deliver(outcome);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void deliver(Outcome<?> outcome) {
        switch (listener) {
            case Greenlet<?> g -> LinkState.deliver(g, this, outcome);
            case Receiver r -> {
                switch (outcome) {
                    case Outcome.Value<?> v -> r.send(v.value());
                    case Outcome.Failed<?> f -> r.sendException(f.error());
                    case Outcome.Killed<?> k -> r.sendException(k.exit()); // proc: a kill is an exception
                }
            }
            case Consumer c -> c.accept(source);
            default -> throw new IllegalStateException("unknown listener " + listener);
        }
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case PENDING -> "pending";
            case FIRED -> "fired";
            case SKIPPED -> "skipped";
            default -> "cancelled";
        };
        return "Link[" + LinkedExited.nameOf(source) + " -> " + LinkedExited.nameOf(listener) + ", " + kind + ", " + s + "]";
    }

    /** The rawlink listener registered on the source; unlink finds it by the user's listener too. */
    private static class Fire implements Consumer<Object>, KeyedListener {
        final Link link;

        Fire(Link link) {
            this.link = link;
        }

        @Override
        public void accept(Object source) {
            link.fire();
        }

        @Override
        public Object listenerKey() {
            return link.listener;
        }

        @Override
        public void unlinked() {
            link.unlinked();
        }
    }

    /** A value link: it does not count as receiving a greenlet's failure (ARCHITECTURE §6). */
    private static final class FireQuietly extends Fire implements InternalListener {
        FireQuietly(Link link) {
            super(link);
        }
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Link.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
