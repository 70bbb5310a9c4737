/**
 * Seeing inside a running program: the greenlet tree ({@link dev.weft.management.GreenletTree},
 * behind {@code Hub.dump()}), a JMX MXBean per hub ({@link dev.weft.management.HubMXBean}) and
 * the registry of open hubs ({@link dev.weft.management.Monitoring}). weft also emits JFR events
 * ({@code dev.weft.GreenletStart}, {@code GreenletEnd}, {@code Kill}, {@code TimeoutFired},
 * {@code ErrorReported}); see docs/observability.md.
 */
package dev.weft.management;
