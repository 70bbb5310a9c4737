package dev.weft;

/**
 * The default exception of {@link Greenlet#kill()}: it ends a greenlet quietly.
 *
 * <p>A greenlet that ends with a {@code GreenletExit} (or a subclass) counts as successful: it is
 * not reported as an error and {@link Greenlet#isSuccessful()} is true. It has no value of type
 * {@code T}, though: {@link Greenlet#get()} and {@link Greenlet#value()} of a killed greenlet
 * return {@code null}, and the exit object is in {@link Greenlet#outcome()} (an
 * {@link Outcome.Killed}); {@link Greenlet#isKilled()} tells a kill from a null value.
 */
public class GreenletExit extends Interrupted {
    private static final long serialVersionUID = 1L;

    /** An exit without a message. */
    public GreenletExit() {
        super();
    }

    /**
     * An exit with a message.
     *
     * @param message the detail message, such as why the greenlet was killed; may be null
     */
    public GreenletExit(String message) {
        super(message);
    }
}
