package dev.weft.examples;

import static dev.weft.examples.CommandLine.*;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.Timeout;
import dev.weft.pool.Pool;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A demo of Pool, links, joinAll and killAll (weft's first main job): fetch simulated slow resources, one greenlet each, at most 10,000 in flight
 * (a {@link Pool} gates them), with a per-item timeout.
 * Links count what happened to each fetch as it ends, a progress greenlet reports how far it
 * got, {@code joinAll} waits with an overall deadline, {@code killAll} ends the stragglers that
 * ignored their timeout, and a summary table says what happened to every item. Stopped early
 * (Ctrl-C), it prints what had ended by then.
 *
 * <pre>java --add-opens java.base/java.lang=ALL-UNNAMED -cp weft-core/target/classes:weft-examples/target/classes \
 *     dev.weft.examples.FetchDemo [items] [timeout-ms] [seed]</pre>
 */
public final class FetchDemo {
    private FetchDemo() {}

    static final int MAX_ITEMS = 1_000_000;
    static final long MAX_TIMEOUT_MS = 3_600_000;
    /** How many fetches may be in flight at once (a weft Pool gates them). */
    static final int CONCURRENCY = 10_000;

    /** The arguments. */
    static final String USAGE = """
            usage: FetchDemo [items] [timeout-ms] [seed]
              items       how many simulated fetches, 1 to 1000000 (default 1000)
              timeout-ms  each fetch's own timeout in milliseconds, 1 to 3600000 (default 200)
              seed        any whole number; the same seed makes the same fetches (default 42)
            """;

    /** What the command line asked for. */
    record Options(int items, Duration perItem, long seed) {
        static final Options DEFAULTS = new Options(1_000, Duration.ofMillis(200), 42);
    }

    public static void main(String[] args) {
        Options options = parseOrExit("FetchDemo", USAGE, args, FetchDemo::parse);
        if (options == null) return; // the usage was asked for
        new Job(options, System.out, isTerminal(), true).runAndReport();
    }

    /** Reads {@code [items] [timeout-ms] [seed]}; a missing one takes its default. */
    static Options parse(String... args) throws UsageError {
        if (args.length > 3) {
            throw new UsageError("at most 3 arguments, got " + args.length + ": " + String.join(" ", args));
        }
        Options d = Options.DEFAULTS;
        int items = args.length > 0
                ? (int) number("items", args[0], 1, MAX_ITEMS)
                : d.items();
        Duration perItem = args.length > 1
                ? Duration.ofMillis(number("timeout-ms", args[1], 1, MAX_TIMEOUT_MS))
                : d.perItem();
        long seed = args.length > 2
                ? number("seed", args[2], Long.MIN_VALUE, Long.MAX_VALUE)
                : d.seed();
        return new Options(items, perItem, seed);
    }

    /** The outcome counts of a run (or of the part of it that had ended). */
    record Summary(int fetched, int timedOut, int failed, int killed, long oneAfterAnotherMs) {
        int ended() {
            return fetched + timedOut + failed + killed;
        }
    }

    /** One simulated fetch, drawn from the seed before anything runs. */
    record Fetch(int id, long latencyMs, boolean fails, boolean stubborn) {}

    /**
     * The fetches that {@code seed} makes: 10% hang for 5 s, the others take 10-160 ms; 2% fail,
     * 5% swallow their timeout and keep going until killed.
     */
    static List<Fetch> plan(int items, long seed) {
        Random random = new Random(seed);
        List<Fetch> plan = new ArrayList<>(items);
        for (int i = 0; i < items; i++) {
            long latency = random.nextInt(10) == 0 ? 5_000 : 10 + random.nextInt(150); // 10% hang
            boolean fails = random.nextInt(50) == 0;
            boolean stubborn = random.nextInt(20) == 0; // swallows its timeout and keeps going
            plan.add(new Fetch(i, latency, fails, stubborn));
        }
        return plan;
    }

    /**
     * How long the same fetches take one after another with the same timeouts: each until it
     * ends or its timeout fires, whichever is first.
     */
    static long oneAfterAnotherMs(List<Fetch> plan, Duration perItem) {
        long sum = 0;
        for (Fetch f : plan) sum += Math.min(f.latencyMs(), perItem.toMillis());
        return sum;
    }

    /** Runs the job in the caller's hub without any output (for tests). */
    static Summary crawl(int items, Duration perItem, long seed) {
        return new Job(new Options(items, perItem, seed), System.out, false, false).crawl();
    }

    /** One run: its counts, its progress output, and the report printed once (summary or partial). */
    static final class Job {
        private final Options options;
        private final List<Fetch> plan;
        private final long oneAfterAnotherMs;
        private final PrintStream out;
        private final boolean terminal;
        private final boolean show;
        private final AtomicInteger fetched = new AtomicInteger();
        private final AtomicInteger timedOut = new AtomicInteger();
        private final AtomicInteger failed = new AtomicInteger();
        private final AtomicInteger killed = new AtomicInteger();
        private final Object printLock = new Object();
        private boolean reported;   // guarded by printLock: the summary or the partial one is out
        private boolean lineOpen;   // guarded by printLock: a progress bar without its newline
        private volatile Hub hub;
        private volatile long startNanos;
        private volatile boolean crawled; // every fetch has ended, or was given up on

        Job(Options options, PrintStream out, boolean terminal, boolean show) {
            this.options = options;
            this.plan = plan(options.items(), options.seed());
            this.oneAfterAnotherMs = FetchDemo.oneAfterAnotherMs(plan, options.perItem());
            this.out = out;
            this.terminal = terminal;
            this.show = show;
        }

        /** Runs in a new parallel hub and prints the summary; on Ctrl-C, a hook prints what ended. */
        void runAndReport() {
            Thread hook = new Thread(this::reportInterrupted, "weft-interrupted");
            Runtime.getRuntime().addShutdownHook(hook);
            try (Hub h = Hub.parallel()) {
                hub = h;
                startNanos = h.nanoTime();
                out.printf(Locale.ROOT, "weft: %d simulated fetches, per-item timeout %d ms, seed %d, on %s%n",
                        options.items(), options.perItem().toMillis(), options.seed(), h.name());
                Summary s = h.run(this::crawl);
                reportSummary(s, (h.nanoTime() - startNanos) / 1_000_000);
            } catch (RuntimeException | Error e) {
                synchronized (printLock) {
                    reported = true; // a failure, not an interrupt: the hook stays quiet
                    endLine();
                }
                throw e;
            }
        }

        Summary crawl() {
            Duration perItem = options.perItem();
            int items = plan.size();
            List<Greenlet<String>> fetches = new ArrayList<>(items);
            Greenlet<Void> progress = show ? Greenlet.spawn(this::progress) : null;
            Pool pool = new Pool(CONCURRENCY); // spawn waits while CONCURRENCY fetches are in flight
            for (Fetch f : plan) {
                Greenlet<String> g = pool.spawn(() -> fetch(f, perItem));
                g.rawlink(this::count); // runs as each one ends; it also receives a failure
                fetches.add(g);
            }
            // give everyone three timeouts' worth, then kill whoever is left (the stubborn ones)
            Greenlets.joinAll(fetches, perItem.multipliedBy(3), false, items);
            List<Greenlet<String>> stragglers = new ArrayList<>();
            for (Greenlet<String> g : fetches) if (!g.isDead()) stragglers.add(g);
            Greenlets.killAll(stragglers, new GreenletExit("straggler"), true, Duration.ofSeconds(5));
            // a join returns once the greenlet's links have run: after this, every count is in
            // (one that ended just as the first joinAll gave up may still have been counting)
            Greenlets.joinAll(fetches, Duration.ofSeconds(5), false, items);
            crawled = true;
            if (progress != null) progress.join();
            return counts();
        }

        private void count(Greenlet<String> g) {
            if (g.isKilled()) killed.incrementAndGet();
            else if (!g.isSuccessful()) failed.incrementAndGet();
            else if (g.value() == null) timedOut.incrementAndGet();
            else fetched.incrementAndGet();
        }

        Summary counts() {
            return new Summary(fetched.get(), timedOut.get(), failed.get(), killed.get(), oneAfterAnotherMs);
        }

        private static String fetch(Fetch f, Duration timeout) {
            try (Timeout _ = Timeout.start(timeout)) {
                Greenlets.sleep(Duration.ofMillis(f.latencyMs())); // the "network"
                if (f.fails()) throw new IllegalStateException("HTTP 500 for item " + f.id());
                return "item " + f.id();
            } catch (Timeout t) {
                if (f.stubborn()) Greenlets.sleep(Duration.ofSeconds(30)); // only a kill ends this
                return null;
            }
        }

        /**
         * On a terminal, redraws a bar every 50 ms; otherwise (a pipe, a log) prints a plain line
         * every second, so a log gets lines, not one long line of carriage returns.
         */
        private void progress() {
            int items = plan.size();
            long every = terminal ? 50 : 1_000;
            Hub h = Hub.current();
            long next = h.nanoTime() + every * 1_000_000;
            for (;;) {
                int done = counts().ended();
                if (done >= items || crawled) {
                    if (terminal) printProgress(done, items, true);
                    return;
                }
                long now = h.nanoTime();
                if (terminal || now >= next) {
                    printProgress(done, items, false);
                    next = now + every * 1_000_000;
                }
                Greenlets.sleep(Duration.ofMillis(50));
            }
        }

        private void printProgress(int done, int total, boolean last) {
            synchronized (printLock) {
                if (reported) return;
                if (terminal) {
                    int width = 40, filled = (int) ((long) done * width / Math.max(1, total));
                    int digits = String.valueOf(total).length();
                    out.printf(Locale.ROOT, "\r  [%s%s] %" + digits + "d/%d done",
                            "#".repeat(filled), ".".repeat(width - filled), done, total);
                    lineOpen = !last;
                    if (last) out.println();
                } else {
                    out.printf(Locale.ROOT, "  %d/%d done after %.1f s%n", done, total, elapsedMs() / 1e3);
                }
                out.flush();
            }
        }

        private long elapsedMs() {
            Hub h = hub;
            return h == null ? 0 : (h.nanoTime() - startNanos) / 1_000_000;
        }

        private void endLine() {
            if (lineOpen) out.println();
            lineOpen = false;
        }

        void reportSummary(Summary s, long wallMs) {
            synchronized (printLock) {
                if (reported) return;
                reported = true;
                endLine();
                row("outcome", "count", "what happened");
                row("fetched", s.fetched(), "finished in time");
                row("timed out", s.timedOut(), "its own Timeout fired; it gave up");
                row("failed", s.failed(), "raised an error (a simulated HTTP 500)");
                row("killed", s.killed(), "swallowed its timeout; killAll ended it");
                row("wall time", ms(wallMs), "all at once, a greenlet each");
                row("one by one", ms(s.oneAfterAnotherMs()),
                        "the same fetches one after another, each until it ends or its timeout fires");
                out.flush();
            }
        }

        private void row(String what, Object count, String text) {
            out.printf(Locale.ROOT, "  %-10s %13s  %s%n", what,
                    count instanceof Integer n ? String.format(Locale.ROOT, "%,d", n) : count, text);
        }

        private static String ms(long ms) {
            return String.format(Locale.ROOT, "%,d ms", ms);
        }

        /** The shutdown hook: if the run did not report, it was stopped (Ctrl-C): say what ended. */
        void reportInterrupted() {
            synchronized (printLock) {
                if (reported) return;
                reported = true;
                endLine();
                Summary s = counts();
                out.printf(Locale.ROOT, "weft: interrupted at %,d ms; %d/%d ended: %d fetched, %d timed out,"
                                + " %d failed, %d killed (seed %d)%n",
                        elapsedMs(), s.ended(), plan.size(), s.fetched(), s.timedOut(), s.failed(), s.killed(),
                        options.seed());
                out.flush();
            }
        }
    }
}
