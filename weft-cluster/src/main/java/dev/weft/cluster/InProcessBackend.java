package dev.weft.cluster;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Hub;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * A {@link ClusterBackend} in this process, for tests: each job is deserialised (through the
 * allow-list, as on a member) and run as a greenlet of the <em>caller's</em> hub, so a
 * {@code ClusterPool} over it runs deterministically on a {@code Hub.simulated} hub — virtual
 * time, seeded interleavings — while every task, item, value and failure still makes the
 * round trip through Java serialisation.
 *
 * <p>Scripted {@linkplain Fault faults} stand for what a real cluster does to a task: a full
 * executor queue, a member lost before or after it ran the task.
 *
 * {@snippet :
 * InProcessBackend backend = new InProcessBackend(List.of("com.example.**"));
 * backend.failNext(InProcessBackend.Fault.LOST_AFTER_RUN);
 * ClusterPool pool = new ClusterPool(4, backend).retry(1);
 * }
 *
 * <p>Thread safety: every method may be called from any thread.
 */
public final class InProcessBackend implements ClusterBackend {
    /** What the next submission meets instead of a plain run. */
    public enum Fault {
        /** The member's executor queue is full: the task never starts (it is resubmitted). */
        REJECTED,
        /** The member leaves before the task starts: it never runs, but the caller cannot know. */
        LOST_BEFORE_RUN,
        /** The member runs the task to its end, then leaves before the outcome comes back. */
        LOST_AFTER_RUN
    }

    private final List<String> allowList;
    private final TaskCodec codec;
    private final ArrayDeque<Fault> faults = new ArrayDeque<>(); // guarded by itself
    private final AtomicInteger submissions = new AtomicInteger();
    private final AtomicInteger runs = new AtomicInteger();

    /** A backend allowing only the default classes ({@code java.*} value types, {@code dev.weft.**}). */
    public InProcessBackend() {
        this(List.of());
    }

    /**
     * A backend whose deserialisation also allows {@code allowList}.
     *
     * @param allowList class names, {@code pkg.*} or {@code pkg.**} entries
     * @throws IllegalArgumentException if an entry is not one of those forms
     */
    public InProcessBackend(List<String> allowList) {
        this.allowList = List.copyOf(allowList);
        this.codec = new TaskCodec(this.allowList);
    }

    /**
     * Scripts the next submissions: each gets the next of {@code next}, in order, instead of a
     * plain run.
     *
     * @param next the faults
     */
    public void failNext(Fault... next) {
        synchronized (faults) {
            for (Fault f : next) faults.add(Objects.requireNonNull(f, "fault"));
        }
    }

    /**
     * How many jobs were submitted.
     *
     * @return the submissions so far
     */
    public int submissions() {
        return submissions.get();
    }

    /**
     * How many jobs started to run (a job lost before it ran does not count).
     *
     * @return the runs so far
     */
    public int runs() {
        return runs.get();
    }

    @Override
    public Submission submit(Job job, Consumer<Reply> onReply) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(onReply, "onReply");
        submissions.incrementAndGet();
        Fault fault;
        synchronized (faults) {
            fault = faults.poll();
        }
        if (fault == Fault.REJECTED) {
            onReply.accept(new Reply.NotStarted(new java.util.concurrent.RejectedExecutionException("scripted: queue full")));
            return () -> {};
        }
        if (fault == Fault.LOST_BEFORE_RUN) {
            onReply.accept(new Reply.Lost("in-process", new IllegalStateException("scripted: member lost before the run")));
            return () -> {};
        }
        runs.incrementAndGet();
        Greenlet<Object> g = MemberSide.start(Hub.current(), job, codec);
        g.rawlink(done -> {
            if (fault == Fault.LOST_AFTER_RUN) {
                onReply.accept(new Reply.Lost("in-process", new IllegalStateException("scripted: member lost after the run")));
            } else {
                onReply.accept(new Reply.Done(TaskCodec.encode(done)));
            }
        });
        return () -> g.kill(new GreenletExit("cancelled by its caller"), false, null);
    }

    @Override
    public int memberCount() {
        return 1;
    }

    @Override
    public boolean supportsSimulatedHub() {
        return true;
    }

    @Override
    public List<String> allowList() {
        return allowList;
    }

    @Override
    public String toString() {
        return "InProcessBackend[submissions=" + submissions() + ", runs=" + runs() + "]";
    }
}
