package dev.weft.internal;

import java.util.function.Consumer;

/**
 * A {@link Node} that runs a callback with its source object when offered a value: the rawlink
 * tier of ARCHITECTURE §4. The callback runs on the thread that completes or sets the source,
 * must not block, and is reported to the hub's error handler if it throws.
 *
 * @param <S> the type of the source passed to the callback
 */
public final class ListenerNode<S> extends Node implements Runnable {
    private final Consumer<? super S> callback;
    private final Object key;
    private final S source;
    private final boolean receives;
    private final ErrorSink errors;

    /**
     * @param callback what to run
     * @param key the object {@code unlink} finds this node by (usually the callback itself)
     * @param source what the callback is given
     * @param receives whether it counts as receiving a greenlet's failure (§6)
     * @param errors where a throwing callback is reported
     */
    public ListenerNode(Consumer<? super S> callback, Object key, S source, boolean receives, ErrorSink errors) {
        this.callback = callback;
        this.key = key;
        this.source = source;
        this.receives = receives;
        this.errors = errors;
    }

    @Override
    public boolean offer(Object value) {
        if (!tryComplete(value)) return false;
        Notifier.run(this, source);
        return true;
    }

    /** Runs the callback now, in the caller (used when the source is ready already). */
    public void runNow() {
        if (tryComplete(Boolean.TRUE)) Notifier.run(this, source);
    }

    /** Runs the callback (for the {@link Notifier}: not an entry point of its own). */
    @Override
    public void run() {
        try {
            callback.accept(source);
        } catch (Throwable t) {
            errors.report(source, t);
        }
    }

    @Override
    boolean receives() {
        return receives;
    }

    @Override
    boolean received() {
        return receives && (!(callback instanceof ConditionalReceiver c) || c.received());
    }

    @Override
    Object listener() {
        return key;
    }
}
