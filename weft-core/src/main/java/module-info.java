/**
 * weft: gevent's and Shrapnel's way of writing concurrent programs, on Java virtual threads.
 *
 * <p>{@code dev.weft} holds greenlets, hubs, timeouts and the signal family; {@code dev.weft.sync}
 * the events and results greenlets hand work through; {@code dev.weft.pool} groups and pools of
 * greenlets; {@code dev.weft.link} proc.py's links, monitors and trap-exit; {@code dev.weft.coro}
 * Shrapnel's coroutine API (suspend/resume, inParallel, its exceptions); {@code dev.weft.actor}
 * deferred-call handlers; {@code dev.weft.state} state machines whose states are greenlets;
 * {@code dev.weft.net} the TCP {@code StreamServer}; {@code dev.weft.management} the greenlet
 * tree, the hubs' JMX MXBeans and the registry of open hubs (weft also emits JFR events:
 * docs/observability.md). {@code dev.weft.internal} (the waiting core,
 * the signal queue, the timers) is not exported.
 */
module dev.weft {
    exports dev.weft;
    exports dev.weft.sync;
    exports dev.weft.pool;
    exports dev.weft.link;
    exports dev.weft.coro;
    exports dev.weft.actor;
    exports dev.weft.state;
    exports dev.weft.net;
    exports dev.weft.management;

    requires java.management; // the hubs' MXBeans (dev.weft.management)
    requires jdk.jfr; // weft's JFR events (dev.weft.internal.WeftEvents)
    // sun.misc.Signal, the JDK's only API for OS signals (dev.weft.Signals); jdk.unsupported is
    // in every JDK image and exports it to any module that requires it
    requires jdk.unsupported;
}
