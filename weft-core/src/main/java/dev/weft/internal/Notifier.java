package dev.weft.internal;

import java.util.ArrayDeque;

/**
 * Runs listener callbacks without unbounded recursion: a listener that completes another
 * object whose listener completes a third (and so on) would otherwise grow the stack with the
 * chain. Past {@value #MAX_DEPTH} nested notifications on one thread, callbacks are queued and
 * run by the outermost notification, in order (the trampoline Netty's promises use).
 *
 * <p>The common case — a greenlet that ends runs its own listeners on its own thread — counts
 * its depth in the strand itself ({@link #run(Runnable, Object)}): a fresh greenlet thread then
 * never creates a {@code ThreadLocal} map, which cost a pooled spawn about a quarter of its
 * allocation. Past {@value #MAX_DEPTH} levels there it goes on through the thread's notifier,
 * so a chain is still bounded (at twice the depth) and the overflow still queued.
 */
final class Notifier {
    private static final int MAX_DEPTH = 8;
    private static final ThreadLocal<Notifier> LOCAL = ThreadLocal.withInitial(Notifier::new);

    private int depth;
    private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();

    /**
     * Runs {@code callback}, a listener of {@code source}: on the source's own thread (a greenlet
     * notifying its own end) its depth is counted in the strand, without touching a ThreadLocal.
     */
    static void run(Runnable callback, Object source) {
        if (source instanceof Strand s && s.thread == Thread.currentThread() && s.notifyDepth < MAX_DEPTH) {
            s.notifyDepth++;
            try {
                callback.run();
            } finally {
                s.notifyDepth--;
            }
            return;
        }
        run(callback);
    }

    static void run(Runnable callback) {
        Notifier n = LOCAL.get();
        if (n.depth >= MAX_DEPTH) {
            n.deferred.add(callback);
            return;
        }
        n.depth++;
        try {
            callback.run();
        } finally {
            n.depth--;
        }
        if (n.depth == 0) {
            Runnable r;
            while ((r = n.deferred.poll()) != null) {
                n.depth++;
                try {
                    r.run();
                } finally {
                    n.depth--;
                }
            }
        }
    }

    private Notifier() {}
}
