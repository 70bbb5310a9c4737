package dev.weft.internal;

import java.util.ArrayDeque;

/**
 * Runs listener callbacks without unbounded recursion: a listener that completes another
 * object whose listener completes a third (and so on) would otherwise grow the stack with the
 * chain. Past {@value #MAX_DEPTH} nested notifications on one thread, callbacks are queued and
 * run by the outermost notification, in order (the trampoline Netty's promises use).
 */
final class Notifier {
    private static final int MAX_DEPTH = 8;
    private static final ThreadLocal<Notifier> LOCAL = ThreadLocal.withInitial(Notifier::new);

    private int depth;
    private final ArrayDeque<Runnable> deferred = new ArrayDeque<>();

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
