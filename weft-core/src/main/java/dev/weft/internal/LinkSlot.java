package dev.weft.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One slot per strand for {@code dev.weft.link}'s per-greenlet state (whether it traps exits,
 * the linked exits queued for it), created on first use so that greenlets nobody links to pay
 * one null field.
 */
public final class LinkSlot {
    private LinkSlot() {}

    /**
     * The state stored for {@code s}.
     *
     * @param s the strand
     * @return what {@link #putIfAbsent} stored, or null
     */
    public static Object get(Strand s) {
        return s.linkState;
    }

    /**
     * Stores {@code state} for {@code s} unless something is stored already.
     *
     * @param s the strand
     * @param state what to store
     * @return the state now stored: {@code state}, or the one another thread stored first
     */
    public static Object putIfAbsent(Strand s, Object state) {
        Object cur = s.linkState;
        if (cur != null) return cur;
        if (LINK_STATE.compareAndSet(s, null, state)) return state;
        return s.linkState;
    }

    // VarHandle mechanics
    private static final VarHandle LINK_STATE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(Strand.class, MethodHandles.lookup());
            LINK_STATE = l.findVarHandle(Strand.class, "linkState", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
