package dev.weft.internal;

import dev.weft.Hub;
import dev.weft.management.Monitoring;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Registers and unregisters the hubs' MXBeans on one background platform thread, in the order
 * the hubs were made and closed, so a hub's constructor never waits for the platform MBean server
 * (whose first start takes a fraction of a second). A platform thread, not a virtual one: a
 * virtual thread started from a greenlet of a cooperative or simulated hub would inherit that
 * hub's one carrier (stalling it, taking a turn in a simulated hub's seeded order, and stranded
 * if that hub closes). A hub unregisters only the MBean it registered itself. Off with
 * {@code -Ddev.weft.jmx=false}.
 */
public final class Jmx {
    private Jmx() {}

    private static final boolean ENABLED = !"false".equalsIgnoreCase(System.getProperty("dev.weft.jmx"));
    private static final System.Logger LOG = System.getLogger("dev.weft");
    private static final ConcurrentLinkedQueue<Runnable> QUEUE = new ConcurrentLinkedQueue<>();
    private static final AtomicBoolean DRAINING = new AtomicBoolean();
    /** The MBeans this copy of weft registered, by hub: only those are unregistered. */
    private static final java.util.Map<Hub, ObjectName> OURS = new java.util.concurrent.ConcurrentHashMap<>();

    static void register(HubCore hub) {
        if (!ENABLED) return;
        enqueue(() -> {
            Hub h = (Hub) hub;
            if (h.isClosed()) return; // closed before we got to it: its unregistration follows
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = Monitoring.objectName(h);
            try {
                server.registerMBean(new HubMonitor(h), name);
                OURS.put(h, name);
            } catch (InstanceAlreadyExistsException e) {
                LOG.log(Level.DEBUG, "weft: an MBean named {0} exists already", name);
            } catch (Exception e) {
                LOG.log(Level.WARNING, "weft: could not register " + name, e);
            }
        });
    }

    static void unregister(HubCore hub) {
        if (!ENABLED) return;
        enqueue(() -> {
            ObjectName name = OURS.remove((Hub) hub);
            if (name == null) return; // never registered by this hub (closed first, or the name was taken)
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            try {
                server.unregisterMBean(name);
            } catch (InstanceNotFoundException e) {
                // never registered (closed before its registration ran)
            } catch (Exception e) {
                LOG.log(Level.WARNING, "weft: could not unregister " + name, e);
            }
        });
    }

    private static void enqueue(Runnable task) {
        QUEUE.add(task);
        if (DRAINING.compareAndSet(false, true)) Thread.ofPlatform().daemon().name("weft-jmx").start(Jmx::drain);
    }

    private static void drain() {
        for (;;) {
            for (Runnable r; (r = QUEUE.poll()) != null; ) {
                try {
                    r.run();
                } catch (Throwable t) {
                    LOG.log(Level.WARNING, "weft: JMX registration failed", t);
                }
            }
            DRAINING.set(false);
            // a task queued after our last poll and before the flag cleared found the flag set
            if (QUEUE.isEmpty() || !DRAINING.compareAndSet(false, true)) return;
        }
    }

    /**
     * Waits until every registration queued before the call has run.
     *
     * @throws IllegalStateException if interrupted (the flag is set again)
     */
    public static void awaitQueued() {
        if (!ENABLED) return;
        CountDownLatch done = new CountDownLatch(1);
        enqueue(done::countDown);
        try {
            done.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for JMX registrations", e);
        }
    }
}
