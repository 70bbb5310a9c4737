package dev.weft.internal;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Hub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Whether an untimed wait spins before it parks: only when another carrier can make the
 * hand-over meanwhile. A spin with one carrier holds the carrier the awaited greenlet needs.
 */
class SpinDecisionTest {
    private static final String PARALLELISM = "jdk.virtualThreadScheduler.parallelism";
    private final String saved = System.getProperty(PARALLELISM);

    @AfterEach
    void restore() {
        if (saved == null) System.clearProperty(PARALLELISM);
        else System.setProperty(PARALLELISM, saved);
    }

    @Test
    void schedulerParallelismIsTheJdkPropertyWhenPositive() {
        System.setProperty(PARALLELISM, "3");
        assertEquals(3, VirtualThreads.defaultSchedulerParallelism());
        System.setProperty(PARALLELISM, " 1 ");
        assertEquals(1, VirtualThreads.defaultSchedulerParallelism());
    }

    @Test
    void schedulerParallelismFallsBackToTheProcessorsWhenUnsetOrInvalid() {
        int cpus = Runtime.getRuntime().availableProcessors();
        System.clearProperty(PARALLELISM);
        assertEquals(cpus, VirtualThreads.defaultSchedulerParallelism());
        System.setProperty(PARALLELISM, "0");
        assertEquals(cpus, VirtualThreads.defaultSchedulerParallelism());
        System.setProperty(PARALLELISM, "many");
        assertEquals(cpus, VirtualThreads.defaultSchedulerParallelism());
    }

    @Test
    void aParallelHubDoesNotSpinWhenTheJdkSchedulerHasOneCarrier() {
        System.setProperty(PARALLELISM, "1");
        try (Hub hub = Hub.parallel()) {
            assertFalse(((HubCore) hub).spinBeforePark);
        }
    }

    @Test
    void aParallelHubSpinsWhenTheJdkSchedulerHasSeveralCarriersOnSeveralCores() {
        Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() > 1, "needs two cores");
        System.setProperty(PARALLELISM, "2");
        try (Hub hub = Hub.parallel()) {
            assertTrue(((HubCore) hub).spinBeforePark);
        }
    }

    @Test
    void aCooperativeHubNeverSpins() {
        try (Hub hub = Hub.cooperative()) {
            assertFalse(((HubCore) hub).spinBeforePark);
        }
    }
}
