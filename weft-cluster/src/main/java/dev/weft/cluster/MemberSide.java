package dev.weft.cluster;

import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.Timeout;
import dev.weft.pool.CheckedFunction;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * What a member does with a {@link ClusterBackend.Job}: deserialise it through the allow-list and
 * run it as a greenlet of a local hub, under a {@link Timeout} set to the shipped deadline (so an
 * orphaned task stops even if its caller died). A task that does not deserialise fails with a
 * {@link RemoteFailure}.
 */
final class MemberSide {
    private MemberSide() {}

    /** The hub member-side tasks run in (one per JVM, parallel, made on first use). */
    private static volatile Hub hub;

    static Hub hub() {
        Hub h = hub;
        if (h == null) {
            synchronized (MemberSide.class) {
                h = hub;
                if (h == null) hub = h = Hub.parallel();
            }
        }
        return h;
    }

    /** Starts {@code job} in a new greenlet of {@code in}; its outcome is the task's. */
    static Greenlet<Object> start(Hub in, ClusterBackend.Job job, TaskCodec codec) {
        return in.spawn(() -> run(job, codec));
    }

    @SuppressWarnings("unchecked")
    private static Object run(ClusterBackend.Job job, TaskCodec codec) throws Exception {
        Timeout deadline = job.timeoutNanos() < 0 ? null : Timeout.start(Duration.ofNanos(job.timeoutNanos()));
        try {
            Object task;
            Object item = null;
            try {
                if (job.item() != null) {
                    task = codec.function(job.task());
                    item = codec.deserialize(job.item());
                } else {
                    task = codec.deserialize(job.task());
                }
            } catch (java.io.IOException | ClassNotFoundException e) {
                throw new RemoteFailure("the task could not be deserialized on its member (is its class on the"
                        + " allow-list and on the member's class path?): " + e, e);
            }
            if (job.item() != null) return ((CheckedFunction<Object, Object>) task).applyChecked(item);
            return ((Callable<Object>) task).call();
        } catch (Timeout t) {
            // the shipped deadline ends the task as a kill (the caller's stand-in was, or will be,
            // stopped by its own Timeout); a Timeout of the task's own that escapes it is its
            // failure, as it is for a local greenlet
            if (t == deadline) throw new dev.weft.GreenletExit("its shipped timeout expired: " + t);
            throw t;
        } finally {
            if (deadline != null) deadline.cancel();
        }
    }
}
