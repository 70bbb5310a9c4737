package dev.weft.cluster;

import java.util.function.Consumer;

/**
 * The engine under a {@link ClusterPool}: it runs a serialised task on some member and reports
 * how it ended. Two implementations: {@link HazelcastBackend} (a Hazelcast cluster) and
 * {@link InProcessBackend} (this process, through serialisation, for tests — also on a simulated
 * hub). Another engine (say, a Redis-backed executor) would implement this interface.
 *
 * <p>The contract a backend keeps: {@code onReply} is called exactly once per {@link #submit}
 * that returned normally, from any thread (possibly the caller's, before {@code submit}
 * returns), and must not block; after {@link Submission#cancel()} it may or may not be called.
 */
public interface ClusterBackend {

    /**
     * One unit of remote work.
     *
     * @param task the serialised task, or the serialised function of a map item
     * @param item the serialised map item, or null for a plain task
     * @param timeoutNanos how long the task may run on its member (the shipped deadline,
     *     relative so that clocks need not agree), or -1 for no limit
     */
    record Job(byte[] task, byte[] item, long timeoutNanos) {
        /**
         * A job.
         *
         * @param task the serialised task or function, not null
         * @param item the serialised item, or null
         * @param timeoutNanos at least 0, or -1 for no limit
         */
        public Job {
            java.util.Objects.requireNonNull(task, "task");
            if (timeoutNanos < -1) throw new IllegalArgumentException("timeoutNanos must be -1 or more: " + timeoutNanos);
        }

        /**
         * This job with another timeout (a resubmission ships what is left).
         *
         * @param nanos the new timeout, or -1
         * @return the job with that timeout
         */
        public Job withTimeout(long nanos) {
            return nanos == timeoutNanos ? this : new Job(task, item, nanos);
        }
    }

    /** How a submission ended. */
    sealed interface Reply {
        /**
         * The task ran to an outcome on its member.
         *
         * @param outcome the serialised outcome (value, failure or kill)
         */
        record Done(byte[] outcome) implements Reply {}

        /**
         * The task provably never started: no member took it (the member was gone before it was
         * sent, or its executor queue was full). Safe to resubmit.
         *
         * @param cause the engine's reason
         */
        record NotStarted(Throwable cause) implements Reply {}

        /**
         * The member left while it held the task: it may or may not have run.
         *
         * @param member which member
         * @param cause the engine's reason
         */
        record Lost(String member, Throwable cause) implements Reply {}

        /**
         * Any other failure of the engine (it was shut down, the submission was cancelled).
         *
         * @param cause the engine's reason
         */
        record Broken(Throwable cause) implements Reply {}
    }

    /** A submitted job: it can be cancelled. */
    interface Submission {
        /** Asks the member to stop the task, interrupting it if it runs; never blocks. */
        void cancel();
    }

    /**
     * Sends {@code job} to a member of the backend's choice.
     *
     * @param job the work
     * @param onReply called once with how it ended, from any thread; must not block
     * @return a handle to cancel it
     */
    Submission submit(Job job, Consumer<Reply> onReply);

    /**
     * How many members take tasks now (a resubmission tries the others before it backs off).
     *
     * @return the number of members, 0 if none
     */
    int memberCount();

    /**
     * True if a caller on a {@code Hub.simulated} hub may use this backend: its replies come from
     * inside the caller's hub, never from another thread. Only {@link InProcessBackend}.
     *
     * @return whether a simulated hub may use it
     */
    default boolean supportsSimulatedHub() {
        return false;
    }

    /**
     * The codec's deserialisation allow-list entries for tasks, items and outcomes beyond the
     * defaults (the JDK's value types and {@code dev.weft.**}).
     *
     * @return class names, {@code pkg.*} or {@code pkg.**} entries
     */
    java.util.List<String> allowList();
}
