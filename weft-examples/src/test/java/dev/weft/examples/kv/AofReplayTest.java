package dev.weft.examples.kv;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replaying the append-only file gives back the keyspace that was logged, whenever the restart
 * comes: commands are logged on one controllable clock, the clock is moved on, and the file is
 * replayed into a fresh keyspace as {@code KvServer.start} does.
 */
class AofReplayTest {
    static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;
    final AtomicLong clock = new AtomicLong(T0);
    final KvConfig config = KvConfig.defaults();
    Path file;
    Aof aof;
    Commands logging;

    @BeforeEach
    void openLog() throws Exception {
        file = dir.resolve("appendonly.aof");
        aof = new Aof(file, Aof.Fsync.NO);
        logging = new Commands(new Keyspace(clock::get), config, new KvStats(), aof);
    }

    /** Runs one command on the logging server and writes its record. */
    String before(String... args) {
        String reply = run(logging, args);
        aof.endBatch();
        return reply;
    }

    /** Closes the log, replays it into a fresh keyspace on the same clock, and returns its commands. */
    Commands restart() throws Exception {
        aof.close();
        Keyspace fresh = new Keyspace(clock::get);
        KvServer.load(fresh, config, file);
        return new Commands(fresh, config, new KvStats(), null);
    }

    static String run(Commands c, String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) a[i] = args[i].getBytes(StandardCharsets.UTF_8);
        Reply r = new Reply(1 << 20);
        c.execute(a, new Session(true), r);
        return new String(r.toBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void aKeyPersistedBeforeItsTimeSurvivesARestartAfterThatTime() throws Exception {
        assertEquals("+OK\r\n", before("SET", "k", "v", "PX", "1000"));
        clock.addAndGet(500);
        assertEquals(":1\r\n", before("PERSIST", "k"));
        clock.addAndGet(1_500); // the restart comes after the key's first time
        Commands after = restart();
        assertEquals("$1\r\nv\r\n", run(after, "GET", "k"), "PERSIST saved it for good, as in Redis");
        assertEquals(":-1\r\n", run(after, "PTTL", "k"));
    }

    @Test
    void anIncrementedKeyStillExpiresAtItsTimeAfterARestart() throws Exception {
        assertEquals("+OK\r\n", before("SET", "k", "5", "PX", "10000"));
        clock.addAndGet(1);
        assertEquals(":6\r\n", before("INCR", "k"));
        clock.addAndGet(20_000); // restart after the key's time
        Commands after = restart();
        assertEquals("$-1\r\n", run(after, "GET", "k"), "the INCR's record must not bring it back without its expiry");
        assertEquals(":-2\r\n", run(after, "PTTL", "k"));
    }

    @Test
    void anIncrementedKeyKeepsItsRemainingTimeAfterAnEarlyRestart() throws Exception {
        before("SET", "k", "5", "PX", "10000");
        before("INCR", "k");
        clock.addAndGet(4_000);
        Commands after = restart();
        assertEquals("$1\r\n6\r\n", run(after, "GET", "k"));
        assertEquals(":6000\r\n", run(after, "PTTL", "k"));
    }

    @Test
    void incrAndSetKeepTtlAreLoggedWithTheKeysAbsoluteExpiry() throws Exception {
        before("SET", "k", "5", "PX", "10000");
        before("INCR", "k");
        before("SET", "k", "x", "KEEPTTL");
        before("SET", "plain", "1");
        before("INCR", "plain");
        aof.close();
        String log = Files.readString(file, StandardCharsets.US_ASCII);
        String at = Long.toString(T0 + 10_000);
        assertFalse(log.contains("KEEPTTL"), log);
        assertTrue(log.contains(record("SET", "k", "6", "PXAT", at)), log);
        assertTrue(log.contains(record("SET", "k", "x", "PXAT", at)), log);
        assertTrue(log.contains(record("SET", "plain", "2")), "a key without expiry gets a plain SET: " + log);
    }

    static String record(String... args) {
        StringBuilder b = new StringBuilder("*" + args.length + "\r\n");
        for (String a : args) b.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        return b.toString();
    }
}
