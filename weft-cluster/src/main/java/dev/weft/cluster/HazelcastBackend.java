package dev.weft.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.ClassFilter;
import com.hazelcast.config.Config;
import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.IndeterminateOperationState;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import com.hazelcast.spi.exception.TargetNotMemberException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link ClusterBackend} on a Hazelcast cluster: jobs go to the data (non-lite) members'
 * executor {@link MemberConfig#EXECUTOR} through {@code IExecutorService.submitToMember}, to
 * the member with the fewest of this backend's jobs in flight; the reply comes from the
 * returned future's completion callback; a cancel is {@code Future.cancel(true)} (sent from a
 * virtual thread of the JDK's scheduler, since Hazelcast waits for the member's answer), which
 * interrupts the task on its member. Only the executor and membership APIs are used.
 *
 * <p>How Hazelcast's failures map to replies: {@code RejectedExecutionException} (a full
 * executor queue) and {@code TargetNotMemberException} (the member left before the job was
 * sent) are {@link ClusterBackend.Reply.NotStarted}; {@code MemberLeftException},
 * {@code TargetDisconnectedException}, {@code OperationTimeoutException} and Hazelcast's other
 * "indeterminate" states are {@link ClusterBackend.Reply.Lost}; anything else is
 * {@link ClusterBackend.Reply.Broken}.
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class HazelcastBackend implements ClusterBackend {
    private final HazelcastInstance instance;
    private final IExecutorService executor;
    private final List<String> allowList;
    private final ConcurrentHashMap<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger rotation = new AtomicInteger();

    /**
     * A backend submitting through {@code instance} (a member or a lite member; not a client) to the
     * executor {@link MemberConfig#EXECUTOR}.
     *
     * @param instance the caller's Hazelcast instance
     */
    public HazelcastBackend(HazelcastInstance instance) {
        this(instance, MemberConfig.EXECUTOR);
    }

    /**
     * A backend submitting to the executor {@code executorName}.
     *
     * @param instance the caller's Hazelcast instance
     * @param executorName the executor's name; its queue capacity must be finite
     * @throws IllegalArgumentException if the instance's configuration lacks weft's serialisation
     *     factory ({@link MemberConfig#register}), or gives the executor an unbounded queue
     *     (capacity 0 or {@code Integer.MAX_VALUE}, Hazelcast's default for an executor not
     *     configured). Only the caller's configuration is checked: give the members the same.
     */
    public HazelcastBackend(HazelcastInstance instance, String executorName) {
        this.instance = Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(executorName, "executorName");
        Config config = instance.getConfig();
        if (!config.getSerializationConfig().getDataSerializableFactories().containsKey(RemoteCall.FACTORY_ID)) {
            throw new IllegalArgumentException("the instance's config lacks weft's serialisation factory: build it with"
                    + " MemberConfig, or call MemberConfig.register(config) (on every member too)");
        }
        int capacity = config.findExecutorConfig(executorName).getQueueCapacity();
        if (capacity <= 0 || capacity == Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the executor '" + executorName + "' has an unbounded queue (capacity "
                    + capacity + "): an overloaded member would buffer without bound instead of refusing; configure it"
                    + " with a finite queue (MemberConfig.executor, or MemberConfig.register(config) for '"
                    + MemberConfig.EXECUTOR + "'), on every member too");
        }
        this.executor = instance.getExecutorService(executorName);
        this.allowList = allowList(config);
    }

    /**
     * The caller's Hazelcast instance.
     *
     * @return the instance given at construction
     */
    public HazelcastInstance instance() {
        return instance;
    }

    @Override
    public Submission submit(Job job, Consumer<Reply> onReply) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(onReply, "onReply");
        Member target;
        try {
            target = pick();
        } catch (RuntimeException e) { // the caller's instance was shut down: a reply, as from the submit below
            onReply.accept(classify(null, e));
            return () -> {};
        }
        if (target == null) {
            onReply.accept(new Reply.NotStarted(new IllegalStateException("no data member in cluster "
                    + instance.getConfig().getClusterName())));
            return () -> {};
        }
        AtomicInteger count = inFlight.computeIfAbsent(target.getUuid(), u -> new AtomicInteger());
        count.incrementAndGet();
        Future<byte[]> future;
        try {
            future = executor.submitToMember(new RemoteCall(job), target);
        } catch (RuntimeException e) {
            count.decrementAndGet();
            onReply.accept(classify(target, e));
            return () -> {};
        }
        @SuppressWarnings("unchecked")
        CompletionStage<byte[]> stage = (CompletionStage<byte[]>) future;
        stage.whenComplete((outcome, error) -> {
            count.decrementAndGet();
            onReply.accept(error == null ? new Reply.Done(outcome) : classify(target, error));
        });
        // Hazelcast's cancel waits for the member's answer (and retries): never on the caller's
        // carrier, which may be a single-carrier hub's only one
        return () -> Thread.ofVirtual().name("weft-cluster-cancel").start(() -> future.cancel(true));
    }

    /** The data member with the fewest jobs of ours in flight; ties go round robin. */
    private Member pick() {
        List<Member> members = new ArrayList<>();
        for (Member m : instance.getCluster().getMembers()) if (!m.isLiteMember()) members.add(m);
        int n = members.size();
        if (n == 0) return null;
        int start = Math.floorMod(rotation.getAndIncrement(), n);
        Member best = null;
        int bestCount = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Member m = members.get((start + i) % n);
            AtomicInteger c = inFlight.get(m.getUuid());
            int count = c == null ? 0 : c.get();
            if (count < bestCount) {
                best = m;
                bestCount = count;
            }
        }
        return best;
    }

    static Reply classify(Member target, Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RejectedExecutionException || t instanceof TargetNotMemberException) {
                return new Reply.NotStarted(t);
            }
            if (t instanceof MemberLeftException || t instanceof TargetDisconnectedException
                    || t instanceof OperationTimeoutException || t instanceof IndeterminateOperationState) {
                return new Reply.Lost(String.valueOf(target), t);
            }
            if (t instanceof HazelcastInstanceNotActiveException) return new Reply.Broken(t);
            if (t.getCause() == t) break;
        }
        return new Reply.Broken(error);
    }

    @Override
    public int memberCount() {
        int n = 0;
        for (Member m : instance.getCluster().getMembers()) if (!m.isLiteMember()) n++;
        return n;
    }

    @Override
    public List<String> allowList() {
        return allowList;
    }

    /** The allow-list entries of {@code config}'s Java serialisation filter, in TaskCodec's syntax. */
    static List<String> allowList(Config config) {
        List<String> out = new ArrayList<>();
        JavaSerializationFilterConfig filter = config.getSerializationConfig().getJavaSerializationFilterConfig();
        if (filter == null) return List.of();
        ClassFilter white = filter.getWhitelist();
        out.addAll(white.getClasses());
        for (String p : white.getPackages()) out.add(p + ".*");
        for (String p : white.getPrefixes()) out.add(p.endsWith(".") ? p + "**" : p + "*");
        return List.copyOf(out);
    }

    @Override
    public String toString() {
        return "HazelcastBackend[" + instance.getConfig().getClusterName() + ", members=" + memberCount() + "]";
    }
}
