package dev.weft.cluster;

/**
 * The member running a task left the cluster (it crashed, was stopped, or stopped answering
 * heartbeats) before the task's outcome came back: the task may or may not have run, in part or
 * whole. {@link ClusterPool} fails the task's greenlet with it by default (at-most-once); with
 * {@link ClusterPool#retry(int)} it resubmits the task elsewhere instead (at-least-once).
 */
public class MemberLost extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * A member loss.
     *
     * @param message which member and task
     * @param cause the engine's exception (Hazelcast's {@code MemberLeftException}), or null
     */
    public MemberLost(String message, Throwable cause) {
        super(message, cause);
    }
}
