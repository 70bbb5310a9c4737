package dev.weft.examples.kv;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs one RESP command against the keyspace and writes its reply: argument parsing, arity,
 * Redis's error messages, authentication, and the append-only log of the writes. Runs only in
 * the keyspace's owner (a batch at a time), or during the replay at start.
 */
final class Commands {
    /** Arity as Redis's COMMAND reports it: n exactly, -n at least n (the name counts). */
    static final Map<String, Integer> ARITY = new LinkedHashMap<>();

    static {
        Object[] table = {
            "PING", -1, "ECHO", 2, "GET", 2, "SET", -3, "DEL", -2, "EXISTS", -2, "INCR", 2, "DECR", 2,
            "INCRBY", 3, "DECRBY", 3, "MGET", -2, "MSET", -3, "EXPIRE", 3, "PEXPIRE", 3, "PEXPIREAT", 3,
            "TTL", 2, "PTTL", 2, "PERSIST", 2, "DBSIZE", 1, "FLUSHDB", -1, "FLUSHALL", -1, "KEYS", 2,
            "QUIT", -1, "CLIENT", -2, "CONFIG", -2, "COMMAND", -1, "AUTH", -2, "SELECT", 2, "INFO", -1,
        };
        for (int i = 0; i < table.length; i += 2) ARITY.put((String) table[i], (Integer) table[i + 1]);
    }

    private static final byte[] PONG_BYTES = "PONG".getBytes(StandardCharsets.US_ASCII);

    private final Keyspace ks;
    private final KvConfig config;
    private final KvStats stats;
    private final Aof aof; // null: no logging (AOF off, or replaying)

    Commands(Keyspace ks, KvConfig config, KvStats stats, Aof aof) {
        this.ks = ks;
        this.config = config;
        this.stats = stats;
        this.aof = aof;
    }

    static String name(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII).toUpperCase(Locale.ROOT);
    }

    void execute(byte[][] a, Session s, Reply r) {
        String cmd = name(a[0]);
        stats.commands.increment();
        Integer arity = ARITY.get(cmd);
        if (arity == null) {
            r.error(unknownCommand(a));
            return;
        }
        if ((arity > 0 && a.length != arity) || (arity < 0 && a.length < -arity)) {
            r.error("ERR wrong number of arguments for '" + cmd.toLowerCase(Locale.ROOT) + "' command");
            return;
        }
        if (!s.authenticated && !cmd.equals("AUTH") && !cmd.equals("QUIT")) {
            stats.authFailures.increment();
            r.error("NOAUTH Authentication required.");
            return;
        }
        try {
            run(cmd, a, s, r);
        } catch (Keyspace.KvError e) {
            r.error(e.getMessage());
        }
    }

    private void run(String cmd, byte[][] a, Session s, Reply r) throws Keyspace.KvError {
        switch (cmd) {
            case "GET" -> r.bulk(ks.get(a[1]));
            case "SET" -> set(a, r);
            case "PING" -> {
                if (a.length == 1) r.simple("PONG");
                else if (a.length == 2) r.bulk(a[1]);
                else r.error("ERR wrong number of arguments for 'ping' command");
            }
            case "ECHO" -> r.bulk(a[1]);
            case "INCR" -> incr(a[1], 1, r);
            case "DECR" -> incr(a[1], -1, r);
            case "INCRBY" -> incr(a[1], Keyspace.parseLong(a[2]), r);
            case "DECRBY" -> {
                long d = Keyspace.parseLong(a[2]);
                if (d == Long.MIN_VALUE) throw new Keyspace.KvError("ERR decrement would overflow");
                incr(a[1], -d, r);
            }
            case "DEL" -> {
                List<byte[]> keys = Arrays.asList(a).subList(1, a.length);
                int n = ks.del(keys);
                if (n > 0) log(a);
                r.integer(n);
            }
            case "EXISTS" -> r.integer(ks.exists(Arrays.asList(a).subList(1, a.length)));
            case "MGET" -> {
                r.array(a.length - 1);
                for (int i = 1; i < a.length; i++) r.bulk(ks.get(a[i]));
            }
            case "MSET" -> {
                if (a.length % 2 != 1) throw new Keyspace.KvError("ERR wrong number of arguments for 'mset' command");
                for (int i = 1; i < a.length; i += 2) ks.set(a[i], a[i + 1], 0, false, false, false);
                log(a);
                r.ok();
            }
            case "EXPIRE" -> expire(a[1], Keyspace.parseLong(a[2]), 1000, "expire", r);
            case "PEXPIRE" -> expire(a[1], Keyspace.parseLong(a[2]), 1, "pexpire", r);
            case "PEXPIREAT" -> {
                long at = Keyspace.parseLong(a[2]);
                boolean done = ks.expireAt(a[1], at);
                if (done) log("PEXPIREAT", a[1], at);
                r.integer(done ? 1 : 0);
            }
            case "TTL" -> {
                long ms = ks.pttl(a[1]);
                r.integer(ms < 0 ? ms : (ms + 500) / 1000);
            }
            case "PTTL" -> r.integer(ks.pttl(a[1]));
            case "PERSIST" -> {
                boolean done = ks.persist(a[1]);
                if (done) log(a);
                r.integer(done ? 1 : 0);
            }
            case "DBSIZE" -> r.integer(ks.size());
            case "FLUSHDB", "FLUSHALL" -> {
                ks.flush();
                log("FLUSHDB");
                r.ok();
            }
            case "KEYS" -> {
                List<byte[]> keys = ks.keys(a[1]);
                r.array(keys.size());
                for (byte[] k : keys) r.bulk(k);
            }
            case "QUIT" -> {
                s.quit = true;
                r.ok();
            }
            case "SELECT" -> {
                if (Keyspace.parseLong(a[1]) != 0) throw new Keyspace.KvError("ERR DB index is out of range");
                r.ok();
            }
            case "AUTH" -> auth(a, s, r);
            case "CLIENT" -> client(a, s, r);
            case "CONFIG" -> config(a, r);
            case "COMMAND" -> command(a, r);
            case "INFO" -> r.bulk("# weft-kv\r\nredis_version:7.0.0-weft\r\nweft_version:" + dev.weft.Weft.version()
                    + "\r\ndb0:keys=" + ks.size() + ",expires=0\r\nexpired_keys:" + ks.expiredKeys() + "\r\n" + stats.info());
            default -> throw new Keyspace.KvError("ERR unknown command '" + cmd + "'");
        }
    }

    private void set(byte[][] a, Reply r) throws Keyspace.KvError {
        boolean nx = false, xx = false, keepTtl = false, get = false;
        long expireAt = 0;
        for (int i = 3; i < a.length; i++) {
            String opt = name(a[i]);
            switch (opt) {
                case "NX" -> nx = true;
                case "XX" -> xx = true;
                case "KEEPTTL" -> keepTtl = true;
                case "GET" -> get = true;
                case "EX", "PX", "EXAT", "PXAT" -> {
                    if (i + 1 >= a.length || expireAt != 0) throw new Keyspace.KvError("ERR syntax error");
                    long v = Keyspace.parseLong(a[++i]);
                    if (v <= 0) throw new Keyspace.KvError("ERR invalid expire time in 'set' command");
                    try { // an overflow is Redis's error, not a time in the past
                        expireAt = switch (opt) {
                            case "EX" -> Math.addExact(ks.now(), Math.multiplyExact(v, 1000L));
                            case "PX" -> Math.addExact(ks.now(), v);
                            case "EXAT" -> Math.multiplyExact(v, 1000L);
                            default -> v;
                        };
                    } catch (ArithmeticException overflow) {
                        throw new Keyspace.KvError("ERR invalid expire time in 'set' command");
                    }
                }
                default -> throw new Keyspace.KvError("ERR syntax error");
            }
        }
        if ((nx && xx) || (keepTtl && expireAt != 0)) throw new Keyspace.KvError("ERR syntax error");
        byte[] old = get ? ks.get(a[1]) : null;
        boolean done = ks.set(a[1], a[2], expireAt, nx, xx, keepTtl);
        if (done) logSet(a[1], a[2]);
        if (get) r.bulk(old);
        else if (done) r.ok();
        else r.nullBulk();
    }

    private void incr(byte[] key, long delta, Reply r) throws Keyspace.KvError {
        long v = ks.incrBy(key, delta);
        logSet(key, Long.toString(v).getBytes(StandardCharsets.US_ASCII));
        r.integer(v);
    }

    /**
     * Logs the key's value as just set, with its expiry as an absolute time ({@code PXAT}) if it
     * has one: a record that means the same whenever it is replayed (never {@code KEEPTTL}).
     */
    private void logSet(byte[] key, byte[] value) {
        if (aof == null) return;
        long at = ks.expireAtOf(key);
        if (at != 0) log("SET", key, value, "PXAT", at);
        else log("SET", key, value);
    }

    private void expire(byte[] key, long amount, long unitMs, String command, Reply r) throws Keyspace.KvError {
        long at;
        try { // Redis refuses an overflow rather than wrap it into the past (which deletes the key)
            at = Math.addExact(ks.now(), Math.multiplyExact(amount, unitMs));
        } catch (ArithmeticException overflow) {
            throw new Keyspace.KvError("ERR invalid expire time in '" + command + "' command");
        }
        boolean done = ks.expireAt(key, at);
        if (done) {
            if (at <= ks.now()) log("DEL", key);
            else log("PEXPIREAT", key, at);
        }
        r.integer(done ? 1 : 0);
    }

    private void auth(byte[][] a, Session s, Reply r) {
        if (config.requirepass() == null) {
            r.error("ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?");
            return;
        }
        byte[] given = a[a.length - 1];
        boolean userOk = a.length == 2 || (a.length == 3 && str(a[1]).equals("default"));
        if (userOk && java.security.MessageDigest.isEqual(given, config.requirepass().getBytes(StandardCharsets.UTF_8))) {
            s.authenticated = true;
            r.ok();
        } else {
            stats.authFailures.increment();
            r.error("WRONGPASS invalid username-password pair or user is disabled.");
        }
    }

    private void client(byte[][] a, Session s, Reply r) throws Keyspace.KvError {
        switch (name(a[1])) {
            case "SETNAME" -> {
                if (a.length != 3) throw new Keyspace.KvError("ERR wrong number of arguments for 'client|setname' command");
                for (byte b : a[2]) if (b <= ' ' || b > '~') throw new Keyspace.KvError("ERR Client names cannot contain spaces, newlines or special characters.");
                s.name = a[2].length == 0 ? null : a[2];
                r.ok();
            }
            case "GETNAME" -> r.bulk(s.name);
            case "SETINFO" -> r.ok();
            default -> throw new Keyspace.KvError("ERR unknown subcommand '" + echo(a[1]) + "'. Try CLIENT HELP.");
        }
    }

    private void config(byte[][] a, Reply r) throws Keyspace.KvError {
        if (!name(a[1]).equals("GET") || a.length < 3) {
            throw new Keyspace.KvError("ERR unknown subcommand or wrong number of arguments for '" + echo(a[1]) + "'. Try CONFIG HELP.");
        }
        Map<String, String> all = new LinkedHashMap<>();
        all.put("bind", config.bind().getHostAddress());
        all.put("port", Integer.toString(config.port()));
        all.put("save", "");
        all.put("appendonly", config.appendonly() ? "yes" : "no");
        all.put("appendfsync", config.appendfsync().toString());
        all.put("databases", "1");
        all.put("maxclients", Integer.toString(config.maxClients()));
        all.put("timeout", config.idleTimeout() == null ? "0" : Long.toString(config.idleTimeout().toSeconds()));
        all.put("proto-max-bulk-len", Long.toString(config.maxBulk()));
        all.put("protected-mode", "yes");
        all.put("maxmemory", "0");
        List<String> out = new ArrayList<>();
        for (int i = 2; i < a.length; i++) {
            byte[] pattern = str(a[i]).toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
            for (var e : all.entrySet()) {
                if (Glob.matches(pattern, e.getKey().getBytes(StandardCharsets.UTF_8)) && !out.contains(e.getKey())) {
                    out.add(e.getKey());
                }
            }
        }
        r.array(out.size() * 2);
        for (String k : out) {
            r.bulk(k);
            r.bulk(all.get(k));
        }
    }

    private void command(byte[][] a, Reply r) {
        String sub = a.length > 1 ? name(a[1]) : "";
        switch (sub) {
            case "COUNT" -> r.integer(ARITY.size());
            case "DOCS" -> r.array(0); // no docs: redis-cli then shows no hints
            default -> {
                r.array(ARITY.size());
                for (var e : ARITY.entrySet()) {
                    r.array(6);
                    r.bulk(e.getKey().toLowerCase(Locale.ROOT));
                    r.integer(e.getValue());
                    r.array(0);
                    boolean keyed = !List.of("PING", "ECHO", "DBSIZE", "FLUSHDB", "FLUSHALL", "QUIT", "CLIENT", "CONFIG",
                            "COMMAND", "AUTH", "SELECT", "INFO", "KEYS").contains(e.getKey());
                    r.integer(keyed ? 1 : 0);
                    r.integer(keyed ? (e.getKey().startsWith("M") || e.getKey().equals("DEL") || e.getKey().equals("EXISTS") ? -1 : 1) : 0);
                    r.integer(keyed ? (e.getKey().equals("MSET") ? 2 : 1) : 0);
                }
            }
        }
    }

    private void log(Object... args) {
        if (aof != null) aof.append(args);
    }

    private void log(byte[][] a) {
        if (aof != null) aof.append(a);
    }

    private static String str(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A client's argument echoed in an error: its first 128 bytes, as Redis's {@code %.128s}. */
    private static String echo(byte[] b) {
        return new String(b, 0, Math.min(b.length, ECHO_MAX), StandardCharsets.UTF_8);
    }

    private static final int ECHO_MAX = 128;

    /**
     * Redis's message for an unknown command, byte for byte: the name's first 128 bytes, then
     * quoted arguments while they total under 128 bytes, the last one cut to fit (Reply turns any
     * CR or LF in them into spaces).
     */
    static byte[] unknownCommand(byte[][] a) {
        java.io.ByteArrayOutputStream m = new java.io.ByteArrayOutputStream();
        m.writeBytes("ERR unknown command '".getBytes(StandardCharsets.US_ASCII));
        m.write(a[0], 0, Math.min(a[0].length, ECHO_MAX));
        m.writeBytes("', with args beginning with: ".getBytes(StandardCharsets.US_ASCII));
        int args = 0;
        for (int i = 1; i < a.length && args < ECHO_MAX; i++) {
            int n = Math.min(a[i].length, ECHO_MAX - args);
            m.write('\'');
            m.write(a[i], 0, n);
            m.write('\'');
            m.write(' ');
            args += n + 3;
        }
        return m.toByteArray();
    }
}
