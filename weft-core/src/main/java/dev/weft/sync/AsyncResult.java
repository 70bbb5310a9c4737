package dev.weft.sync;

import dev.weft.Greenlet;
import dev.weft.GreenletFailure;
import dev.weft.Hub;
import dev.weft.Linkable;
import dev.weft.Outcome;
import dev.weft.Receiver;
import dev.weft.Timeout;
import dev.weft.internal.Completion;
import dev.weft.internal.InternalListener;
import dev.weft.internal.ListenerNode;
import dev.weft.internal.Waiter;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A value or an exception that arrives later, once (gevent's {@code AsyncResult}, proc.py's
 * {@code Source}). It is a {@link Receiver}, so a greenlet can deliver its end into it.
 *
 * <p>{@link #get()} waits and returns the value or rethrows the exception — an unchecked one as
 * the very instance, a checked one wrapped in {@link GreenletFailure}. Setting it twice is an
 * error. Waits park through weft's waiting core and are blocking points.
 *
 * <p>Thread safety: every method may be called from any thread. Memory consistency: actions
 * before {@code set}/{@code setException} happen-before a successful {@code get}.
 *
 * @param <T> the type of the value
 */
public final class AsyncResult<T> extends Completion implements Linkable<AsyncResult<T>>, Receiver<T> {
    /** A new, empty result. */
    public AsyncResult() {}

    /**
     * Sets the value and wakes every waiter and listener.
     *
     * @param value what {@link #get()} returns; may be null
     * @throws IllegalStateException if it was set already
     */
    public void set(T value) {
        if (complete(value, null) < 0) throw alreadySet();
    }

    /**
     * Sets the exception and wakes every waiter and listener.
     *
     * @param error what {@link #get()} rethrows: an unchecked one as the very instance, a checked
     *     one wrapped in {@link GreenletFailure}
     * @throws IllegalStateException if it was set already
     * @throws NullPointerException if {@code error} is null
     */
    public void setException(Throwable error) {
        Objects.requireNonNull(error, "error");
        if (complete(null, error) < 0) throw alreadySet();
    }

    private IllegalStateException alreadySet() {
        return new IllegalStateException("AsyncResult is set already: " + this);
    }

    /** The same as {@link #set(Object)}. */
    @Override
    public void send(T value) {
        set(value);
    }

    /** The same as {@link #setException(Throwable)}. */
    @Override
    public void sendException(Throwable error) {
        setException(error);
    }

    /**
     * Waits for the outcome, then returns the value or rethrows the exception.
     *
     * @return the value it was set with (null if set with null)
     * @throws GreenletFailure wrapping the exception it was set with, if that one is checked (an
     *     unchecked one is rethrown as the very instance)
     */
    public T get() {
        return get(null);
    }

    /**
     * Like {@link #get()}, waiting at most {@code timeout}.
     *
     * @param timeout at most this long, on the caller's hub clock; {@code null}: no limit
     * @return the value it was set with (null if set with null)
     * @throws Timeout if it is not set in time (a new, unstarted one)
     * @throws IllegalArgumentException if {@code timeout} is negative
     * @throws GreenletFailure wrapping the exception it was set with, if that one is checked (an
     *     unchecked one is rethrown as the very instance)
     */
    @SuppressWarnings("unchecked")
    public T get(Duration timeout) {
        return (T) getOrThrow(Greenlet.current(), timeout);
    }

    /**
     * The outcome now, without waiting.
     *
     * @return the value it was set with (null if set with null)
     * @throws Timeout if it is not set
     * @throws GreenletFailure wrapping the exception it was set with, if that one is checked (an
     *     unchecked one is rethrown as the very instance)
     */
    @SuppressWarnings("unchecked")
    public T getNow() {
        return (T) getNowOrThrow();
    }

    /** Waits until it is set. */
    public void await() {
        await(null);
    }

    /**
     * Waits at most {@code timeout} for it to be set; never throws on expiry.
     *
     * @param timeout at most this long, on the caller's hub clock; {@code null}: no limit
     * @return true if it is set (with a value or an exception); false if {@code timeout} passed
     *     first
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean await(Duration timeout) {
        Waiter.checkTimeout(timeout);
        Greenlet<?> me = Greenlet.current();
        return isSettled() || awaitComplete(me, dev.weft.internal.Waiter.deadline(me, timeout));
    }

    @Override
    public boolean isReady() {
        return isComplete();
    }

    /**
     * True if it is set with a value (not an exception).
     *
     * @return true if set with a value (null included); false if unset or set with an exception
     */
    public boolean isSuccessful() {
        return isComplete() && resultError() == null;
    }

    /**
     * The value if set with one, else null.
     *
     * @return the value; null if unset, set with an exception, or set with null
     */
    @SuppressWarnings("unchecked")
    public T value() {
        return (T) resultValue();
    }

    /**
     * The exception if set with one, else null.
     *
     * @return the very exception it was set with (a checked one not wrapped); null if unset or
     *     set with a value
     */
    public Throwable exception() {
        return resultError();
    }

    /**
     * How it was set: {@link Outcome.Value} or {@link Outcome.Failed} (an {@code AsyncResult}
     * is never {@link Outcome.Killed}: an exception set here, a {@code GreenletExit} included,
     * is a failure), for {@code switch} with patterns.
     *
     * @return the outcome
     * @throws IllegalStateException if it is not set yet (as {@code Future.resultNow()})
     */
    @SuppressWarnings("unchecked")
    public Outcome<T> outcome() {
        if (!isComplete()) throw new IllegalStateException(this + " is not set");
        Throwable e = resultError();
        return e != null ? new Outcome.Failed<>(e) : new Outcome.Value<>((T) resultValue());
    }

    /** Runs {@code listener} once it is set, or now (in the caller) if it is. */
    @Override
    public void rawlink(Consumer<? super AsyncResult<T>> listener) {
        Objects.requireNonNull(listener, "listener");
        addNode(new ListenerNode<>(listener, listener, this, !(listener instanceof InternalListener), Hub.current()));
    }

    @Override
    public boolean unlink(Object listener) {
        return unlinkListener(listener);
    }

    @Override
    public String toString() {
        if (!isComplete()) return "AsyncResult[unset]";
        Throwable e = resultError();
        return e != null ? "AsyncResult[failed: " + e + "]" : "AsyncResult[value=" + resultValue() + "]";
    }
}
