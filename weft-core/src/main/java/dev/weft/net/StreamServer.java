package dev.weft.net;

import dev.weft.CheckedRunnable;
import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.Interrupted;
import dev.weft.pool.Pool;
import dev.weft.sync.Event;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A TCP server that runs a handler for every connection in its own greenlet (gevent's
 * {@code gevent.server.StreamServer}).
 *
 * {@snippet :
 * StreamServer server = new StreamServer(new InetSocketAddress("127.0.0.1", 0), (socket, peer) -> {
 *     socket.getInputStream().transferTo(socket.getOutputStream());   // an echo server
 * }, 1_000);                                      // at most 1,000 connections served at once
 * server.start();
 * int port = server.address().getPort();          // port 0 bound a free one
 * ...
 * server.stop(Duration.ofSeconds(5));             // handlers get 5 s to finish, then are killed
 * }
 *
 * <h2>Semantics</h2>
 * <ul>
 * <li><b>Spawn policy.</b> Handlers run in greenlets of a {@link Pool}: an unbounded one, a new
 *     one of a given size, or one you give (gevent's {@code spawn=}). The server's greenlets (the
 *     accept loop, the idle sweep, the handlers) belong to the hub current when {@link #start()}
 *     is called; the pool's greenlet factory is not used.</li>
 * <li><b>Admission before accept.</b> The accept loop waits for a free pool slot
 *     ({@link Pool#waitAvailable}) <em>before</em> it accepts: while the pool is full the server
 *     accepts nothing and new connections wait in the kernel's backlog ({@link #backlog(int)}),
 *     as gevent's server checks {@code full()} before it accepts. The pool holds no placeholder
 *     meanwhile: an idle server's pool is empty, and joining or killing a shared pool does not
 *     touch the accept loop. A slot is taken when a connection is accepted (on a shared pool
 *     that may wait a little longer, if other work took the slot first) and released when its
 *     handler ends.</li>
 * <li><b>Accept errors</b> (too many open files, a connection reset during accept) are reported
 *     to the hub's error handler and counted ({@link #acceptErrors()}); the loop backs off (10 ms,
 *     doubling up to 1 s, reset by the next success) and goes on. So does a connection that
 *     cannot be handed to a handler (the pool was closed, the hub is closing): it is closed,
 *     reported and counted there too (gevent's {@code test_error_in_spawn}). The listening socket
 *     closed under the server (not by {@link #stop}) is fatal, as gevent's {@code EBADF}: the
 *     server stops itself.</li>
 * <li><b>A handler that throws</b> is reported to the hub's error handler and counted
 *     ({@link #handlerErrors()}); its socket is closed, the server keeps serving. Whatever way a
 *     handler ends, its socket is closed after it, also when it was killed before it ran
 *     (a kill of a shared pool). A handler killed by anyone (not only by {@link #stop}) in socket
 *     I/O ends killed, not with the {@link SocketException} the JDK's interrupt makes.</li>
 * <li><b>Idle timeout</b> ({@link #idleTimeout(Duration)}): a connection whose handler has been
 *     blocked in one read or one write of the socket for longer is closed; the blocked call
 *     throws a {@link SocketException}, which ends the handler quietly (counted in
 *     {@link #idleClosed()}, not reported). No timer is armed per read: each read and write
 *     stamps its start time in the connection and one sweep greenlet, every quarter of the
 *     timeout, closes the connections stuck past it (so a connection is closed between 1 and
 *     1.25 timeouts after its last I/O began, plus scheduling).</li>
 * <li><b>TLS</b> ({@link #ssl(SSLContext)}): the accepted socket is wrapped in a server-mode
 *     {@link SSLSocket} of the context; the handshake runs in the handler's greenlet at its first
 *     read or write.</li>
 * <li><b>Stop</b> ({@link #stop(Duration)}): stops accepting at once (the listening socket is
 *     closed: new connections are refused), waits up to the grace for the running handlers, kills
 *     the rest (a {@code GreenletExit}: a handler blocked in socket I/O is interrupted, which
 *     closes its socket) and waits up to one more second for them to go (gevent's
 *     {@code pool.kill(timeout=1)}). A handler still there after that (one stuck in a JDK call
 *     that ignores interrupts) has its socket closed and may outlive {@code stop}. A second call
 *     waits for the first to finish. A stop cut short by a kill or a {@code Timeout} of its
 *     caller still kills everything, without waiting.</li>
 * <li>Works on the parallel and the cooperative hub: socket I/O parks the greenlet's virtual
 *     thread and frees the carrier.</li>
 * </ul>
 *
 * <p>Configure ({@link #backlog}, {@link #reuseAddress}, {@link #idleTimeout}, {@link #ssl})
 * before {@link #start()}. Thread safety: every method may be called from any thread.
 */
public final class StreamServer implements AutoCloseable {
    /*
     * Overview (for maintainers).
     *   NEW ──start──▶ STARTED ──stop──▶ CLOSED      (NEW ──stop──▶ CLOSED: never listened)
     * The accept loop: wait for a free slot (admission before accept, no placeholder member),
     * accept, then make the handler's greenlet, link its cleanup (close the socket, leave
     * `connections`: it runs however the greenlet ends, started or not) and pool.start it.
     * Connections are in `connections` from accept until that cleanup; stop() joins and kills
     * exactly those. start() and stop() may race from two threads: `startDone` is set once
     * start() has published what it bound (or failed), and stop() waits for it before it reads
     * the listener; a start() that finds itself stopped meanwhile undoes what it did.
     * Idle detection stamps readSince/writeSince (0 = not in that call) around every socket read
     * and write through IdleSocket's streams; the sweep compares them with the hub's clock
     * (StreamServerTest's idle cases). The accepted socket is an IdleSocket made by Listener.implAccept, so the
     * handler gets a plain java.net.Socket whose streams stamp.
     */
    private static final int NEW = 0, STARTED = 1, CLOSED = 2;
    private static final Duration MIN_BACKOFF = Duration.ofMillis(10);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(1);
    private static final Duration DEFAULT_GRACE = Duration.ofSeconds(1);
    /** How long stop waits for the handlers it killed (gevent's {@code pool.kill(timeout=1)}). */
    private static final Duration KILL_WAIT = Duration.ofSeconds(1);

    /**
     * What the server runs for each connection, in the connection's own greenlet.
     */
    @FunctionalInterface
    public interface Handler {
        /**
         * Serves one connection. The server closes {@code socket} after this returns or throws.
         *
         * @param socket the connected socket (a server-mode {@link SSLSocket} with TLS)
         * @param peer the client's address
         * @throws Exception anything: reported to the hub's error handler, the server goes on
         */
        void handle(Socket socket, InetSocketAddress peer) throws Exception;
    }

    private final InetSocketAddress requested;
    private final Handler handler;
    private final Pool pool;
    private final AtomicInteger state = new AtomicInteger(NEW);
    private final Event stopped = new Event();
    private final Event startDone = new Event(); // start() bound and published, or failed; or stop() came first
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder acceptErrors = new LongAdder();
    private final LongAdder handlerErrors = new LongAdder();
    private final LongAdder idleClosed = new LongAdder();

    private int backlog = 128;
    private boolean reuseAddress = true;
    private Duration idleTimeout; // null: none
    private SSLContext sslContext; // null: plain TCP

    private volatile Hub hub;
    private volatile Listener listener;
    private volatile InetSocketAddress bound;
    private volatile Greenlet<Void> acceptor;
    private volatile Greenlet<Void> sweeper;
    private volatile boolean killing; // stop() is killing the handlers left after the grace
    private volatile boolean closed;  // stop() has closed the listening socket

    /**
     * A server with no bound on concurrent connections (gevent's default spawn policy).
     *
     * @param address where to listen; port 0 binds a free port ({@link #address()} tells which)
     * @param handler what runs for each connection
     * @throws NullPointerException if an argument is null
     */
    public StreamServer(InetSocketAddress address, Handler handler) {
        this(address, handler, Pool.unbounded());
    }

    /**
     * A server serving at most {@code poolSize} connections at once (gevent's
     * {@code spawn=int}): further connections wait in the kernel's backlog.
     *
     * @param address where to listen; port 0 binds a free port
     * @param handler what runs for each connection
     * @param poolSize at least 1
     * @throws IllegalArgumentException if {@code poolSize} is less than 1
     * @throws NullPointerException if an argument is null
     */
    public StreamServer(InetSocketAddress address, Handler handler, int poolSize) {
        this(address, handler, newPool(poolSize));
    }

    /**
     * A server whose handlers run in {@code pool} (gevent's {@code spawn=Pool}): the server
     * accepts only while the pool has a free slot.
     *
     * @param address where to listen; port 0 binds a free port
     * @param handler what runs for each connection
     * @param pool where the handlers' greenlets are members; may be shared with other work
     * @throws NullPointerException if an argument is null
     */
    public StreamServer(InetSocketAddress address, Handler handler, Pool pool) {
        this.requested = Objects.requireNonNull(address, "address");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    private static Pool newPool(int size) {
        if (size < 1) throw new IllegalArgumentException("poolSize must be at least 1: " + size);
        return new Pool(size);
    }

    // ---------------------------------------------------------------- configuration

    /**
     * Sets the listen backlog: how many connections the kernel queues while the server is not
     * accepting (default 128; the kernel may cap it, on Linux at {@code net.core.somaxconn}).
     *
     * @param backlog at least 1
     * @return this server
     * @throws IllegalArgumentException if {@code backlog} is less than 1
     * @throws IllegalStateException if the server was started
     */
    public StreamServer backlog(int backlog) {
        if (backlog < 1) throw new IllegalArgumentException("backlog must be at least 1: " + backlog);
        checkNew();
        this.backlog = backlog;
        return this;
    }

    /**
     * Sets {@code SO_REUSEADDR} on the listening socket (default true, as gevent: a restarted
     * server can bind its port while old connections linger in {@code TIME_WAIT}).
     *
     * @param on whether to set it
     * @return this server
     * @throws IllegalStateException if the server was started
     */
    public StreamServer reuseAddress(boolean on) {
        checkNew();
        this.reuseAddress = on;
        return this;
    }

    /**
     * Closes connections whose handler has been blocked in one socket read or write for longer
     * than {@code timeout} (default: never).
     *
     * @param timeout the idle time; {@code null}: no idle timeout
     * @return this server
     * @throws IllegalArgumentException if {@code timeout} is zero or negative
     * @throws IllegalStateException if the server was started
     */
    public StreamServer idleTimeout(Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("idle timeout must be positive: " + timeout);
        }
        checkNew();
        this.idleTimeout = timeout;
        return this;
    }

    /**
     * Serves TLS: every accepted socket is wrapped in a server-mode {@link SSLSocket} of
     * {@code context}.
     *
     * @param context an initialised context (its key managers hold the server's certificate);
     *     {@code null}: plain TCP
     * @return this server
     * @throws IllegalStateException if the server was started
     */
    public StreamServer ssl(SSLContext context) {
        checkNew();
        this.sslContext = context;
        return this;
    }

    private void checkNew() {
        if (state.get() != NEW) throw new IllegalStateException("configure the server before start(): " + this);
    }

    // ---------------------------------------------------------------- life cycle

    /**
     * Binds and starts accepting in a greenlet of the current hub; returns at once.
     *
     * @throws IllegalStateException if the server was started or stopped already
     * @throws java.io.UncheckedIOException if the address cannot be bound (the port is taken,
     *     the address is not local)
     */
    public void start() {
        if (!state.compareAndSet(NEW, STARTED)) {
            throw new IllegalStateException(state.get() == STARTED ? "already started: " + this : "stopped: " + this);
        }
        Listener l = null;
        try {
            Hub h = Hub.current();
            l = new Listener();
            l.setReuseAddress(reuseAddress);
            l.bind(requested, backlog);
            hub = h;
            listener = l;
            bound = (InetSocketAddress) l.getLocalSocketAddress();
            Greenlet<Void> a = new Greenlet<>(h, (CheckedRunnable) this::acceptLoop);
            a.setName("StreamServer-accept-" + bound.getPort());
            Greenlet<Void> sw = null;
            if (idleTimeout != null) {
                sw = new Greenlet<>(h, (Runnable) this::sweepLoop);
                sw.setName("StreamServer-idle-" + bound.getPort());
            }
            acceptor = a;
            sweeper = sw;
            a.start();
            if (sw != null) sw.start();
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(l); // a failed bind does not close the socket it made
            listener = null;
            acceptor = null;
            sweeper = null;
            state.set(CLOSED);
            closed = true;
            startDone.set();
            stopped.set();
            if (e instanceof IOException io) {
                throw new java.io.UncheckedIOException("cannot listen on " + requested + ": " + io.getMessage(), io);
            }
            if (e instanceof RuntimeException re) throw re;
            throw (Error) e;
        }
        startDone.set(); // a stop() that came meanwhile was waiting for this, and now stops it all
    }

    /**
     * Starts the server if it is not started, then waits until it is stopped (gevent's
     * {@code serve_forever}). If the calling greenlet is killed meanwhile, the server is stopped
     * with a grace of one second before the kill goes on.
     *
     * @throws IllegalStateException if the server was stopped before it started
     */
    public void serveForever() {
        if (state.get() == NEW) {
            try {
                start();
            } catch (IllegalStateException e) {
                // lost a race with another start() (serve anyway) or with a stop() (said below)
            }
        }
        startDone.await(); // a concurrent start() has bound, or failed
        if (acceptor == null) throw new IllegalStateException("stopped before it started: " + this);
        boolean done = false;
        try {
            stopped.await();
            done = true;
        } finally {
            if (!done) stop(DEFAULT_GRACE);
        }
    }

    /** {@link #stop(Duration)} with gevent's default grace of one second. */
    public void stop() {
        stop(DEFAULT_GRACE);
    }

    /**
     * Stops accepting at once, waits at most {@code grace} for the running handlers to end, then
     * kills the rest and waits until they are gone. Calling it again (or concurrently) waits for
     * the first stop to finish. A handler may call it: it waits for (and kills) the others, not
     * itself.
     *
     * @param grace how long the handlers may run on; zero kills them at once
     * @throws IllegalArgumentException if {@code grace} is negative
     * @throws NullPointerException if {@code grace} is null
     */
    public void stop(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) throw new IllegalArgumentException("negative grace: " + grace);
        int s = state.getAndSet(CLOSED);
        if (s == CLOSED) {
            stopped.await();
            return;
        }
        if (s == NEW) {
            closed = true;
            startDone.set();
            stopped.set();
            return;
        }
        boolean done = false;
        try {
            startDone.await(); // a start() under way on another thread publishes what it bound
            Listener l = listener;
            if (l == null) return; // its bind failed: nothing was started
            closeQuietly(l);        // new connections are refused from now on...
            Greenlet<Void> a = acceptor;
            if (a != Greenlet.current()) a.kill(); // (kill waits for it to leave accept or its wait for a slot)
            closed = true;          // ...once the acceptor has left accept(): the JDK defers
                                    // closing a socket's fd until its blocked threads leave it
            List<Greenlet<?>> handlers = handlerGreenlets();
            if (!grace.isZero() && !handlers.isEmpty()) Greenlets.joinAll(handlers, grace);
            killing = true;
            List<Greenlet<?>> left = handlerGreenlets();
            for (Greenlet<?> g : left) g.kill(new dev.weft.GreenletExit("the server stopped"), false, null);
            if (!left.isEmpty()) Greenlets.joinAll(left, KILL_WAIT); // on expiry it returns, not throws
            closeLeftovers(); // handlers that outlived their kill (a JDK call deaf to interrupts)
            Greenlet<Void> sw = sweeper;
            if (sw != null) sw.kill();
            done = true;
        } finally {
            if (!done) abandon(); // cut short (a kill or a Timeout of the caller): no more waiting
            stopped.set();
        }
    }

    /** A stop cut short: everything is killed without waiting, and every socket closed. */
    private void abandon() {
        closed = true;
        killing = true;
        closeQuietly(listener);
        Greenlet<?> me = Greenlet.current();
        for (Greenlet<?> g : new Greenlet<?>[] {acceptor, sweeper}) {
            if (g != null && g != me) g.kill(new dev.weft.GreenletExit("the server stopped"), false, null);
        }
        for (Greenlet<?> g : handlerGreenlets()) g.kill(new dev.weft.GreenletExit("the server stopped"), false, null);
        closeLeftovers();
    }

    /** Closes the sockets of the connections still listed (their handlers may still end later). */
    private void closeLeftovers() {
        Greenlet<?> me = Greenlet.current();
        for (Connection c : connections) if (c.greenlet != me) closeQuietly(c.socket);
    }

    /** {@link #stop()}: stops with a grace of one second. */
    @Override
    public void close() {
        stop();
    }

    /** The handlers' greenlets, without the caller's own (a handler may stop its server). */
    private List<Greenlet<?>> handlerGreenlets() {
        Greenlet<?> me = Greenlet.current();
        List<Greenlet<?>> out = new ArrayList<>();
        for (Connection c : connections) if (c.greenlet != me) out.add(c.greenlet);
        return out;
    }

    /**
     * True once {@link #start()} was called (also after a stop).
     *
     * @return whether it was started
     */
    public boolean isStarted() {
        return acceptor != null;
    }

    /**
     * True once {@link #stop(Duration)} has closed the listening socket: new connections are
     * refused (handlers may still be finishing until {@code stop} returns).
     *
     * @return whether it is stopping or stopped
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * The address it listens on: after {@link #start()} the bound one (with the port chosen when
     * port 0 was asked), before it the address given.
     *
     * @return the address
     */
    public InetSocketAddress address() {
        InetSocketAddress b = bound;
        return b != null ? b : requested;
    }

    /**
     * The pool whose members are the handlers' greenlets.
     *
     * @return the pool
     */
    public Pool pool() {
        return pool;
    }

    /**
     * How many connections are being served now (accepted, handler not yet ended).
     *
     * @return the open connections
     */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * How many connections were accepted since start.
     *
     * @return the count
     */
    public long accepted() {
        return accepted.sum();
    }

    /**
     * How many accept calls failed (each reported to the hub's error handler).
     *
     * @return the count
     */
    public long acceptErrors() {
        return acceptErrors.sum();
    }

    /**
     * How many handlers ended with an exception (each reported to the hub's error handler); kills
     * and idle closes are not counted.
     *
     * @return the count
     */
    public long handlerErrors() {
        return handlerErrors.sum();
    }

    /**
     * How many connections the idle timeout closed.
     *
     * @return the count
     */
    public long idleClosed() {
        return idleClosed.sum();
    }

    // ---------------------------------------------------------------- the greenlets

    private void acceptLoop() {
        Duration backoff = MIN_BACKOFF;
        boolean fatal = false;
        try {
            while (state.get() == STARTED) {
                pool.waitAvailable(null); // gevent's full(): accept only while a slot is free
                if (state.get() != STARTED) return;
                Connection c = new Connection();
                IdleSocket socket;
                try {
                    socket = listener.acceptInto(c);
                } catch (IOException e) {
                    if (state.get() != STARTED) return;
                    acceptErrors.increment();
                    hub.report(this, e);
                    if (listener.isClosed()) { // closed under us, not by stop(): gevent's fatal EBADF
                        fatal = true;
                        return;
                    }
                    backoff = backOff(backoff);
                    continue;
                }
                backoff = MIN_BACKOFF;
                c.socket = socket;
                accepted.increment();
                try {
                    launch(c);
                } catch (RuntimeException e) { // a closed pool, a closing hub: refuse this one, go on
                    if (state.get() != STARTED) {
                        closeQuietly(socket);
                        return;
                    }
                    acceptErrors.increment(); // counted and reported before the client sees the close
                    hub.report(this, e);
                    closeQuietly(socket);
                    backoff = backOff(backoff);
                } catch (Error signalOrError) { // a kill of the accept loop while it waited for the slot
                    closeQuietly(socket);
                    throw signalOrError;
                }
            }
        } finally {
            if (fatal && state.get() == STARTED) {
                Greenlet<Void> stopper = new Greenlet<>(hub, (Runnable) () -> stop(DEFAULT_GRACE));
                stopper.setName("StreamServer-stop-" + bound.getPort());
                stopper.start();
            }
        }
    }

    private static Duration backOff(Duration backoff) {
        Greenlets.sleep(backoff);
        Duration next = backoff.multipliedBy(2);
        return next.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : next;
    }

    /**
     * Hands an accepted connection to a new greenlet of the pool. Its cleanup is a link, so it
     * runs however the greenlet ends, also killed before it ran (a kill of a shared pool).
     */
    private void launch(Connection c) {
        Greenlet<Void> g = new Greenlet<>(hub, (Runnable) () -> serve(c));
        c.greenlet = g;
        g.setName("StreamServer-conn-" + c.socket.getPort());
        connections.add(c);
        boolean started = false;
        try {
            g.rawlink(new Cleanup(c));
            pool.start(g); // a slot is free unless other work of a shared pool took it: then it waits
            started = true;
        } finally {
            // refused (the pool discarded it): the caller closes the socket once it has counted it
            if (!started) connections.remove(c);
        }
    }

    /** A handler's end, however it came: its socket closed, its connection gone. */
    private final class Cleanup implements java.util.function.Consumer<Greenlet<Void>>, dev.weft.internal.InternalListener {
        private final Connection c;

        Cleanup(Connection c) {
            this.c = c;
        }

        @Override
        public void accept(Greenlet<Void> g) {
            closeQuietly(c.socket);
            connections.remove(c);
        }
    }

    private void serve(Connection c) {
        Socket visible = c.socket;
        try {
            InetSocketAddress peer = (InetSocketAddress) c.socket.getRemoteSocketAddress();
            if (sslContext != null) {
                SSLSocket tls = (SSLSocket) sslContext.getSocketFactory()
                        .createSocket(c.socket, peer.getHostString(), peer.getPort(), true);
                tls.setUseClientMode(false);
                visible = tls;
            }
            handler.handle(visible, peer);
        } catch (Interrupted signal) {
            throw signal; // a kill or a Timeout: the greenlet's outcome
        } catch (Throwable t) {
            // a kill (stop()'s or anyone's) in socket I/O: the JDK's exception, which the queued
            // kill turns into the greenlet's outcome (ARCHITECTURE §5)
            if (killing || dev.weft.internal.SignalQueue.hasPending(Greenlet.current())) {
                throw StreamServer.<RuntimeException>sneaky(t);
            }
            if (!c.idle) {
                handlerErrors.increment();
                hub.report(this, t);
            }
        } finally {
            if (visible != c.socket) closeQuietly(visible); // the raw socket: Cleanup, as the greenlet ends
        }
    }

    private void sweepLoop() {
        long idleNanos = idleTimeout.toNanos();
        Duration every = idleTimeout.dividedBy(4);
        if (every.compareTo(Duration.ofMillis(1)) < 0) every = Duration.ofMillis(1);
        if (every.compareTo(Duration.ofSeconds(1)) > 0) every = Duration.ofSeconds(1);
        while (true) {
            Greenlets.sleep(every);
            long now = hub.nanoTime();
            for (Connection c : connections) {
                if (c.socket == null || c.idle) continue;
                long r = c.readSince, w = c.writeSince;
                if ((r != 0 && now - r >= idleNanos) || (w != 0 && now - w >= idleNanos)) {
                    c.idle = true;
                    idleClosed.increment();
                    closeQuietly(c.socket); // the blocked read or write throws SocketException
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <E extends Throwable> E sneaky(Throwable t) throws E {
        throw (E) t;
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) return;
        try {
            c.close();
        } catch (Exception ignored) {
            // closing a socket that failed: nothing more to do
        }
    }

    @Override
    public String toString() {
        String st = switch (state.get()) {
            case NEW -> "new";
            case STARTED -> "serving";
            default -> "closed";
        };
        return "StreamServer[" + address() + ", " + st + ", connections=" + connections.size() + "]";
    }

    // ---------------------------------------------------------------- connections

    /** One accepted connection: its greenlet, its socket, and when its current I/O began. */
    private final class Connection {
        volatile Greenlet<Void> greenlet;
        volatile IdleSocket socket;
        volatile long readSince;  // hub nanos when the read under way began; 0: none
        volatile long writeSince; // the same for a write
        volatile boolean idle;    // the sweep closed it

        long now() {
            long t = hub.nanoTime();
            return t == 0 ? 1 : t;
        }
    }

    /** The listening socket; accepts into {@link IdleSocket}s. */
    private static final class Listener extends ServerSocket {
        Listener() throws IOException {
            super();
        }

        IdleSocket acceptInto(Connection c) throws IOException {
            IdleSocket s = new IdleSocket(c);
            implAccept(s);
            return s;
        }
    }

    /** An accepted socket whose streams stamp the connection's I/O start times. */
    private static final class IdleSocket extends Socket {
        private final Connection c;
        private volatile InputStream in;
        private volatile OutputStream out;

        IdleSocket(Connection c) {
            this.c = c;
        }

        @Override
        public InputStream getInputStream() throws IOException {
            InputStream i = in;
            if (i == null) in = i = new StampingInput(super.getInputStream(), c);
            return i;
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            OutputStream o = out;
            if (o == null) out = o = new StampingOutput(super.getOutputStream(), c);
            return o;
        }
    }

    private static final class StampingInput extends InputStream {
        private final InputStream in;
        private final Connection c;

        StampingInput(InputStream in, Connection c) {
            this.in = in;
            this.c = c;
        }

        @Override
        public int read() throws IOException {
            c.readSince = c.now();
            try {
                return in.read();
            } finally {
                c.readSince = 0;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            c.readSince = c.now();
            try {
                return in.read(b, off, len);
            } finally {
                c.readSince = 0;
            }
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static final class StampingOutput extends OutputStream {
        private final OutputStream out;
        private final Connection c;

        StampingOutput(OutputStream out, Connection c) {
            this.out = out;
            this.c = c;
        }

        @Override
        public void write(int b) throws IOException {
            c.writeSince = c.now();
            try {
                out.write(b);
            } finally {
                c.writeSince = 0;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            c.writeSince = c.now();
            try {
                out.write(b, off, len);
            } finally {
                c.writeSince = 0;
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
        }
    }
}
