package dev.weft.link;

import dev.weft.Outcome;

/**
 * Raised in a linked greenlet when the source ended with an exception (proc.py's
 * {@code LinkedFailed}): {@code "<name> failed with <ExceptionType>"}, with the source's very
 * exception as the {@linkplain #getCause() cause}. A kill of the source is a failure too, as in
 * proc.py: it raises the subclass {@link LinkedKilled}.
 */
public class LinkedFailed extends LinkedExited {
    private static final long serialVersionUID = 1L;

    /**
     * A failure of {@code source} with {@code error}.
     *
     * @param source the object that ended; may be null
     * @param outcome how it ended; may be null
     * @param error the source's exception, the cause; may be null
     */
    public LinkedFailed(Object source, Outcome<?> outcome, Throwable error) {
        this(source, outcome, error, " failed with ");
    }

    LinkedFailed(Object source, Outcome<?> outcome, Throwable error, String verb) {
        super(source, outcome, nameOf(source) + verb + (error == null ? "null" : error.getClass().getName()), error);
    }
}
