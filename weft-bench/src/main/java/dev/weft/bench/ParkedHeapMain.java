package dev.weft.bench;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.sync.Event;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Holds N tasks parked, after warm-up rounds of the same, until a line arrives on standard input,
 * so that a class histogram can be taken of them: where a parked task's bytes go, class by class
 * (the stack chunk above all, which {@link MemoryMain}'s totals cannot separate).
 *
 * <pre>
 *   ParkedHeapMain weft|raw N [WARMUPS]
 *   mkfifo /tmp/go; java -cp weft-bench/target/benchmarks.jar dev.weft.bench.ParkedHeapMain weft 200k 3 &lt; /tmp/go &amp;
 *   exec 3&gt;/tmp/go   # keeps its input open; wait for "READY pid=…", then
 *   jcmd PID GC.class_histogram | head -12; echo &gt;&amp;3   # lets the tasks go
 * </pre>
 * {@code weft}: greenlets of the default hub in {@code Event.await()}; {@code raw}: virtual
 * threads in {@code CountDownLatch.await()}. WARMUPS (default 3) rounds park and release the
 * same N tasks first, so the measured ones park in compiled frames, as in a long-running program.
 */
public final class ParkedHeapMain {
    private ParkedHeapMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 2 || !(args[0].equals("weft") || args[0].equals("raw"))) {
            System.err.println("usage: ParkedHeapMain weft|raw N [WARMUPS]");
            System.exit(64);
        }
        int n = Bench.parseCount(args[1]);
        int warmups = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        if (warmups < 0) throw new IllegalArgumentException("negative warm-up rounds: " + warmups);
        boolean weft = args[0].equals("weft");
        for (int round = 0; round <= warmups; round++) {
            boolean measured = round == warmups;
            if (weft) weftRound(n, measured);
            else rawRound(n, measured);
        }
    }

    private static void weftRound(int n, boolean measured) throws IOException {
        Event go = new Event();
        List<Greenlet<Void>> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) all.add(Hub.defaultHub().spawn(() -> go.await()));
        for (Greenlet<Void> g : all) {
            while (!g.isWaiting()) Thread.onSpinWait(); // harness: a greenlet parks within microseconds
        }
        if (measured) holdForHistogram(n);
        go.set();
        Greenlets.joinAll(all);
    }

    private static void rawRound(int n, boolean measured) throws IOException, InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            all.add(Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread t : all) {
            while (t.getState() != Thread.State.WAITING) Thread.onSpinWait();
        }
        if (measured) holdForHistogram(n);
        go.countDown();
        for (Thread t : all) t.join();
    }

    private static void holdForHistogram(int n) throws IOException {
        System.gc();
        System.out.printf("READY pid=%d: %,d tasks parked; take the histogram, then send a line%n",
                ProcessHandle.current().pid(), n);
        System.out.flush();
        System.in.read();
    }
}
