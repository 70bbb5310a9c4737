package dev.weft.bench;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.sync.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Memory of a parked task: N tasks parked at once, heap bytes per task (heap in use after GC,
 * minus the same before spawning) and RSS bytes per task ({@code VmRSS}, same difference).
 *
 * <pre>
 *   MemoryMain VARIANT N [WARMUPS]   e.g. MemoryMain weft-sleep 1m, MemoryMain weft-event 200k 3
 * </pre>
 * Variants: {@code weft-sleep} (greenlets in {@code Greenlets.sleep(1 h)}), {@code weft-event}
 * (greenlets in {@code Event.await()}), and the raw virtual-thread twins {@code raw-sleep}
 * ({@code Thread.sleep}), {@code raw-park} ({@code LockSupport.park}) and {@code raw-latch}
 * ({@code CountDownLatch.await}). Run each variant in a fresh JVM (run-all.sh does) so one
 * variant's garbage and heap growth do not blur the next. After measuring, every task is
 * released (killed, set, interrupted, unparked or counted down) and joined.
 */
public final class MemoryMain {
    private MemoryMain() {}

    /** The variants, in the order run-all.sh runs them. */
    public static final List<String> VARIANTS = List.of("weft-sleep", "weft-event", "raw-sleep", "raw-park", "raw-latch");

    /** One run's outcome. */
    public record Result(String variant, int n, long heapBytes, long rssBytes, int parked, int finished, long releaseNanos) {
        public double heapPerTask() {
            return (double) heapBytes / n;
        }

        public double rssPerTask() {
            return (double) rssBytes / n;
        }

        Map<String, Object> fields() {
            Map<String, Object> m = Bench.result("memory", variant, n);
            m.put("heap_bytes_per_task", heapPerTask());
            m.put("rss_bytes_per_task", rssPerTask());
            m.put("parked", parked);
            m.put("finished", finished);
            m.put("release_ms", releaseNanos / 1e6);
            return m;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: MemoryMain " + String.join("|", VARIANTS) + " N [WARMUPS]");
            System.exit(64);
        }
        Result r = run(args[0], Bench.parseCount(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 0);
        System.out.printf("memory %s n=%d: %.0f heap bytes and %.0f RSS bytes per parked task (%d parked, %d finished"
                        + " %s after the release)%n",
                r.variant(), r.n(), r.heapPerTask(), r.rssPerTask(), r.parked(), r.finished(), Bench.ms(r.releaseNanos()));
        Bench.printResult(r.fields());
    }

    /** A population of parked tasks: how to tell they are parked, and how to let them go. */
    private interface Crowd {
        boolean isParked(int i);

        void release();

        void joinAll() throws InterruptedException;
    }

    /** Parks {@code n} tasks of {@code variant}, measures, releases and joins them. */
    public static Result run(String variant, int n) throws InterruptedException {
        return run(variant, n, 0);
    }

    /**
     * {@link #run(String, int)} after {@code warmups} rounds that park and release the same
     * {@code n} tasks unmeasured: the tasks are then measured parked in compiled frames, as in a
     * long-running program, rather than in the interpreter's larger ones.
     */
    public static Result run(String variant, int n, int warmups) throws InterruptedException {
        if (!VARIANTS.contains(variant)) throw new IllegalArgumentException("unknown variant " + variant + "; one of " + VARIANTS);
        if (warmups < 0) throw new IllegalArgumentException("negative warm-up rounds: " + warmups);
        Hub hub = variant.startsWith("weft") ? Hub.parallel() : null;
        try {
            for (int w = 0; w < warmups; w++) {
                Crowd crowd = crowd(variant, hub, n, new LongAdder());
                awaitParked(crowd, n);
                crowd.release();
                crowd.joinAll();
            }
            long heap0 = Bench.heapAfterGc();
            long rss0 = Bench.rssBytes();
            LongAdder finished = new LongAdder();
            Crowd crowd = crowd(variant, hub, n, finished);
            int parked = awaitParked(crowd, n);
            long heap1 = Bench.heapAfterGc();
            long rss1 = Bench.rssBytes();
            long t0 = System.nanoTime();
            crowd.release();
            crowd.joinAll();
            long released = System.nanoTime() - t0;
            return new Result(variant, n, heap1 - heap0, rss1 - rss0, parked, (int) finished.sum(), released);
        } finally {
            if (hub != null) hub.close();
        }
    }

    private static Crowd crowd(String variant, Hub hub, int n, LongAdder finished) {
        return switch (variant) {
            case "weft-sleep" -> weftSleep(hub, n, finished);
            case "weft-event" -> weftEvent(hub, n, finished);
            case "raw-sleep" -> rawSleep(n, finished);
            case "raw-park" -> rawPark(n, finished);
            default -> rawLatch(n, finished);
        };
    }

    /** Waits (up to a minute) until every task is parked; returns how many are. */
    private static int awaitParked(Crowd crowd, int n) throws InterruptedException {
        long giveUp = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        int from = 0; // tasks below `from` were seen parked; a parked task stays parked until released
        while (from < n && System.nanoTime() < giveUp) {
            while (from < n && crowd.isParked(from)) from++;
            if (from < n) Greenlets.sleep(Duration.ofMillis(10)); // harness polling, on weft's clock
        }
        Greenlets.sleep(Duration.ofMillis(200)); // let the last ones unmount
        return from;
    }

    private static Crowd weftSleep(Hub hub, int n, LongAdder finished) {
        @SuppressWarnings("unchecked")
        Greenlet<Void>[] all = (Greenlet<Void>[]) new Greenlet<?>[n];
        for (int i = 0; i < n; i++) {
            all[i] = hub.spawn(() -> {
                try {
                    Greenlets.sleep(Duration.ofHours(1));
                } finally {
                    finished.increment();
                }
            });
        }
        return weftCrowd(all, () -> {
            for (Greenlet<Void> g : all) g.kill(new GreenletExit(), false, null);
        });
    }

    private static Crowd weftEvent(Hub hub, int n, LongAdder finished) {
        Event go = new Event();
        @SuppressWarnings("unchecked")
        Greenlet<Void>[] all = (Greenlet<Void>[]) new Greenlet<?>[n];
        for (int i = 0; i < n; i++) {
            all[i] = hub.spawn(() -> {
                go.await();
                finished.increment();
            });
        }
        return weftCrowd(all, go::set);
    }

    private static Crowd weftCrowd(Greenlet<Void>[] all, Runnable release) {
        return new Crowd() {
            @Override
            public boolean isParked(int i) {
                return all[i].isWaiting();
            }

            @Override
            public void release() {
                release.run();
            }

            @Override
            public void joinAll() {
                for (Greenlet<Void> g : all) g.join();
            }
        };
    }

    private static Crowd rawSleep(int n, LongAdder finished) {
        Thread[] all = new Thread[n];
        for (int i = 0; i < n; i++) {
            all[i] = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(Duration.ofHours(1));
                } catch (InterruptedException e) {
                    finished.increment();
                }
            });
        }
        return rawCrowd(all, () -> {
            for (Thread t : all) t.interrupt();
        });
    }

    private static Crowd rawPark(int n, LongAdder finished) {
        AtomicBoolean go = new AtomicBoolean();
        Thread[] all = new Thread[n];
        for (int i = 0; i < n; i++) {
            all[i] = Thread.ofVirtual().start(() -> {
                while (!go.get()) LockSupport.park();
                finished.increment();
            });
        }
        return rawCrowd(all, () -> {
            go.set(true);
            for (Thread t : all) LockSupport.unpark(t);
        });
    }

    private static Crowd rawLatch(int n, LongAdder finished) {
        CountDownLatch go = new CountDownLatch(1);
        Thread[] all = new Thread[n];
        for (int i = 0; i < n; i++) {
            all[i] = Thread.ofVirtual().start(() -> {
                try {
                    go.await();
                    finished.increment();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        return rawCrowd(all, go::countDown);
    }

    private static Crowd rawCrowd(Thread[] all, Runnable release) {
        return new Crowd() {
            @Override
            public boolean isParked(int i) {
                Thread.State s = all[i].getState();
                return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
            }

            @Override
            public void release() {
                release.run();
            }

            @Override
            public void joinAll() throws InterruptedException {
                for (Thread t : all) t.join();
            }
        };
    }
}
