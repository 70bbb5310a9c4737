package dev.weft.link;

import dev.weft.GreenletExit;
import dev.weft.Outcome;

/**
 * Raised in a linked greenlet when the source was killed, that is ended by a
 * {@link GreenletExit} (proc.py's {@code LinkedKilled}): {@code "<name> was killed with
 * <ExitType>"}, with the exit as the {@linkplain #getCause() cause}. In proc.py's links a kill is a
 * failure, so this is a {@link LinkedFailed}; gevent 1.x's {@code Greenlet.linkException}
 * treats a kill as a success instead (see {@code docs/links.md}).
 */
public class LinkedKilled extends LinkedFailed {
    private static final long serialVersionUID = 1L;

    /**
     * A kill of {@code source} by {@code exit}.
     *
     * @param source the object that ended; may be null
     * @param outcome how it ended; may be null
     * @param exit the exit it ended with, the cause; may be null
     */
    public LinkedKilled(Object source, Outcome<?> outcome, GreenletExit exit) {
        super(source, outcome, exit, " was killed with ");
    }
}
