package dev.weft.bench.peers;

import java.time.Duration;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Subtask;

/**
 * The JDK's {@link StructuredTaskScope} twins (a preview API in JDK 25: this module compiles
 * and runs with {@code --enable-preview}; weft-core does not use it). Both run inside the
 * caller's thread, which the benchmarks make a virtual thread.
 */
public final class JdkScopeWorkloads {
    private JdkScopeWorkloads() {}

    /**
     * {@code n} times: open a scope, fork one trivial subtask, join, read its value, close — the
     * JDK's shape of spawn+join one at a time.
     *
     * @return the sum of the values ({@code n})
     */
    public static int forkJoin(int n) throws InterruptedException {
        int done = 0;
        for (int i = 0; i < n; i++) {
            try (var scope = StructuredTaskScope.open()) {
                Subtask<Integer> s = scope.fork(() -> 1);
                scope.join();
                done += s.get();
            }
        }
        return done;
    }

    /**
     * {@code members - 1} subtasks asleep for an hour plus one that fails, in a scope with the
     * default joiner (all successful or throw): the failure cancels the scope, which interrupts
     * the sleepers; {@code join} throws.
     *
     * @return 1 when the failure came out of {@code join}
     */
    public static int firstFailureCancelsTheRest(int members) throws InterruptedException {
        try (var scope = StructuredTaskScope.open()) {
            for (int i = 0; i < members - 1; i++) {
                scope.fork(() -> {
                    Thread.sleep(Duration.ofHours(1)); // the JDK scope's twin: no weft hub here
                    return null;
                });
            }
            scope.fork(() -> {
                throw new Boom();
            });
            scope.join();
            return 0;
        } catch (StructuredTaskScope.FailedException e) {
            return e.getCause() instanceof Boom ? 1 : 0;
        }
    }
}
