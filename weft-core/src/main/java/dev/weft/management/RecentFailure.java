package dev.weft.management;

import javax.management.ConstructorParameters;

/**
 * One greenlet failure a hub kept (the last {@code 32} per hub): when, which greenlet, what.
 * An MXBean composite type: JMX clients see its getters as items.
 */
public final class RecentFailure {
    private final long sequence;
    private final long timeMillis;
    private final long greenletId;
    private final String greenletName;
    private final String exceptionType;
    private final String message;

    /**
     * A failure record.
     *
     * @param sequence the hub's running count of failures before this one
     * @param timeMillis when it ended, in {@link System#currentTimeMillis()} terms
     * @param greenletId the id of the greenlet that failed
     * @param greenletName its name
     * @param exceptionType the failure's class name
     * @param message the failure's message ({@code "null"} if it had none)
     */
    @ConstructorParameters({"sequence", "timeMillis", "greenletId", "greenletName", "exceptionType", "message"})
    public RecentFailure(long sequence, long timeMillis, long greenletId, String greenletName, String exceptionType,
            String message) {
        this.sequence = sequence;
        this.timeMillis = timeMillis;
        this.greenletId = greenletId;
        this.greenletName = greenletName;
        this.exceptionType = exceptionType;
        this.message = message;
    }

    /**
     * The hub's running count of failures before this one (0 for the first).
     *
     * @return the hub's running count of failures before this one (0 for the first)
     */
    public long getSequence() { return sequence; }

    /**
     * When the greenlet ended, in milliseconds since the epoch.
     *
     * @return when the greenlet ended, in milliseconds since the epoch
     */
    public long getTimeMillis() { return timeMillis; }

    /**
     * The id of the greenlet that failed.
     *
     * @return the id of the greenlet that failed
     */
    public long getGreenletId() { return greenletId; }

    /**
     * The name of the greenlet that failed.
     *
     * @return the name of the greenlet that failed
     */
    public String getGreenletName() { return greenletName; }

    /**
     * The failure's class name.
     *
     * @return the failure's class name
     */
    public String getExceptionType() { return exceptionType; }

    /**
     * The failure's message, {@code "null"} if it had none.
     *
     * @return the failure's message, {@code "null"} if it had none
     */
    public String getMessage() { return message; }

    @Override
    public String toString() {
        return greenletName + " (id " + greenletId + ") failed: " + exceptionType + ": " + message;
    }
}
