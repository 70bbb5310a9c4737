package dev.weft.internal;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulated hub's clock: time moves only on advance, to the next deadline, in arming order. */
class VirtualClockTest {
    private final VirtualClock clock = new VirtualClock(0);
    private final List<String> fired = new ArrayList<>();

    private TimerEntry entry(String name) {
        return new TimerEntry() {
            @Override
            protected void expire() {
                fired.add(name + "@" + clock.nanoTime());
            }
        };
    }

    @Test
    void timeStandsStillUntilAdvanced() {
        clock.schedule(entry("a"), 100);
        assertEquals(0, clock.nanoTime());
        assertTrue(clock.advance());
        assertEquals(100, clock.nanoTime());
        assertEquals(List.of("a@100"), fired);
        assertFalse(clock.advance(), "nothing armed: time does not move");
    }

    @Test
    void entriesDueTogetherExpireInArmingOrderAndLaterOnesWait() {
        clock.schedule(entry("late"), 200);
        clock.schedule(entry("first"), 100);
        clock.schedule(entry("second"), 100);
        clock.advance();
        assertEquals(List.of("first@100", "second@100"), fired);
        assertEquals(1, clock.pending());
        clock.advance();
        assertEquals("late@200", fired.get(2));
    }

    @Test
    void aCancelledEntryNeverExpires() {
        TimerEntry e = entry("cancelled");
        clock.schedule(e, 50);
        clock.schedule(entry("kept"), 50);
        assertTrue(clock.cancel(e));
        assertFalse(clock.cancel(e), "twice");
        clock.advance();
        assertEquals(List.of("kept@50"), fired);
        assertFalse(clock.hasPending());
    }

    @Test
    void anArmedEntryCannotBeArmedAgain() {
        TimerEntry e = entry("x");
        clock.schedule(e, 10);
        assertThrows(IllegalStateException.class, () -> clock.schedule(e, 20));
    }
}
