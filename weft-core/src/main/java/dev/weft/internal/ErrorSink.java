package dev.weft.internal;

/** Where failures nobody received go: the hub's error handler (ARCHITECTURE §6). */
public interface ErrorSink {
    /**
     * Reports {@code error}.
     *
     * @param source the greenlet that died, or the object whose listener threw
     * @param error what was thrown
     */
    void report(Object source, Throwable error);
}
