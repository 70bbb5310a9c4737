package dev.weft;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.sync.AsyncResult;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Hub.cooperative(): gevent's one-at-a-time semantics on one carrier (ARCHITECTURE §2). */
class CooperativeHubTest {
    private final Hub hub = Hub.cooperative();

    @AfterEach
    void close() {
        hub.close();
    }

    private int shared; // touched only by greenlets of the cooperative hub

    @Test
    void aGreenletItSpawnsOnAParallelHubRunsOffItsCarrier() {
        // a virtual thread made by a virtual thread takes its maker's scheduler (the JDK's rule):
        // the parallel hub's greenlet must not inherit the cooperative hub's one carrier. The
        // maker keeps its carrier busy (never yields) until the child has run: only a child on
        // another carrier can end the wait.
        try (Hub parallel = Hub.parallel()) {
            java.util.concurrent.atomic.AtomicBoolean ran = new java.util.concurrent.atomic.AtomicBoolean();
            boolean sawIt = hub.run(() -> {
                Greenlet<Void> child = parallel.spawn(() -> ran.set(true));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (!ran.get() && System.nanoTime() - deadline < 0) Thread.onSpinWait();
                boolean ranMeanwhile = ran.get(); // before this greenlet lets go of its carrier
                child.join();
                return ranMeanwhile;
            });
            assertTrue(sawIt, "the child ran only once the cooperative carrier was free");
        }
    }

    @Test
    void sharedStateNeedsNoLockBetweenBlockingPoints() {
        int perGreenlet = 1_000_000;
        hub.run(() -> {
            Runnable bump = () -> {
                for (int i = 0; i < perGreenlet; i++) {
                    int read = shared;
                    if ((i & 1023) == 0) Thread.onSpinWait();
                    shared = read + 1; // a lost update needs another greenlet between read and write
                    Greenlets.yieldNow();
                }
            };
            Greenlets.joinAll(List.of(Greenlet.spawn(bump), Greenlet.spawn(bump)));
            return null;
        });
        assertEquals(2 * perGreenlet, shared);
    }

    @Test
    void onlyOneGreenletOfTheHubRunsAtATime() {
        int[] running = new int[1];
        int[] maxRunning = new int[1];
        hub.run(() -> {
            List<Greenlet<Void>> all = new ArrayList<>();
            for (int g = 0; g < 8; g++) {
                all.add(Greenlet.spawn(() -> {
                    for (int i = 0; i < 1_000; i++) {
                        running[0]++;
                        maxRunning[0] = Math.max(maxRunning[0], running[0]);
                        for (int spin = 0; spin < 100; spin++) Thread.onSpinWait();
                        running[0]--;
                        Greenlets.yieldNow();
                    }
                }));
            }
            Greenlets.joinAll(all);
            return null;
        });
        assertEquals(1, maxRunning[0]);
    }

    @Test
    void greenletsRunInFifoOrderAndTheOrderRepeats() {
        List<String> first = roundRobinTrace(hub);
        try (Hub other = Hub.cooperative()) {
            assertEquals(first, roundRobinTrace(other));
        }
        assertEquals(List.of("a0", "b0", "c0", "a1", "b1", "c1", "a2", "b2", "c2"), first);
    }

    static List<String> roundRobinTrace(Hub hub) {
        List<String> trace = new ArrayList<>();
        hub.run(() -> {
            List<Greenlet<Void>> all = new ArrayList<>();
            for (String name : List.of("a", "b", "c")) {
                all.add(Greenlet.spawn(() -> {
                    for (int i = 0; i < 3; i++) {
                        trace.add(name + i);
                        Greenlets.yieldNow();
                    }
                }));
            }
            Greenlets.joinAll(all);
            return null;
        });
        return trace;
    }

    @Test
    void linksRunInRegistrationOrderOnOneCarrier() {
        List<Integer> order = new ArrayList<>();
        hub.run(() -> {
            Greenlet<Integer> g = Greenlet.spawn(() -> 1);
            dev.weft.sync.AsyncResult<Boolean> last = new dev.weft.sync.AsyncResult<>();
            for (int i = 0; i < 5; i++) {
                int n = i;
                g.link(x -> {
                    order.add(n);
                    if (n == 4) last.set(true);
                });
            }
            last.get();
            return null;
        });
        assertEquals(List.of(0, 1, 2, 3, 4), order);
    }

    @Test
    void jdkSocketIoParksTheGreenletAndFreesTheCarrier() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String got = hub.run(() -> {
                AsyncResult<String> received = new AsyncResult<>();
                Greenlet<Void> reader = Greenlet.spawn(() -> {
                    try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                        received.set(new String(in.readAllBytes(), StandardCharsets.UTF_8)); // blocks in JDK I/O
                    }
                    return null;
                });
                // the reader is blocked in accept(): if that held the carrier, we could not run
                Greenlet<Void> writer = Greenlet.spawn(() -> {
                    try (Socket s = new Socket(server.getInetAddress(), server.getLocalPort());
                            OutputStream out = s.getOutputStream()) {
                        out.write("over loopback".getBytes(StandardCharsets.UTF_8));
                    }
                    return null;
                });
                writer.get();
                reader.get();
                return received.get();
            });
            assertEquals("over loopback", got);
        }
    }

    @Test
    void idleWaitsUntilNoOtherGreenletIsReady() {
        List<String> trace = new ArrayList<>();
        hub.run(() -> {
            for (int i = 0; i < 3; i++) {
                int n = i;
                Greenlet.spawn(() -> {
                    trace.add("worker " + n);
                    Greenlets.yieldNow();
                    trace.add("worker " + n + " again");
                });
            }
            Greenlets.idle();
            trace.add("idle");
            return null;
        });
        assertEquals("idle", trace.get(trace.size() - 1), trace.toString());
        assertEquals(7, trace.size());
    }

    @Test
    void closingTheHubFromOneOfItsGreenletsDoesNotHang() {
        Greenlet<Void> closer = hub.spawn(() -> hub.close());
        assertTrue(closer.join(Duration.ofSeconds(20)));
        assertTrue(hub.isClosed());
    }

    @Test
    void closingEndsAGreenletThatIgnoredItsKillAndCanNeverRunAgain() {
        Greenlet<Void> stubborn = hub.spawn(() -> {
            dev.weft.sync.Event never = new dev.weft.sync.Event();
            try {
                never.await();
            } catch (GreenletExit ignored) {
                never.await(); // ignores the kill of close()
            }
        });
        HubTestBase.awaitWaiting(stubborn);
        hub.close();
        assertTrue(stubborn.isDead());
        assertTrue(stubborn.isKilled());
        assertFalse(hub.isRegistered(stubborn));
        assertFalse(Greenlet.liveGreenlets().contains(stubborn));
    }

    @Test
    void withoutTheAddOpensFlagTheHubFailsAtOnceNamingTheFlag() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                NoFlagProbe.class.getName()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains("--add-opens java.base/java.lang=ALL-UNNAMED"), out);
        assertEquals(3, p.exitValue(), out);
    }

    /** Run in a JVM without the flag. */
    public static final class NoFlagProbe {
        public static void main(String[] args) {
            try {
                Hub.cooperative();
                System.exit(0);
            } catch (IllegalStateException e) {
                System.out.println(e.getMessage());
                System.exit(3);
            }
        }
    }
}
