package dev.weft.link;

import dev.weft.Greenlet;
import dev.weft.Interrupted;
import dev.weft.Outcome;

/**
 * Raised in a greenlet when a source it is linked to ends (proc.py's {@code LinkedExited}): the
 * source returned ({@link LinkedCompleted}), raised ({@link LinkedFailed}) or was killed
 * ({@link LinkedKilled}). It is delivered like a kill, through the greenlet's signal queue, at
 * its next blocking point; as an {@link Interrupted} it is never swallowed by
 * {@code catch (Exception e)}.
 *
 * <p>Each one names its source ({@link #sourceName()}, also in the message) and carries the
 * source itself and how it ended ({@link #source()}, {@link #outcome()}). A greenlet that does
 * not catch it dies with it, as a failure: a linked exit is not a kill.
 */
public class LinkedExited extends Interrupted {
    private static final long serialVersionUID = 1L;

    private final transient Object source;
    /** The source's name, kept when the exception is serialized (the source itself is not). */
    private final String sourceName;
    private final transient Outcome<?> outcome;

    /**
     * A linked exit of {@code source} with its own message.
     *
     * @param source the object that ended (a greenlet, an {@code AsyncResult}, an {@code Event});
     *     may be null for an exit made by hand
     * @param outcome how it ended; may be null for an exit made by hand
     * @param message the detail message
     * @param cause the source's own exception, or null
     */
    protected LinkedExited(Object source, Outcome<?> outcome, String message, Throwable cause) {
        super(message, cause);
        this.source = source;
        this.sourceName = nameOf(source);
        this.outcome = outcome;
    }

    /**
     * A linked exit of {@code source} with proc.py's message, {@code "<name> exited"}.
     *
     * @param source the object that ended; may be null
     */
    public LinkedExited(Object source) {
        this(source, null, nameOf(source) + " exited", null);
    }

    /**
     * The object that ended.
     *
     * @return the source of the link (a {@link Greenlet}, an {@code AsyncResult}, an
     *     {@code Event}); null for an exit made by hand without one, or after deserialization
     */
    public Object source() {
        return source;
    }

    /**
     * The source's name: a greenlet's {@link Greenlet#name()}, else its class and identity.
     *
     * @return the name shown in the message; {@code "null"} for an exit made without a source
     */
    public String sourceName() {
        return sourceName;
    }

    /**
     * How the source ended.
     *
     * @return its outcome ({@code Value}, {@code Failed}, {@code Killed}); null for an exit made
     *     by hand without one, or after deserialization
     */
    public Outcome<?> outcome() {
        return outcome;
    }

    /**
     * The name {@link #sourceName()} gives {@code source}.
     *
     * @param source a greenlet, another object, or null
     * @return a greenlet's name; else the simple class name and the identity hash, in hex
     */
    static String nameOf(Object source) {
        if (source == null) return "null";
        if (source instanceof Greenlet<?> g) return g.name();
        return source.getClass().getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(source));
    }
}
