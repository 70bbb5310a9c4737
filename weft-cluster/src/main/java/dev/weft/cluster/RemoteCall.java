package dev.weft.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The envelope Hazelcast carries to a member: a {@link ClusterBackend.Job} as byte arrays
 * ({@link IdentifiedDataSerializable}, created by id through a factory {@link MemberConfig}
 * registers: the envelope itself needs no Java serialisation and no class lookup). On the member
 * it runs the job as a greenlet of the member's hub ({@link MemberSide}) and waits for it on the
 * executor's thread; a {@code cancel(true)} from the caller interrupts that wait, which kills the
 * greenlet and waits (at most 5 seconds) for it to die. Its value is the serialised
 * outcome.
 *
 * <p>Public only because Hazelcast instantiates it reflectively on the member; not an API.
 */
public final class RemoteCall implements Callable<byte[]>, IdentifiedDataSerializable, HazelcastInstanceAware {
    /** The factory id weft registers in every member's serialisation config ({@link MemberConfig}). */
    public static final int FACTORY_ID = 0x77656674; // "weft"
    static final int CLASS_ID = 1;

    /** Makes {@code RemoteCall}s on deserialisation, by id (no class lookup by name per call). */
    static final DataSerializableFactory FACTORY = id -> id == CLASS_ID ? new RemoteCall() : null;

    @Override
    public int getFactoryId() {
        return FACTORY_ID;
    }

    @Override
    public int getClassId() {
        return CLASS_ID;
    }

    /**
     * How long a cancelled call keeps its executor thread waiting for the killed task to die; a
     * task that ignores its kill longer runs on past it, without a thread of the executor.
     */
    static final java.time.Duration KILL_GRACE = java.time.Duration.ofSeconds(5);

    private static final ConcurrentHashMap<String, TaskCodec> CODECS = new ConcurrentHashMap<>();

    private byte[] task;
    private byte[] item;
    private long timeoutNanos;
    private transient HazelcastInstance instance;

    /** For Hazelcast's deserialisation. */
    public RemoteCall() {}

    RemoteCall(ClusterBackend.Job job) {
        this.task = job.task();
        this.item = job.item();
        this.timeoutNanos = job.timeoutNanos();
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance hazelcastInstance) {
        this.instance = hazelcastInstance;
    }

    @Override
    public byte[] call() {
        TaskCodec codec = instance == null ? new TaskCodec(java.util.List.of())
                : CODECS.computeIfAbsent(instance.getName(), n -> new TaskCodec(HazelcastBackend.allowList(instance.getConfig())));
        Greenlet<Object> g = MemberSide.start(MemberSide.hub(), new ClusterBackend.Job(task, item, timeoutNanos), codec);
        try {
            g.join();
        } catch (CancellationException interrupted) { // cancel(true): Hazelcast interrupted this thread
            Thread.interrupted(); // cleared first, or the wait below would end at once
            // keep this executor thread until the greenlet has died (at most KILL_GRACE), so the
            // executor's poolSize still bounds the member's running tasks after a cancel
            try {
                g.kill(new GreenletExit("cancelled by its caller"), true, KILL_GRACE);
            } catch (CancellationException again) { // interrupted once more: stop waiting (the kill was sent)
                Thread.interrupted();
            }
            return TaskCodec.killed("cancelled by its caller");
        }
        return TaskCodec.encode(g);
    }

    @Override
    public void writeData(ObjectDataOutput out) throws IOException {
        out.writeByteArray(task);
        out.writeByteArray(item);
        out.writeLong(timeoutNanos);
    }

    @Override
    public void readData(ObjectDataInput in) throws IOException {
        task = in.readByteArray();
        item = in.readByteArray();
        timeoutNanos = in.readLong();
    }

    /** Forgets the codec of a member that shut down (tests start many). */
    static void forget(String instanceName) {
        CODECS.remove(instanceName);
    }
}
