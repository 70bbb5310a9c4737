package dev.weft.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InaccessibleObjectException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The one place weft reaches into the JDK: virtual threads on a scheduler of weft's own.
 *
 * <p>JDK 25 has no public API for a virtual-thread scheduler. The route the JDK's own tests use
 * is the package-private constructor {@code java.lang.ThreadBuilders$VirtualThreadBuilder(Executor)},
 * reached by reflection, which needs {@code java.lang} opened to weft: on the class path
 * {@code --add-opens java.base/java.lang=ALL-UNNAMED}, with weft on the module path
 * {@code --add-opens java.base/java.lang=dev.weft}. Without it, {@link #factory} fails at once
 * with an exception naming the exact flag.
 *
 * <p>Traps of this route (ARCHITECTURE §2): the scheduler's {@code execute} is called with the
 * continuation pinned, so it must not take a lock a virtual thread of the same carrier could
 * hold; no spare carrier is ever added (blocking file I/O, DNS and pinned native frames stall
 * the carrier); JDK timed parks ({@code Thread.sleep}) run in real time on the JDK's own timers.
 */
public final class VirtualThreads {
    private VirtualThreads() {}

    /**
     * How many carriers the JDK's default virtual-thread scheduler runs: its
     * {@code jdk.virtualThreadScheduler.parallelism} system property when that is a positive
     * number (as the JDK reads it when it makes the scheduler), else the available processors.
     *
     * @return at least 1
     */
    public static int defaultSchedulerParallelism() {
        int cpus = Runtime.getRuntime().availableProcessors();
        String s = System.getProperty("jdk.virtualThreadScheduler.parallelism");
        if (s == null) return cpus;
        try {
            int n = Integer.parseInt(s.trim());
            return n > 0 ? n : cpus;
        } catch (NumberFormatException e) {
            return cpus; // the JDK refuses it when it makes the scheduler; nothing to decide here
        }
    }

    private static final class Holder {
        static final Constructor<?> BUILDER;
        static final RuntimeException FAILURE;

        static {
            startJdkPollersOnThePlatform();
            Constructor<?> k = null;
            RuntimeException failure = null;
            try {
                Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
                k = c.getDeclaredConstructor(Executor.class);
                k.setAccessible(true);
            } catch (InaccessibleObjectException | ReflectiveOperationException | SecurityException e) {
                failure = new IllegalStateException("weft's single-carrier hubs need the JDK's virtual-thread "
                        + "builder with a custom scheduler, which is closed to weft: run the JVM with "
                        + requiredFlag(), e);
                k = null;
            }
            BUILDER = k;
            FAILURE = failure;
        }
    }

    /**
     * Starts the JDK's I/O pollers from a platform thread, before the first virtual thread of a
     * custom scheduler exists. The JDK starts them lazily, at the first socket wait of a virtual
     * thread, as virtual threads ({@code SubPoller-N}, JDK 25's default poller mode on Linux); a
     * virtual thread created from another one inherits its scheduler, so when that first wait
     * was in a single-carrier hub's greenlet, the pollers ran on that hub's carrier and died
     * with it: every later socket wait of the JVM's virtual threads then hung forever (found by
     * {@code StreamServerTest} after the cooperative hubs of other tests had closed). Started
     * here from a platform thread, they get the JDK's default scheduler.
     */
    private static void startJdkPollersOnThePlatform() {
        Thread t = Thread.ofPlatform().daemon().name("weft-poller-init").start(() -> {
            try {
                Class.forName("sun.nio.ch.Poller", true, null); // its static initializer starts them
            } catch (ClassNotFoundException | LinkageError e) {
                // another JDK: no such class; nothing to start early
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** The JVM flag that opens {@code java.lang} to weft, for where weft is loaded from. */
    public static String requiredFlag() {
        Module m = VirtualThreads.class.getModule();
        return "--add-opens java.base/java.lang=" + (m.isNamed() ? m.getName() : "ALL-UNNAMED");
    }

    /**
     * A factory of virtual threads scheduled by {@code scheduler}.
     *
     * @throws IllegalStateException naming the missing {@code --add-opens} flag, if the JDK's
     *     builder is not accessible
     */
    public static ThreadFactory factory(Executor scheduler) {
        if (Holder.FAILURE != null) throw Holder.FAILURE;
        try {
            return ((Thread.Builder.OfVirtual) Holder.BUILDER.newInstance(scheduler)).factory();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create a virtual-thread builder with a custom scheduler", e);
        }
    }
}
