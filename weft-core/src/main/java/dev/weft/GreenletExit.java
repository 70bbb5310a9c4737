package dev.weft;

/**
 * The default exception of {@link Greenlet#kill()}: it ends a greenlet quietly.
 *
 * <p>A greenlet that ends with a {@code GreenletExit} (or a subclass) counts as successful: it is
 * not reported as an error, {@link Greenlet#isSuccessful()} is true, and the exit object is its
 * {@link Greenlet#value()} — as if it had been returned, not thrown. So the {@code get()} of a
 * killed {@code Greenlet<Integer>} returns a {@code GreenletExit}, not an Integer: test
 * {@link Greenlet#isKilled()} first.
 */
public class GreenletExit extends Interrupted {
    private static final long serialVersionUID = 1L;

    /** An exit without a message. */
    public GreenletExit() {
        super();
    }

    /** An exit with a message. */
    public GreenletExit(String message) {
        super(message);
    }
}
