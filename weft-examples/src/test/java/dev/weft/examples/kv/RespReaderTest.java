package dev.weft.examples.kv;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request parser: pipelining, split commands, inline commands, and its limits. */
class RespReaderTest {
    static List<String> parse(RespReader r, String bytes) throws RespReader.ProtocolError {
        byte[] b = bytes.getBytes(StandardCharsets.ISO_8859_1);
        r.feed(b, 0, b.length);
        List<byte[][]> out = new ArrayList<>();
        r.parse(out);
        List<String> s = new ArrayList<>();
        for (byte[][] c : out) {
            StringBuilder sb = new StringBuilder();
            for (byte[] a : c) sb.append(sb.isEmpty() ? "" : " ").append(new String(a, StandardCharsets.ISO_8859_1));
            s.add(sb.toString());
        }
        return s;
    }

    @Test
    void pipelinedCommandsComeOutInOrder() throws Exception {
        RespReader r = new RespReader(1024, 100);
        assertEquals(List.of("SET a 1", "GET a", "PING"),
                parse(r, "*3\r\n$3\r\nSET\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\nPING\r\n"));
        assertFalse(r.hasPartial());
    }

    @Test
    void aCommandSplitAnywhereIsResumedWhenTheRestArrives() throws Exception {
        String cmd = "*2\r\n$3\r\nGET\r\n$5\r\nhello\r\n";
        for (int cut = 1; cut < cmd.length(); cut++) {
            RespReader r = new RespReader(1024, 100);
            assertEquals(List.of(), parse(r, cmd.substring(0, cut)), "cut at " + cut);
            assertTrue(r.hasPartial());
            assertEquals(List.of("GET hello"), parse(r, cmd.substring(cut)), "cut at " + cut);
        }
    }

    @Test
    void aBulkBeyondTheLimitIsRefusedBeforeItsBytesArrive() {
        RespReader r = new RespReader(1000, 100);
        var e = assertThrows(RespReader.ProtocolError.class, () -> parse(r, "*2\r\n$3\r\nGET\r\n$1001\r\n"));
        assertEquals("bulk-too-big", e.kind);
    }

    @Test
    void aHugeAnnouncedBulkAllocatesOnlyWhatArrives() throws Exception {
        RespReader r = new RespReader(512L * 1024 * 1024, 100);
        int before = r.capacity();
        assertEquals(List.of(), parse(r, "*2\r\n$3\r\nSET\r\n$500000000\r\n0123456789"));
        assertEquals(before, r.capacity(), "no up-front allocation for the announced 500 MB");
    }

    @Test
    void tooManyArgumentsAreRefusedFromTheHeader() {
        RespReader r = new RespReader(1000, 10);
        var e = assertThrows(RespReader.ProtocolError.class, () -> parse(r, "*11\r\n"));
        assertEquals("too-many-args", e.kind);
    }

    @Test
    void malformedRequestsAreProtocolErrors() {
        assertThrows(RespReader.ProtocolError.class, () -> parse(new RespReader(1000, 10), "*2\r\n:3\r\n"));
        assertThrows(RespReader.ProtocolError.class, () -> parse(new RespReader(1000, 10), "*x\r\n"));
        assertThrows(RespReader.ProtocolError.class, () -> parse(new RespReader(1000, 10), "*1\r\n$3\r\nGETXX"));
        assertThrows(RespReader.ProtocolError.class, () -> parse(new RespReader(1000, 10), "*1\r\n$-3\r\n"));
    }

    @Test
    void anInlineLineLongerThan64KbIsRefused() {
        RespReader r = new RespReader(1000, 10);
        assertThrows(RespReader.ProtocolError.class, () -> parse(r, "a".repeat(70_000)));
    }

    static List<String> parseUnauthenticated(RespReader r, String bytes) throws RespReader.ProtocolError {
        byte[] b = bytes.getBytes(StandardCharsets.ISO_8859_1);
        r.feed(b, 0, b.length);
        List<byte[][]> out = new ArrayList<>();
        r.parse(out, false);
        List<String> s = new ArrayList<>();
        for (byte[][] c : out) s.add(new String(c[0], StandardCharsets.ISO_8859_1) + "/" + c.length);
        return s;
    }

    @Test
    void beforeAuthMoreThanTenArgumentsAreRefusedWithRedisMessage() {
        RespReader r = new RespReader(1 << 20, 1000);
        var e = assertThrows(RespReader.ProtocolError.class, () -> parseUnauthenticated(r, "*11\r\n"));
        assertEquals("Protocol error: unauthenticated multibulk length", e.getMessage());
    }

    @Test
    void beforeAuthABulkOver16KbIsRefusedWithRedisMessage() {
        RespReader r = new RespReader(1 << 20, 1000);
        var e = assertThrows(RespReader.ProtocolError.class, () -> parseUnauthenticated(r, "*2\r\n$3\r\nGET\r\n$16385\r\n"));
        assertEquals("Protocol error: unauthenticated bulk length", e.getMessage());
    }

    @Test
    void beforeAuthTenArgumentsAndA16KbBulkAreAccepted() throws Exception {
        RespReader r = new RespReader(1 << 20, 1000);
        String ten = "*10\r\n" + "$1\r\nx\r\n".repeat(10);
        assertEquals(List.of("x/10"), parseUnauthenticated(r, ten));
        String bulk = "*2\r\n$3\r\nSET\r\n$16384\r\n" + "v".repeat(16384) + "\r\n";
        assertEquals(List.of("SET/2"), parseUnauthenticated(r, bulk));
    }

    @Test
    void beforeAuthOneCommandIsParsedAtATimeSoAnAuthCanLiftTheLimitsForTheNext() throws Exception {
        RespReader r = new RespReader(1 << 20, 1000);
        String big = "*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$20000\r\n" + "v".repeat(20000) + "\r\n";
        assertEquals(List.of("AUTH/2"), parseUnauthenticated(r, "*2\r\n$4\r\nAUTH\r\n$2\r\npw\r\n" + big));
        assertEquals(List.of("SET k " + "v".repeat(20000)), parse(r, ""), "authenticated now: the big bulk is fine");
    }
}
