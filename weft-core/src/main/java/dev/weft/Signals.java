package dev.weft;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Operating-system signals delivered to greenlets (gevent's {@code gevent.signal_handler}): the
 * handler runs in a new greenlet when the process receives the signal.
 *
 * {@snippet :
 * Signals.Registration onTerm = Signals.handle("TERM", () -> server.stop(Duration.ofSeconds(5)));
 * ...
 * onTerm.cancel();                       // the JVM's own TERM handling is back
 * }
 *
 * <ul>
 * <li>Names are the usual ones without {@code SIG}: {@code "TERM"}, {@code "INT"}, {@code "HUP"},
 *     {@code "USR1"}... ({@code "SIGTERM"} is accepted too). Signals the JVM keeps for itself
 *     ({@code QUIT}, {@code USR2} on Linux, {@code KILL}, {@code STOP}...) are refused.</li>
 * <li>Each delivery spawns one greenlet per live registration of the signal, in the hub that was
 *     current when the registration was made, in registration order. A registration whose hub
 *     was closed meanwhile is skipped.</li>
 * <li>While a signal has registrations, the JVM's own handling of it is replaced: {@code INT} and
 *     {@code TERM} no longer end the JVM by themselves (shutdown hooks do not run). When the last
 *     registration of a signal is cancelled, the handling found at the first registration is
 *     put back.</li>
 * <li>Signals reach the JVM through {@code sun.misc.Signal} (module {@code jdk.unsupported}),
 *     the only signal API the JDK has: the JVM's signal thread runs a tiny dispatcher that only
 *     spawns greenlets.</li>
 * </ul>
 *
 * <p>Not to be confused with weft's internal signal queue ({@code dev.weft.internal.SignalQueue}),
 * which delivers kills and timeouts into greenlets. Thread safety: every method may be called
 * from any thread.
 */
public final class Signals {
    private Signals() {}

    /** A handler registered by {@link #handle}; {@link #cancel()} removes it. */
    public interface Registration extends AutoCloseable {
        /**
         * Removes the handler: later deliveries no longer run it. Idempotent.
         *
         * @return true if this call removed it, false if it was cancelled already
         */
        boolean cancel();

        /**
         * True until {@link #cancel()}.
         *
         * @return whether deliveries still run the handler
         */
        boolean isActive();

        /**
         * True if the process was started with this signal ignored and the JVM therefore never
         * delivers it: HUP, INT or TERM inherited as ignored (a background job of a shell ignores
         * INT, {@code nohup} ignores HUP). The registration stands but its handler never runs;
         * the first such registration also says so in the {@code dev.weft} log at WARNING.
         *
         * @return whether deliveries of this signal can never come
         */
        boolean isIgnoredByProcess();

        /**
         * The signal's name, without {@code SIG}.
         *
         * @return for example {@code "TERM"}
         */
        String signal();

        /** {@link #cancel()}, for try-with-resources. */
        @Override
        default void close() {
            cancel();
        }
    }

    /*
     * Overview (for maintainers). One Dispatcher per signal name, installed with
     * sun.misc.Signal.handle at the first registration (keeping the handler it replaced) and
     * restored at the last cancel; all changes under the class lock, deliveries read a
     * copy-on-write list without it. Tests: SignalsTest.
     */
    private static final Map<String, Dispatcher> DISPATCHERS = new HashMap<>();
    private static final System.Logger LOG = System.getLogger("dev.weft");

    /**
     * Runs {@code handler} in a new greenlet of the current hub every time the process receives
     * the signal {@code name}, until the registration is cancelled.
     *
     * @param name the signal's name, e.g. {@code "TERM"}, {@code "INT"}, {@code "HUP"}
     * @param handler what to run; an exception it throws is reported like any greenlet failure
     * @return the registration, to cancel it
     * @throws IllegalArgumentException if the platform has no signal of that name, or the JVM
     *     reserves it for itself
     * @throws NullPointerException if an argument is null
     */
    public static Registration handle(String name, Runnable handler) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(handler, "handler");
        String n = name.toUpperCase(Locale.ROOT);
        if (n.startsWith("SIG")) n = n.substring(3);
        Entry e = new Entry(n, Hub.current(), handler);
        synchronized (Signals.class) {
            Dispatcher d = DISPATCHERS.get(n);
            if (d == null) {
                d = new Dispatcher();
                sun.misc.Signal signal;
                try {
                    signal = new sun.misc.Signal(n);
                    d.previous = sun.misc.Signal.handle(signal, d);
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException("cannot handle signal \"" + name + "\": " + ex.getMessage(), ex);
                }
                if (d.previous == sun.misc.SignalHandler.SIG_IGN && sun.misc.Signal.handle(signal, d) != d) {
                    // the JVM leaves a shutdown signal (HUP, INT, TERM) that the process was started
                    // ignoring ignored, and says so only by handing back SIG_IGN: nothing was installed.
                    // The parent meant it (a background job ignores INT, nohup ignores HUP), so the
                    // registration stands, never delivered, and says so once in the log
                    d.ignoredByProcess = true;
                    LOG.log(System.Logger.Level.WARNING, "signal " + n + " is ignored by this process (it was started"
                            + " that way: a background job ignores INT, nohup ignores HUP), and the JVM does not"
                            + " deliver it: a handler registered for it never runs");
                }
                d.signal = signal;
                DISPATCHERS.put(n, d);
            }
            d.entries.add(e);
            e.ignoredByProcess = d.ignoredByProcess;
        }
        return e;
    }

    private static void remove(Entry e) {
        synchronized (Signals.class) {
            Dispatcher d = DISPATCHERS.get(e.name);
            if (d == null || !d.entries.remove(e) || !d.entries.isEmpty()) return;
            DISPATCHERS.remove(e.name);
            sun.misc.Signal.handle(d.signal, d.previous);
        }
    }

    /** Runs on the JVM's signal thread: spawns one greenlet per registration. */
    private static final class Dispatcher implements sun.misc.SignalHandler {
        final List<Entry> entries = new CopyOnWriteArrayList<>();
        sun.misc.Signal signal;
        sun.misc.SignalHandler previous;
        boolean ignoredByProcess; // set before the dispatcher is published (under the class lock)

        @Override
        public void handle(sun.misc.Signal sig) {
            for (Entry e : new ArrayList<>(entries)) {
                if (!e.active || e.hub.isClosed()) continue;
                try {
                    Greenlet<Void> g = new Greenlet<>(e.hub, e.handler);
                    g.setName("signal-" + e.name);
                    g.start();
                } catch (IllegalStateException closed) {
                    // the hub closed between the check and the spawn: nothing to run it in
                }
            }
        }
    }

    private static final class Entry implements Registration {
        final String name;
        final Hub hub;
        final Runnable handler;
        volatile boolean active = true;
        volatile boolean ignoredByProcess;

        Entry(String name, Hub hub, Runnable handler) {
            this.name = name;
            this.hub = hub;
            this.handler = handler;
        }

        @Override
        public boolean cancel() {
            synchronized (this) {
                if (!active) return false;
                active = false;
            }
            remove(this);
            return true;
        }

        @Override
        public boolean isActive() {
            return active;
        }

        @Override
        public boolean isIgnoredByProcess() {
            return ignoredByProcess;
        }

        @Override
        public String signal() {
            return name;
        }

        @Override
        public String toString() {
            return "Signals.Registration[" + name + (active ? "" : ", cancelled") + "]";
        }
    }
}
