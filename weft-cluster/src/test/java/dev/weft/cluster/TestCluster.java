package dev.weft.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** In-JVM Hazelcast members on loopback: a fresh cluster name and port base per run. */
final class TestCluster implements AutoCloseable {
    /** A tiny executor (one thread, a queue of one) on every member, for overload tests. */
    static final String TINY = "weft-tiny";
    /** An executor whose queue capacity is 0 (Hazelcast reads it as unbounded): HazelcastBackend refuses it. */
    static final String ZERO_QUEUE = "weft-zero-queue";

    final String name = "weft-test-" + UUID.randomUUID();
    final int portBase = freePortBase();
    final List<HazelcastInstance> members = new ArrayList<>();

    TestCluster(int count) {
        for (int i = 0; i < count; i++) members.add(Hazelcast.newHazelcastInstance(config(count)));
    }

    Config config(int count) {
        MemberConfig mc = new MemberConfig(name).port(portBase);
        for (int i = 0; i < count; i++) mc.members("127.0.0.1:" + (portBase + i));
        Config c = mc
                .executor(8, 64)
                .build();
        c.addExecutorConfig(new ExecutorConfig(TINY).setPoolSize(1).setQueueCapacity(1));
        c.addExecutorConfig(new ExecutorConfig(ZERO_QUEUE).setQueueCapacity(0));
        return c;
    }

    /**
     * A random base whose block of 100 ports (the members, and extras at base + 50) is free on
     * loopback now. Bases lie in 20000-31900, so the blocks stay below Linux's ephemeral ports
     * (32768-60999): an outgoing connection elsewhere cannot take one meanwhile.
     */
    static int freePortBase() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int base = 20_000 + ThreadLocalRandom.current().nextInt(0, 120) * 100;
            if (allFree(base, 100)) return base;
        }
        throw new IllegalStateException("no block of 100 free ports found in 20000-31999");
    }

    private static boolean allFree(int base, int count) {
        InetAddress loopback;
        try {
            loopback = InetAddress.getByName("127.0.0.1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (int port = base; port < base + count; port++) {
            try (ServerSocket probe = new ServerSocket(port, 1, loopback)) {
                // bound: free
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    HazelcastInstance caller() {
        return members.get(0);
    }

    @Override
    public void close() {
        for (HazelcastInstance m : members) {
            RemoteCall.forget(m.getName());
            m.getLifecycleService().terminate();
        }
    }
}
