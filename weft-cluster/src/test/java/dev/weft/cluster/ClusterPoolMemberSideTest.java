package dev.weft.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout.ThreadMode;

/** What a member does with a task ({@link RemoteCall}), and the member configuration, without a cluster. */
@org.junit.jupiter.api.Timeout(value = 60, threadMode = ThreadMode.SEPARATE_THREAD)
class ClusterPoolMemberSideTest {
    static final ConcurrentHashMap<String, CountDownLatch> STARTED = new ConcurrentHashMap<>();
    static final Set<String> ENDED = ConcurrentHashMap.newKeySet();

    static CountDownLatch started(String key) {
        return STARTED.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    @Test
    void aCancelledCallKeepsItsExecutorThreadUntilTheKilledTaskHasEnded() throws Exception {
        String k = UUID.randomUUID().toString();
        ClusterPool.Task<String> task = () -> {
            try {
                started(k).countDown();
                Greenlets.sleep(Duration.ofHours(1));
                return "late";
            } finally {
                Greenlets.sleep(Duration.ofMillis(200)); // slow to die: cleanup after the kill
                ENDED.add(k);
            }
        };
        RemoteCall call = new RemoteCall(new ClusterBackend.Job(TaskCodec.serialize(task, "task"), null, -1));
        CompletableFuture<Boolean> endedWhenReturned = new CompletableFuture<>();
        CompletableFuture<byte[]> outcome = new CompletableFuture<>();
        Thread executorThread = Thread.ofPlatform().name("fake-executor").start(() -> {
            outcome.complete(call.call());
            endedWhenReturned.complete(ENDED.contains(k));
        });
        assertTrue(started(k).await(30, TimeUnit.SECONDS));
        executorThread.interrupt(); // what Hazelcast's cancel(true) does to the executor thread
        assertTrue(endedWhenReturned.get(30, TimeUnit.SECONDS), "the thread was held until the task had ended");
        assertThrows(GreenletExit.class, () -> new TaskCodec(java.util.List.of()).decodeOutcome(outcome.get()));
    }

    @Test
    void registerAddsTheBoundedWeftExecutorWhenNoneIsConfigured() {
        Config config = MemberConfig.register(new Config());
        ExecutorConfig weft = config.getExecutorConfigs().get(MemberConfig.EXECUTOR);
        assertNotNull(weft, "the weft executor was added");
        assertEquals(16, weft.getPoolSize());
        assertEquals(256, weft.getQueueCapacity());
    }

    @Test
    void registerKeepsAWeftExecutorConfiguredAlready() {
        Config config = new Config().addExecutorConfig(new ExecutorConfig(MemberConfig.EXECUTOR).setPoolSize(4).setQueueCapacity(8));
        MemberConfig.register(config);
        ExecutorConfig weft = config.getExecutorConfigs().get(MemberConfig.EXECUTOR);
        assertEquals(4, weft.getPoolSize());
        assertEquals(8, weft.getQueueCapacity());
    }
}
