package dev.weft.actor;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.HubTestBase;
import dev.weft.Interrupted;
import dev.weft.Timeout;
import dev.weft.sync.Event;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** DeferredCallHandler: the seed's examples (Manager, Lemming, ABitSlow, direct calls) and the extras. */
class DeferredCallHandlerTest extends HubTestBase {

    // ------------------------------------------------------------------ the seed's Manager

    interface Resources {
        void update(int value);

        int[] access();
    }

    /** Keeps two fields equal; an update sets one, blocks, then sets the other. */
    static final class Manager extends DeferredCallHandler<Resources> implements Resources {
        int left, right, updates;

        Manager() {
            super(Resources.class);
        }

        @Override
        public void update(int value) {
            left = value;
            Greenlets.yieldNow(); // a blocking point in the middle of the update
            right = value;
            updates++;
        }

        @Override
        public int[] access() {
            return new int[] {left, right, updates};
        }

        void run() {
            while (true) {
                process();           // the pending calls, between two management steps
                Greenlets.yieldNow(); // "do more things"
            }
        }
    }

    @Test
    void consumersCallingSyncNeverSeeAHalfUpdatedResourceWhileMonitorsUpdateOneWay() {
        inHub(() -> {
            Manager manager = new Manager();
            Greenlet<Void> running = Greenlet.spawn(manager::run);
            int monitors = 4, events = 50;
            List<Greenlet<Void>> all = new ArrayList<>();
            for (int m = 0; m < monitors; m++) {
                int base = m * 1000;
                all.add(Greenlet.spawn(() -> {
                    for (int e = 1; e <= events; e++) {
                        manager.oneway().update(base + e);
                        Greenlets.yieldNow();
                    }
                }));
            }
            List<String> torn = new CopyOnWriteArrayList<>();
            for (int c = 0; c < 3; c++) {
                all.add(Greenlet.spawn(() -> {
                    for (int i = 0; i < 50; i++) {
                        int[] r = manager.sync().access();
                        if (r[0] != r[1]) torn.add(r[0] + "/" + r[1]);
                    }
                }));
            }
            Greenlets.joinAll(all);
            assertEquals(List.of(), torn, "a consumer saw a half-updated resource");
            assertEquals(monitors * events, manager.sync().access()[2], "every one-way update ran once");
            running.kill();
        });
    }

    // ------------------------------------------------------------------ the seed's Lemming

    interface Jumper {
        void kaboom();

        void checkedKaboom() throws IOException;

        int ping();
    }

    static final class Lemming extends DeferredCallHandler<Jumper> implements Jumper {
        final RuntimeException scream = new IllegalStateException("#high pitched# oh no!");
        final IOException checked = new IOException("checked");

        Lemming() {
            super(Jumper.class);
        }

        @Override
        public void kaboom() {
            throw scream;
        }

        @Override
        public void checkedKaboom() throws IOException {
            throw checked;
        }

        @Override
        public int ping() {
            return 1;
        }
    }

    @Test
    void aSyncCallRethrowsTheVeryExceptionInTheCaller() {
        inHub(() -> {
            Lemming lemming = new Lemming();
            lemming.spawnProcessing();
            RuntimeException e = assertThrows(RuntimeException.class, () -> lemming.sync().kaboom());
            assertSame(lemming.scream, e);
        });
    }

    @Test
    void aSyncCallRethrowsACheckedExceptionAsTheMethodDeclaresIt() {
        inHub(() -> {
            Lemming lemming = new Lemming();
            lemming.spawnProcessing();
            IOException e = assertThrows(IOException.class, () -> lemming.sync().checkedKaboom());
            assertSame(lemming.checked, e);
        });
    }

    @Test
    void aOneWayCallsExceptionIsReportedOnceAndProcessingGoesOn() {
        List<Throwable> reported = new CopyOnWriteArrayList<>();
        hub.setErrorHandler((source, error) -> reported.add(error));
        inHub(() -> {
            Lemming lemming = new Lemming();
            lemming.spawnProcessing();
            lemming.oneway().kaboom(); // returns at once
            assertEquals(1, lemming.sync().ping(), "the handler still processes");
            assertEquals(1, reported.size());
            assertSame(lemming.scream, reported.get(0));
        });
    }

    @Test
    void aOneWayCallOfAValueReturningMethodFailsAtTheCallAndQueuesNothing() {
        inHub(() -> {
            Lemming lemming = new Lemming();
            UnsupportedOperationException e =
                    assertThrows(UnsupportedOperationException.class, () -> lemming.oneway().ping());
            assertTrue(e.getMessage().contains("ping"), e.getMessage());
            assertEquals(0, lemming.pending());
        });
    }

    // ------------------------------------------------------------------ the seed's ABitSlow

    interface Slow {
        void takingMyTime();
    }

    static final class ABitSlow extends DeferredCallHandler<Slow> implements Slow {
        ABitSlow() {
            super(Slow.class);
        }

        @Override
        public void takingMyTime() {
            Greenlets.sleep(Duration.ofSeconds(10));
        }
    }

    @Test
    void aSyncCallWithATimeoutRaisesTimeoutInTheCaller() {
        inHub(() -> {
            ABitSlow slow = new ABitSlow();
            slow.spawnProcessing();
            assertThrows(Timeout.class, () -> slow.sync(Duration.ofMillis(50)).takingMyTime());
        }); // the leftover processing greenlet is killed when main ends
    }

    interface Forwarding {
        void forward();

        String alive();
    }

    /** Calls a slow handler with a short timeout of its own: the Timeout is the call's failure. */
    static final class Forwarder extends DeferredCallHandler<Forwarding> implements Forwarding {
        final ABitSlow slow = new ABitSlow();

        Forwarder() {
            super(Forwarding.class);
        }

        @Override
        public void forward() {
            slow.sync(Duration.ofMillis(10)).takingMyTime();
        }

        @Override
        public String alive() {
            return "alive";
        }
    }

    @Test
    void aTimeoutThatAHandledMethodLetsEscapeReachesTheCallerAndTheHandlerGoesOn() {
        hub.setErrorHandler((s, e) -> {}); // the one-way call's Timeout is reported
        inHub(() -> {
            Forwarder r = new Forwarder();
            r.slow.spawnProcessing();
            Greenlet<Void> processing = r.spawnProcessing();
            assertThrows(Timeout.class, () -> r.sync().forward(), "the call's own failure, not a stopped handler");
            r.oneway().forward(); // reported, and processing goes on
            assertEquals("alive", r.sync().alive());
            assertFalse(processing.isDead());
        });
    }

    @Test
    void aTimeoutOfTheProcessingGreenletItselfStillStopsIt() {
        hub.setErrorHandler((s, e) -> {});
        inHub(() -> {
            ABitSlow slow = new ABitSlow();
            Greenlet<Void> processing = Greenlet.spawn(() -> {
                try (Timeout t = Timeout.start(Duration.ofMillis(20))) {
                    slow.process(true, null);
                }
            });
            Greenlet<Void> caller = Greenlet.spawn(() -> slow.sync().takingMyTime());
            assertThrows(HandlerStoppedException.class, () -> caller.get(LONG));
            processing.join(LONG);
            assertInstanceOf(Timeout.class, processing.exception());
        });
    }

    // ------------------------------------------------------------------ cancellation

    interface Recorder {
        void record(String what);

        void hold(String what);

        List<String> seen();
    }

    static final class Log extends DeferredCallHandler<Recorder> implements Recorder {
        final List<String> seen = new CopyOnWriteArrayList<>();
        final Event gate = new Event();
        final Event holding = new Event();
        volatile Greenlet<?> ranIn;

        Log() {
            super(Recorder.class);
        }

        @Override
        public void record(String what) {
            ranIn = Greenlet.current();
            seen.add(what);
        }

        @Override
        public void hold(String what) {
            holding.set();
            gate.await();
            seen.add(what);
        }

        @Override
        public List<String> seen() {
            return List.copyOf(seen);
        }
    }

    @Test
    void aSyncCallThatTimesOutBeforeItIsTakenNeverRuns() {
        inHub(() -> {
            Log log = new Log(); // nobody processes yet
            assertThrows(Timeout.class, () -> log.sync(Duration.ofMillis(10)).record("late"));
            log.oneway().record("after");
            log.process();
            assertEquals(List.of("after"), log.seen());
            assertEquals(0, log.pending());
        });
    }

    @Test
    void aSyncCallerKilledBeforeItsCallIsTakenWithdrawsIt() {
        inHub(() -> {
            Log log = new Log();
            Greenlet<Void> caller = Greenlet.spawn(() -> log.sync().record("never"));
            awaitWaiting(caller);
            caller.kill();
            assertTrue(caller.isKilled());
            log.process();
            assertEquals(List.of(), log.seen());
        });
    }

    @Test
    void aSyncCallAlreadyTakenRunsToItsEndWhenItsCallerTimesOut() {
        inHub(() -> {
            Log log = new Log();
            Greenlet<Void> processing = log.spawnProcessing();
            // the caller's timeout is long enough for the call to be surely taken first, even on a loaded machine
            Greenlet<Void> caller = Greenlet.spawn(() -> log.sync(Duration.ofSeconds(1)).hold("finished"));
            assertTrue(log.holding.await(LONG), "the handler took the call and runs it");
            assertThrows(Timeout.class, caller::get);
            log.gate.set();
            assertEquals(List.of("finished"), log.sync().seen(), "it ran to its end, unread");
            assertTrue(processing.isAlive());
        });
    }

    @Test
    void aSyncCallerKilledWhileItsCallRunsLetsTheCallFinish() {
        inHub(() -> {
            Log log = new Log();
            log.spawnProcessing();
            Greenlet<Void> caller = Greenlet.spawn(() -> log.sync().hold("finished"));
            log.holding.await();
            caller.kill();
            assertTrue(caller.isKilled());
            log.gate.set();
            assertEquals(List.of("finished"), log.sync().seen());
        });
    }

    interface Slowly {
        void record(int id);
    }

    static final class SlowLog extends DeferredCallHandler<Slowly> implements Slowly {
        final List<Integer> seen = new CopyOnWriteArrayList<>();

        SlowLog() {
            super(Slowly.class);
        }

        @Override
        public void record(int id) {
            seen.add(id);
            Greenlets.sleep(Duration.ofMillis(1));
        }
    }

    @Test
    void everySyncCallRunsOnceOrNotAtAllWhenCallersTimeOutConcurrently() {
        inHub(() -> {
            SlowLog log = new SlowLog();
            log.spawnProcessing();
            int callers = 100;
            List<Integer> returned = new CopyOnWriteArrayList<>();
            List<Greenlet<Void>> all = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                int id = i;
                all.add(Greenlet.spawn(() -> {
                    try {
                        log.sync(Duration.ofMillis(1 + id % 40)).record(id);
                        returned.add(id);
                    } catch (Timeout expected) {
                        // withdrawn (never runs) or already taken (runs once, unread)
                    }
                }));
            }
            Greenlets.joinAll(all);
            log.sync().record(-1); // everything taken before it has finished
            List<Integer> seen = new ArrayList<>(log.seen);
            assertEquals(-1, seen.remove(seen.size() - 1));
            assertEquals(seen.size(), new java.util.HashSet<>(seen).size(), "no call ran twice");
            assertTrue(seen.containsAll(returned), "every call that returned ran");
            assertTrue(seen.size() < callers, "some calls were withdrawn before they ran: " + seen.size());
        });
    }

    // ------------------------------------------------------------------ direct calls, processing

    @Test
    void aDirectCallBypassesTheQueueAndRunsInTheCaller() {
        inHub(() -> {
            Log log = new Log();
            Greenlet<Void> processing = log.spawnProcessing();
            log.record("direct");
            assertSame(Greenlet.current(), log.ranIn);
            log.sync().record("queued");
            assertSame(processing, log.ranIn);
            assertEquals(List.of("direct", "queued"), log.seen());
        });
    }

    @Test
    void processRunsTheQueuedCallsInOrderInTheCallerAndReturns() {
        inHub(() -> {
            Log log = new Log();
            for (String s : List.of("a", "b", "c")) log.oneway().record(s);
            assertEquals(3, log.pending());
            log.process();
            assertEquals(List.of("a", "b", "c"), log.seen());
            assertSame(Greenlet.current(), log.ranIn);
            assertEquals(0, log.pending());
        });
    }

    interface Two {
        void a(int n);

        void b(int n);
    }

    static final class TwoLog extends DeferredCallHandler<Two> implements Two {
        final List<String> seen = new ArrayList<>();

        TwoLog() {
            super(Two.class);
        }

        @Override
        public void a(int n) {
            seen.add("a" + n);
        }

        @Override
        public void b(int n) {
            seen.add("b" + n);
        }
    }

    @Test
    void aWhitelistRunsOnlyItsMethodsAndLeavesTheOthersQueuedInOrder() {
        inHub(() -> {
            TwoLog log = new TwoLog();
            log.oneway().a(1);
            log.oneway().b(2);
            log.oneway().a(3);
            log.oneway().b(4);
            log.process(false, Set.of("a"));
            assertEquals(List.of("a1", "a3"), log.seen);
            assertEquals(2, log.pending());
            log.oneway().a(5);
            log.process();
            assertEquals(List.of("a1", "a3", "b2", "b4", "a5"), log.seen);
        });
    }

    @Test
    void aSyncCallerOfAMethodOffTheWhitelistWaitsForALaterProcess() {
        inHub(() -> {
            TwoLog log = new TwoLog();
            Greenlet<Void> caller = Greenlet.spawn(() -> log.sync().b(1));
            awaitWaiting(caller);
            log.process(false, Set.of("a"));
            assertFalse(caller.isDead(), "its call is kept, not dropped");
            log.process();
            caller.get();
            assertEquals(List.of("b1"), log.seen);
        });
    }

    @Test
    void aWhitelistNamingNoMethodIsRefused() {
        inHub(() -> {
            TwoLog log = new TwoLog();
            assertThrows(IllegalArgumentException.class, () -> log.process(false, Set.of("c")));
        });
    }

    @Test
    void stopProcessingLetsTheCurrentCallFinishAndLeavesTheRestQueued() {
        inHub(() -> {
            Log log = new Log();
            Greenlet<Void> processing = Greenlet.spawn(() -> log.process(true, null));
            log.oneway().hold("held");
            log.oneway().record("behind");
            log.holding.await();
            log.stopProcessing();
            log.gate.set();
            processing.join();
            assertTrue(processing.isSuccessful());
            assertEquals(List.of("held"), log.seen());
            assertEquals(1, log.pending());
            log.process();
            assertEquals(List.of("held", "behind"), log.seen());
        });
    }

    @Test
    void stopProcessingWakesAnIdleProcessor() {
        inHub(() -> {
            Log log = new Log();
            Greenlet<Void> processing = Greenlet.spawn(() -> log.process(true, null));
            log.sync().record("one"); // the processor runs, then waits for more
            log.stopProcessing();
            assertTrue(processing.join(LONG));
            assertTrue(processing.isSuccessful());
        });
    }

    @Test
    void aSecondGreenletCannotProcessWhileOneDoes() {
        inHub(() -> {
            Log log = new Log();
            Greenlet<Void> processing = Greenlet.spawn(() -> log.process(true, null));
            log.sync().record("one");
            assertThrows(IllegalStateException.class, log::process);
            processing.kill();
        });
    }

    // ------------------------------------------------------------------ calls from inside

    interface Selfish {
        int outer();

        int inner();
    }

    static final class SelfCaller extends DeferredCallHandler<Selfish> implements Selfish {
        SelfCaller() {
            super(Selfish.class);
        }

        @Override
        public int outer() {
            return sync().inner() + 1; // would wait for itself if it were queued
        }

        @Override
        public int inner() {
            return 41;
        }
    }

    @Test
    void aSyncCallFromInsideTheHandlerRunsInline() {
        inHub(() -> {
            SelfCaller h = new SelfCaller();
            h.spawnProcessing();
            assertEquals(42, h.sync().outer());
        });
    }

    interface Relay {
        int ping();

        int relay();

        int value();
    }

    static final class Peer extends DeferredCallHandler<Relay> implements Relay {
        Peer other;
        final int value;

        Peer(int value) {
            super(Relay.class);
            this.value = value;
        }

        @Override
        public int ping() {
            return other.sync().relay();
        }

        @Override
        public int relay() {
            return other.sync().value() * 100 + value; // calls back the peer waiting for us
        }

        @Override
        public int value() {
            return value;
        }
    }

    @Test
    void aCalleeCallingBackItsWaitingCallerRunsInline() {
        inHub(() -> {
            Peer a = new Peer(1);
            Peer b = new Peer(2);
            a.other = b;
            b.other = a;
            a.spawnProcessing();
            b.spawnProcessing();
            assertEquals(102, a.sync().ping()); // a waits on b, b calls a: inline, no deadlock
        });
    }

    // ------------------------------------------------------------------ the handler dies

    @Test
    void callersWaitingOnAHandlerThatIsKilledFailFastWithItsExit() {
        inHub(() -> {
            Log log = new Log();
            Greenlet<Void> processing = log.spawnProcessing();
            Greenlet<Void> running = Greenlet.spawn(() -> log.sync().hold("never finished"));
            log.holding.await();
            Greenlet<Void> queued = Greenlet.spawn(() -> log.sync().record("never run"));
            awaitWaiting(queued);
            processing.kill();
            HandlerStoppedException r = assertThrows(HandlerStoppedException.class, running::get);
            assertInstanceOf(GreenletExit.class, r.getCause());
            HandlerStoppedException q = assertThrows(HandlerStoppedException.class, queued::get);
            assertInstanceOf(GreenletExit.class, q.getCause());
            assertTrue(log.isStopped());
            assertEquals(List.of(), log.seen());
        });
    }

    @Test
    void callersWaitingOnAHandlerThatFailsGetItsFailureAsTheCause() {
        inHub(() -> {
            Log log = new Log();
            Greenlet<Void> processing = log.spawnProcessing();
            log.oneway().hold("stuck");
            log.holding.await();
            Greenlet<Void> queued = Greenlet.spawn(() -> log.sync().record("never run"));
            awaitWaiting(queued);
            Interrupted crash = new Interrupted("crash");
            processing.kill(crash);
            assertSame(crash, processing.exception());
            HandlerStoppedException e = assertThrows(HandlerStoppedException.class, queued::get);
            assertSame(crash, e.getCause());
        });
    }

    @Test
    void callsToAStoppedHandlerFailAtOnce() {
        inHub(() -> {
            Log log = new Log();
            Greenlet<Void> processing = log.spawnProcessing();
            processing.kill();
            HandlerStoppedException s = assertThrows(HandlerStoppedException.class, () -> log.sync().record("x"));
            assertInstanceOf(GreenletExit.class, s.getCause());
            assertThrows(HandlerStoppedException.class, () -> log.oneway().record("y"));
            assertThrows(HandlerStoppedException.class, log::process);
        });
    }

    @Test
    void stopProcessingEndsASpawnedProcessorAndStopsTheHandler() {
        inHub(() -> {
            Log log = new Log();
            Greenlet<Void> processing = log.spawnProcessing();
            log.sync().record("one");
            log.stopProcessing();
            processing.join();
            assertTrue(processing.isSuccessful());
            HandlerStoppedException s = assertThrows(HandlerStoppedException.class, () -> log.sync().record("x"));
            assertNull(s.getCause());
        });
    }

    @Test
    void aHandlerWithASpawnedProcessorRefusesProcessFromAnotherGreenlet() {
        inHub(() -> {
            Log log = new Log();
            log.spawnProcessing();
            assertThrows(IllegalStateException.class, log::process);
        });
    }

    @Test
    void spawnProcessingTwiceIsRefused() {
        inHub(() -> {
            Log log = new Log();
            log.spawnProcessing();
            assertThrows(IllegalStateException.class, log::spawnProcessing);
        });
    }

    // ------------------------------------------------------------------ construction

    static final class NotARecorder extends DeferredCallHandler<Recorder> {
        NotARecorder() {
            super(Recorder.class);
        }
    }

    @Test
    void aHandlerThatDoesNotImplementItsInterfaceIsRefused() {
        assertThrows(IllegalArgumentException.class, NotARecorder::new);
    }

    @Test
    void wrapDefersCallsToAnExistingImplementation() {
        inHub(() -> {
            List<String> seen = new ArrayList<>();
            Two impl = new Two() {
                public void a(int n) {
                    seen.add("a" + n);
                }

                public void b(int n) {
                    seen.add("b" + n);
                }
            };
            DeferredCallHandler<Two> h = DeferredCallHandler.wrap(Two.class, impl);
            h.spawnProcessing();
            h.oneway().a(1);
            h.sync().b(2);
            assertEquals(List.of("a1", "b2"), seen);
        });
    }

    @Test
    void wrapRefusesAClass() {
        assertThrows(IllegalArgumentException.class, () -> DeferredCallHandler.wrap(Object.class, new Object()));
    }

    @Test
    void stopProcessingAfterTheHandlerStoppedDoesNothing() {
        inHub(() -> {
            ABitSlow slow = new ABitSlow();
            Greenlet<Void> processing = slow.spawnProcessing();
            slow.stopProcessing();
            processing.join(LONG);
            assertTrue(slow.isStopped());
            slow.stopProcessing(); // it threw QueueClosedException
            assertTrue(slow.isStopped());
        });
    }
}
