package dev.weft.link;

import dev.weft.GreenletExit;

/**
 * proc.py's default kill exception: a {@link GreenletExit}, so a greenlet killed with it ends
 * quietly and successfully in gevent's sense, yet proc-style links still see a kill (they raise
 * {@link LinkedKilled}). proc's {@code kill(p)} and {@code killall(procs)} are
 * {@code g.kill(new ProcExit())} and {@code Greenlets.killAll(procs, new ProcExit(), false, null)}.
 */
public class ProcExit extends GreenletExit {
    private static final long serialVersionUID = 1L;

    /** An exit without a message. */
    public ProcExit() {
        super();
    }

    /**
     * An exit with a message.
     *
     * @param message why it was killed; may be null
     */
    public ProcExit(String message) {
        super(message);
    }
}
