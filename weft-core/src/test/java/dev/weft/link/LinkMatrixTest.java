package dev.weft.link;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.HubTestBase;
import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every listener kind (greenlet, receiver, callback) with every outcome of the source
 * (returned, raised, killed), linked before and after the source ended (proc.py's
 * test__proc TestReturn_link / TestRaise_link), under every hub.
 */
class LinkMatrixTest extends HubTestBase {
    enum End { RETURNED, RAISED, KILLED }

    enum When { BEFORE_END, AFTER_END }

    static final IllegalStateException BOOM = new IllegalStateException("boom");

    static Stream<Arguments> cases() {
        Stream.Builder<Arguments> b = Stream.builder();
        for (End e : End.values()) for (When w : When.values()) b.add(Arguments.of(e, w));
        return b.build();
    }

    private static Greenlet<Integer> source(End end, Event go) {
        Greenlet<Integer> g = Greenlet.spawn(() -> {
            go.await();
            if (end == End.RAISED) throw BOOM;
            return 7;
        });
        g.setName("source-" + end);
        return g;
    }

    private static void end(End end, Greenlet<Integer> src, Event go) {
        if (end == End.KILLED) src.kill();
        else go.set();
        src.join();
    }

    private static void checkExit(End end, Greenlet<Integer> src, LinkedExited e) {
        assertSame(src, e.source());
        assertEquals(src.name(), e.sourceName());
        assertTrue(e.getMessage().contains(src.name()), e.getMessage());
        switch (end) {
            case RETURNED -> {
                assertInstanceOf(LinkedCompleted.class, e);
                assertTrue(e.getMessage().contains("completed successfully"), e.getMessage());
            }
            case RAISED -> {
                assertEquals(LinkedFailed.class, e.getClass());
                assertSame(BOOM, e.getCause());
                assertTrue(e.getMessage().contains(IllegalStateException.class.getName()), e.getMessage());
            }
            case KILLED -> {
                assertInstanceOf(LinkedKilled.class, e);
                assertInstanceOf(GreenletExit.class, e.getCause());
                assertTrue(e.getMessage().contains("was killed with"), e.getMessage());
            }
        }
    }

    @ParameterizedTest(name = "{0}, linked {1}")
    @MethodSource("cases")
    void aLinkedGreenletHasTheSourcesEndRaisedAtItsBlockingPoint(End end, When when) {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Integer> src = source(end, go);
            AsyncResult<LinkedExited> got = new AsyncResult<>();
            Event never = new Event();
            Greenlet<Void> listener = Greenlet.spawn(() -> {
                try {
                    never.await();
                } catch (LinkedExited e) {
                    got.set(e);
                }
            });
            if (when == When.AFTER_END) end(end, src, go);
            Links.link(src, listener);
            if (when == When.BEFORE_END) end(end, src, go);
            checkExit(end, src, got.get(LONG));
            listener.join();
        });
    }

    @ParameterizedTest(name = "{0}, linked {1}")
    @MethodSource("cases")
    void aReceiverIsSentTheValueOrTheExceptionAndAKillIsAnException(End end, When when) {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Integer> src = source(end, go);
            AsyncResult<Integer> r = new AsyncResult<>();
            if (when == When.AFTER_END) end(end, src, go);
            Links.link(src, r);
            if (when == When.BEFORE_END) end(end, src, go);
            r.await(LONG);
            switch (end) {
                case RETURNED -> assertEquals(7, r.get());
                case RAISED -> assertSame(BOOM, r.exception());
                case KILLED -> assertInstanceOf(GreenletExit.class, r.exception()); // proc: ProcExit reaches the event
            }
        });
    }

    @ParameterizedTest(name = "{0}, linked {1}")
    @MethodSource("cases")
    void aCallbackIsCalledWithTheSource(End end, When when) {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Integer> src = source(end, go);
            AsyncResult<Greenlet<Integer>> r = new AsyncResult<>();
            if (when == When.AFTER_END) end(end, src, go);
            Links.link(src, g -> r.set(g));
            if (when == When.BEFORE_END) end(end, src, go);
            assertSame(src, r.get(LONG));
        });
    }

    @ParameterizedTest(name = "{0}, linked {1}")
    @MethodSource("cases")
    void linkValueFiresOnlyForAValueAndLinkExceptionOnlyForAFailureOrAKill(End end, When when) {
        inHub(() -> {
            Event go = new Event();
            Greenlet<Integer> src = source(end, go);
            if (when == When.AFTER_END) end(end, src, go);
            Link value = Links.linkValue(src, g -> {});
            Link exception = Links.linkException(src, g -> {});
            if (when == When.BEFORE_END) end(end, src, go);
            src.join();
            assertEquals(end == End.RETURNED, value.isFired());
            assertEquals(end != End.RETURNED, exception.isFired());
            assertFalse(value.isPending());
            assertFalse(exception.isPending());
        });
    }
}
