package dev.weft.examples.kv;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.LongAdder;

/**
 * Many client greenlets talking RESP to a server, each checking every reply against what it
 * expects: half pipeline {@code depth} commands per round trip, half send one at a time; the mix is
 * GET, SET, INCR and SET with a short expiry. Each client has keys of its own, so each reply is
 * predictable (an expiring key may read as its value or as nil).
 */
public final class LoadGenerator {
    /** The totals of a run. */
    public record Result(long requests, long errors, long connections, double seconds, long p50Nanos,
            long p99Nanos, long p999Nanos, String firstError) {
        /** Requests per second. */
        public double perSecond() {
            return requests / Math.max(1e-9, seconds);
        }
    }

    private final InetSocketAddress server;
    private final int clients;
    private final int depth;
    private final long seed;
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private volatile String firstError;
    private volatile boolean stop;

    /**
     * @param server where the server listens
     * @param clients how many connections
     * @param depth commands per round trip for the pipelining half
     * @param seed the operations' random seed
     */
    public LoadGenerator(InetSocketAddress server, int clients, int depth, long seed) {
        this.server = server;
        this.clients = clients;
        this.depth = depth;
        this.seed = seed;
    }

    /** Requests answered so far. */
    public long requests() {
        return requests.sum();
    }

    /** Wrong or missing replies so far. */
    public long errors() {
        return errors.sum();
    }

    /** Makes every client end after its current round trip. */
    public void stop() {
        stop = true;
    }

    /**
     * Runs the clients in greenlets of the current hub until {@code duration} passes or
     * {@link #stop()}, then returns the totals.
     */
    public Result run(Duration duration) {
        long t0 = System.nanoTime();
        List<Greenlet<long[]>> gs = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            int id = i;
            gs.add(Greenlet.spawn(() -> client(id, id % 2 == 0 ? depth : 1)));
        }
        Greenlet<Void> timer = Greenlet.spawn(() -> {
            Greenlets.sleep(duration);
            stop = true;
        });
        long[][] all = new long[clients][];
        for (int i = 0; i < clients; i++) {
            all[i] = gs.get(i).get();
        }
        timer.kill();
        double seconds = (System.nanoTime() - t0) / 1e9;
        int n = 0;
        for (long[] a : all) n += (int) a[0];
        long[] lat = new long[n];
        int k = 0;
        for (long[] a : all) {
            System.arraycopy(a, 1, lat, k, (int) a[0]);
            k += (int) a[0];
        }
        Arrays.sort(lat);
        return new Result(requests(), errors(), clients, seconds, pct(lat, 0.50), pct(lat, 0.99), pct(lat, 0.999), firstError);
    }

    private static long pct(long[] sorted, double p) {
        if (sorted.length == 0) return 0;
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private void error(String what) {
        errors.increment();
        if (firstError == null) firstError = what;
    }

    /** One client; returns its latencies (per round trip, ns) as {count, l0, l1, ...}. */
    private long[] client(int id, int perTrip) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + id);
        long[] lat = new long[1 << 12];
        int nlat = 0;
        byte[][] values = new byte[64][]; // this client's plain keys: what each should hold
        long counter = 0;
        try (Socket s = new Socket(server.getAddress(), server.getPort())) {
            s.setTcpNoDelay(true);
            OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            int[] kind = new int[perTrip];
            int[] slot = new int[perTrip];
            byte[][] expect = new byte[perTrip][];
            long[] expectInt = new long[perTrip];
            while (!stop) {
                for (int i = 0; i < perTrip; i++) {
                    int op = rnd.nextInt(100);
                    int key = rnd.nextInt(values.length);
                    slot[i] = key;
                    if (op < 50) { // GET
                        kind[i] = 0;
                        expect[i] = values[key];
                        send(out, "GET", "k:" + id + ":" + key);
                    } else if (op < 75) { // SET
                        kind[i] = 1;
                        byte[] v = ("v" + rnd.nextInt(1_000_000)).getBytes(StandardCharsets.US_ASCII);
                        values[key] = v;
                        send(out, "SET", "k:" + id + ":" + key, new String(v, StandardCharsets.US_ASCII));
                    } else if (op < 90) { // INCR
                        kind[i] = 2;
                        expectInt[i] = ++counter;
                        send(out, "INCR", "c:" + id);
                    } else if (op < 95) { // SET with a short expiry
                        kind[i] = 3;
                        send(out, "SET", "e:" + id + ":" + key, "x", "PX", "20");
                    } else { // GET an expiring key: its value or nil
                        kind[i] = 4;
                        send(out, "GET", "e:" + id + ":" + key);
                    }
                }
                long t = System.nanoTime();
                out.flush();
                for (int i = 0; i < perTrip; i++) {
                    Object r = readReply(in);
                    switch (kind[i]) {
                        case 0 -> check(r, expect[i], "GET k:" + id + ":" + slot[i]);
                        case 1, 3 -> { if (!"OK".equals(r)) error("SET: " + show(r)); }
                        case 2 -> { if (!(r instanceof Long l) || l != expectInt[i]) error("INCR c:" + id + ": " + show(r) + ", expected " + expectInt[i]); }
                        default -> { if (r != null && !(r instanceof byte[] b && Arrays.equals(b, new byte[] {'x'}))) error("GET e: " + show(r)); }
                    }
                }
                long took = System.nanoTime() - t;
                if (nlat == lat.length) lat = Arrays.copyOf(lat, lat.length * 2);
                lat[nlat++] = took;
                requests.add(perTrip);
            }
        } catch (IOException e) {
            error("client " + id + ": " + e);
        }
        long[] outLat = new long[nlat + 1];
        outLat[0] = nlat;
        System.arraycopy(lat, 0, outLat, 1, nlat);
        return outLat;
    }

    private void check(Object r, byte[] expected, String what) {
        if (expected == null ? r != null : !(r instanceof byte[] b && Arrays.equals(b, expected))) {
            error(what + ": " + show(r) + ", expected " + (expected == null ? "nil" : new String(expected, StandardCharsets.US_ASCII)));
        }
    }

    private static String show(Object r) {
        return r instanceof byte[] b ? "\"" + new String(b, StandardCharsets.UTF_8) + "\"" : String.valueOf(r);
    }

    static void send(OutputStream out, String... args) throws IOException {
        out.write(('*' + Integer.toString(args.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] b = a.getBytes(StandardCharsets.UTF_8);
            out.write(('$' + Integer.toString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write('\r');
            out.write('\n');
        }
    }

    /** Reads one reply: a String (+), an Error (-) as "ERR ...", a Long, a byte[] or null, a List. */
    static Object readReply(InputStream in) throws IOException {
        int type = in.read();
        if (type < 0) throw new java.io.EOFException("the server closed the connection");
        String line = readLine(in);
        return switch (type) {
            case '+' -> line;
            case '-' -> new ErrorReply(line);
            case ':' -> Long.parseLong(line);
            case '$' -> {
                int n = Integer.parseInt(line);
                if (n < 0) yield null;
                byte[] b = in.readNBytes(n);
                in.read();
                in.read();
                yield b;
            }
            case '*' -> {
                int n = Integer.parseInt(line);
                if (n < 0) yield null;
                List<Object> items = new ArrayList<>(n);
                for (int i = 0; i < n; i++) items.add(readReply(in));
                yield items;
            }
            default -> throw new IOException("not a RESP reply: '" + (char) type + "'");
        };
    }

    /** An error reply. */
    public record ErrorReply(String message) {
        @Override
        public String toString() {
            return "-" + message;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\r') sb.append((char) b);
        in.read(); // '\n'
        return sb.toString();
    }
}
