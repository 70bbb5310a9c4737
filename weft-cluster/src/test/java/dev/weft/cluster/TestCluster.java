package dev.weft.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** In-JVM Hazelcast members on loopback: a fresh cluster name and port base per run. */
final class TestCluster implements AutoCloseable {
    /** A tiny executor (one thread, a queue of one) on every member, for overload tests. */
    static final String TINY = "weft-tiny";

    final String name = "weft-test-" + UUID.randomUUID();
    final int portBase = 20_000 + ThreadLocalRandom.current().nextInt(0, 400) * 100;
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
        return c;
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
