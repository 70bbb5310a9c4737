/**
 * Networking on greenlets (gevent's {@code gevent.server}): {@link dev.weft.net.StreamServer}
 * accepts TCP connections and runs a handler for each in its own greenlet, with admission
 * through a {@link dev.weft.pool.Pool}, a per-connection idle timeout, optional TLS and a
 * graceful stop. See {@code docs/server.md}.
 */
package dev.weft.net;
