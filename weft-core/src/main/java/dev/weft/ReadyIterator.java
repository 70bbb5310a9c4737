package dev.weft;

import dev.weft.internal.InternalListener;
import dev.weft.internal.Strand;
import dev.weft.internal.Waiter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

/**
 * The objects of a {@link Greenlets#iwait} call, in the order they became ready (gevent's
 * {@code iwait}). Iterating waits, through weft's waiting core, for the next object; it ends when
 * {@code count} objects were returned, or the timeout passed (then without an error).
 *
 * <p>Close it (try-with-resources) if you stop early: closing unlinks it from the objects not yet
 * ready. It closes itself when it ends. It belongs to the greenlet that created it; iterate it
 * there.
 *
 * @param <T> the type of the objects
 */
public final class ReadyIterator<T extends Linkable<?>> implements Iterator<T>, Iterable<T>, AutoCloseable {
    private final dev.weft.internal.SpinLock guard = new dev.weft.internal.SpinLock(); // not a monitor: see SpinLock
    private final List<T> objects;
    private final List<Consumer<Object>> listeners;
    private final ArrayDeque<T> ready = new ArrayDeque<>(); // guarded by this
    private final Strand owner;
    private final long deadline;
    private final int count;
    private int returned;
    private boolean closed; // guarded by this
    private volatile Waiter waiter;
    private final boolean receives; // its links count as receiving the greenlets' failures (§6)

    ReadyIterator(List<T> objects, long deadline, int count, boolean receives) {
        this.objects = objects;
        this.receives = receives;
        this.owner = Greenlet.current();
        this.deadline = deadline;
        this.count = Math.min(count, objects.size());
        this.listeners = new ArrayList<>(objects.size());
        for (T o : objects) {
            Consumer<Object> l = receives ? new Receiving(o) : new Plumbing(o);
            listeners.add(l);
            o.rawlink(l);
        }
    }

    private abstract class Collect implements Consumer<Object> {
        private final T object;

        Collect(T object) {
            this.object = object;
        }

        @Override
        public void accept(Object ignored) {
            guard.lock();
            try {
                if (closed) return;
                ready.add(object);
            } finally {
                guard.unlock();
            }
            Waiter w = waiter;
            if (w != null) w.offer(Boolean.TRUE);
        }
    }

    /** wait/iwait plumbing: does not count as receiving a failure (§6). */
    private final class Plumbing extends Collect implements InternalListener {
        Plumbing(T object) {
            super(object);
        }
    }

    /** joinAll with raiseError re-raises failures: its listeners receive them (§6). */
    private final class Receiving extends Collect {
        Receiving(T object) {
            super(object);
        }
    }

    @Override
    public boolean hasNext() {
        if (returned >= count) {
            close();
            return false;
        }
        for (;;) {
            guard.lock();
            try {
                if (closed) return false;
                if (!ready.isEmpty()) return true;
            } finally {
                guard.unlock();
            }
            Waiter w = new Waiter(owner, false, "any of " + objects.size() + " objects (iwait)");
            waiter = w;
            boolean woke;
            try {
                guard.lock();
                try {
                    if (!ready.isEmpty()) continue;
                } finally {
                    guard.unlock();
                }
                woke = w.await(deadline);
            } finally {
                waiter = null;
            }
            if (!woke) {
                guard.lock();
                try {
                    if (!ready.isEmpty()) return true; // became ready just as time ran out
                } finally {
                    guard.unlock();
                }
                close();
                return false;
            }
        }
    }

    @Override
    public T next() {
        if (!hasNext()) throw new NoSuchElementException("no more ready objects");
        T o;
        guard.lock();
        try {
            o = ready.poll();
        } finally {
            guard.unlock();
        }
        returned++;
        return o;
    }

    /** This iterator itself, so it can be used in a for-each loop once. */
    @Override
    public Iterator<T> iterator() {
        return this;
    }

    /**
     * Unlinks from the objects; iteration ends. Closing twice does nothing. When its links
     * received failures (a {@code joinAll} raising errors), a failed greenlet that became ready
     * but was never returned is reported to its hub's error handler now: nobody else will see it
     * (§6, errors are never lost); one that ends later is reported as it dies, as usual.
     */
    @Override
    public void close() {
        List<T> unreturned;
        guard.lock();
        try {
            if (closed) return;
            closed = true;
            unreturned = receives && !ready.isEmpty() ? new ArrayList<>(ready) : null;
            ready.clear();
        } finally {
            guard.unlock();
        }
        for (int i = 0; i < objects.size(); i++) objects.get(i).unlink(listeners.get(i));
        if (unreturned != null) {
            for (T o : unreturned) {
                if (o instanceof Greenlet<?> g && g.exception() != null) g.hub().report(g, g.exception());
            }
        }
    }
}
