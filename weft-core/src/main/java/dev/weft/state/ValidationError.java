package dev.weft.state;

/**
 * A state tried a transition its declaration does not allow (gevent_async's
 * {@code ValidationError}). It is raised in the state that tried it, no transition is recorded,
 * and — unless the state catches it — the state, and with it the machine, fail with it.
 */
public class ValidationError extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * A new error.
     *
     * @param message which move was refused, from which state
     */
    public ValidationError(String message) {
        super(message);
    }
}
