/**
 * weft: gevent's and Shrapnel's way of writing concurrent programs, on Java virtual threads.
 *
 * <p>{@code dev.weft} holds greenlets, hubs, timeouts and the signal family; {@code dev.weft.sync}
 * the events and results greenlets hand work through; {@code dev.weft.pool} groups and pools of
 * greenlets; {@code dev.weft.actor} deferred-call handlers; {@code dev.weft.state} state
 * machines whose states are greenlets; {@code dev.weft.net} the TCP {@code StreamServer}.
 * {@code dev.weft.internal} (the waiting core,
 * the signal queue, the timers) is not exported.
 */
module dev.weft {
    // sun.misc.Signal, the JDK's only API for OS signals (dev.weft.Signals); jdk.unsupported is
    // in every JDK image and exports it to any module that requires it
    requires jdk.unsupported;
    exports dev.weft;
    exports dev.weft.sync;
    exports dev.weft.pool;
    exports dev.weft.actor;
    exports dev.weft.net;
}
