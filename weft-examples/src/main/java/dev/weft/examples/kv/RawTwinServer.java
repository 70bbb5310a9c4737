package dev.weft.examples.kv;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The benchmark twin of {@link KvServer} without weft: the same parser, keyspace and commands,
 * one plain virtual thread per connection, and a lock instead of the owner greenlet (one lock
 * hold per batch, as the owner takes one hand-over per batch). No idle timeout, no AOF. Only for
 * {@code weft-bench/redis/bench.sh}.
 *
 * <pre>java -cp ... dev.weft.examples.kv.RawTwinServer PORT</pre>
 */
public final class RawTwinServer {
    private RawTwinServer() {}

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 6381;
        KvConfig config = KvConfig.defaults().withPort(port);
        Keyspace ks = new Keyspace(System::currentTimeMillis);
        KvStats stats = new KvStats();
        Commands commands = new Commands(ks, config, stats, null);
        ReentrantLock lock = new ReentrantLock();
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
            System.out.println("raw twin listening on " + listener.getLocalSocketAddress());
            while (true) {
                Socket s = listener.accept();
                Thread.ofVirtual().start(() -> serve(s, config, commands, lock));
            }
        }
    }

    private static void serve(Socket socket, KvConfig config, Commands commands, ReentrantLock lock) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            Session session = new Session(true);
            RespReader reader = new RespReader(config.maxBulk(), config.maxArgs());
            Reply reply = new Reply(config.outputLimit());
            List<byte[][]> batch = new ArrayList<>();
            while (reader.fill(in) >= 0) {
                RespReader.ProtocolError error = null;
                try {
                    reader.parse(batch);
                } catch (RespReader.ProtocolError e) {
                    error = e;
                }
                if (!batch.isEmpty()) {
                    lock.lock();
                    try {
                        for (byte[][] c : batch) commands.execute(c, session, reply);
                    } finally {
                        lock.unlock();
                    }
                    batch.clear();
                }
                if (error != null) reply.error("ERR " + error.getMessage());
                if (reply.overflowed()) return;
                reply.writeTo(out);
                reply.reset();
                if (error != null || session.quit) return;
            }
        } catch (IOException e) {
            // the client went away
        }
    }
}
