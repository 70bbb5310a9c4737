package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The README's tour snippets (compiled in {@link Tour}) do what the README says. */
class TourTest {
    @Test
    void spawnAndGetReturnsTheGreeting() {
        assertTrue(Tour.spawnAndGet().startsWith("hello from Greenlet-"));
    }

    @Test
    void aKillIsAQuietEnd() {
        assertTrue(Tour.killIsAQuietEnd());
    }

    @Test
    void timeoutsEndTheBlockedCalls() {
        assertEquals("gave up after 50 ms, finished=false", Tour.timeouts());
    }

    @Test
    void jdkBlockingCodeUnderATimeoutGivesTheFallbackAndIsExpired() throws Exception {
        assertEquals("fallback, timed out", Tour.jdkCodeUnderATimeout());
    }

    @Test
    void aKilledGreenletsOutcomeIsKilledAndItsGetIsNull() {
        assertEquals("killed, get()=null", Tour.outcomes());
    }

    @Test
    void aPoolMapsInInputOrderAndImapSeesEveryItem() {
        assertEquals("[A, BB, CCC, DDDD] 4", Tour.pools());
    }

    @Test
    void aLinkedChildsFailureIsRaisedInTheParentAndAMonitorDeliversADown() {
        assertEquals("child failed: NumberFormatException, Value[value=Y]", Tour.links());
    }

    @Test
    void theHubRunsMainAndReturnsItsValue() {
        assertEquals(42, Tour.hubs());
    }

    @Test
    void anEventHandsOverToAGreenlet() {
        assertEquals("go!", Tour.eventsAndResults());
    }

    @Test
    void aQueueFeedsAWorkerUntilItIsClosed() {
        assertEquals(java.util.List.of(1, 4, 9, 16, 25), Tour.queues());
    }

    @Test
    void aCooperativeHubLosesNoUpdateWithoutALock() {
        assertEquals(2_000, Tour.cooperative());
    }

    @Test
    void shrapnelsSuspendResumeAndInParallel() {
        assertEquals("resumed [1, 22, 333] SUCCESS/FAILURE", Tour.shrapnel());
    }

    @Test
    void aHandlerRunsOneWayDepositsBeforeTheSyncCallBehindThem() {
        assertEquals(100, Tour.actors());
    }

    @Test
    void aStateMachineWalksItsStatesAndStopsOnAPostedEvent() {
        assertEquals("OFF [GREEN -> YELLOW, YELLOW -> RED [stop], RED -> OFF]", Tour.stateMachines());
    }

    @Test
    void aStreamServerEchoesOverLoopback() throws Exception {
        assertEquals("hi", Tour.server());
    }

    @Test
    void theJdksHttpServerRunsOnAPoolsExecutorService() throws Exception {
        assertEquals("hello from a greenlet", Tour.httpOnAPool());
    }
}
