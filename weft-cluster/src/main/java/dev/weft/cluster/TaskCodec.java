package dev.weft.cluster;

import dev.weft.GreenletExit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Java serialisation of tasks, items and outcomes, with a deserialisation allow-list.
 *
 * <p>An outcome travels as one byte array: a tag ({@link #VALUE}, {@link #FAILURE},
 * {@link #KILLED}) and the serialised value, throwable or message. A failure carries a header
 * first (the class name, message and stack trace of the throwable and of each cause, as plain
 * strings and ints), so a throwable that does not serialise on the member, or does not
 * deserialise on the caller, still arrives as a {@link RemoteFailure} with all of them.
 */
final class TaskCodec {
    static final byte VALUE = 0;
    static final byte FAILURE = 1;
    static final byte KILLED = 2;

    /** Packages and classes every filter allows (the JDK's value types, weft's own). */
    static final List<String> DEFAULT_ALLOWED = List.of(
            "java.lang.*", "java.util.*", "java.math.*", "java.time.*", "java.net.URI",
            "java.lang.invoke.SerializedLambda", "dev.weft.**");

    private final ObjectInputFilter filter;

    /**
     * A codec whose deserialisation allows {@link #DEFAULT_ALLOWED} plus {@code allowed} — each a
     * class name, {@code pkg.*} (a package) or {@code pkg.**} (a package and its subpackages), as
     * in {@link ObjectInputFilter.Config#createFilter}.
     */
    TaskCodec(List<String> allowed) {
        StringBuilder pattern = new StringBuilder("maxdepth=100;maxrefs=1000000;");
        for (String p : DEFAULT_ALLOWED) pattern.append(p).append(';');
        for (String p : allowed) pattern.append(checkEntry(p)).append(';');
        pattern.append("!*");
        this.filter = ObjectInputFilter.Config.createFilter(pattern.toString());
    }

    /**
     * {@code entry} if it is an allow-list entry (a class, {@code pkg.*} or {@code pkg.**}), not a
     * rejection ({@code !}), a second pattern ({@code ;}) or a filter limit ({@code maxdepth=}).
     */
    static String checkEntry(String entry) {
        if (entry.isBlank() || entry.contains(";") || entry.startsWith("!") || entry.contains("=")) {
            throw new IllegalArgumentException("not an allow-list entry (a class, pkg.* or pkg.**): '" + entry + "'");
        }
        return entry;
    }

    ObjectInputFilter filter() {
        return filter;
    }

    /** Deserialised map functions by their bytes: a member deserialises a map's function once. */
    private final java.util.Map<java.nio.ByteBuffer, Object> functions = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(java.util.Map.Entry<java.nio.ByteBuffer, Object> eldest) {
                    return size() > 64;
                }
            });

    /**
     * The function serialised as {@code bytes}, deserialised once and then shared by every item
     * of its map that this codec runs (as one function object serves every item of a local map).
     */
    Object function(byte[] bytes) throws IOException, ClassNotFoundException {
        java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(bytes);
        Object f = functions.get(key);
        if (f == null) {
            f = deserialize(bytes);
            functions.put(key, f);
        }
        return f;
    }

    // The first byte of every serialised form says how the rest is written: the common value types
    // without an ObjectOutputStream (most map items and values), anything else by Java serialisation.
    private static final byte JAVA = 'J', NULL = 'N', INT = 'I', LONG = 'L', STRING = 'S', BYTES = 'B';

    /** Serialises {@code o}; {@code what} names it in the error ("task", "function", "item 3"). */
    static byte[] serialize(Object o, String what) {
        if (o == null) return new byte[] {NULL};
        if (o instanceof Integer i) {
            int v = i;
            return new byte[] {INT, (byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        }
        if (o instanceof Long l) {
            byte[] out = new byte[9];
            out[0] = LONG;
            long v = l;
            for (int k = 8; k >= 1; k--, v >>>= 8) out[k] = (byte) v;
            return out;
        }
        if (o instanceof String str && wellFormed(str)) { // else Java serialisation: UTF-8 would turn a lone surrogate into '?'
            byte[] utf8 = str.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            byte[] out = new byte[utf8.length + 1];
            out[0] = STRING;
            System.arraycopy(utf8, 0, out, 1, utf8.length);
            return out;
        }
        if (o instanceof byte[] b) {
            byte[] out = new byte[b.length + 1];
            out[0] = BYTES;
            System.arraycopy(b, 0, out, 1, b.length);
            return out;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(JAVA);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(o);
        } catch (NotSerializableException e) {
            String name = e.getMessage();
            boolean lambda = name != null && name.contains("$$Lambda");
            throw new IllegalArgumentException("the " + what + " is not serializable: " + name + (lambda
                    ? " is a lambda or method reference whose target type is not Serializable (write it where a"
                      + " ClusterPool.Task or ClusterPool.Function is expected, or cast it to one)"
                    : " does not implement java.io.Serializable")
                    + "; everything it captures must be Serializable too", e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the " + what + " could not be serialized: " + e, e);
        }
        return bytes.toByteArray();
    }

    /** True if {@code s} has no unpaired surrogate, so UTF-8 carries it unchanged. */
    static boolean wellFormed(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) i++;
            else if (Character.isSurrogate(c)) return false;
        }
        return true;
    }

    /** Deserialises {@code bytes} through the allow-list. */
    Object deserialize(byte[] bytes) throws IOException, ClassNotFoundException {
        return deserialize(bytes, 0);
    }

    private Object deserialize(byte[] bytes, int offset) throws IOException, ClassNotFoundException {
        if (bytes.length <= offset) throw new java.io.StreamCorruptedException("empty");
        int n = bytes.length - offset - 1;
        switch (bytes[offset]) {
            case NULL:
                return null;
            case INT:
                return ((bytes[offset + 1] & 0xff) << 24) | ((bytes[offset + 2] & 0xff) << 16)
                        | ((bytes[offset + 3] & 0xff) << 8) | (bytes[offset + 4] & 0xff);
            case LONG: {
                long v = 0;
                for (int k = 1; k <= 8; k++) v = (v << 8) | (bytes[offset + k] & 0xff);
                return v;
            }
            case STRING:
                return new String(bytes, offset + 1, n, java.nio.charset.StandardCharsets.UTF_8);
            case BYTES:
                return java.util.Arrays.copyOfRange(bytes, offset + 1, bytes.length);
            case JAVA:
                break;
            default:
                throw new java.io.StreamCorruptedException("unknown form " + bytes[offset]);
        }
        try (ObjectInputStream in = new Input(new ByteArrayInputStream(bytes, offset + 1, n))) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        }
    }

    /** Resolves classes through the thread's context class loader first (a member's task classes). */
    private static final class Input extends ObjectInputStream {
        Input(ByteArrayInputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            ClassLoader context = Thread.currentThread().getContextClassLoader();
            if (context != null) {
                try {
                    return Class.forName(desc.getName(), false, context);
                } catch (ClassNotFoundException e) {
                    // the default below
                }
            }
            return super.resolveClass(desc);
        }
    }

    // ---------------------------------------------------------------- outcomes

    static byte[] value(Object value) {
        return tagged(VALUE, serialize(value, "task's value"));
    }

    /**
     * A failure: a header describing {@code error} in plain strings and ints (class name, message,
     * stack trace, and the same for each cause), then the throwable serialised — or the null form
     * if it does not serialise. The caller rebuilds a {@link RemoteFailure} from the header when
     * the throwable does not deserialise there (its class is not on the caller's allow-list).
     */
    static byte[] failure(Throwable error) {
        byte[] header = header(error);
        byte[] body;
        try {
            body = serialize(error, "failure");
        } catch (IllegalArgumentException notSerializable) {
            body = serialize(null, "failure"); // the header says it all
        }
        byte[] out = new byte[1 + 4 + header.length + body.length];
        out[0] = FAILURE;
        int n = header.length;
        out[1] = (byte) (n >>> 24);
        out[2] = (byte) (n >>> 16);
        out[3] = (byte) (n >>> 8);
        out[4] = (byte) n;
        System.arraycopy(header, 0, out, 5, n);
        System.arraycopy(body, 0, out, 5 + n, body.length);
        return out;
    }

    /** Causes described in a failure's header at most (a longer chain is cut). */
    static final int MAX_CAUSES = 32;

    private static byte[] header(Throwable error) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            java.util.Set<Throwable> seen = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            for (Throwable t = error; t != null && seen.add(t) && seen.size() <= MAX_CAUSES; t = t.getCause()) {
                out.writeBoolean(true); // one more throwable
                writeString(out, t.getClass().getName());
                String message;
                try {
                    message = t.getMessage();
                } catch (RuntimeException e) {
                    message = "(its getMessage() threw " + e + ")";
                }
                writeString(out, message);
                StackTraceElement[] stack = t.getStackTrace();
                out.writeInt(stack.length);
                for (StackTraceElement e : stack) {
                    writeString(out, e.getClassLoaderName());
                    writeString(out, e.getModuleName());
                    writeString(out, e.getModuleVersion());
                    writeString(out, e.getClassName());
                    writeString(out, e.getMethodName());
                    writeString(out, e.getFileName());
                    out.writeInt(e.getLineNumber());
                }
            }
            out.writeBoolean(false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    /** A string, or null, without loss (UTF-16 units: a lone surrogate stays). */
    private static void writeString(DataOutputStream out, String s) throws IOException {
        if (s == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(s.length());
            out.writeChars(s);
        }
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        char[] cs = new char[n];
        for (int i = 0; i < n; i++) cs[i] = in.readChar();
        return new String(cs);
    }

    /**
     * The {@link RemoteFailure} a failure's header describes: its message is the original's class
     * name and message, its stack trace the member's, its cause the same for the original's cause.
     */
    static RemoteFailure fromHeader(byte[] header) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(header));
        List<String> messages = new java.util.ArrayList<>();
        List<StackTraceElement[]> stacks = new java.util.ArrayList<>();
        while (in.readBoolean()) {
            String className = readString(in);
            String message = readString(in);
            int n = in.readInt();
            if (n < 0 || n > header.length) throw new java.io.StreamCorruptedException("stack of " + n);
            StackTraceElement[] stack = new StackTraceElement[n];
            for (int i = 0; i < n; i++) {
                String loader = readString(in);
                String module = readString(in);
                String version = readString(in);
                String declaring = readString(in);
                String method = readString(in);
                String file = readString(in);
                stack[i] = new StackTraceElement(loader, module, version, declaring, method, file, in.readInt());
            }
            messages.add(message == null ? className : className + ": " + message); // as Throwable.toString
            stacks.add(stack);
        }
        if (messages.isEmpty()) throw new java.io.StreamCorruptedException("a failure header without a throwable");
        RemoteFailure f = null;
        for (int i = messages.size() - 1; i >= 0; i--) { // from the root cause up: a cause is set at construction
            f = new RemoteFailure(messages.get(i), f);
            f.setStackTrace(stacks.get(i));
        }
        return f;
    }

    static byte[] killed(String why) {
        return tagged(KILLED, serialize(why, "reason"));
    }

    private static byte[] tagged(byte tag, byte[] body) {
        byte[] out = new byte[body.length + 1];
        out[0] = tag;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /**
     * The value of an outcome, or throws its failure: the remote exception itself if it
     * deserialises, else a {@link RemoteFailure}; a remote kill is a {@link GreenletExit}.
     */
    Object decodeOutcome(byte[] outcome) throws Exception {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome.length > 0 && outcome[0] == FAILURE) {
            Throwable t = decodeFailure(outcome);
            if (t instanceof Exception e) throw e;
            if (t instanceof Error e) throw e;
            throw new RemoteFailure("remote failure: " + t, t);
        }
        Object body;
        try {
            body = deserialize(outcome, 1);
        } catch (IOException | ClassNotFoundException e) {
            throw new RemoteFailure("the remote " + (outcome[0] == VALUE ? "value" : "outcome")
                    + " could not be deserialized here (is its class on the allow-list?): " + e, e);
        }
        switch (outcome[0]) {
            case VALUE:
                return body;
            case KILLED:
                throw new GreenletExit("killed on its member: " + body);
            default:
                throw new RemoteFailure("unknown outcome tag " + outcome[0] + " in " + Arrays.toString(
                        Arrays.copyOf(outcome, Math.min(8, outcome.length))), null);
        }
    }

    /**
     * The exception a failure outcome stands for: the remote throwable itself if it deserialises
     * here, else a {@link RemoteFailure} rebuilt from the header (the local reason attached as a
     * suppressed exception).
     */
    private Throwable decodeFailure(byte[] outcome) {
        byte[] header;
        int bodyAt;
        try {
            if (outcome.length < 5) throw new java.io.StreamCorruptedException("a failure of " + outcome.length + " bytes");
            int n = ((outcome[1] & 0xff) << 24) | ((outcome[2] & 0xff) << 16) | ((outcome[3] & 0xff) << 8) | (outcome[4] & 0xff);
            if (n < 0 || 5L + n > outcome.length) throw new java.io.StreamCorruptedException("a failure header of " + n + " bytes");
            header = Arrays.copyOfRange(outcome, 5, 5 + n);
            bodyAt = 5 + n;
        } catch (IOException e) {
            return new RemoteFailure("a remote failure could not be decoded here: " + e, e);
        }
        Object body;
        Exception notHere;
        try {
            body = deserialize(outcome, bodyAt);
            if (body instanceof Throwable t) return t;
            notHere = body == null ? null : new java.io.InvalidObjectException("not a throwable: " + body.getClass().getName());
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            notHere = e;
        }
        RemoteFailure f;
        try {
            f = fromHeader(header);
        } catch (IOException | RuntimeException e) {
            return new RemoteFailure("a remote failure could not be decoded here: " + e, e);
        }
        if (notHere != null) {
            f.addSuppressed(new RemoteFailure("the remote exception could not be deserialized here (is its class on the"
                    + " allow-list and the class path?): " + notHere, notHere));
        }
        return f;
    }

    /** The outcome bytes of a member-side greenlet's end. */
    static byte[] encode(dev.weft.Greenlet<?> done) {
        Throwable e = done.exception();
        if (done.isKilled()) return killed("killed: " + done.outcome());
        if (e != null) return failure(e);
        try {
            return value(done.value());
        } catch (IllegalArgumentException notSerializable) {
            return failure(notSerializable);
        }
    }
}
