package dev.weft.cluster;

import dev.weft.GreenletExit;
import dev.weft.Timeout;
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
        for (String p : allowed) {
            if (p.isBlank() || p.contains(";") || p.startsWith("!")) {
                throw new IllegalArgumentException("not an allow-list entry (a class, pkg.* or pkg.**): '" + p + "'");
            }
            pattern.append(p).append(';');
        }
        pattern.append("!*");
        this.filter = ObjectInputFilter.Config.createFilter(pattern.toString());
    }

    ObjectInputFilter filter() {
        return filter;
    }

    /** Serialises {@code o}; {@code what} names it in the error ("task", "function", "item 3"). */
    static byte[] serialize(Object o, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
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
        try (ObjectInputStream in = new Input(new ByteArrayInputStream(bytes, offset, bytes.length - offset))) {
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
        if (e instanceof Timeout t) return killed("its shipped timeout expired: " + t);
        if (e != null) return failure(e);
        try {
            return value(done.value());
        } catch (IllegalArgumentException notSerializable) {
            return failure(notSerializable);
        }
    }
}
