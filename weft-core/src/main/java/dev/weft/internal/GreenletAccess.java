package dev.weft.internal;

import java.util.function.BiFunction;

/**
 * Engine entry points for weft's own packages that the public API does not offer (the JDK's
 * {@code SharedSecrets} pattern; this package is not exported, so user code cannot reach them).
 */
public final class GreenletAccess {
    private GreenletAccess() {}

    /**
     * Makes an unstarted greenlet of a hub ({@code (hub, task)}, hub null for the caller's, a {@code Callable},
     * {@code CheckedRunnable} or {@code Runnable}) that is not tracked weakly while unstarted: for
     * a caller that starts it at once (a pool admits it as a member first, then starts it), so the
     * hub's unstarted map is not paid for on every spawn. Set by {@code Greenlet}'s class
     * initialisation.
     */
    public static volatile BiFunction<Object, Object, Object> newStartedSoon;

    /**
     * Shrapnel's strict start: starts a new greenlet and returns true, or returns false if it was
     * started (or ended) already. Set by {@code Greenlet}'s class initialisation.
     */
    public static volatile java.util.function.Predicate<Object> startStrict;

    /**
     * The first listener of {@code greenlet} that has not fired yet and passes {@code test} (as
     * registered with {@code rawlink}), or null: a group finds its membership of a greenlet
     * among the greenlet's own links instead of in a map of its own.
     *
     * @param greenlet a {@code Greenlet}
     * @param test run under the greenlet's link lock: no blocking, no other locks
     * @return the listener, or null
     */
    public static Object pendingListener(Object greenlet, java.util.function.Predicate<Object> test) {
        return ((Completion) greenlet).findPendingListener(test);
    }

    /**
     * {@link #newStartedSoon} applied, after making sure {@code Greenlet} is initialised (it sets
     * the field in its class initialiser).
     *
     * @param hub the greenlet's hub; null: the calling greenlet's (found once, with the parent)
     * @param task what it runs
     * @return the new, unstarted greenlet
     */
    public static Object newStartedSoon(Object hub, Object task) {
        BiFunction<Object, Object, Object> f = newStartedSoon;
        if (f == null) {
            try {
                Class.forName("dev.weft.Greenlet", true, GreenletAccess.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
            f = newStartedSoon;
        }
        return f.apply(hub, task);
    }
}
