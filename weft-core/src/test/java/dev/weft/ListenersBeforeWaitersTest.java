package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A wait on a completion returns only after every listener registered before it has run, also
 * when it arrives while the ending greenlet is still running them (gevent's order, where a join
 * is itself a link behind the earlier ones). A counter kept by a rawlink is then exact after a
 * {@code join}, {@code get} or {@code joinAll}. The listener here holds its notification open on
 * a JDK latch (a test device: listeners must not block) so the wait surely arrives mid-way.
 */
class ListenersBeforeWaitersTest extends HubTestBase {

    /** A greenlet whose one rawlink has started and holds the notification open until released. */
    private final class Ending {
        final Greenlet<String> g;
        final AtomicBoolean listenerDone = new AtomicBoolean();
        final CountDownLatch release = new CountDownLatch(1);

        Ending() throws InterruptedException {
            Event entered = new Event();
            Event go = new Event();
            g = Greenlet.spawn(() -> {
                go.await(); // so the rawlink below is registered before it ends
                return "v";
            });
            g.rawlink(x -> {
                entered.set();
                try {
                    release.await(LONG.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    throw new AssertionError(e);
                }
                listenerDone.set(true);
            });
            go.set();
            assertTrue(entered.await(LONG), "the listener never ran");
            assertTrue(g.isDead(), "the outcome is set before the listeners run");
        }

        /**
         * Runs {@code wait} in a plain thread, lets the listener finish once that thread is
         * parked (or has returned: the defect), and returns what the thread saw of the listener.
         */
        boolean listenerDoneWhen(Runnable wait) throws InterruptedException {
            AtomicReference<Boolean> seen = new AtomicReference<>();
            Thread t = new Thread(() -> {
                wait.run();
                seen.set(listenerDone.get());
            });
            t.start();
            long end = System.nanoTime() + LONG.toNanos();
            while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TERMINATED) {
                if (System.nanoTime() > end) throw new AssertionError("the waiting thread never parked");
                Thread.yield();
            }
            release.countDown();
            t.join(LONG.toMillis());
            assertFalse(t.isAlive(), "the wait never returned");
            return seen.get();
        }
    }

    @Test
    void aJoinThatArrivesWhileTheListenersRunReturnsAfterThem() {
        inHub(() -> {
            Ending e = new Ending();
            assertTrue(e.listenerDoneWhen(() -> e.g.join()));
        });
    }

    @Test
    void aGetThatArrivesWhileTheListenersRunReturnsAfterThem() {
        inHub(() -> {
            Ending e = new Ending();
            AtomicReference<String> value = new AtomicReference<>();
            assertTrue(e.listenerDoneWhen(() -> value.set(e.g.get())));
            assertEquals("v", value.get());
        });
    }

    @Test
    void joinAllThatArrivesWhileTheListenersRunReturnsAfterThem() {
        inHub(() -> {
            Ending e = new Ending();
            assertTrue(e.listenerDoneWhen(() -> Greenlets.joinAll(List.of(e.g))));
        });
    }

    @Test
    void aRawlinkAddedWhileTheListenersRunRunsAfterThem() {
        inHub(() -> {
            Ending e = new Ending();
            List<String> order = new CopyOnWriteArrayList<>();
            Event late = new Event();
            Thread t = new Thread(() -> e.g.rawlink(x -> {
                order.add(e.listenerDone.get() ? "after the first listener" : "before it ended");
                late.set();
            }));
            t.start();
            t.join(LONG.toMillis());
            assertEquals(List.of(), order, "it ran while the first listener still held the notification");
            e.release.countDown();
            assertTrue(late.await(LONG));
            assertEquals(List.of("after the first listener"), order);
        });
    }

    @Test
    void aListenerMayJoinAndGetItsOwnGreenlet() {
        inHub(() -> {
            AsyncResult<String> seen = new AsyncResult<>();
            Event go = new Event();
            Greenlet<String> g = Greenlet.spawn(() -> {
                go.await(); // so the listener runs on g's own thread, as it ends
                return "v";
            });
            g.rawlink(x -> {
                // it has ended: its own listener does not wait for itself (the Timeout says if it did)
                try (Timeout t = Timeout.start(java.time.Duration.ofSeconds(5))) {
                    assertSame(x, Greenlet.current(), "not on the ending greenlet");
                    x.join();
                    seen.set(x.get() + (x.join(null) ? " joined" : " not joined"));
                } catch (Throwable t) {
                    seen.setException(t);
                }
            });
            go.set();
            assertEquals("v joined", seen.get(LONG));
        });
    }

    @Test
    void aListenerOfAnAsyncResultMayGetIt() {
        inHub(() -> {
            AsyncResult<String> r = new AsyncResult<>();
            AsyncResult<String> seen = new AsyncResult<>();
            Consumer<AsyncResult<String>> look = x -> {
                // the setter does not wait for the set it is part of (the Timeout says if it did)
                try (Timeout t = Timeout.start(java.time.Duration.ofSeconds(5))) {
                    seen.set(x.get() + (x.await(null) ? " set" : " unset"));
                } catch (Throwable t) {
                    seen.setException(t);
                }
            };
            r.rawlink(look);
            r.set("v"); // the listener runs here, in this greenlet, as part of the set
            assertEquals("v set", seen.get(LONG));
        });
    }
}
