package dev.weft;

import java.util.function.Consumer;

/**
 * Something that becomes ready and tells its listeners: a {@link Greenlet}, an
 * {@code Event}, an {@code AsyncResult} (gevent's wait protocol, ARCHITECTURE §4).
 *
 * <p>Rules shared by every implementation:
 * <ul>
 * <li>A listener fires once. A one-shot object (greenlet, result) fires it when it completes; a
 *     repeatable one (event) on its next transition to ready.</li>
 * <li>{@link #rawlink} listeners run synchronously on the thread that makes the object ready, in
 *     registration order, and must not block; that thread may belong to another hub. A listener
 *     registered on an object that is ready already runs at once, in the caller — unless a
 *     one-shot object is still running its listeners, then it runs after them, on that thread.</li>
 * <li>A wait on a one-shot object ({@code join}, {@code get}, {@code await}, {@code joinAll})
 *     returns only after every listener registered before it has run, even when it comes while
 *     they run: what a rawlink did (a count, a member leaving its group) is seen after the wait.
 *     A listener that waits on its own source, on the thread running it, returns at once.</li>
 * <li>{@link #unlink} stops a listener that has not fired yet, even from inside another listener
 *     of the same notification. (A greenlet's {@code link} callbacks each run in a greenlet of
 *     their own, spawned as the notification fires, so one of them cannot stop another of the
 *     same notification; gevent runs each until it blocks before the next, so there it can.)</li>
 * <li>A listener that throws is reported to the hub's error handler; the others still run.</li>
 * </ul>
 *
 * @param <S> the type passed to listeners (the object itself)
 */
public interface Linkable<S> {
    /**
     * Registers {@code listener} to run, with this object, when it is next ready.
     *
     * @param listener called once, with this object, on the thread that makes it ready (or at
     *     once, in the caller, if it is ready already); {@link #unlink} finds it by identity
     * @throws NullPointerException if {@code listener} is null
     */
    void rawlink(Consumer<? super S> listener);

    /**
     * Stops {@code listener} (compared by identity) from firing. Unlinking a listener that is
     * not registered, or has fired, does nothing.
     *
     * @param listener the very object that was registered: a {@link #rawlink} listener, or what
     *     an implementation's own link method took (a callback, a receiver)
     * @return true if a pending registration was removed
     * @throws NullPointerException if {@code listener} is null (gevent's {@code unlink(None)} does
     *     nothing)
     */
    boolean unlink(Object listener);

    /**
     * True if the object is ready now (finished, set).
     *
     * @return true if ready at the moment of the call; a one-shot object stays ready once it is,
     *     a repeatable one may stop being ready (an event cleared)
     */
    boolean isReady();
}
