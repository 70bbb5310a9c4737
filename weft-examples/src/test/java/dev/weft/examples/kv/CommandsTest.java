package dev.weft.examples.kv;

import static org.junit.jupiter.api.Assertions.*;

import dev.weft.Greenlets;
import dev.weft.Hub;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The commands' semantics, run as the owner runs them, with expiry on the simulated hub's
 * virtual clock: a 100-second TTL passes instantly.
 */
class CommandsTest {
    Hub hub;
    Keyspace ks;
    Commands commands;
    Session session;
    KvStats stats;

    @BeforeEach
    void setUp() {
        hub = Hub.simulated(7);
        ks = new Keyspace(() -> 1_000_000_000_000L + hub.nanoTime() / 1_000_000);
        stats = new KvStats();
        commands = new Commands(ks, KvConfig.defaults(), stats, null);
        session = new Session(true);
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    /** Runs one command and returns its reply as RESP text. */
    String run(String... args) {
        byte[][] a = new byte[args.length][];
        for (int i = 0; i < args.length; i++) a[i] = args[i].getBytes(StandardCharsets.UTF_8);
        Reply r = new Reply(1 << 20);
        commands.execute(a, session, r);
        return new String(r.toBytes(), StandardCharsets.UTF_8);
    }

    <T> T inHub(Supplier<T> body) {
        return hub.run(body::get);
    }

    static void sleep(long ms) {
        Greenlets.sleep(Duration.ofMillis(ms));
    }

    @Test
    void setThenGetReturnsTheValueAndDelRemovesIt() {
        assertEquals("+OK\r\n", run("SET", "k", "hello"));
        assertEquals("$5\r\nhello\r\n", run("GET", "k"));
        assertEquals(":1\r\n", run("DEL", "k", "other"));
        assertEquals("$-1\r\n", run("GET", "k"));
    }

    @Test
    void setNxOnlySetsAnAbsentKeyAndXxOnlyAPresentOne() {
        assertEquals("$-1\r\n", run("SET", "k", "v", "XX"));
        assertEquals("+OK\r\n", run("SET", "k", "v1", "NX"));
        assertEquals("$-1\r\n", run("SET", "k", "v2", "NX"));
        assertEquals("+OK\r\n", run("SET", "k", "v3", "XX"));
        assertEquals("$2\r\nv3\r\n", run("GET", "k"));
        assertEquals("-ERR syntax error\r\n", run("SET", "k", "v", "NX", "XX"));
    }

    @Test
    void setWithExExpiresOnTheVirtualClock() {
        inHub(() -> {
            assertEquals("+OK\r\n", run("SET", "k", "v", "EX", "100"));
            assertEquals(":100\r\n", run("TTL", "k"));
            sleep(99_000);
            assertEquals("$1\r\nv\r\n", run("GET", "k"));
            assertEquals(":1000\r\n", run("PTTL", "k"));
            sleep(1_000);
            assertEquals("$-1\r\n", run("GET", "k"), "expired exactly at its time");
            assertEquals(":-2\r\n", run("TTL", "k"));
            return null;
        });
    }

    @Test
    void setWithPxAndAZeroOrNegativeTimeIsAnError() {
        assertEquals("-ERR invalid expire time in 'set' command\r\n", run("SET", "k", "v", "PX", "0"));
        assertEquals("-ERR invalid expire time in 'set' command\r\n", run("SET", "k", "v", "EX", "-5"));
        assertEquals("-ERR value is not an integer or out of range\r\n", run("SET", "k", "v", "EX", "soon"));
        assertEquals("$-1\r\n", run("GET", "k"));
    }

    @Test
    void expireTtlPttlAndPersistFollowRedis() {
        inHub(() -> {
            assertEquals(":0\r\n", run("EXPIRE", "missing", "10"));
            run("SET", "k", "v");
            assertEquals(":-1\r\n", run("TTL", "k"));
            assertEquals(":1\r\n", run("PEXPIRE", "k", "1500"));
            assertEquals(":2\r\n", run("TTL", "k"), "TTL rounds 1.5 s to 2, as Redis");
            assertEquals(":1\r\n", run("PERSIST", "k"));
            assertEquals(":0\r\n", run("PERSIST", "k"));
            sleep(10_000);
            assertEquals("$1\r\nv\r\n", run("GET", "k"));
            assertEquals(":1\r\n", run("EXPIRE", "k", "-1"), "a time already past deletes the key");
            assertEquals(":0\r\n", run("EXISTS", "k"));
            return null;
        });
    }

    @Test
    void aPlainSetClearsAnExpiryAndIncrKeepsIt() {
        inHub(() -> {
            run("SET", "k", "1", "EX", "10");
            run("INCR", "k");
            assertEquals(":10\r\n", run("TTL", "k"));
            run("SET", "k", "5");
            assertEquals(":-1\r\n", run("TTL", "k"));
            return null;
        });
    }

    @Test
    void incrDecrAndIncrByCountAndRefuseWhatIsNotAnInteger() {
        assertEquals(":1\r\n", run("INCR", "n"));
        assertEquals(":11\r\n", run("INCRBY", "n", "10"));
        assertEquals(":10\r\n", run("DECR", "n"));
        assertEquals(":-5\r\n", run("DECRBY", "n", "15"));
        run("SET", "s", "abc");
        assertEquals("-ERR value is not an integer or out of range\r\n", run("INCR", "s"));
        run("SET", "max", Long.toString(Long.MAX_VALUE));
        assertEquals("-ERR increment or decrement would overflow\r\n", run("INCR", "max"));
    }

    @Test
    void msetSetsPairsAndMgetReadsThemWithNilForMissing() {
        assertEquals("+OK\r\n", run("MSET", "a", "1", "b", "2"));
        assertEquals("*3\r\n$1\r\n1\r\n$-1\r\n$1\r\n2\r\n", run("MGET", "a", "x", "b"));
        assertEquals("-ERR wrong number of arguments for 'mset' command\r\n", run("MSET", "a", "1", "b"));
    }

    @Test
    void existsCountsAKeyNamedTwiceTwice() {
        run("SET", "a", "1");
        assertEquals(":2\r\n", run("EXISTS", "a", "a", "b"));
    }

    @Test
    void keysMatchesRedisGlobs() {
        for (String k : new String[] {"hello", "hallo", "hxllo", "hllo", "heeeello", "h*llo"}) run("SET", k, "1");
        assertEquals(java.util.Set.of("hello", "hallo", "hxllo", "h*llo"), keys("h?llo"));
        assertEquals(java.util.Set.of("hello", "hallo"), keys("h[ae]llo"));
        assertEquals(java.util.Set.of("hallo", "hxllo", "h*llo"), keys("h[^e]llo"));
        assertEquals(java.util.Set.of("hallo", "hello"), keys("h[a-e]llo"));
        assertEquals(6, keys("*").size());
        assertEquals(java.util.Set.of("h*llo"), keys("h\\*llo"));
    }

    private java.util.Set<String> keys(String pattern) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (byte[] k : ks.keys(pattern.getBytes(StandardCharsets.UTF_8))) out.add(new String(k, StandardCharsets.UTF_8));
        return out;
    }

    @Test
    void dbsizeCountsAndFlushdbEmpties() {
        run("MSET", "a", "1", "b", "2");
        assertEquals(":2\r\n", run("DBSIZE"));
        assertEquals("+OK\r\n", run("FLUSHDB"));
        assertEquals(":0\r\n", run("DBSIZE"));
    }

    @Test
    void theActiveCycleDeletesExpiredKeysNobodyReads() {
        inHub(() -> {
            for (int i = 0; i < 100; i++) run("SET", "e" + i, "v", "PX", "50");
            run("SET", "keep", "v");
            sleep(100);
            assertEquals(101, ks.size(), "lazy expiry alone deletes nothing unread");
            while (ks.activeExpire(16) > 0) { /* until a cycle finds nothing */ }
            assertEquals(1, ks.size());
            assertEquals(100, ks.expiredKeys());
            return null;
        });
    }

    @Test
    void wrongArityAndUnknownCommandsGetRedisErrors() {
        assertEquals("-ERR wrong number of arguments for 'get' command\r\n", run("GET"));
        assertEquals("-ERR unknown command 'NOPE', with args beginning with: 'x' \r\n", run("NOPE", "x"));
        assertEquals("+PONG\r\n", run("ping"));
        assertEquals("$2\r\nhi\r\n", run("ECHO", "hi"));
    }

    @Test
    void withRequirepassEveryCommandButAuthNeedsAuthentication() {
        commands = new Commands(ks, KvConfig.defaults().withBind(KvConfig.defaults().bind(), "s3cret"), stats, null);
        session = new Session(false);
        assertEquals("-NOAUTH Authentication required.\r\n", run("GET", "k"));
        assertEquals("-WRONGPASS invalid username-password pair or user is disabled.\r\n", run("AUTH", "guess"));
        assertEquals("+OK\r\n", run("AUTH", "s3cret"));
        assertEquals("$-1\r\n", run("GET", "k"));
        assertEquals(2, stats.authFailures());
    }

    @Test
    void clientNamesAndConfigGetAnswerWhatRedisToolsAsk() {
        assertEquals("$-1\r\n", run("CLIENT", "GETNAME"));
        assertEquals("+OK\r\n", run("CLIENT", "SETNAME", "bench"));
        assertEquals("$5\r\nbench\r\n", run("CLIENT", "GETNAME"));
        assertTrue(run("CLIENT", "SETNAME", "two words").startsWith("-ERR Client names cannot contain spaces"));
        assertEquals("*2\r\n$10\r\nappendonly\r\n$2\r\nno\r\n", run("CONFIG", "GET", "appendonly"));
        assertEquals("*2\r\n$4\r\nsave\r\n$0\r\n\r\n", run("CONFIG", "GET", "save"));
        assertEquals("*0\r\n", run("COMMAND", "DOCS"));
        assertTrue(run("COMMAND").startsWith("*" + Commands.ARITY.size() + "\r\n"));
    }

    @Test
    void quitAnswersOkAndMarksTheSession() {
        assertEquals("+OK\r\n", run("QUIT"));
        assertTrue(session.quit);
    }

    // ------------------------------------------------------------------ KEYS: no exponential glob

    @Test
    @Timeout(value = 5, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void keysWithManyStarsAgainstALongKeyAnswersQuickly() {
        run("SET", "a".repeat(200), "1");
        String pattern = "*a".repeat(20) + "*b"; // CVE-2022-36021's shape: exponential backtracking before
        assertEquals("*0\r\n", run("KEYS", pattern));
    }

    @Test
    void globStarsAgreeWithARegexOnRandomPatterns() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(42);
        String alphabet = "ab*?";
        for (int t = 0; t < 20_000; t++) {
            StringBuilder p = new StringBuilder(), s = new StringBuilder();
            for (int i = random.nextInt(9); i > 0; i--) p.append(alphabet.charAt(random.nextInt(4)));
            for (int i = random.nextInt(9); i > 0; i--) s.append(alphabet.charAt(random.nextInt(2)));
            String regex = p.toString().replace("?", ".").replace("*", ".*");
            boolean expected = s.toString().matches(regex);
            assertEquals(expected, Glob.matches(p.toString().getBytes(StandardCharsets.US_ASCII),
                    s.toString().getBytes(StandardCharsets.US_ASCII)), "pattern " + p + " on " + s);
        }
    }

    // ------------------------------------------------------------------ expiry times that overflow

    @Test
    void expireWhoseTimeOverflowsIsRefusedAndKeepsTheKey() {
        inHub(() -> {
            run("SET", "k", "v");
            assertEquals("-ERR invalid expire time in 'expire' command\r\n", run("EXPIRE", "k", "9223372036854775"));
            assertEquals("$1\r\nv\r\n", run("GET", "k"));
            assertEquals(":-1\r\n", run("TTL", "k"));
            return null;
        });
    }

    @Test
    void pexpireWhoseTimeOverflowsIsRefusedAndKeepsTheKey() {
        inHub(() -> {
            run("SET", "k", "v");
            assertEquals("-ERR invalid expire time in 'pexpire' command\r\n", run("PEXPIRE", "k", "9223372036854775807"));
            assertEquals("$1\r\nv\r\n", run("GET", "k"));
            assertEquals(":-1\r\n", run("PTTL", "k"));
            return null;
        });
    }

    @Test
    void setExWhoseTimeOverflowsIsRefused() {
        inHub(() -> {
            assertEquals("-ERR invalid expire time in 'set' command\r\n", run("SET", "k", "v", "EX", "9223372036854775"));
            assertEquals("$-1\r\n", run("GET", "k"));
            return null;
        });
    }

    @Test
    void setPxWhoseTimeOverflowsIsRefused() {
        inHub(() -> {
            assertEquals("-ERR invalid expire time in 'set' command\r\n", run("SET", "k", "v", "PX", "9223372036854775807"));
            assertEquals("$-1\r\n", run("GET", "k"));
            return null;
        });
    }

    @Test
    void setExatWhoseTimeOverflowsIsRefused() {
        inHub(() -> {
            // 2^61 * 1000 wraps to exactly 0, which read as "no expiry"
            assertEquals("-ERR invalid expire time in 'set' command\r\n", run("SET", "k", "v", "EXAT", "2305843009213693952"));
            assertEquals("$-1\r\n", run("GET", "k"));
            return null;
        });
    }

    @Test
    void setPxatAtTheLastMillisecondIsAcceptedAsInRedis() {
        inHub(() -> {
            assertEquals("+OK\r\n", run("SET", "k", "v", "PXAT", Long.toString(Long.MAX_VALUE)));
            assertEquals("$1\r\nv\r\n", run("GET", "k"));
            return null;
        });
    }

    // ------------------------------------------------------------------ errors echoing client bytes

    @Test
    void anUnknownCommandsEchoedCrLfCannotBreakTheReplyLine() {
        String reply = run("NOPE", "x\r\n:1\r\n", "y");
        assertEquals("-ERR unknown command 'NOPE', with args beginning with: 'x  :1  ' 'y' \r\n", reply, "Redis's reply");
        assertEquals(1, reply.chars().filter(c -> c == '\r').count(), reply);
        assertEquals(1, reply.chars().filter(c -> c == '\n').count(), reply);
        assertTrue(reply.endsWith("\r\n"), "one line, ended by its only CRLF");
        assertEquals("-ERR unknown command 'NO  PE', with args beginning with: \r\n", run("NO\r\nPE"));
    }

    @Test
    void anUnknownCommandsEchoIsCutAt128BytesAsRedis() {
        String huge = "a".repeat(1_000_000);
        assertEquals("-ERR unknown command 'NOPE', with args beginning with: '" + "a".repeat(128) + "' \r\n",
                run("NOPE", huge, "b".repeat(10)));
        assertEquals("-ERR unknown command 'NOPE', with args beginning with: '" + "a".repeat(100) + "' '" + "b".repeat(25) + "' \r\n",
                run("NOPE", "a".repeat(100), "b".repeat(100), "c"));
        assertEquals("-ERR unknown command '" + "c".repeat(128) + "', with args beginning with: \r\n", run("c".repeat(1000)));
    }

    // ------------------------------------------------------------------ Redis's integer syntax

    @Test
    void integersWithAPlusSignALeadingZeroOrMinusZeroAreRefused() {
        for (String bad : new String[] {"+5", "05", "-0", "00", " 5", "5 ", "-", "-05"}) {
            assertEquals("-ERR value is not an integer or out of range\r\n", run("INCRBY", "n", bad), bad);
            run("SET", "s", bad);
            assertEquals("-ERR value is not an integer or out of range\r\n", run("INCR", "s"), "stored " + bad);
        }
        assertEquals("$-1\r\n", run("GET", "n"));
    }

    @Test
    void zeroNegativesAndTheLongExtremesAreIntegers() {
        assertEquals(":0\r\n", run("INCRBY", "n", "0"));
        assertEquals(":-5\r\n", run("INCRBY", "n", "-5"));
        run("SET", "max", "9223372036854775807");
        assertEquals(":9223372036854775806\r\n", run("DECR", "max"));
        run("SET", "min", "-9223372036854775808");
        assertEquals(":-9223372036854775807\r\n", run("INCR", "min"));
        assertEquals("-ERR value is not an integer or out of range\r\n", run("INCRBY", "n", "9223372036854775808"));
    }
}
