package dev.weft.examples;

import static dev.weft.examples.CommandLine.*;

import dev.weft.Greenlet;
import dev.weft.Greenlets;
import dev.weft.Hub;
import dev.weft.Signals;
import dev.weft.Weft;
import dev.weft.examples.kv.KvConfig;
import dev.weft.examples.kv.KvServer;
import dev.weft.examples.kv.KvStats;
import dev.weft.examples.kv.LoadGenerator;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * weft's main job: a Redis-protocol key-value server on a weft {@code StreamServer}, on loopback,
 * under a built-in load generator — many client greenlets, half of them pipelining, a mix of
 * GET, SET, INCR and expiring keys, every reply checked. It shows its progress on one line and
 * ends by itself with a table: requests/s, latency percentiles, connections, errors (0 expected).
 * Ctrl-C stops it early with what it had measured (exit code 130).
 *
 * <pre>./weft run [--seconds N] [--clients N] [--pipeline N] [--seed N]</pre>
 */
public final class Main {
    private Main() {}

    /** Exit code of a bad command line (BSD's {@code EX_USAGE}). */
    static final int EX_USAGE = CommandLine.EX_USAGE;
    /** Exit code after Ctrl-C (128 + SIGINT). */
    static final int EX_INTERRUPTED = 130;

    /** The options; the launcher's {@code ./weft run --help} prints the same text (MainTest checks). */
    static final String USAGE = """
            usage: ./weft run [--seconds N] [--clients N] [--pipeline N] [--seed N]
              --seconds N   how long the load runs, 1 to 3600 (default 5)
              --clients N   concurrent client connections, 1 to 5000 (default 50); half of them
                            pipeline, half send one command at a time
              --pipeline N  commands per round trip of a pipelining client, 1 to 1000 (default 16)
              --seed N      any whole number; the same seed makes the same operations (default 42)
            """;

    /** What the command line asked for. */
    record Options(int seconds, int clients, int pipeline, long seed) {
        static final Options DEFAULTS = new Options(5, 50, 16, 42);
    }

    public static void main(String[] args) {
        Options options = parseOrExit("weft run", USAGE, args, Main::parse);
        if (options == null) return; // the usage was asked for
        int code = run(options, System.out, isTerminal());
        System.exit(code);
    }

    /** Reads {@code --name value} pairs; a missing one takes its default. */
    static Options parse(String... args) throws UsageError {
        Map<String, String> m = pairs(Set.of("--seconds", "--clients", "--pipeline", "--seed"), args);
        Options d = Options.DEFAULTS;
        return new Options(
                (int) number(m, "--seconds", d.seconds(), 1, 3600),
                (int) number(m, "--clients", d.clients(), 1, 5000),
                (int) number(m, "--pipeline", d.pipeline(), 1, 1000),
                number(m, "--seed", d.seed(), Long.MIN_VALUE, Long.MAX_VALUE));
    }

    static int run(Options o, PrintStream out, boolean terminal) {
        try (Hub hub = Hub.parallel()) {
            return hub.run(() -> {
                KvServer server = new KvServer(KvConfig.defaults().withPort(0));
                server.start();
                out.printf(Locale.ROOT, "weft %s: a Redis-protocol server on %s, %d clients (%d pipelining %d deep), %d s, seed %d%n",
                        Weft.version(), server.address(), o.clients(), (o.clients() + 1) / 2, o.pipeline(), o.seconds(), o.seed());
                LoadGenerator load = new LoadGenerator(server.address(), o.clients(), o.pipeline(), o.seed());
                boolean[] interrupted = {false};
                Signals.Registration onInt = Signals.handle("INT", () -> { interrupted[0] = true; load.stop(); });
                Signals.Registration onTerm = Signals.handle("TERM", () -> { interrupted[0] = true; load.stop(); });
                Greenlet<Void> progress = Greenlet.spawn(() -> progress(load, out, terminal));
                LoadGenerator.Result r;
                try {
                    r = load.run(Duration.ofSeconds(o.seconds()));
                } finally {
                    progress.kill();
                    onInt.cancel();
                    onTerm.cancel();
                }
                if (terminal) out.print("\r" + " ".repeat(78) + "\r");
                int keys = server.dbsize();
                server.stop(Duration.ofSeconds(2));
                report(r, server.stats(), keys, out, interrupted[0]);
                if (interrupted[0]) return EX_INTERRUPTED;
                return r.errors() == 0 ? 0 : 1;
            });
        }
    }

    private static void progress(LoadGenerator load, PrintStream out, boolean terminal) {
        long t0 = System.nanoTime();
        long lastReq = 0, lastT = t0;
        while (true) {
            Greenlets.sleep(Duration.ofMillis(terminal ? 250 : 1000));
            long now = System.nanoTime(), req = load.requests();
            double rate = (req - lastReq) / ((now - lastT) / 1e9);
            String line = String.format(Locale.ROOT, "  %5.1f s  %,12d requests  %,10.0f req/s  %d errors",
                    (now - t0) / 1e9, req, rate, load.errors());
            if (terminal) out.print("\r" + line);
            else out.println(line);
            out.flush();
            lastReq = req;
            lastT = now;
        }
    }

    static void report(LoadGenerator.Result r, KvStats s, int keys, PrintStream out, boolean interrupted) {
        if (interrupted) out.println("weft: interrupted; what was measured until then:");
        row(out, "requests/s", String.format(Locale.ROOT, "%,.0f", r.perSecond()), "replies checked per second of wall time");
        row(out, "requests", String.format(Locale.ROOT, "%,d", r.requests()), String.format(Locale.ROOT, "in %.1f s", r.seconds()));
        row(out, "p50", ms(r.p50Nanos()), "round-trip latency (a whole pipeline for the pipelining clients)");
        row(out, "p99", ms(r.p99Nanos()), "");
        row(out, "p99.9", ms(r.p999Nanos()), "");
        row(out, "connections", String.format(Locale.ROOT, "%,d", r.connections()), "each served by its own greenlet");
        row(out, "keys", String.format(Locale.ROOT, "%,d", keys), "in the keyspace at the end (one owner greenlet holds it)");
        long bad = s.protocolErrors() + s.bulkTooBig() + s.tooManyArgs() + s.outputOverflows();
        row(out, "errors", String.format(Locale.ROOT, "%,d", r.errors() + bad), r.errors() + bad == 0
                ? "every reply was the expected one"
                : "wrong replies: " + r.errors() + ", refused inputs: " + bad + (r.firstError() == null ? "" : "; first: " + r.firstError()));
        out.flush();
    }

    private static void row(PrintStream out, String what, String value, String text) {
        out.printf(Locale.ROOT, "  %-12s %14s  %s%n", what, value, text);
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.3f ms", nanos / 1e6);
    }
}
