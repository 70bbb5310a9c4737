package dev.weft.internal;

import java.util.HashMap;

/**
 * Per-greenlet storage for {@code GreenletLocal} (Shrapnel's {@code ThreadLocal}): two small maps
 * on the strand, read and written only by the greenlet's own thread — and, for the inheritable
 * one, copied by the greenlet that creates a new one, before it starts.
 */
public final class Locals {
    private Locals() {}

    /** The sentinel for "no value". */
    public static final Object NONE = new Object();

    /** The value of {@code key} in {@code s}, or {@link #NONE}. */
    public static Object get(Strand s, Object key, boolean inheritable) {
        HashMap<Object, Object> m = inheritable ? s.inheritableLocals : s.locals;
        if (m == null) return NONE;
        return m.getOrDefault(key, NONE);
    }

    /** Sets the value of {@code key} in {@code s}. */
    public static void set(Strand s, Object key, boolean inheritable, Object value) {
        HashMap<Object, Object> m = inheritable ? s.inheritableLocals : s.locals;
        if (m == null) {
            m = new HashMap<>();
            if (inheritable) s.inheritableLocals = m;
            else s.locals = m;
        }
        m.put(key, value);
    }

    /** Removes the value of {@code key} in {@code s}. */
    public static void remove(Strand s, Object key, boolean inheritable) {
        HashMap<Object, Object> m = inheritable ? s.inheritableLocals : s.locals;
        if (m != null) m.remove(key);
    }

    /** On the creator's thread: {@code child} starts with a copy of {@code parent}'s inheritable values. */
    public static void inherit(Strand parent, Strand child) {
        HashMap<Object, Object> m = parent.inheritableLocals;
        if (m != null && !m.isEmpty()) child.inheritableLocals = new HashMap<>(m);
    }
}
