package dev.weft.bench;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Wake-up latency of a crowd: N tasks all sleep until one deadline {@code ahead} in the future;
 * how late does the last one wake? weft's timer contract says a million sleepers due at once
 * are all awake within 1 s; the JDK's {@code Thread.sleep} in virtual threads takes well over
 * ten seconds at that size on two cores.
 *
 * <pre>
 *   WakeupMain weft|raw N [aheadSeconds]     e.g. WakeupMain weft 1m 5
 * </pre>
 * {@code weft}: greenlets of a parallel hub in {@code Greenlets.sleepUntil(deadline)}, on
 * {@code hub.nanoTime()}. {@code raw}: virtual threads in {@code Thread.sleep} to the same
 * deadline, on {@code System.nanoTime()} (the parallel hub's clock is {@code System.nanoTime()}).
 * Each task records the time it woke; lateness is that time minus the deadline. Prints a
 * {@code RESULT} line.
 */
public final class WakeupMain {
    private WakeupMain() {}

    /** One run's outcome; times in nanoseconds. */
    public record Result(String variant, int n, int woken, long spawnNanos, long sleptBeforeDeadline,
                         long minLateNanos, long p50LateNanos, long p99LateNanos, long maxLateNanos,
                         long filedLateNanos) {
        Map<String, Object> fields() {
            Map<String, Object> m = Bench.result("wakeup", variant, n);
            if (filedLateNanos >= 0) m.put("filed_late_ms", filedLateNanos / 1e6);
            m.put("woken", woken);
            m.put("spawn_ms", spawnNanos / 1e6);
            m.put("slept_before_deadline", sleptBeforeDeadline);
            m.put("min_late_ms", minLateNanos / 1e6);
            m.put("p50_late_ms", p50LateNanos / 1e6);
            m.put("p99_late_ms", p99LateNanos / 1e6);
            m.put("max_late_ms", maxLateNanos / 1e6);
            return m;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: WakeupMain weft|raw N [aheadSeconds]");
            System.exit(64);
        }
        String variant = args[0];
        int n = Bench.parseCount(args[1]);
        Duration ahead = Duration.ofMillis((long) (1000 * (args.length > 2 ? Double.parseDouble(args[2]) : 5.0)));
        Result r = run(variant, n, ahead);
        System.out.printf("wakeup %s n=%d: spawned in %s, %d/%d asleep before the deadline, %d woke;"
                        + " late: min %s, p50 %s, p99 %s, max (the last one) %s%n",
                variant, n, Bench.ms(r.spawnNanos()), r.sleptBeforeDeadline(), n, r.woken(),
                Bench.ms(r.minLateNanos()), Bench.ms(r.p50LateNanos()), Bench.ms(r.p99LateNanos()),
                Bench.ms(r.maxLateNanos()));
        if (r.filedLateNanos() >= 0) {
            System.out.printf("wakeup %s n=%d: the timer had expired (woken) all of them %s after the deadline%n",
                    variant, n, Bench.ms(r.filedLateNanos()));
        }
        if (r.sleptBeforeDeadline() < n) {
            System.out.println("WARNING: spawning took past the deadline; use a larger aheadSeconds");
        }
        Bench.printResult(r.fields());
    }

    /** Runs one variant ({@code weft} or {@code raw}) with {@code n} sleepers due {@code ahead} from now. */
    public static Result run(String variant, int n, Duration ahead) throws InterruptedException {
        return switch (variant) {
            case "weft" -> weft(n, ahead);
            case "raw" -> raw(n, ahead);
            default -> throw new IllegalArgumentException("variant must be weft or raw: " + variant);
        };
    }

    static Result weft(int n, Duration ahead) {
        try (Hub hub = Hub.parallel()) {
            long[] woke = new long[n];
            LongAdder beforeDeadline = new LongAdder();
            @SuppressWarnings("unchecked")
            Greenlet<Void>[] all = (Greenlet<Void>[]) new Greenlet<?>[n];
            long start = hub.nanoTime();
            long deadline = start + ahead.toNanos();
            for (int i = 0; i < n; i++) {
                final int k = i;
                all[i] = hub.spawn(() -> {
                    if (hub.nanoTime() < deadline) beforeDeadline.increment();
                    Greenlets.sleepUntil(deadline);
                    woke[k] = hub.nanoTime();
                });
            }
            long spawned = hub.nanoTime() - start;
            for (Greenlet<Void> g : all) g.join();
            Result r = summarize("weft", n, woke, deadline, spawned, beforeDeadline.sum());
            long filed = timerOf(hub).lastExpiryNanos() - deadline;
            return new Result(r.variant(), r.n(), r.woken(), r.spawnNanos(), r.sleptBeforeDeadline(), r.minLateNanos(),
                    r.p50LateNanos(), r.p99LateNanos(), r.maxLateNanos(), filed);
        }
    }

    /** The parallel hub's timer wheel (weft-core is on the class path here: internal is readable). */
    private static dev.weft.internal.TimerWheel timerOf(Hub hub) {
        try {
            java.lang.reflect.Field f = dev.weft.internal.HubCore.class.getDeclaredField("clock");
            f.setAccessible(true);
            return (dev.weft.internal.TimerWheel) f.get(hub);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot reach the hub's timer", e);
        }
    }

    static Result raw(int n, Duration ahead) throws InterruptedException {
        long[] woke = new long[n];
        LongAdder beforeDeadline = new LongAdder();
        Thread[] all = new Thread[n];
        long start = System.nanoTime();
        long deadline = start + ahead.toNanos();
        for (int i = 0; i < n; i++) {
            final int k = i;
            all[i] = Thread.ofVirtual().start(() -> {
                long left = deadline - System.nanoTime();
                if (left > 0) beforeDeadline.increment();
                try {
                    while (left > 0) { // Thread.sleep may not be cut short, but be sure
                        Thread.sleep(Duration.ofNanos(left));
                        left = deadline - System.nanoTime();
                    }
                } catch (InterruptedException e) {
                    return; // leaves woke[k] at 0: counted as not woken
                }
                woke[k] = System.nanoTime();
            });
        }
        long spawned = System.nanoTime() - start;
        for (Thread t : all) t.join();
        return summarize("raw", n, woke, deadline, spawned, beforeDeadline.sum());
    }

    private static Result summarize(String variant, int n, long[] woke, long deadline, long spawned, long before) {
        int woken = 0;
        long[] late = new long[n];
        for (int i = 0; i < n; i++) {
            if (woke[i] != 0) late[woken++] = woke[i] - deadline;
        }
        late = Arrays.copyOf(late, woken);
        Arrays.sort(late);
        if (woken == 0) return new Result(variant, n, 0, spawned, before, 0, 0, 0, 0, -1);
        return new Result(variant, n, woken, spawned, before, late[0], late[(int) (woken * 0.50)],
                late[Math.min(woken - 1, (int) (woken * 0.99))], late[woken - 1], -1);
    }
}
