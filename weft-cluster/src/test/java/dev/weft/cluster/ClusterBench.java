package dev.weft.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import dev.weft.Hub;
import dev.weft.pool.Pool;
import java.io.Serializable;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.stream.IntStream;

/**
 * ClusterPool's benchmarks (a plain main: Hazelcast stays out of weft-bench's JMH jar; see
 * BENCHMARKS.md, "ClusterPool"). Modes:
 *
 * <ul>
 * <li>{@code overhead [items] [rounds]}: per-item cost of {@code ClusterPool.imap} on 3 in-JVM
 *     members, side by side with local {@code Pool.imap} and the raw twin
 *     ({@code IExecutorService.submitToMember} round robin + futures, the same 64 in flight),
 *     rounds alternating, the median of each row;</li>
 * <li>{@code curve [items]}: items/s of ~1 ms CPU-bound items (SHA-256 over 64 KiB) with 1, 2
 *     and 3 member JVMs and a lite-member caller.</li>
 * </ul>
 */
public final class ClusterBench {
    private ClusterBench() {}

    static final int IN_FLIGHT = 64;

    /** The raw twin's task: the item, serialised by Hazelcast; its value the item plus one. */
    record PlusOne(int x) implements Callable<Integer>, Serializable {
        @Override
        public Integer call() {
            return x + 1;
        }
    }

    /**
     * Runs a mode.
     *
     * @param args the mode and its sizes
     * @throws Exception on failure
     */
    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "overhead";
        if (mode.equals("overhead")) overhead(arg(args, 1, 20_000), arg(args, 2, 7));
        else if (mode.equals("curve")) curve(arg(args, 1, 3_000));
        else throw new IllegalArgumentException("mode: overhead | curve");
        System.exit(0);
    }

    private static int arg(String[] args, int i, int def) {
        return args.length > i ? Integer.parseInt(args[i]) : def;
    }

    static void overhead(int items, int rounds) throws Exception {
        List<Integer> input = IntStream.range(0, items).boxed().toList();
        try (TestCluster cluster = new TestCluster(3); Hub hub = Hub.parallel()) {
            HazelcastInstance hz = cluster.caller();
            IExecutorService exec = hz.getExecutorService(MemberConfig.EXECUTOR);
            List<Member> members = new ArrayList<>(hz.getCluster().getMembers());
            long[][] ns = new long[3][rounds];
            for (int r = -2; r < rounds; r++) { // two warm-up rounds
                long t0 = System.nanoTime();
                hub.run(() -> {
                    Pool pool = new Pool(IN_FLIGHT);
                    long sum = 0;
                    for (var it = pool.imap(x -> x + 1, input); it.hasNext(); ) sum += it.next();
                    return sum;
                });
                long t1 = System.nanoTime();
                hub.run(() -> {
                    ClusterPool pool = ClusterPool.on(hz, IN_FLIGHT);
                    long sum = 0;
                    for (var it = pool.imap(x -> x + 1, input); it.hasNext(); ) sum += it.next();
                    return sum;
                });
                long t2 = System.nanoTime();
                raw(exec, members, items);
                long t3 = System.nanoTime();
                if (r >= 0) {
                    ns[0][r] = t1 - t0;
                    ns[1][r] = t2 - t1;
                    ns[2][r] = t3 - t2;
                }
            }
            String[] names = {"Pool.imap (local)", "ClusterPool.imap (3 members)", "raw IExecutorService twin"};
            System.out.printf("%d items, %d in flight, %d rounds (median)%n", items, IN_FLIGHT, rounds);
            double raw = median(ns[2]) / items;
            for (int i = 0; i < 3; i++) {
                double us = median(ns[i]) / items / 1000.0;
                System.out.printf("  %-32s %8.2f us/item  %6.2fx raw%n", names[i], us, median(ns[i]) / items / raw);
            }
        }
    }

    static double median(long[] xs) {
        long[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s[s.length / 2];
    }

    /** The raw twin: submitToMember round robin, at most IN_FLIGHT outstanding, results read in order. */
    static long raw(IExecutorService exec, List<Member> members, int items) throws Exception {
        Semaphore permits = new Semaphore(IN_FLIGHT);
        List<Future<Integer>> futures = new ArrayList<>(items);
        long sum = 0;
        int read = 0;
        for (int i = 0; i < items; i++) {
            while (!permits.tryAcquire()) sum += futures.get(read++).get(); // back-pressure: read the oldest
            Future<Integer> f = exec.submitToMember(new PlusOne(i), members.get(i % members.size()));
            ((CompletableFuture<Integer>) f).whenComplete((v, e) -> permits.release());
            futures.add(f);
        }
        while (read < items) sum += futures.get(read++).get();
        return sum;
    }

    static void curve(int items) throws Exception {
        List<Integer> input = IntStream.range(0, items).boxed().toList();
        // one item: ~1 ms of SHA-256 on this machine
        for (int n = 1; n <= 3; n++) {
            try (MemberJvms jvms = new MemberJvms(n, 0); Hub hub = Hub.parallel()) {
                for (int r = 0; r < 2; r++) {
                    long t0 = System.nanoTime();
                    long ok = hub.run(() -> {
                        ClusterPool pool = ClusterPool.on(jvms.caller, 32);
                        long count = 0;
                        for (var it = pool.imapUnordered(ClusterBench::hashWork, input); it.hasNext(); it.next()) count++;
                        return count;
                    });
                    double s = (System.nanoTime() - t0) / 1e9;
                    if (r == 1) {
                        System.out.printf("  %d member JVM(s): %7.0f items/s  (%5.0f per member)  [%d items]%n",
                                n, ok / s, ok / s / n, ok);
                    }
                }
            }
        }
    }

    /** About 1 ms of CPU: SHA-256 over 64 KiB, 8 times. */
    static byte[] hashWork(Integer seed) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] block = new byte[64 * 1024];
        block[0] = (byte) (int) seed;
        byte[] out = null;
        for (int i = 0; i < 8; i++) {
            md.update(block);
            out = md.digest();
            block[1] = out[0];
        }
        return out;
    }
}
