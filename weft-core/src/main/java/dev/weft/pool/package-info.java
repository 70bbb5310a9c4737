/**
 * Groups and pools of greenlets (gevent's {@code gevent.pool}, proc.py's {@code Pool}):
 * {@link dev.weft.pool.Group} tracks, joins and kills a set of greenlets and runs gevent's
 * apply/map family over it; {@link dev.weft.pool.Pool} bounds how many run at once and is
 * usable as a JDK {@code ExecutorService}; {@link dev.weft.pool.Group#scoped()} makes a
 * nursery-style group for try-with-resources. See {@code docs/pool.md}.
 */
package dev.weft.pool;
