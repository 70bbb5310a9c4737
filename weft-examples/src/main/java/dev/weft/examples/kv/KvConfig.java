package dev.weft.examples.kv;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The server's settings, with Redis's names where Redis has the setting.
 *
 * @param bind the address to listen on (default loopback; another one needs {@code requirepass})
 * @param port the TCP port; 0 picks a free one
 * @param requirepass the password clients must {@code AUTH} with; null: none
 * @param dir where the append-only file lives
 * @param appendonly whether writes are logged to {@code dir/appendonly.aof} and replayed on start
 * @param appendfsync when the log is flushed to disk
 * @param maxBulk the longest bulk string accepted ({@code proto-max-bulk-len}, default 512 MB)
 * @param maxArgs the most arguments one command may have
 * @param outputLimit the most reply bytes pending for one connection before it is closed
 * @param idleTimeout a connection stuck in one read or write this long is closed ({@code timeout})
 * @param maxClients the most connections served at once ({@code maxclients}); more wait in the backlog
 */
public record KvConfig(InetAddress bind, int port, String requirepass, Path dir, boolean appendonly,
        Aof.Fsync appendfsync, long maxBulk, int maxArgs, long outputLimit, Duration idleTimeout,
        int maxClients) {

    /**
     * The defaults: Redis's where Redis has the setting (loopback, port 6379, no password, no AOF,
     * {@code appendfsync everysec}, 512 MB bulks, 10,000 clients) except {@code timeout}: 300 s
     * here, where Redis's is 0 (never), because the idle timeout is what closes a client that
     * stopped mid-command or stopped reading. Limits of this server's own: 1M arguments a
     * command, 256 MB of pending replies a connection.
     */
    public static KvConfig defaults() {
        return new KvConfig(InetAddress.getLoopbackAddress(), 6379, null, Path.of("."), false,
                Aof.Fsync.EVERYSEC, 512L * 1024 * 1024, 1024 * 1024, 256L * 1024 * 1024,
                Duration.ofSeconds(300), 10_000);
    }

    /** This config on another port. */
    public KvConfig withPort(int p) {
        return new KvConfig(bind, p, requirepass, dir, appendonly, appendfsync, maxBulk, maxArgs, outputLimit, idleTimeout, maxClients);
    }

    /** This config with an append-only file in {@code d} under {@code fsync}. */
    public KvConfig withAof(Path d, Aof.Fsync fsync) {
        return new KvConfig(bind, port, requirepass, d, true, fsync, maxBulk, maxArgs, outputLimit, idleTimeout, maxClients);
    }

    /** This config with other input and output limits. */
    public KvConfig withLimits(long bulk, int args, long output) {
        return new KvConfig(bind, port, requirepass, dir, appendonly, appendfsync, bulk, args, output, idleTimeout, maxClients);
    }

    /** This config with another idle timeout. */
    public KvConfig withIdleTimeout(Duration d) {
        return new KvConfig(bind, port, requirepass, dir, appendonly, appendfsync, maxBulk, maxArgs, outputLimit, d, maxClients);
    }

    /** This config listening on {@code address} with {@code password}. */
    public KvConfig withBind(InetAddress address, String password) {
        return new KvConfig(address, port, password, dir, appendonly, appendfsync, maxBulk, maxArgs, outputLimit, idleTimeout, maxClients);
    }
}
