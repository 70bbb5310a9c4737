package dev.weft.examples.kv;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Parses RESP2 requests (arrays of bulk strings, and inline commands as {@code redis-cli} and
 * {@code PING_INLINE} send) from a socket's bytes, incrementally: a command split over reads is
 * resumed where it stopped, never parsed again from its start.
 *
 * <p>Limits, checked before anything is allocated for them: a bulk longer than
 * {@code maxBulk}, an array of more than {@code maxArgs} elements, an inline command or a header
 * line longer than 64 KB are protocol errors. The input buffer grows only as bytes arrive (at most
 * doubling), so a client announcing a 512 MB bulk and sending 10 bytes costs 16 KB.
 *
 * <p>Before the connection has authenticated (when a password is required), Redis 7's tighter
 * limits apply: at most {@value #UNAUTH_MAX_ARGS} arguments and bulks of at most
 * {@value #UNAUTH_MAX_BULK} bytes, so an unauthenticated client cannot make the server buffer
 * large requests.
 */
final class RespReader {
    static final int MAX_LINE = 64 * 1024;
    static final int UNAUTH_MAX_ARGS = 10;
    static final int UNAUTH_MAX_BULK = 16 * 1024;

    /** A request the server refuses; the connection is answered with the message and closed. */
    static final class ProtocolError extends Exception {
        final String kind;

        ProtocolError(String kind, String message) {
            super(message, null, false, false);
            this.kind = kind;
        }
    }

    private final long maxBulk;
    private final int maxArgs;
    private byte[] buf = new byte[16 * 1024];
    private int start, end;
    // the multibulk under way: -1 before its header
    private int expected = -1;
    private long bulkLen = -1;
    private List<byte[]> args;
    private boolean authenticated = true; // the parse under way: false applies the tighter limits

    RespReader(long maxBulk, int maxArgs) {
        this.maxBulk = maxBulk;
        this.maxArgs = maxArgs;
    }

    /** True if bytes of an unfinished command are held (a client that vanished mid-command). */
    boolean hasPartial() {
        return end > start || expected >= 0;
    }

    /** Reads once from {@code in}; returns what {@code read} returned. */
    int fill(InputStream in) throws IOException {
        if (end == buf.length) {
            if (start > 0) {
                consumedBefore += start;
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            } else {
                buf = Arrays.copyOf(buf, buf.length * 2); // only a command bigger than the buffer gets here
            }
        }
        int n = in.read(buf, end, buf.length - end);
        if (n > 0) end += n;
        return n;
    }

    /** How big the input buffer is now (tests: it grows only as bytes arrive). */
    int capacity() {
        return buf.length;
    }

    /** Feeds bytes directly (tests, AOF replay). */
    void feed(byte[] b, int off, int len) {
        if (buf.length - end < len) {
            if (start > 0) {
                consumedBefore += start;
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            if (buf.length - end < len) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, end + len));
        }
        System.arraycopy(b, off, buf, end, len);
        end += len;
    }

    /** The offset, from the beginning of everything fed, of the first byte not yet consumed. */
    long consumed() {
        return consumedBefore + start;
    }

    private long consumedBefore; // bytes dropped by compaction, for consumed()

    /**
     * Appends to {@code out} every complete command in the buffer.
     *
     * @throws ProtocolError at the first malformed or oversized request (commands before it are in
     *     {@code out})
     */
    void parse(List<byte[][]> out) throws ProtocolError {
        parse(out, true);
    }

    /**
     * As {@link #parse(List)}; for a connection not {@code authenticated} yet, with Redis's
     * unauthenticated limits, and at most one command (the caller executes it, then parses again
     * with the session's new state: an AUTH lifts the limits for the commands after it).
     */
    void parse(List<byte[][]> out, boolean authenticated) throws ProtocolError {
        this.authenticated = authenticated;
        try {
            byte[][] cmd;
            while ((cmd = nextCommand()) != null) {
                out.add(cmd);
                if (!authenticated) return;
            }
        } finally {
            this.authenticated = true;
        }
    }

    /** The next complete, non-empty command, or null if the buffer holds none. */
    byte[][] nextCommand() throws ProtocolError {
        while (true) {
            byte[][] cmd = next();
            if (cmd == null || cmd.length > 0) return cmd;
        }
    }

    private byte[][] next() throws ProtocolError {
        if (expected < 0) {
            if (start == end) {
                consumedBefore += start;
                start = end = 0;
                return null;
            }
            if (buf[start] != '*') return inline();
            int eol = lineEnd(start);
            if (eol < 0) {
                if (end - start > MAX_LINE) throw new ProtocolError("protocol", "Protocol error: too big mbulk count string");
                return null;
            }
            long n = parseLong(start + 1, eol, "invalid multibulk length");
            if (!authenticated && n > UNAUTH_MAX_ARGS) throw new ProtocolError("too-many-args", "Protocol error: unauthenticated multibulk length");
            if (n > maxArgs) throw new ProtocolError("too-many-args", "Protocol error: too many arguments (" + n + ", at most " + maxArgs + ")");
            start = eol + 2;
            if (n <= 0) return new byte[0][];
            expected = (int) n;
            args = new ArrayList<>((int) Math.min(n, 16));
        }
        while (args.size() < expected) {
            if (bulkLen < 0) {
                if (start == end) return null;
                if (buf[start] != '$') {
                    throw new ProtocolError("protocol", "Protocol error: expected '$', got '" + printable(buf[start]) + "'");
                }
                int eol = lineEnd(start);
                if (eol < 0) {
                    if (end - start > MAX_LINE) throw new ProtocolError("protocol", "Protocol error: too big bulk count string");
                    return null;
                }
                long len = parseLong(start + 1, eol, "invalid bulk length");
                if (len < 0) throw new ProtocolError("protocol", "Protocol error: invalid bulk length");
                if (!authenticated && len > UNAUTH_MAX_BULK) throw new ProtocolError("bulk-too-big", "Protocol error: unauthenticated bulk length");
                if (len > maxBulk) throw new ProtocolError("bulk-too-big", "Protocol error: invalid bulk length (" + len + " > proto-max-bulk-len " + maxBulk + ")");
                bulkLen = len;
                start = eol + 2;
            }
            if (end - start < bulkLen + 2) return null; // the buffer grows as the bytes arrive
            int s = start, n = (int) bulkLen;
            if (buf[s + n] != '\r' || buf[s + n + 1] != '\n') throw new ProtocolError("protocol", "Protocol error: bulk not followed by CRLF");
            args.add(Arrays.copyOfRange(buf, s, s + n));
            start = s + n + 2;
            bulkLen = -1;
        }
        byte[][] cmd = args.toArray(new byte[0][]);
        args = null;
        expected = -1;
        return cmd;
    }

    private byte[][] inline() throws ProtocolError {
        int nl = -1;
        for (int i = start; i < end; i++) {
            if (buf[i] == '\n') {
                nl = i;
                break;
            }
        }
        if (nl < 0) {
            if (end - start > MAX_LINE) throw new ProtocolError("protocol", "Protocol error: too big inline request");
            return null;
        }
        int stop = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
        String line = new String(buf, start, stop - start, StandardCharsets.UTF_8);
        start = nl + 1;
        List<byte[]> parts = new ArrayList<>();
        for (String p : line.trim().split("\\s+")) if (!p.isEmpty()) parts.add(p.getBytes(StandardCharsets.UTF_8));
        if (parts.size() > maxArgs) throw new ProtocolError("too-many-args", "Protocol error: too many arguments");
        return parts.toArray(new byte[0][]);
    }

    private int lineEnd(int from) {
        int limit = Math.min(end - 1, from + MAX_LINE);
        for (int i = from; i < limit; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n') return i;
        }
        return -1;
    }

    private static long parseLong(byte[] b, int from, int to, String what) throws ProtocolError {
        if (from >= to || to - from > 19) throw new ProtocolError("protocol", "Protocol error: " + what);
        boolean neg = b[from] == '-';
        int i = neg ? from + 1 : from;
        if (i >= to) throw new ProtocolError("protocol", "Protocol error: " + what);
        long v = 0;
        for (; i < to; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) throw new ProtocolError("protocol", "Protocol error: " + what);
            v = v * 10 + d;
        }
        return neg ? -v : v;
    }

    private long parseLong(int from, int to, String what) throws ProtocolError {
        return parseLong(buf, from, to, what);
    }

    private static String printable(byte b) {
        return b >= 32 && b < 127 ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff);
    }
}
