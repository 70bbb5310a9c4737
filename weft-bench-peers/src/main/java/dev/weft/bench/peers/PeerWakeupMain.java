package dev.weft.bench.peers;

import dev.weft.bench.Bench;
import dev.weft.bench.WakeupMain;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * The kotlinx.coroutines twin of {@link WakeupMain}: N coroutines on {@code Dispatchers.Default}
 * all in {@code delay} until one deadline {@code ahead} in the future; how late does the last
 * one wake? (The deadline is on {@code System.nanoTime()}, as WakeupMain's raw twin; a coroutine
 * whose delay ends early — delay has millisecond resolution — delays again.)
 *
 * <pre>
 *   PeerWakeupMain N [aheadSeconds]     e.g. PeerWakeupMain 1m 10
 * </pre>
 * Prints a {@code RESULT} line with the fields of WakeupMain's, variant {@code kotlin}.
 */
public final class PeerWakeupMain {
    private PeerWakeupMain() {}

    public static void main(String[] args) {
        if (args.length < 1) {
            System.err.println("usage: PeerWakeupMain N [aheadSeconds]");
            System.exit(64);
        }
        int n = Bench.parseCount(args[0]);
        Duration ahead = Duration.ofMillis((long) (1000 * (args.length > 1 ? Double.parseDouble(args[1]) : 5.0)));
        WakeupMain.Result r = run(n, ahead);
        System.out.printf("wakeup kotlin n=%d: spawned in %s, %d/%d asleep before the deadline, %d woke;"
                        + " late: min %s, p50 %s, p99 %s, max (the last one) %s%n",
                n, Bench.ms(r.spawnNanos()), r.sleptBeforeDeadline(), n, r.woken(), Bench.ms(r.minLateNanos()),
                Bench.ms(r.p50LateNanos()), Bench.ms(r.p99LateNanos()), Bench.ms(r.maxLateNanos()));
        if (r.sleptBeforeDeadline() < n) System.out.println("WARNING: spawning took past the deadline; use a larger aheadSeconds");
        Map<String, Object> m = Bench.result("wakeup", "kotlin", n);
        m.put("woken", r.woken());
        m.put("spawn_ms", r.spawnNanos() / 1e6);
        m.put("slept_before_deadline", r.sleptBeforeDeadline());
        m.put("min_late_ms", r.minLateNanos() / 1e6);
        m.put("p50_late_ms", r.p50LateNanos() / 1e6);
        m.put("p99_late_ms", r.p99LateNanos() / 1e6);
        m.put("max_late_ms", r.maxLateNanos() / 1e6);
        Bench.printResult(m);
    }

    /** {@code n} coroutines due {@code ahead} from now. */
    public static WakeupMain.Result run(int n, Duration ahead) {
        long[] woke = new long[n];
        LongAdder before = new LongAdder();
        long deadline = System.nanoTime() + ahead.toNanos();
        long spawned = KotlinWorkloads.sleepers(n, deadline, woke, before);
        int woken = 0;
        long[] late = new long[n];
        for (long w : woke) if (w != 0) late[woken++] = w - deadline;
        late = Arrays.copyOf(late, woken);
        Arrays.sort(late);
        if (woken == 0) return new WakeupMain.Result("kotlin", n, 0, spawned, before.sum(), 0, 0, 0, 0, -1);
        return new WakeupMain.Result("kotlin", n, woken, spawned, before.sum(), late[0], late[woken / 2],
                late[Math.min(woken - 1, (int) (woken * 0.99))], late[woken - 1], -1);
    }
}
