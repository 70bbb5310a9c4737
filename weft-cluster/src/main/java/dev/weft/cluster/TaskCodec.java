package dev.weft.cluster;

import dev.weft.GreenletExit;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
 * {@link #KILLED}) and the serialised value, throwable or message. A throwable that does not
 * serialise travels as a {@link RemoteFailure} with its class name, message and stack trace.
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
        if (o instanceof String str) {
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

    static byte[] failure(Throwable error) {
        byte[] body;
        try {
            body = serialize(error, "failure");
        } catch (IllegalArgumentException notSerializable) {
            body = serialize(RemoteFailure.of(error), "failure");
        }
        return tagged(FAILURE, body);
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
        Object body;
        try {
            body = deserialize(outcome, 1);
        } catch (IOException | ClassNotFoundException e) {
            throw new RemoteFailure("the remote " + (outcome[0] == VALUE ? "value" : "failure")
                    + " could not be deserialized here (is its class on the allow-list?): " + e, e);
        }
        switch (outcome[0]) {
            case VALUE:
                return body;
            case FAILURE:
                if (body instanceof Exception e) throw e;
                if (body instanceof Error e) throw e;
                throw new RemoteFailure("remote failure: " + body, null);
            case KILLED:
                throw new GreenletExit("killed on its member: " + body);
            default:
                throw new RemoteFailure("unknown outcome tag " + outcome[0] + " in " + Arrays.toString(
                        Arrays.copyOf(outcome, Math.min(8, outcome.length))), null);
        }
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
