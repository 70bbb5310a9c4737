package dev.weft.examples.kv;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.net.StreamServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * A Redis-protocol (RESP2) key-value server on a weft {@link StreamServer}: a greenlet per
 * connection parses pipelined commands and hands each batch to the {@link KeyspaceOwner}, which
 * owns the keyspace and the append-only file.
 *
 * <p>Bad input never reaches another connection: a malformed request, a bulk beyond
 * {@code proto-max-bulk-len} or too many arguments is answered with {@code -ERR Protocol error}
 * and the connection closed; a connection whose pending replies pass the output limit is
 * closed; a client that sends half a command and vanishes, or stops reading, is closed by the
 * idle timeout. Each is counted in {@link #stats()}.
 */
public final class KvServer {
    private static final Duration EXPIRE_EVERY = Duration.ofMillis(100);

    private final KvConfig config;
    private final LongSupplier clock;
    private final KvStats stats = new KvStats();
    private StreamServer server;
    private KeyspaceOwner owner;
    private Greenlet<?> processing;
    private final List<Greenlet<?>> tickers = new ArrayList<>();
    private final dev.weft.sync.Event stopping = new dev.weft.sync.Event(); // stop(): the tickers end
    private Aof.Replayed replayed = new Aof.Replayed(0, 0);
    /** For tests: runs when a connection's handler has ended (its counters are final). */
    volatile Runnable afterConnection = () -> {};
    /** For tests: runs after each active expiry cycle. */
    volatile Runnable afterExpireCycle = () -> {};

    /**
     * A server with {@code config}, its expiry times read from {@code clock} (epoch milliseconds).
     *
     * @param config the settings
     * @param clock the time in milliseconds; {@code System::currentTimeMillis} in production
     */
    public KvServer(KvConfig config, LongSupplier clock) {
        this.config = config;
        this.clock = clock;
    }

    /** A server with {@code config} on the wall clock. */
    public KvServer(KvConfig config) {
        this(config, System::currentTimeMillis);
    }

    /** The append-only file's path for a config. */
    static Path aofPath(KvConfig c) {
        return c.dir().resolve("appendonly.aof");
    }

    /**
     * Replays the append-only file (if on), then listens, in greenlets of the current hub.
     *
     * @throws IllegalStateException if asked to listen beyond loopback without {@code requirepass},
     *     or if the append-only file is corrupt before its end
     * @throws UncheckedIOException if the file cannot be read or the port bound
     */
    public void start() {
        if (!config.bind().isLoopbackAddress() && config.requirepass() == null) {
            throw new IllegalStateException("refusing to listen on " + config.bind().getHostAddress()
                    + " without a password: anyone who can reach it could read and write every key. Set requirepass"
                    + " (--requirepass), or bind to loopback (protected mode, as Redis)");
        }
        Keyspace keyspace = new Keyspace(clock);
        Aof aof = null;
        try {
            if (config.appendonly()) {
                Files.createDirectories(config.dir());
                Path file = aofPath(config);
                replayed = load(keyspace, config, file);
                aof = new Aof(file, config.appendfsync());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        owner = new KeyspaceOwner(keyspace, config, stats, aof);
        processing = owner.spawnProcessing();
        tickers.add(Greenlet.spawn(() -> {
            while (!stopping.await(EXPIRE_EVERY)) {
                // a sync call: the next cycle is timed from the end of this one, so a busy
                // keyspace never has cycles piling up in its queue
                owner.sync().activeExpire();
                afterExpireCycle.run();
            }
        }));
        if (aof != null && aof.policy() == Aof.Fsync.EVERYSEC) {
            Aof log = aof;
            tickers.add(Greenlet.spawn(() -> {
                while (!stopping.await(Duration.ofSeconds(1))) {
                    try {
                        log.fsyncIfDirty();
                    } catch (UncheckedIOException e) { // reported, and tried again next second
                        Hub.current().report(this, e);
                    }
                }
            }));
        }
        server = new StreamServer(new InetSocketAddress(config.bind(), config.port()), this::serve, config.maxClients())
                .idleTimeout(config.idleTimeout())
                .backlog(4096);
        server.start();
    }

    /**
     * Replays the append-only {@code file} into {@code keyspace} with the keyspace loading: no
     * key expires in the middle of the replay (Redis's rule while loading), else a key past its
     * time at the restart would be gone for the records after it — a PERSIST that saved it, an
     * INCR's SET — and those would act on a key that was alive when they were logged.
     */
    static Aof.Replayed load(Keyspace keyspace, KvConfig config, Path file) throws IOException {
        Commands loader = new Commands(keyspace, config, new KvStats(), null);
        Session root = new Session(true);
        Reply sink = new Reply(Long.MAX_VALUE);
        keyspace.loading(true);
        try {
            return Aof.replay(file, cmd -> {
                loader.execute(cmd, root, sink);
                sink.reset();
            });
        } finally {
            keyspace.loading(false);
        }
    }

    /** What replaying the append-only file found at start. */
    Aof.Replayed replayed() {
        return replayed;
    }

    /** The bound address (the port chosen when port 0 was asked). */
    public InetSocketAddress address() {
        return server.address();
    }

    /** The counters. */
    public KvStats stats() {
        return stats;
    }

    /** The underlying server (its accept and idle counters). */
    public StreamServer streamServer() {
        return server;
    }

    /** How many keys the keyspace holds, asked of its owner. */
    public int dbsize() {
        return owner.sync().size();
    }

    /**
     * Stops accepting, lets each connection finish the batch it is running (its replies are
     * sent, then it is closed) within {@code grace}, then closes the append-only file after
     * writing and forcing it: nothing acknowledged is lost.
     */
    public void stop(Duration grace) {
        server.stop(grace);
        // the tickers are told, not killed: a kill landing in the everysec ticker's
        // FileChannel.force would close the channel under closeLog (an interrupt closes it)
        stopping.set();
        Greenlets.joinAll(tickers);
        owner.sync().closeLog();
        owner.stopProcessing();
        processing.join();
    }

    private void serve(Socket socket, InetSocketAddress peer) throws IOException {
        try {
            serveConnection(socket);
        } finally {
            afterConnection.run();
        }
    }

    private void serveConnection(Socket socket) throws IOException {
        stats.connections.increment();
        socket.setTcpNoDelay(true);
        InputStream in = socket.getInputStream();
        OutputStream out = socket.getOutputStream();
        Session session = new Session(config.requirepass() == null);
        RespReader reader = new RespReader(config.maxBulk(), config.maxArgs());
        Reply reply = new Reply(config.outputLimit());
        List<byte[][]> commands = new ArrayList<>();
        KeyspaceOwner.Batch batch = new KeyspaceOwner.Batch(commands, session, reply);
        KeyspaceCalls keyspace = owner.sync();
        try {
            while (true) {
                int n = reader.fill(in);
                if (n < 0) {
                    if (reader.hasPartial()) stats.halfCommands.increment();
                    return;
                }
                RespReader.ProtocolError error = null;
                boolean more;
                do {
                    // before AUTH, one command at a time: the reader's stricter limits then end
                    // exactly where the AUTH that lifts them was executed, as in Redis
                    boolean authenticated = session.authenticated;
                    try {
                        reader.parse(commands, authenticated);
                    } catch (RespReader.ProtocolError e) {
                        error = e;
                    }
                    more = !authenticated && !commands.isEmpty();
                    if (!commands.isEmpty()) {
                        keyspace.execute(batch); // one hand-over for the whole pipelined batch
                        commands.clear();
                    }
                } while (more && error == null && !session.quit);
                if (error != null) {
                    switch (error.kind) {
                        case "bulk-too-big" -> stats.bulkTooBig.increment();
                        case "too-many-args" -> stats.tooManyArgs.increment();
                        default -> stats.protocolErrors.increment();
                    }
                    reply.error("ERR " + error.getMessage());
                }
                if (reply.overflowed()) {
                    stats.outputOverflows.increment();
                    return;
                }
                reply.writeTo(out);
                reply.reset();
                if (error != null || session.quit || server.isClosed()) return;
            }
        } catch (java.net.SocketException e) {
            // reset by the client, or closed by the idle sweep: this connection only
            if (reader.hasPartial()) stats.halfCommands.increment();
            stats.resets.increment();
        }
    }

    /** The hub the server runs in (for tests). */
    static Hub hubOf(Greenlet<?> g) {
        return g.hub();
    }
}
