package dev.weft.internal;

import dev.weft.GreenletExit;
import dev.weft.Interrupted;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * The signal queue of a {@link Strand}: how kills, expired Timeouts and linked exits reach a
 * greenlet (ARCHITECTURE §5). Every operation is safe from any thread.
 *
 * <h2>Overview (for maintainers)</h2>
 * A queue entry is a {@link Throwable} (a kill: thrown as is) or a {@link Token} (a Timeout's
 * expiry: thrown as {@link Token#throwable()}, withdrawn by the token's identity, so a kill and
 * a Timeout that share one exception instance never withdraw each other).
 *
 * <p>weft interrupts a strand's thread only because a signal is queued (it may be blocked in JDK
 * code), and takes the interrupt back when the queue empties. Two fields carry this:
 * {@code signals} and {@code interruptState} (IDLE / SENDING / SENT). The invariant, restored by
 * the owner in {@link #settle} whenever it leaves weft's code: <em>queue non-empty ⇒ interrupt
 * set (state SENT); queue empty ⇒ no interrupt of weft's set (state IDLE)</em>. Senders only
 * ever add an interrupt (IDLE or SENT → SENDING → SENT, re-interrupting a SENT strand, whose
 * flag JDK code may have consumed); only the owner clears one, and every owner step re-checks
 * the queue after acting, so a signal that arrives in the gap is never left without an
 * interrupt (the check-then-act of a single test is what lost kills). A thread other than the
 * owner cannot clear the owner's interrupt, so it may withdraw a signal only when that leaves
 * no interrupt of weft's behind ({@link #withdraw}).
 */
public final class SignalQueue {
    private SignalQueue() {}

    /** A queue entry that stands for a throwable it names only when delivered (a Timeout's start). */
    public interface Token {
        /** What to throw when this entry is delivered. */
        Throwable throwable();
    }

    /**
     * Queues {@code signal} (a {@link Throwable} or a {@link Token}) for {@code s} and wakes it:
     * unparks it in the core, else interrupts it.
     */
    public static void send(Strand s, Object signal) {
        Objects.requireNonNull(signal, "signal");
        enqueue(s, signal);
        wake(s);
    }

    /**
     * {@link #send} for a kill (never withdrawn): if {@code s} is parked in the core and its wait
     * is still undecided, the kill decides it now — cancels the waiter, so a hand-over that comes
     * after the kill (an unlock, a release, a put) passes it over, as gevent's and Shrapnel's
     * scheduled throw does. A hand-over that came first still wins, and the kill waits for the
     * next blocking point. (Timeouts and linked exits may be withdrawn, so they keep {@link #send}:
     * a wait they cancelled could not go on.)
     */
    public static void sendKill(Strand s, Throwable kill) {
        Objects.requireNonNull(kill, "kill");
        enqueue(s, kill);
        Waiter w = s.parkedOn; // read after the enqueue: the Dekker handshake with the parker
        if (w != null) w.tryCancel();
        wake(s);
    }

    /** {@link Strand#interruptState}: no interrupt of weft's outstanding. */
    static final int IDLE = 0;
    /** A sender is between deciding to interrupt and {@code Thread.interrupt()}. */
    static final int SENDING = 1;
    /** weft's interrupt has been sent and not yet taken back by the strand. */
    static final int SENT = 2;

    static void wake(Strand s) {
        Thread th = s.thread;
        if (th == null) return; // not running yet: it meets the signal at its first blocking point
        if (s.parkedOn != null) {
            LockSupport.unpark(th);
            return;
        }
        if (th == Thread.currentThread()) return; // delivered at our own next blocking point
        for (;;) {
            int st = s.interruptState;
            if (st == SENDING) { // another sender's interrupt is on its way: let it land, then look again
                pause();
                continue;
            }
            // IDLE: interrupt; SENT: interrupt again (JDK code may have consumed the first one)
            if (INTERRUPT.compareAndSet(s, st, SENDING)) {
                if (s.signals != null) {
                    th.interrupt(); // it may be blocked in JDK code
                    s.interruptState = SENT;
                } else {
                    s.interruptState = st; // consumed meanwhile: no interrupt needed
                }
                break;
            }
        }
        LockSupport.unpark(th); // and it may be just about to park in the core
    }

    /**
     * On {@code s}'s own thread, as it leaves weft's code (a wait ended, a signal was taken):
     * makes its interrupt flag agree with its queue — set while a signal is queued (JDK code that
     * comes next must see the kill), taken back when none is. Loops until both agree, so a signal
     * that arrives or is withdrawn meanwhile is accounted for.
     */
    static void settle(Strand s) {
        for (;;) {
            int st = s.interruptState;
            if (st == SENDING) {
                pause(); // a sender is a few instructions from done (maybe on our carrier)
                continue;
            }
            if (s.signals != null) {
                if (st == IDLE && !INTERRUPT.compareAndSet(s, IDLE, SENT)) continue;
                Thread.currentThread().interrupt();
                if (s.signals != null) return; // still justified
            } else {
                if (st == IDLE) return;
                if (!INTERRUPT.compareAndSet(s, SENT, IDLE)) continue;
                Thread.interrupted();
                if (s.signals == null) return; // nothing arrived in the gap
            }
        }
    }

    /** True if {@code s}'s own thread must {@link #settle} as it leaves weft's code. */
    static boolean unsettled(Strand s) {
        return s.signals != null || s.interruptState != IDLE;
    }

    /**
     * Removes {@code signal} (the very entry that was sent, by identity) if it is still queued.
     * On a thread other than {@code s}'s, a withdrawal that would leave weft's interrupt set on
     * {@code s} (which only {@code s} itself can clear) is refused: the signal stays queued.
     *
     * @return true if it was withdrawn
     */
    public static boolean withdraw(Strand s, Object signal) {
        boolean own = s.thread == Thread.currentThread();
        for (;;) {
            Object[] cur = s.signals;
            if (cur == null) return false;
            int i = indexOf(cur, signal);
            if (i < 0) return false;
            Object[] next = remove(cur, i);
            if (!own && next == null && s.interruptState != IDLE) return false; // its interrupt is out
            if (SIGNALS.compareAndSet(s, cur, next)) {
                if (own) settle(s);
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
        if (s.signals == null && s.interruptState == IDLE) foreignInterruptIsAKill(s);
        if (s.signals == null) {
            if (s.interruptState != IDLE) settle(s); // a stale interrupt of a signal withdrawn
            return;
        }
        Object sig = poll(s);
        if (sig != null) throw sneakyThrow(delivered(s, sig));
        settle(s);
    }

    /**
     * Takes the first queued signal without throwing it: the outcome of a task that ended with
     * an exception while a kill was queued. Must be called on {@code s}'s own thread.
     */
    public static Throwable takeForOutcome(Strand s) {
        Object sig = poll(s);
        if (unsettled(s)) settle(s);
        return sig == null ? null : unwrap(sig);
    }

    static void enqueue(Strand s, Object signal) {
        for (;;) {
            Object[] cur = s.signals;
            Object[] next;
            if (cur == null) {
                next = new Object[] {signal};
            } else {
                next = java.util.Arrays.copyOf(cur, cur.length + 1);
                next[cur.length] = signal;
            }
            if (SIGNALS.compareAndSet(s, cur, next)) return;
        }
    }

    static Object poll(Strand s) {
        for (;;) {
            Object[] cur = s.signals;
            if (cur == null) return null;
            if (SIGNALS.compareAndSet(s, cur, remove(cur, 0))) return cur[0];
        }
    }

    static void pushFront(Strand s, Object signal) {
        for (;;) {
            Object[] cur = s.signals;
            Object[] next;
            if (cur == null) {
                next = new Object[] {signal};
            } else {
                next = new Object[cur.length + 1];
                next[0] = signal;
                System.arraycopy(cur, 0, next, 1, cur.length);
            }
            if (SIGNALS.compareAndSet(s, cur, next)) return;
        }
    }

    /** Prepares a consumed signal to be thrown on {@code s}'s own thread. */
    static Throwable delivered(Strand s, Object entry) {
        settle(s);
        Throwable sig = unwrap(entry);
        if (sig instanceof Interrupted) sig.fillInStackTrace(); // its trace is where it was delivered
        s.lastDelivered = sig;
        return sig;
    }

    /**
     * On {@code s}'s own thread: true if {@code t} is the signal the core last threw in it (a
     * kill, a Timeout's expiry, a linked exit) — not an exception of the same type that code
     * threw or passed on (a nested call's {@code Timeout}, a callee's failure rethrown).
     *
     * @param s the current strand
     * @param t the throwable in hand
     * @return whether {@code t} reached {@code s} as a signal
     */
    public static boolean wasDelivered(Strand s, Throwable t) {
        return t != null && s.lastDelivered == t;
    }

    private static Throwable unwrap(Object entry) {
        return entry instanceof Throwable t ? t : ((Token) entry).throwable();
    }

    /**
     * On {@code s}'s own thread, at a blocking point that does not park (an expired wait, a
     * yield): a greenlet's interrupt flag set from outside weft is a kill here too, as in a wait
     * that parks; an adopted thread's stays set for its caller.
     */
    static void foreignInterruptIsAKill(Strand s) {
        if (!s.isAdopted() && s.thread == Thread.currentThread() && Thread.interrupted()) onInterrupt(s);
    }

    /**
     * Called on {@code s}'s thread after it found its interrupt flag set (and cleared it).
     *
     * @return true to go on waiting (the interrupt was weft's own, or a signal is queued that
     *     the core will deliver); false if it was a foreign interrupt on an adopted thread, which
     *     the caller must turn into a {@code CancellationException}
     */
    static boolean onInterrupt(Strand s) {
        // weft's own (a signal is queued, or its interrupt is outstanding: the state stays SENT
        // so that settle() takes it back when the wait ends, whatever arrives meanwhile)
        if (s.signals != null || s.interruptState != IDLE) return true;
        if (s.isAdopted()) {
            Thread.currentThread().interrupt(); // not ours: keep it set for the caller's caller
            return false;
        }
        enqueue(s, new GreenletExit("interrupted by a thread outside weft")); // a foreign interrupt is a kill
        return true;
    }

    /**
     * Waits a moment for another thread that is a few instructions from done: yields a virtual
     * thread (its carrier may be the one the other needs), spins a platform thread.
     */
    public static void pause() {
        if (Thread.currentThread().isVirtual()) Thread.yield();
        else Thread.onSpinWait();
    }

    private static int indexOf(Object[] a, Object t) {
        for (int i = 0; i < a.length; i++) if (a[i] == t) return i;
        return -1;
    }

    private static Object[] remove(Object[] a, int i) {
        if (a.length == 1) return null;
        Object[] r = new Object[a.length - 1];
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
            SIGNALS = l.findVarHandle(Strand.class, "signals", Object[].class);
            INTERRUPT = l.findVarHandle(Strand.class, "interruptState", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
