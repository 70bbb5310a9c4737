package dev.weft.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * weft's JFR event types (names {@code dev.weft.*}, category "weft"), emitted by
 * {@link Telemetry}. Only {@code jdk.jfr}: no dependency. Greenlet start and end are disabled by
 * default (the JDK's own {@code jdk.VirtualThreadStart}/{@code End} are too: one per task is a
 * lot of events); kills, timeouts that fired and reported errors are enabled.
 */
final class WeftEvents {
    private WeftEvents() {}

    @Name("dev.weft.GreenletStart")
    @Label("Greenlet Start")
    @Category("weft")
    @Description("A greenlet's body starts running, on its own thread")
    @Enabled(false)
    @StackTrace(false)
    static final class GreenletStart extends Event {
        @Label("Hub") String hub;
        @Label("Greenlet Id") long greenletId;
        @Label("Parent Id") @Description("The id of the spawner in the same hub; 0 if none") long parentId;
        @Label("Name") String name;
    }

    @Name("dev.weft.GreenletEnd")
    @Label("Greenlet End")
    @Category("weft")
    @Description("A greenlet ended: with a value, failed or killed (also killed before it started)")
    @Enabled(false)
    @StackTrace(false)
    static final class GreenletEnd extends Event {
        @Label("Hub") String hub;
        @Label("Greenlet Id") long greenletId;
        @Label("Parent Id") long parentId;
        @Label("Name") String name;
        @Label("Outcome") @Description("value, failed or killed") String outcome;
        @Label("Exception") @Description("The failure's or the exit's class; null for a value") String exceptionType;
        @Label("Run Time")
        @Description("From the start of its body to its end; Long.MIN_VALUE if unknown (it never ran, or the event was off when it started)")
        @Timespan(Timespan.NANOSECONDS) long runTime;
    }

    @Name("dev.weft.Kill")
    @Label("Greenlet Kill")
    @Category("weft")
    @Description("A kill was sent to a live greenlet (the stack trace is the sender's)")
    static final class Kill extends Event {
        @Label("Hub") String hub;
        @Label("Sender Id") @Description("0 for a thread weft did not start") long senderId;
        @Label("Sender") String sender;
        @Label("Target Id") long targetId;
        @Label("Target") String target;
        @Label("Exception") String exceptionType;
    }

    @Name("dev.weft.TimeoutFired")
    @Label("Timeout Fired")
    @Category("weft")
    @Description("A Timeout expired and queued its signal for its greenlet")
    @StackTrace(false)
    static final class TimeoutFired extends Event {
        @Label("Hub") String hub;
        @Label("Greenlet Id") long greenletId;
        @Label("Greenlet") String greenlet;
        @Label("Timeout") @Timespan(Timespan.NANOSECONDS) long timeout;
        @Label("Exception") @Description("What it raises: Timeout itself or the exception given") String exceptionType;
    }

    @Name("dev.weft.ErrorReported")
    @Label("Error Reported")
    @Category("weft")
    @Description("A failure nobody received was handed to the hub's error handler")
    @StackTrace(false)
    static final class ErrorReported extends Event {
        @Label("Hub") String hub;
        @Label("Source") String source;
        @Label("Exception") String exceptionType;
        @Label("Message") String message;
    }

    @Name("dev.weft.PoolAdmissionWait")
    @Label("Pool Admission Wait")
    @Category("weft")
    @Description("A spawn waited for a free slot of a full Pool (the event's duration is the wait)")
    @Threshold("10 ms")
    @StackTrace(false)
    static final class PoolAdmissionWait extends Event {
        @Label("Hub") String hub;
        @Label("Pool") String pool;
        @Label("Capacity") int capacity;
        @Label("Admitted") @Description("false: the wait ended without a slot (a timeout or a kill)") boolean admitted;
    }

    @Name("dev.weft.LinkedExitDelivered")
    @Label("Linked Exit Delivered")
    @Category("weft")
    @Description("A linked source ended and its exit was queued for the linked greenlet (raised at its next blocking point)")
    @StackTrace(false)
    static final class LinkedExitDelivered extends Event {
        @Label("Hub") String hub;
        @Label("Target Id") long targetId;
        @Label("Target") String target;
        @Label("Source") String source;
        @Label("Outcome") @Description("value, failed or killed: LinkedCompleted, LinkedFailed or LinkedKilled") String outcome;
    }

    @Name("dev.weft.HandlerCall")
    @Label("Handler Call")
    @Category("weft")
    @Description("A deferred-call handler ran a queued call (the event's duration is the run time)")
    @Enabled(false)
    @StackTrace(false)
    static final class HandlerCall extends Event {
        @Label("Hub") String hub;
        @Label("Handler") String handler;
        @Label("Method") String method;
        @Label("One-way") boolean oneway;
        @Label("Queue Wait") @Description("From the call's queuing to its start; Long.MIN_VALUE if the event was off when it was queued")
        @Timespan(Timespan.NANOSECONDS) long queueWait;
        @Label("Failed") boolean failed;
    }

    @Name("dev.weft.StateTransition")
    @Label("State Transition")
    @Category("weft")
    @Description("A state machine moved from one state to the next")
    @StackTrace(false)
    static final class StateTransition extends Event {
        @Label("Hub") String hub;
        @Label("Machine") String machine;
        @Label("From") String from;
        @Label("To") String to;
        @Label("Arguments") int arguments;
    }
}
