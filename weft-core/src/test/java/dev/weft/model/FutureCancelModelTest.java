package dev.weft.model;

import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.ModelAccess;
import java.util.concurrent.Future;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code asFuture().cancel} vs completion: two threads cancel the same greenlet through its
 * {@link Future} view while the greenlet runs its own {@code body()} to a value on a model thread.
 *
 * <p>Invariants (the {@link Future} contract, as {@code FutureTask} keeps it):
 * <ol>
 * <li>at most one {@code cancel} returns true — exactly one, unless the greenlet finished
 *     first;</li>
 * <li>the future reports itself cancelled if and only if a {@code cancel} returned true.</li>
 * </ol>
 */
@Tag("model")
public class FutureCancelModelTest {
    private static final Hub HUB = Hub.parallel();

    /** A greenlet that computes a value without blocking. */
    static final class Computing extends Greenlet<Object> {
        Computing() {
            super(HUB);
        }

        @Override
        protected Object run() {
            return "value";
        }
    }

    private final Computing greenlet = ModelAccess.scheduled(new Computing());
    private final Future<Object> first = greenlet.asFuture(), second = greenlet.asFuture();
    private volatile boolean firstDone, secondDone;
    private boolean firstResult, secondResult;

    /** The greenlet's own thread: its body runs to a value. */
    public void runs() {
        ModelAccess.runHere(greenlet);
        Roles.await(() -> firstDone && secondDone); // a kill may still interrupt this thread
        Thread.interrupted();
    }

    public void cancelsFirst() {
        firstResult = first.cancel(true);
        firstDone = true;
    }

    public void cancelsSecond() {
        secondResult = second.cancel(true);
        secondDone = true;
    }

    @Validate
    public void validate() {
        if (firstResult && secondResult) throw new AssertionError("both concurrent cancel() calls returned true");
        if ((firstResult || secondResult) != first.isCancelled()) {
            throw new AssertionError("isCancelled() is " + first.isCancelled() + " but cancel() returned "
                    + firstResult + " and " + secondResult);
        }
    }

    @Test
    void cancelVsCancelVsCompletion() {
        Model.check(FutureCancelModelTest.class, "runs", "cancelsFirst", "cancelsSecond");
    }
}
