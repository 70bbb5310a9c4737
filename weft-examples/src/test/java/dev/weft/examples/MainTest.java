package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The main job's command line, its accounting, and the launcher's copy of its usage text. */
class MainTest {
    @Test
    void noArgumentsTakeTheDefaults() throws Main.UsageError {
        assertEquals(new Main.Options(1_000, Duration.ofMillis(200), 42), Main.parse());
    }

    @Test
    void threeNumbersAreItemsTimeoutAndSeed() throws Main.UsageError {
        assertEquals(new Main.Options(5_000, Duration.ofMillis(100), -7), Main.parse("5000", "100", "-7"));
        assertEquals(new Main.Options(10, Duration.ofMillis(200), 42), Main.parse("10"));
    }

    @Test
    void aWordIsAUsageErrorNamingTheArgument() {
        var e = assertThrows(Main.UsageError.class, () -> Main.parse("abc"));
        assertEquals("items must be a whole number from 1 to 1000000, not \"abc\"", e.getMessage());
        e = assertThrows(Main.UsageError.class, () -> Main.parse("10", "1.5"));
        assertTrue(e.getMessage().startsWith("timeout-ms must be a whole number"), e.getMessage());
        e = assertThrows(Main.UsageError.class, () -> Main.parse("10", "100", "x"));
        assertEquals("seed must be a whole number, not \"x\"", e.getMessage());
    }

    @Test
    void outOfRangeNumbersAreUsageErrors() {
        var e = assertThrows(Main.UsageError.class, () -> Main.parse("-5"));
        assertEquals("items must be from 1 to 1000000, not -5", e.getMessage());
        assertThrows(Main.UsageError.class, () -> Main.parse("0"));
        assertThrows(Main.UsageError.class, () -> Main.parse("1000001"));
        assertThrows(Main.UsageError.class, () -> Main.parse("99999999999999999999"));
        e = assertThrows(Main.UsageError.class, () -> Main.parse("10", "-1"));
        assertEquals("timeout-ms must be from 1 to 3600000, not -1", e.getMessage());
        assertThrows(Main.UsageError.class, () -> Main.parse("10", "0"));
    }

    @Test
    void moreThanThreeArgumentsAreAUsageError() {
        assertThrows(Main.UsageError.class, () -> Main.parse("1", "2", "3", "4"));
    }

    @Test
    void helpIsAskedForAnywhereOnTheLine() {
        assertTrue(Main.wantsHelp("--help"));
        assertTrue(Main.wantsHelp("10", "-h"));
        assertTrue(Main.wantsHelp("help"));
        assertFalse(Main.wantsHelp("10", "200"));
    }

    @Test
    void theLauncherPrintsTheSameUsage() throws IOException {
        String launcher = Files.readString(Path.of("..", "weft"));
        assertTrue(launcher.contains(Main.USAGE), "./weft run --help must print Main.USAGE verbatim");
    }

    @Test
    void oneAfterAnotherCountsEachFetchUntilItsTimeoutAtMost() {
        List<Main.Fetch> plan = Main.plan(1_000, 42);
        Duration timeout = Duration.ofMillis(200);
        long raw = plan.stream().mapToLong(Main.Fetch::latencyMs).sum();
        long capped = Main.oneAfterAnotherMs(plan, timeout);
        assertTrue(capped <= 1_000 * timeout.toMillis(), "each fetch counts at most its timeout");
        assertTrue(capped < raw, "the 5 s hangs are cut at the timeout");
        assertEquals(plan, Main.plan(1_000, 42), "the same seed makes the same fetches");
    }

    @Test
    void theMainJobAccountsForEveryItem() {
        Main.Summary s = Main.crawl(200, Duration.ofMillis(100), 7);
        assertEquals(200, s.ended());
        assertTrue(s.timedOut() > 0, "some simulated fetches hang past the timeout");
        assertEquals(Main.oneAfterAnotherMs(Main.plan(200, 7), Duration.ofMillis(100)), s.oneAfterAnotherMs());
    }
}
