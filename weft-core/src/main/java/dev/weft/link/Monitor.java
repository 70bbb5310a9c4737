package dev.weft.link;

import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.Linkable;
import dev.weft.Receiver;
import dev.weft.internal.SignalQueue;
import dev.weft.sync.Queue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Consumer;

/**
 * A one-shot watch on a source (Erlang's monitor), made by {@link Links#monitor}: when the
 * source ends it delivers exactly one {@link Down} to its receiver — a queue, a
 * {@link Receiver} or a callback — and never raises anything in anyone. {@link #demonitor()}
 * withdraws it; {@link #demonitor(boolean) demonitor(true)} also takes back a {@code Down}
 * already put in a queue and not yet taken (Erlang's {@code demonitor(Ref, [flush])}).
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class Monitor {
    /*
     * Overview (for maintainers). state, changed by CAS only:
     *   PENDING ──source ends──▶ DELIVERING ──Down handed over──▶ DELIVERED
     *      └──── demonitor ────▶ CANCELLED (the rawlink node is removed)
     * DELIVERING is a few instructions on the notifying thread; a flushing demonitor waits it out,
     * so the Down it removes from the queue is there (LinkMonitorTest).
     */
    private static final int PENDING = 0, DELIVERING = 1, DELIVERED = 2, CANCELLED = 3;

    private final Linkable<?> source;
    private final Object receiver; // a Queue, a Receiver or a Consumer
    private final Consumer<Object> fire = s -> deliver();
    private volatile int state;
    private volatile Down down;

    Monitor(Linkable<?> source, Object receiver) {
        this.source = source;
        this.receiver = receiver;
    }

    Monitor register() {
        source.rawlink(fire);
        return this;
    }

    /**
     * The object watched.
     *
     * @return the source given to {@link Links#monitor}
     */
    public Linkable<?> source() {
        return source;
    }

    /**
     * True once the {@code Down} was handed to the receiver.
     *
     * @return true after delivery (even if a flushing demonitor took it back from a queue later)
     */
    public boolean isDelivered() {
        return state == DELIVERED;
    }

    /**
     * Withdraws the monitor: no {@code Down} is delivered after this returns.
     *
     * @return true if it was pending and is now withdrawn; false if the {@code Down} was delivered
     *     already, or it was withdrawn before
     */
    public boolean demonitor() {
        return demonitor(false);
    }

    /**
     * Withdraws the monitor; with {@code flush}, a {@code Down} it already put in a queue and that
     * nobody has taken yet is removed from the queue too.
     *
     * @param flush also take back a delivered {@code Down} still waiting in the receiving queue
     * @return true if the monitor was pending and is now withdrawn, or its {@code Down} was taken
     *     back from the queue; false otherwise (delivered and taken, delivered to a receiver or a
     *     callback, or withdrawn before)
     */
    public boolean demonitor(boolean flush) {
        for (;;) {
            int s = state;
            if (s == PENDING) {
                if (STATE.compareAndSet(this, PENDING, CANCELLED)) {
                    source.unlink(fire);
                    return true;
                }
            } else if (s == DELIVERING) {
                SignalQueue.pause(); // the notifier is handing the Down over
            } else if (s == DELIVERED) {
                if (!flush || !(receiver instanceof Queue<?> q)) return false;
                Down d = down;
                return q.asBlockingQueue().removeIf(x -> x == d);
            } else {
                return false;
            }
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void deliver() {
        if (!STATE.compareAndSet(this, PENDING, DELIVERING)) return;
        Down d = new Down(source, Links.outcomeOf(source), this);
        down = d;
        try {
            switch (receiver) {
                case Queue q -> {
                    boolean put;
                    try {
                        put = q.tryPut(d);
                    } catch (RuntimeException closed) {
                        put = false;
                    }
                    if (!put) {
                        Hub where = source instanceof Greenlet<?> g ? g.hub() : Hub.current();
                        where.report(source, new IllegalStateException("a monitor's queue refused " + d + " (closed)"));
                    }
                }
                case Receiver r -> r.send(d);
                case Consumer c -> c.accept(d);
                default -> throw new IllegalStateException("unknown receiver " + receiver);
            }
        } finally {
            state = DELIVERED;
        }
    }

    @Override
    public String toString() {
        String s = switch (state) {
            case PENDING -> "pending";
            case DELIVERING -> "delivering";
            case DELIVERED -> "delivered";
            default -> "withdrawn";
        };
        return "Monitor[" + LinkedExited.nameOf(source) + ", " + s + "]";
    }

    // VarHandle mechanics
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Monitor.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
