package dev.weft.examples.kv;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A connection's output buffer of RESP2 replies, bounded: once more than {@code limit} bytes are
 * pending, further replies are dropped and {@link #overflowed()} is true (the connection is then
 * closed, as Redis closes a client past its output buffer limit).
 */
final class Reply {
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] NULL_BULK = "$-1\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OK = "+OK\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[][] SMALL_INTS = new byte[1024][];

    static {
        for (int i = 0; i < SMALL_INTS.length; i++) {
            SMALL_INTS[i] = (":" + i + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final long limit;
    private byte[] buf = new byte[4096];
    private int size;
    private boolean overflowed;

    Reply(long limit) {
        this.limit = limit;
    }

    boolean overflowed() {
        return overflowed;
    }

    int size() {
        return size;
    }

    void reset() {
        size = 0;
        if (buf.length > 1 << 20) buf = new byte[4096]; // do not keep a huge reply's buffer
    }

    void writeTo(OutputStream out) throws IOException {
        if (size > 0) out.write(buf, 0, size);
        out.flush();
    }

    byte[] toBytes() {
        return Arrays.copyOf(buf, size);
    }

    private boolean room(int n) {
        if (overflowed) return false;
        if ((long) size + n > limit) {
            overflowed = true;
            return false;
        }
        if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
        return true;
    }

    private void raw(byte[] b) {
        if (room(b.length)) {
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }
    }

    /** A line of ASCII the server made (numbers): nothing to sanitise. */
    private void ascii(char type, String s) {
        int n = s.length();
        if (!room(n + 3)) return;
        buf[size++] = (byte) type;
        for (int i = 0; i < n; i++) buf[size++] = (byte) s.charAt(i);
        buf[size++] = '\r';
        buf[size++] = '\n';
    }

    void ok() {
        raw(OK);
    }

    /** A status line; CR and LF in it become spaces (see {@link #error(byte[])}). */
    void simple(String s) {
        line('+', s.getBytes(StandardCharsets.UTF_8));
    }

    /** An error line; CR and LF in it become spaces (see {@link #error(byte[])}). */
    void error(String s) {
        error(s.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * An error line from raw bytes, as Redis's {@code addReplyErrorFormat}: CR and LF at its ends
     * are dropped and those inside become spaces, so bytes a client sent and the message echoes
     * can never end the line early and forge replies.
     */
    void error(byte[] message) {
        line('-', message);
    }

    private void line(char type, byte[] b) {
        int from = 0, to = b.length;
        while (from < to && (b[from] == '\r' || b[from] == '\n')) from++;
        while (to > from && (b[to - 1] == '\r' || b[to - 1] == '\n')) to--;
        if (!room(to - from + 3)) return;
        buf[size++] = (byte) type;
        for (int i = from; i < to; i++) buf[size++] = b[i] == '\r' || b[i] == '\n' ? (byte) ' ' : b[i];
        buf[size++] = '\r';
        buf[size++] = '\n';
    }

    void integer(long v) {
        if (v >= 0 && v < SMALL_INTS.length) raw(SMALL_INTS[(int) v]);
        else ascii(':', Long.toString(v));
    }

    void nullBulk() {
        raw(NULL_BULK);
    }

    void bulk(byte[] b) {
        if (b == null) {
            nullBulk();
            return;
        }
        header('$', b.length);
        raw(b);
        raw(CRLF);
    }

    void bulk(String s) {
        bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    void array(int n) {
        header('*', n);
    }

    private void header(char type, long n) {
        if (n >= 0 && n < 10) {
            if (!room(4)) return;
            buf[size++] = (byte) type;
            buf[size++] = (byte) ('0' + n);
            buf[size++] = '\r';
            buf[size++] = '\n';
        } else {
            ascii(type, Long.toString(n));
        }
    }
}
