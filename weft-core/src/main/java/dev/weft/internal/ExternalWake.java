package dev.weft.internal;

/**
 * Marks what a {@link Waiter} waits on when its wake-up comes from outside the hub (a process
 * exit reported by the JDK): a simulated hub then waits for it in real time, as for a greenlet
 * blocked in JDK code, instead of moving virtual time past it or declaring a deadlock.
 */
public interface ExternalWake {}
