package dev.weft.bench.peers;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.pool.Group;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The weft and raw virtual-thread sides of the workloads weft-bench does not have: the scoped
 * group's first failure, and tasks that block in a JDK call.
 */
public final class WeftPeerWorkloads {
    private WeftPeerWorkloads() {}

    /** Never set: the members that wait for it wait until they are killed. */
    private static final Event NEVER = new Event();
    private static final Duration AN_HOUR = Duration.ofHours(1);

    /**
     * In a greenlet of {@code hub}: a {@link Group#scoped(Group.ScopeBody)} with {@code members - 1}
     * greenlets waiting — asleep for an hour ({@code sleeping}, the twin of the JDK scope's
     * {@code Thread.sleep}) or in {@code await} on an event that is never set — plus one that
     * fails; the failure kills the rest and comes out of the scope.
     *
     * @return 1 when the failure came out
     */
    public static int scopedFirstFailure(Hub hub, int members, boolean sleeping) {
        return hub.spawn(() -> {
            try {
                Group.scoped(scope -> {
                    for (int i = 0; i < members - 1; i++) {
                        if (sleeping) {
                            scope.spawn(() -> Greenlets.sleep(AN_HOUR));
                        } else {
                            scope.spawn(() -> {
                                NEVER.await();
                            });
                        }
                    }
                    scope.spawn(() -> {
                        throw new Boom();
                    });
                    return null;
                });
                return 0;
            } catch (Boom e) {
                return 1;
            }
        }).get();
    }

    /**
     * {@code n} greenlets of {@code hub}, all at once, each blocking in
     * {@code Thread.sleep(sleepMillis)} (a virtual-thread park under the greenlet); joined.
     *
     * @return how many finished
     */
    public static int weftBlocking(Hub hub, int n, long sleepMillis) {
        LongAdder done = new LongAdder();
        return hub.spawn(() -> {
            @SuppressWarnings("unchecked")
            Greenlet<Void>[] all = (Greenlet<Void>[]) new Greenlet<?>[n];
            for (int i = 0; i < n; i++) {
                all[i] = hub.spawn(() -> {
                    // deliberately JDK blocking code, not Greenlets.sleep: the row measures how a
                    // thread-per-task model runs a blocking call (issue 18's blocking row)
                    Thread.sleep(sleepMillis);
                    done.increment();
                });
            }
            for (Greenlet<Void> g : all) g.join();
            return (int) done.sum();
        }).get();
    }

    /** The raw twin of {@link #weftBlocking}: {@code n} virtual threads. */
    public static int rawBlocking(int n, long sleepMillis) throws InterruptedException {
        LongAdder done = new LongAdder();
        Thread[] all = new Thread[n];
        for (int i = 0; i < n; i++) {
            all[i] = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(sleepMillis); // the raw twin: plain virtual threads, no hub
                    done.increment();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        for (Thread t : all) t.join();
        return (int) done.sum();
    }
}
