package dev.weft.examples.kv;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The append-only file: every write command, in RESP, in the order the keyspace applied it, with
 * relative expiry times turned into absolute ones ({@code PEXPIREAT}), so replaying it rebuilds
 * the keyspace.
 *
 * <p>Commands of one batch are appended to a buffer and written with one {@code write} at the
 * batch's end ({@link #endBatch()}); under {@link Fsync#ALWAYS} that call also forces them to
 * disk before the batch's replies are sent, so an acknowledged write survives a crash. Under
 * {@link Fsync#EVERYSEC} a ticker forces the file once a second ({@link #fsyncIfDirty()}); under
 * {@link Fsync#NO} the kernel decides. Only the owner of the keyspace calls {@link #append} and
 * {@link #endBatch}; {@link #fsyncIfDirty} may run concurrently with them.
 */
public final class Aof implements AutoCloseable {
    /** Redis's {@code appendfsync}. */
    public enum Fsync {
        /** fsync after every batch, before its replies. */
        ALWAYS,
        /** fsync once a second. */
        EVERYSEC,
        /** never fsync: the kernel writes back when it likes. */
        NO;

        /** Parses Redis's spelling: {@code always}, {@code everysec}, {@code no}. */
        static Fsync parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "always" -> ALWAYS;
                case "everysec" -> EVERYSEC;
                case "no" -> NO;
                default -> throw new IllegalArgumentException("appendfsync must be always, everysec or no, not \"" + s + "\"");
            };
        }

        @Override
        public String toString() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What {@link #replay} found. */
    record Replayed(long commands, long truncatedBytes) {}

    private final FileChannel channel;
    private final Fsync fsync;
    private byte[] buf = new byte[8192];
    private int size;
    private volatile boolean dirty;

    Aof(Path file, Fsync fsync) throws IOException {
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        this.fsync = fsync;
    }

    Fsync policy() {
        return fsync;
    }

    /**
     * Replays {@code file} into {@code apply}, command by command. A torn last command (a crash in
     * the middle of its write) is cut off the file: it was never acknowledged.
     *
     * @throws IllegalStateException if the file is corrupt before its end (Redis refuses to start)
     */
    static Replayed replay(Path file, Consumer<byte[][]> apply) throws IOException {
        if (!Files.exists(file)) return new Replayed(0, 0);
        RespReader reader = new RespReader(Long.MAX_VALUE, Integer.MAX_VALUE);
        long commands = 0, good = 0;
        byte[] chunk = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            int n;
            while ((n = in.read(chunk)) > 0) {
                reader.feed(chunk, 0, n);
                byte[][] cmd;
                try {
                    while ((cmd = reader.nextCommand()) != null) {
                        apply.accept(cmd);
                        commands++;
                        good = reader.consumed();
                    }
                } catch (RespReader.ProtocolError e) {
                    throw new IllegalStateException("the append-only file " + file + " is corrupt after byte " + good
                            + " (" + e.getMessage() + "); move it away or repair it", e);
                }
            }
        }
        long length = Files.size(file);
        if (good < length) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.truncate(good);
                ch.force(true);
            }
        }
        return new Replayed(commands, length - good);
    }

    /** Adds one command to the current batch. */
    void append(byte[]... args) {
        put('*', args.length);
        for (byte[] a : args) {
            put('$', a.length);
            ensure(a.length + 2);
            System.arraycopy(a, 0, buf, size, a.length);
            size += a.length;
            buf[size++] = '\r';
            buf[size++] = '\n';
        }
    }

    /** Adds one command given as strings and byte arrays. */
    void append(Object... args) {
        byte[][] b = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            b[i] = args[i] instanceof byte[] bytes ? bytes : String.valueOf(args[i]).getBytes(StandardCharsets.UTF_8);
        }
        append(b);
    }

    private void put(char type, long n) {
        byte[] digits = Long.toString(n).getBytes(StandardCharsets.US_ASCII);
        ensure(digits.length + 3);
        buf[size++] = (byte) type;
        System.arraycopy(digits, 0, buf, size, digits.length);
        size += digits.length;
        buf[size++] = '\r';
        buf[size++] = '\n';
    }

    private void ensure(int n) {
        if (size + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }

    /** Writes the batch's commands; under {@code always}, forces them to disk first. */
    void endBatch() {
        if (size == 0) return;
        try {
            ByteBuffer b = ByteBuffer.wrap(buf, 0, size);
            while (b.hasRemaining()) channel.write(b);
            size = 0;
            if (buf.length > 1 << 20) buf = new byte[8192];
            if (fsync == Fsync.ALWAYS) channel.force(false);
            else dirty = true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the append-only file", e);
        }
    }

    /** For {@code everysec}: forces what was written since the last call. */
    void fsyncIfDirty() {
        if (!dirty) return;
        dirty = false;
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fsync the append-only file", e);
        }
    }

    @Override
    public void close() throws IOException {
        endBatch();
        channel.force(false);
        channel.close();
    }
}
