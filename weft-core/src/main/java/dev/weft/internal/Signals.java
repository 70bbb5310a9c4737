package dev.weft.internal;

import dev.weft.GreenletExit;
import dev.weft.Interrupted;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * The signal queue of a {@link Strand}: how kills, expired Timeouts and linked exits reach a
 * greenlet (ARCHITECTURE §5). Every operation is safe from any thread.
 */
public final class Signals {
    private Signals() {}

    /** Queues {@code signal} for {@code s} and wakes it: unparks it in the core, else interrupts it. */
    public static void send(Strand s, Throwable signal) {
        enqueue(s, signal);
        wake(s);
    }

    /** {@link Strand#interruptState}: no interrupt of weft's outstanding. */
    static final int IDLE = 0;
    /** A sender is between deciding to interrupt and {@code Thread.interrupt()}. */
    static final int SENDING = 1;
    /** weft's interrupt has been sent and not yet cleared by the strand. */
    static final int SENT = 2;

    static void wake(Strand s) {
        Thread th = s.thread;
        if (th == null) return; // not running yet: it meets the signal at its first blocking point
        if (s.parkedOn != null) {
            LockSupport.unpark(th);
            return;
        }
        if (th == Thread.currentThread()) return; // delivered at our own next blocking point
        if (INTERRUPT.compareAndSet(s, IDLE, SENDING)) { // else an interrupt is pending already
            if (s.signals != null) {
                th.interrupt(); // it may be blocked in JDK code
                s.interruptState = SENT;
            } else {
                s.interruptState = IDLE; // consumed meanwhile: no interrupt needed
            }
        }
        LockSupport.unpark(th); // and it may be just about to park in the core
    }

    /**
     * On {@code s}'s own thread, leaving the waiting core with signals still queued (a hand-over
     * won, or one signal of several was delivered): a sender that found it parked only unparked
     * it, so interrupt ourselves now, or JDK code that comes next would not see the kill.
     */
    static void armOwnInterrupt(Strand s) {
        for (;;) {
            int st = s.interruptState;
            if (st == SENDING) {
                Thread.yield(); // the sender is a few instructions from done (maybe on our carrier)
                continue;
            }
            if (st == IDLE && !INTERRUPT.compareAndSet(s, IDLE, SENT)) continue;
            Thread.currentThread().interrupt();
            return;
        }
    }

    /** Removes {@code signal} (by identity) if it is still queued; true if it was. */
    public static boolean withdraw(Strand s, Throwable signal) {
        for (;;) {
            Throwable[] cur = s.signals;
            if (cur == null) return false;
            int i = indexOf(cur, signal);
            if (i < 0) return false;
            Throwable[] next = remove(cur, i);
            if (SIGNALS.compareAndSet(s, cur, next)) {
                if (next == null) clearOwnInterrupt(s);
                return true;
            }
        }
    }

    /** True if a signal is queued for {@code s}. */
    public static boolean hasPending(Strand s) {
        return s.signals != null;
    }

    /**
     * At a blocking point that does not park (a yield): throws the first queued signal, if any.
     * Must be called on {@code s}'s own thread.
     */
    public static void deliverPending(Strand s) {
        if (s.signals == null) return;
        Throwable sig = poll(s);
        if (sig != null) throw sneakyThrow(delivered(s, sig));
    }

    /**
     * Takes the first queued signal without throwing it: the outcome of a task that ended with
     * an exception while a kill was queued. Must be called on {@code s}'s own thread.
     */
    public static Throwable takeForOutcome(Strand s) {
        Throwable sig = poll(s);
        if (sig != null && s.signals == null) clearOwnInterrupt(s);
        return sig;
    }

    static void enqueue(Strand s, Throwable signal) {
        for (;;) {
            Throwable[] cur = s.signals;
            Throwable[] next;
            if (cur == null) {
                next = new Throwable[] {signal};
            } else {
                next = java.util.Arrays.copyOf(cur, cur.length + 1);
                next[cur.length] = signal;
            }
            if (SIGNALS.compareAndSet(s, cur, next)) return;
        }
    }

    static Throwable poll(Strand s) {
        for (;;) {
            Throwable[] cur = s.signals;
            if (cur == null) return null;
            if (SIGNALS.compareAndSet(s, cur, remove(cur, 0))) return cur[0];
        }
    }

    static void pushFront(Strand s, Throwable signal) {
        for (;;) {
            Throwable[] cur = s.signals;
            Throwable[] next;
            if (cur == null) {
                next = new Throwable[] {signal};
            } else {
                next = new Throwable[cur.length + 1];
                next[0] = signal;
                System.arraycopy(cur, 0, next, 1, cur.length);
            }
            if (SIGNALS.compareAndSet(s, cur, next)) return;
        }
    }

    /** Prepares a consumed signal to be thrown on {@code s}'s own thread. */
    static Throwable delivered(Strand s, Throwable sig) {
        if (s.signals == null) clearOwnInterrupt(s);
        if (sig instanceof Interrupted) sig.fillInStackTrace(); // its trace is where it was delivered
        return sig;
    }

    /**
     * Called on {@code s}'s thread after it found its interrupt flag set (and cleared it).
     *
     * @return true to go on waiting (the interrupt was weft's own, or a signal is queued that
     *     the core will deliver); false if it was a foreign interrupt on an adopted thread, which
     *     the caller must turn into a {@code CancellationException}
     */
    static boolean onInterrupt(Strand s) {
        if (s.signals != null) return true;
        if (takeSentInterrupt(s)) return true; // a stale interrupt of a signal consumed or withdrawn
        if (s.isAdopted()) {
            Thread.currentThread().interrupt(); // not ours: keep it set for the caller's caller
            return false;
        }
        enqueue(s, new GreenletExit("interrupted by a thread outside weft")); // a foreign interrupt is a kill
        return true;
    }

    private static void clearOwnInterrupt(Strand s) {
        if (s.thread == Thread.currentThread() && takeSentInterrupt(s)) Thread.interrupted();
    }

    /** Waits out a sender in SENDING; true if weft's interrupt was SENT (now taken back to IDLE). */
    private static boolean takeSentInterrupt(Strand s) {
        for (;;) {
            int st = s.interruptState;
            if (st == IDLE) return false;
            if (st == SENDING) {
                Thread.yield();
                continue;
            }
            if (INTERRUPT.compareAndSet(s, SENT, IDLE)) return true;
        }
    }

    private static int indexOf(Throwable[] a, Throwable t) {
        for (int i = 0; i < a.length; i++) if (a[i] == t) return i;
        return -1;
    }

    private static Throwable[] remove(Throwable[] a, int i) {
        if (a.length == 1) return null;
        Throwable[] r = new Throwable[a.length - 1];
        System.arraycopy(a, 0, r, 0, i);
        System.arraycopy(a, i + 1, r, i, a.length - i - 1);
        return r;
    }

    /** Throws {@code t} whatever its static type (signals are never checked exceptions). */
    @SuppressWarnings("unchecked")
    public static <X extends Throwable> RuntimeException sneakyThrow(Throwable t) throws X {
        throw (X) t;
    }

    // VarHandle mechanics
    private static final VarHandle SIGNALS;
    private static final VarHandle INTERRUPT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(Strand.class, MethodHandles.lookup());
            SIGNALS = l.findVarHandle(Strand.class, "signals", Throwable[].class);
            INTERRUPT = l.findVarHandle(Strand.class, "interruptState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
