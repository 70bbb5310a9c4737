package dev.weft;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;

/** Records steps from any thread, to assert their order (kotlinx's expect/finish, as a list). */
public final class Trail {
    private final List<String> steps = new ArrayList<>();

    /** An empty trail. */
    public Trail() {}

    public synchronized void add(String step) {
        steps.add(step);
    }

    public synchronized List<String> steps() {
        return List.copyOf(steps);
    }

    public void assertSteps(String... expected) {
        assertEquals(List.of(expected), steps());
    }
}
