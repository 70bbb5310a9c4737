package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The main job's command line, the launcher's copies of its usage texts, and a short run. */
class MainTest {
    @Test
    void noArgumentsTakeTheDefaults() throws CommandLine.UsageError {
        assertEquals(new Main.Options(5, 50, 16, 42), Main.parse());
    }

    @Test
    void optionsAreReadInEitherSpelling() throws CommandLine.UsageError {
        assertEquals(new Main.Options(2, 8, 4, -7), Main.parse("--seconds", "2", "--clients=8", "--pipeline", "4", "--seed", "-7"));
    }

    @Test
    void badOptionsAreUsageErrorsNamingTheOption() {
        var e = assertThrows(CommandLine.UsageError.class, () -> Main.parse("--seconds", "abc"));
        assertEquals("--seconds must be a whole number from 1 to 3600, not \"abc\"", e.getMessage());
        e = assertThrows(CommandLine.UsageError.class, () -> Main.parse("--clients", "0"));
        assertEquals("--clients must be from 1 to 5000, not 0", e.getMessage());
        e = assertThrows(CommandLine.UsageError.class, () -> Main.parse("--bogus", "1"));
        assertEquals("unknown option \"--bogus\"", e.getMessage());
        e = assertThrows(CommandLine.UsageError.class, () -> Main.parse("--seed"));
        assertEquals("--seed needs a value", e.getMessage());
        assertThrows(CommandLine.UsageError.class, () -> Main.parse("--seed", "1", "--seed", "2"));
        assertThrows(CommandLine.UsageError.class, () -> Main.parse("5"));
    }

    @Test
    void serveOptionsAreCheckedToo() throws CommandLine.UsageError {
        var c = ServeMain.parse("--port", "7000", "--appendonly", "yes", "--appendfsync", "always");
        assertEquals(7000, c.port());
        assertTrue(c.appendonly());
        assertThrows(CommandLine.UsageError.class, () -> ServeMain.parse("--appendfsync", "sometimes"));
        assertThrows(CommandLine.UsageError.class, () -> ServeMain.parse("--port", "70000"));
        assertThrows(CommandLine.UsageError.class, () -> ServeMain.parse("--appendonly", "maybe"));
    }

    @Test
    void serveTakesAConsolePortOrNone() throws CommandLine.UsageError {
        assertEquals(8081, ServeMain.consolePort("--port", "7000", "--console", "8081"));
        assertEquals(-1, ServeMain.consolePort("--port", "7000"));
        assertThrows(CommandLine.UsageError.class, () -> ServeMain.consolePort("--console", "99999"));
        assertThrows(CommandLine.UsageError.class, () -> ServeMain.consolePort("--console", "web"));
    }

    @Test
    void helpIsAskedForAnywhereOnTheLine() {
        assertTrue(CommandLine.wantsHelp("--help"));
        assertTrue(CommandLine.wantsHelp("--seconds", "3", "-h"));
        assertFalse(CommandLine.wantsHelp("--seconds", "3"));
    }

    @Test
    void theLauncherPrintsTheSameUsageTexts() throws IOException {
        String launcher = Files.readString(Path.of("..", "weft"));
        assertTrue(launcher.contains(Main.USAGE), "./weft run --help must print Main.USAGE verbatim");
        assertTrue(launcher.contains(ServeMain.USAGE), "./weft serve --help must print ServeMain.USAGE verbatim");
    }

    @Test
    @Timeout(60)
    void aShortRunChecksEveryReplyAndEndsWithTheTable() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int code = Main.run(new Main.Options(1, 6, 8, 1), out, false);
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        for (String row : new String[] {"requests/s", "p50", "p99", "p99.9", "connections", "errors"}) {
            assertTrue(text.contains("  " + row + " "), "no " + row + " row in:\n" + text);
        }
        assertTrue(text.matches("(?s).*errors\\s+0\\s+every reply was the expected one.*"), text);
    }
}
