package dev.weft.examples;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fetch demo's command line and its accounting (it was the main job before the KV server). */
class FetchDemoTest {
    @Test
    void noArgumentsTakeTheDefaults() throws CommandLine.UsageError {
        assertEquals(new FetchDemo.Options(1_000, Duration.ofMillis(200), 42), FetchDemo.parse());
    }

    @Test
    void threeNumbersAreItemsTimeoutAndSeed() throws CommandLine.UsageError {
        assertEquals(new FetchDemo.Options(5_000, Duration.ofMillis(100), -7), FetchDemo.parse("5000", "100", "-7"));
        assertEquals(new FetchDemo.Options(10, Duration.ofMillis(200), 42), FetchDemo.parse("10"));
    }

    @Test
    void aWordIsAUsageErrorNamingTheArgument() {
        var e = assertThrows(CommandLine.UsageError.class, () -> FetchDemo.parse("abc"));
        assertEquals("items must be a whole number from 1 to 1000000, not \"abc\"", e.getMessage());
        e = assertThrows(CommandLine.UsageError.class, () -> FetchDemo.parse("10", "1.5"));
        assertTrue(e.getMessage().startsWith("timeout-ms must be a whole number"), e.getMessage());
        e = assertThrows(CommandLine.UsageError.class, () -> FetchDemo.parse("10", "100", "x"));
        assertEquals("seed must be a whole number, not \"x\"", e.getMessage());
    }

    @Test
    void outOfRangeNumbersAreUsageErrors() {
        var e = assertThrows(CommandLine.UsageError.class, () -> FetchDemo.parse("-5"));
        assertEquals("items must be from 1 to 1000000, not -5", e.getMessage());
        assertThrows(CommandLine.UsageError.class, () -> FetchDemo.parse("0"));
        assertThrows(CommandLine.UsageError.class, () -> FetchDemo.parse("1000001"));
        assertThrows(CommandLine.UsageError.class, () -> FetchDemo.parse("99999999999999999999"));
        e = assertThrows(CommandLine.UsageError.class, () -> FetchDemo.parse("10", "-1"));
        assertEquals("timeout-ms must be from 1 to 3600000, not -1", e.getMessage());
        assertThrows(CommandLine.UsageError.class, () -> FetchDemo.parse("10", "0"));
    }

    @Test
    void moreThanThreeArgumentsAreAUsageError() {
        assertThrows(CommandLine.UsageError.class, () -> FetchDemo.parse("1", "2", "3", "4"));
    }

    @Test
    void helpIsAskedForAnywhereOnTheLine() {
        assertTrue(CommandLine.wantsHelp("--help"));
        assertTrue(CommandLine.wantsHelp("10", "-h"));
        assertTrue(CommandLine.wantsHelp("help"));
        assertFalse(CommandLine.wantsHelp("10", "200"));
    }

    @Test
    void oneAfterAnotherCountsEachFetchUntilItsTimeoutAtMost() {
        List<FetchDemo.Fetch> plan = FetchDemo.plan(1_000, 42);
        Duration timeout = Duration.ofMillis(200);
        long raw = plan.stream().mapToLong(FetchDemo.Fetch::latencyMs).sum();
        long capped = FetchDemo.oneAfterAnotherMs(plan, timeout);
        assertTrue(capped <= 1_000 * timeout.toMillis(), "each fetch counts at most its timeout");
        assertTrue(capped < raw, "the 5 s hangs are cut at the timeout");
        assertEquals(plan, FetchDemo.plan(1_000, 42), "the same seed makes the same fetches");
    }

    @Test
    void theMainJobAccountsForEveryItem() {
        FetchDemo.Summary s = FetchDemo.crawl(200, Duration.ofMillis(100), 7);
        assertEquals(200, s.ended());
        assertTrue(s.timedOut() > 0, "some simulated fetches hang past the timeout");
        assertEquals(FetchDemo.oneAfterAnotherMs(FetchDemo.plan(200, 7), Duration.ofMillis(100)), s.oneAfterAnotherMs());
    }
}
