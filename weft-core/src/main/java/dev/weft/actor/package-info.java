/**
 * Deferred-call handlers (gevent_async's {@code DeferredCallHandler}): an object whose methods
 * any greenlet may call, run in the handler's own greenlet at points it chooses, through
 * {@code sync()} (wait for the result) and {@code oneway()} (fire and forget) views of a Java
 * interface. See {@link dev.weft.actor.DeferredCallHandler} and {@code docs/actors.md}.
 */
package dev.weft.actor;
