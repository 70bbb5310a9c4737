package dev.weft.link;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletFailure;
import dev.weft.HubTestBase;
import dev.weft.Outcome;
import dev.weft.Timeout;
import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import dev.weft.sync.Queue;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** waitAll (proc.py's waitall, test__proc's TestStuff) and wrapErrors, under every hub. */
class WaitAllTest extends HubTestBase {

    @Test
    void waitAllReturnsTheValuesInInputOrderWhateverTheOrderOfEnding() {
        inHub(() -> {
            Event first = new Event();
            Greenlet<Integer> x = Greenlet.spawn(() -> {
                first.await();
                return 1;
            });
            Greenlet<Integer> y = Greenlet.spawn(() -> {
                first.set(); // y ends before x
                return 2;
            });
            Greenlet<Integer> z = Greenlet.spawn(() -> 3);
            assertEquals(List.of(1, 2, 3), Links.waitAll(List.of(x, y, z)));
            assertEquals(List.of(1, 2, 3, 1), Links.waitAll(List.of(x, y, z, x)));
        });
    }

    @Test
    void withoutTrapErrorsTheFailureThatHappenedFirstInTimeIsThrown() {
        // on a parallel hub the joiner of b may be woken, fail and be heard before b's own end
        // reaches waitAll (its waiters wake as its listeners run): exact order on one carrier only
        org.junit.jupiter.api.Assumptions.assumeTrue(hub.isSingleCarrier(),
                "first-in-time is exact on single-carrier hubs; see Links.waitAll");
        inHub(() -> {
            IllegalStateException first = new IllegalStateException("first in time");
            Greenlet<Integer> b = Greenlet.spawn(() -> {
                throw first;
            });
            Greenlet<Integer> a = Greenlet.spawn(() -> {
                b.join();
                throw new IllegalStateException("second in time");
            });
            assertSame(first, assertThrows(IllegalStateException.class, () -> Links.waitAll(List.of(a, b))));
        });
    }

    @Test
    void withoutTrapErrorsAKillIsThrownAsALinkedKillAndACheckedFailureWrapped() {
        inHub(() -> {
            Event never = new Event();
            Greenlet<Void> killed = Greenlet.spawn(() -> never.await());
            killed.kill();
            LinkedKilled e = assertThrows(LinkedKilled.class, () -> Links.waitAll(List.of(killed)));
            assertSame(killed, e.source());
            Greenlet<Void> checked = Greenlet.spawn(() -> {
                throw new IOException("disk");
            });
            GreenletFailure f = assertThrows(GreenletFailure.class, () -> Links.waitAll(List.of(checked)));
            assertInstanceOf(IOException.class, f.getCause());
        });
    }

    @Test
    void withTrapErrorsFailedSlotsHoldTheirExceptionInInputOrder() {
        inHub(() -> {
            IllegalStateException boom = new IllegalStateException("boom");
            Event never = new Event();
            Greenlet<Integer> ok = Greenlet.spawn(() -> 1);
            Greenlet<Integer> bad = Greenlet.spawn(() -> {
                throw boom;
            });
            Greenlet<Integer> killed = Greenlet.spawn(() -> {
                never.await();
                return 0;
            });
            killed.kill();
            List<Outcome<Integer>> out = Links.waitAll(List.of(ok, bad, killed), true, null);
            assertEquals(new Outcome.Value<>(1), out.get(0));
            assertSame(boom, ((Outcome.Failed<Integer>) out.get(1)).error());
            assertInstanceOf(Outcome.Killed.class, out.get(2));
        });
    }

    @Test
    void aGivenQueueCollectsTheDownsAndKeepsOthersDownsInOrder() {
        inHub(() -> {
            Queue<Down> q = new Queue<>();
            AsyncResult<String> elsewhere = new AsyncResult<>();
            Links.monitor(elsewhere, q);
            elsewhere.set("other");
            Greenlet<Integer> g = Greenlet.spawn(() -> 5);
            assertEquals(List.of(new Outcome.Value<>(5)), Links.waitAll(List.of(g), false, q));
            assertEquals(1, q.size());
            assertSame(elsewhere, q.get().source());
        });
    }

    @Test
    void waitAllSourcesTakesResultsAndEvents() {
        inHub(() -> {
            AsyncResult<String> r = new AsyncResult<>();
            Event e = new Event();
            Greenlet.spawn(() -> {
                r.set("r");
                e.set();
            });
            List<Outcome<?>> out = Links.waitAllSources(List.of(r, e), false, null);
            assertEquals(List.of(new Outcome.Value<>("r"), new Outcome.Value<>(null)), out);
        });
    }

    @Test
    @SuppressWarnings("try")
    void aTimeoutInWaitAllLeavesNothingBehind() {
        inHub(() -> {
            Queue<Down> q = new Queue<>();
            Event never = new Event();
            Greenlet<Void> g = Greenlet.spawn(() -> never.await());
            assertThrows(Timeout.class, () -> {
                try (Timeout t = Timeout.start(Duration.ofMillis(10))) {
                    Links.waitAll(List.of(g), true, q);
                }
            });
            g.kill();
            assertTrue(q.isEmpty(), "the monitor was withdrawn: no Down arrives later");
        });
    }

    @Test
    void aBoundedQueueIsRefused() {
        inHub(() -> assertThrows(IllegalArgumentException.class,
                () -> Links.waitAll(List.of(Greenlet.spawn(() -> 1)), false, new Queue<>(1))));
    }

    // ---------------------------------------------------------------- wrapErrors

    @Test
    void wrapErrorsReturnsAListedExceptionAsAValue() throws Exception {
        IOException disk = new IOException("disk");
        Callable<Result<String, IOException>> safe = Links.wrapErrors(IOException.class, () -> {
            throw disk;
        });
        Result<String, IOException> r = safe.call();
        assertTrue(r.isRaised());
        assertSame(disk, ((Result.Raised<String, IOException>) r).error());
        assertEquals(new Result.Returned<>("ok"), Links.wrapErrors(IOException.class, () -> "ok").call());
    }

    @Test
    void wrapErrorsLetsOtherExceptionsThrough() {
        IllegalStateException other = new IllegalStateException("other");
        Callable<Result<String, IOException>> safe = Links.wrapErrors(IOException.class, () -> {
            throw other;
        });
        assertSame(other, assertThrows(IllegalStateException.class, safe::call));
    }

    @Test
    void wrapErrorsTakesSeveralTypes() throws Exception {
        Callable<Result<Object, Exception>> safe = Links.wrapErrors(
                List.of(IOException.class, IllegalArgumentException.class), () -> {
                    throw new IllegalArgumentException("bad");
                });
        assertInstanceOf(IllegalArgumentException.class, ((Result.Raised<Object, Exception>) safe.call()).error());
    }

    @Test
    void wrapErrorsNeverSwallowsAKillOrATimeoutUnlessListedByName() throws Exception {
        Timeout t = new Timeout(Duration.ZERO);
        Callable<Result<Object, Throwable>> broad = Links.wrapErrors(Throwable.class, () -> {
            throw t;
        });
        assertSame(t, assertThrows(Timeout.class, broad::call));
        Callable<Result<Object, Timeout>> named = Links.wrapErrors(Timeout.class, () -> {
            throw t;
        });
        assertSame(t, ((Result.Raised<Object, Timeout>) named.call()).error());
    }

    @Test
    void wrapErrorsRefusesBadInput() {
        assertThrows(NullPointerException.class, () -> Links.wrapErrors((Class<IOException>) null, () -> 1));
        assertThrows(NullPointerException.class, () -> Links.wrapErrors(IOException.class, null));
        assertThrows(IllegalArgumentException.class, () -> Links.wrapErrors(List.<Class<IOException>>of(), () -> 1));
    }

    @Test
    void valueOrThrowRethrowsARaisedException() {
        IllegalStateException boom = new IllegalStateException();
        assertSame(boom, assertThrows(IllegalStateException.class,
                () -> new Result.Raised<Object, IllegalStateException>(boom).valueOrThrow()));
        assertInstanceOf(IOException.class, assertThrows(GreenletFailure.class,
                () -> new Result.Raised<Object, IOException>(new IOException()).valueOrThrow()).getCause());
        assertEquals("v", new Result.Returned<String, IOException>("v").valueOrThrow());
    }
}
