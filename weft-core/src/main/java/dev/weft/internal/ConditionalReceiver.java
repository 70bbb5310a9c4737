package dev.weft.internal;

/**
 * A rawlink callback that counts as receiving a greenlet's failure (§6) only if, once run, it
 * says it took it: a future's {@code get} links one, and once that {@code get} has given up (a
 * cancel woke it, or it was interrupted) the failure it would have carried is nobody's, so the
 * hub still reports it. Before the callback runs it counts as a possible receiver, so the
 * decision to report waits for it.
 */
public interface ConditionalReceiver {
    /**
     * Asked after the callback ran.
     *
     * @return true if the callback handed the outcome to someone who will see it
     */
    boolean received();
}
