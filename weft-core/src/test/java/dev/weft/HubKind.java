package dev.weft;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * The hub kinds behaviour tests run under. {@code -Dweft.test.hub=all} (the default) runs every
 * kind; a kind's name runs only that one.
 */
public enum HubKind {
    PARALLEL(Hub::parallel),
    COOPERATIVE(Hub::cooperative),
    SIMULATED(() -> Hub.simulated(Long.getLong("weft.test.seed", 1L)));

    private final Supplier<Hub> factory;

    HubKind(Supplier<Hub> factory) {
        this.factory = factory;
    }

    public Hub create() {
        return factory.get();
    }

    public static Stream<HubKind> selected() {
        String want = System.getProperty("weft.test.hub", "all").trim().toLowerCase(Locale.ROOT);
        if (want.isEmpty() || want.equals("all")) return Arrays.stream(values());
        return Arrays.stream(values()).filter(k -> k.name().toLowerCase(Locale.ROOT).equals(want));
    }
}
