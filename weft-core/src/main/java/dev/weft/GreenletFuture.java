package dev.weft;

import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link Greenlet#asFuture()}: a greenlet seen through the JDK's {@link Future} contract.
 *
 * <ul>
 * <li>{@code get} waits (through weft's waiting core), wraps a failure in
 *     {@link ExecutionException} and a timed-out wait in {@link TimeoutException};</li>
 * <li>{@code cancel} is {@code kill(block=false)}: it reports the future cancelled at once, even
 *     while the greenlet is still unwinding; a greenlet that ended with a {@link GreenletExit}
 *     (killed) counts as cancelled too;</li>
 * <li>a foreign interrupt of the waiting thread becomes {@link InterruptedException}.</li>
 * </ul>
 */
final class GreenletFuture<T> implements Future<T> {
    private final Greenlet<T> greenlet;

    GreenletFuture(Greenlet<T> greenlet) {
        this.greenlet = greenlet;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (greenlet.isReady() || greenlet.isCancelled()) return false;
        greenlet.markCancelled();
        greenlet.kill(new GreenletExit("cancelled through its Future"), false, null);
        return true;
    }

    @Override
    public boolean isCancelled() {
        return greenlet.isCancelled() || greenlet.isKilled();
    }

    @Override
    public boolean isDone() {
        return greenlet.isReady() || greenlet.isCancelled();
    }

    @Override
    public T get() throws InterruptedException, ExecutionException {
        if (!isCancelled()) waitFor(null);
        return outcome();
    }

    @Override
    public T get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
        if (!isCancelled() && !waitFor(Duration.ofNanos(unit.toNanos(Math.max(0, timeout))))) {
            throw new TimeoutException(greenlet + " not done within " + timeout + " " + unit);
        }
        return outcome();
    }

    private boolean waitFor(Duration timeout) throws InterruptedException {
        try {
            return greenlet.join(timeout);
        } catch (CancellationException interrupted) {
            if (Thread.interrupted()) throw new InterruptedException("interrupted while waiting for " + greenlet);
            throw interrupted;
        }
    }

    @SuppressWarnings("unchecked")
    private T outcome() throws ExecutionException {
        if (isCancelled()) throw new CancellationException(greenlet + " was cancelled");
        Throwable e = greenlet.exception();
        if (e != null) throw new ExecutionException(e);
        return greenlet.value();
    }

    @Override
    public String toString() {
        return "Future of " + greenlet;
    }
}
