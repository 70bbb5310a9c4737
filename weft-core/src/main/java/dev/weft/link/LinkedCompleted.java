package dev.weft.link;

import dev.weft.Outcome;

/**
 * Raised in a linked greenlet when the source returned normally (proc.py's
 * {@code LinkedCompleted}): {@code "<name> completed successfully"}. Only plain {@code link}s and
 * {@code linkValue}s raise it; {@code linkException} and the OTP-style links of
 * {@link Links#linkBoth} do not.
 */
public class LinkedCompleted extends LinkedExited {
    private static final long serialVersionUID = 1L;

    /**
     * The source's normal end.
     *
     * @param source the object that ended; may be null
     * @param outcome how it ended (a {@code Value}); may be null
     */
    public LinkedCompleted(Object source, Outcome<?> outcome) {
        super(source, outcome, nameOf(source) + " completed successfully", null);
    }
}
