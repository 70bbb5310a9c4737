package dev.weft.internal;

/**
 * A rawlink listener that stands for another object: {@code unlink(key)} finds it by that key as
 * well as by itself. {@code dev.weft.link} registers one wrapper per proc.py link and lets
 * {@code unlink(listener)} find it by the user's listener (a callback, a receiver, a greenlet).
 */
public interface KeyedListener {
    /**
     * The object {@code unlink} also finds this listener by.
     *
     * @return the key, compared by identity; never null
     */
    Object listenerKey();

    /**
     * Called once an {@code unlink} removed this listener (by itself or by its key) before it
     * fired, on the unlinking thread, outside the list's lock. Must not block.
     */
    default void unlinked() {}
}
