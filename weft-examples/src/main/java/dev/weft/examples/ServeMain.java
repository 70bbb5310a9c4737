package dev.weft.examples;

import dev.weft.Hub;
import dev.weft.Signals;
import dev.weft.Weft;
import dev.weft.examples.kv.KvConfig;
import dev.weft.examples.kv.KvServer;
import dev.weft.sync.Event;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * {@code ./weft serve}: the Redis-protocol key-value server alone, for {@code redis-cli} and
 * {@code redis-benchmark}. TERM or INT (Ctrl-C) stops it gracefully: it stops accepting, every
 * request already received gets its reply, the append-only file is written and forced, exit 0.
 */
public final class ServeMain {
    private ServeMain() {}

    /** The options; the launcher's {@code ./weft serve --help} prints the same text. */
    static final String USAGE = """
            usage: ./weft serve [--port N] [--bind ADDR] [--requirepass P] [--appendonly yes|no]
                                [--appendfsync always|everysec|no] [--dir DIR] [--timeout SECONDS]
                                [--maxclients N] [--proto-max-bulk-len BYTES] [--console PORT]
              --port N          TCP port, 0 to 65535 (default 6379; 0 picks a free one)
              --bind ADDR       address to listen on (default 127.0.0.1); another than loopback
                                needs --requirepass, as Redis's protected mode
              --requirepass P   clients must AUTH with P
              --appendonly      yes: log every write to DIR/appendonly.aof, replayed on start (default no)
              --appendfsync     always | everysec | no: when the log is forced to disk (default everysec)
              --dir DIR         where the log lives (default .)
              --timeout S       close a connection stuck in one read or write S seconds (default 300)
              --maxclients N    connections served at once, more wait in the backlog (default 10000)
              --proto-max-bulk-len BYTES  longest bulk string accepted (default 536870912)
              --console PORT    also serve weft-console's live greenlet page on 127.0.0.1:PORT (read-only)
            """;

    @SuppressWarnings("try") // the registrations only need closing
    public static void main(String[] args) {
        record Parsed(KvConfig config, int consolePort) {}
        Parsed parsed = CommandLine.parseOrExit("weft serve", USAGE, args, a -> new Parsed(parse(a), consolePort(a)));
        if (parsed == null) return; // the usage was asked for
        KvConfig config = parsed.config();
        int consolePort = parsed.consolePort();
        try (Hub hub = Hub.parallel()) {
            hub.run(() -> {
                KvServer server = new KvServer(config);
                try {
                    server.start();
                } catch (IllegalStateException | java.io.UncheckedIOException e) {
                    System.err.println("weft serve: " + e.getMessage());
                    System.exit(1);
                }
                System.out.printf("weft %s: Redis-protocol server on %s (appendonly %s%s); TERM or Ctrl-C stops it%n",
                        Weft.version(), server.address(), config.appendonly() ? "yes" : "no",
                        config.appendonly() ? ", appendfsync " + config.appendfsync() : "");
                dev.weft.console.WeftConsole console = consolePort < 0 ? null
                        : dev.weft.console.WeftConsole.start(consolePort);
                if (console != null) System.out.printf("weft serve: live greenlet page on %s%n", console.uri());
                System.out.flush();
                Event stop = new Event();
                try (Signals.Registration a = Signals.handle("TERM", stop::set);
                        Signals.Registration b = Signals.handle("INT", stop::set);
                        // kill -USR1 <pid>: every hub's greenlet tree on stdout (gevent's print_run_info)
                        Signals.Registration c = Signals.handle("USR1", () -> System.out.print(Hub.dumpAll()))) {
                    stop.await();
                }
                server.stop(Duration.ofSeconds(5));
                if (console != null) console.close();
                System.out.printf("weft serve: stopped after %,d commands on %,d connections%n",
                        server.stats().commands(), server.stats().connections());
                return null;
            });
        }
    }

    /** The {@code --console} port, or -1 without one. */
    static int consolePort(String... args) throws CommandLine.UsageError {
        Map<String, String> m = CommandLine.pairs(Set.of("--port", "--bind", "--requirepass", "--appendonly", "--appendfsync",
                "--dir", "--timeout", "--maxclients", "--proto-max-bulk-len", "--console"), args);
        return (int) CommandLine.number(m, "--console", -1, 0, 65535);
    }

    static KvConfig parse(String... args) throws CommandLine.UsageError {
        Map<String, String> m = CommandLine.pairs(Set.of("--port", "--bind", "--requirepass", "--appendonly", "--appendfsync",
                "--dir", "--timeout", "--maxclients", "--proto-max-bulk-len", "--console"), args);
        KvConfig d = KvConfig.defaults();
        InetAddress bind = d.bind();
        if (m.containsKey("--bind")) {
            try {
                bind = InetAddress.getByName(m.get("--bind"));
            } catch (UnknownHostException e) {
                throw new CommandLine.UsageError("--bind must be an address, not \"" + m.get("--bind") + "\"");
            }
        }
        String aof = m.getOrDefault("--appendonly", "no");
        if (!aof.equals("yes") && !aof.equals("no")) throw new CommandLine.UsageError("--appendonly must be yes or no, not \"" + aof + "\"");
        dev.weft.examples.kv.Aof.Fsync fsync;
        try {
            fsync = dev.weft.examples.kv.Aof.Fsync.valueOf(m.getOrDefault("--appendfsync", "everysec").toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.UsageError("--appendfsync must be always, everysec or no, not \"" + m.get("--appendfsync") + "\"");
        }
        long timeout = CommandLine.number(m, "--timeout", 300, 0, 86_400);
        return new KvConfig(bind, (int) CommandLine.number(m, "--port", 6379, 0, 65535), m.get("--requirepass"),
                Path.of(m.getOrDefault("--dir", ".")), aof.equals("yes"), fsync,
                CommandLine.number(m, "--proto-max-bulk-len", d.maxBulk(), 1, Integer.MAX_VALUE - 64),
                d.maxArgs(), d.outputLimit(), timeout == 0 ? null : Duration.ofSeconds(timeout),
                (int) CommandLine.number(m, "--maxclients", d.maxClients(), 1, 1_000_000));
    }
}
