package dev.weft;

import java.util.Objects;

/**
 * How a greenlet (or an {@code AsyncResult}) ended, for {@code switch} with patterns:
 *
 * {@snippet :
 * String report = switch (g.outcome()) {
 *     case Outcome.Value<String>(String v) -> "got " + v;
 *     case Outcome.Failed<String>(Throwable e) -> "failed: " + e;
 *     case Outcome.Killed<String>(GreenletExit exit) -> "killed: " + exit.getMessage();
 * };
 * }
 *
 * <p>A greenlet ended by a {@link GreenletExit} (a {@link Greenlet#kill()}, or a body that threw
 * one) is a success in gevent's sense — it is not reported, {@link Greenlet#isSuccessful()} is
 * true — but it has no value of type {@code T}: {@code get()} and {@code value()} return
 * {@code null} for it, and the exit is here, in {@link Killed}. (gevent makes the exit object
 * the value; in Java that would be a {@code ClassCastException} at the caller.)
 *
 * <p>There is no "pending" case: {@code outcome()} before the end throws
 * {@link IllegalStateException}, as {@link java.util.concurrent.Future#resultNow()} does, so a
 * {@code switch} over an outcome needs no branch that cannot happen.
 *
 * @param <T> the type of the value
 */
public sealed interface Outcome<T> {
    /**
     * Ended with a value (which may be {@code null}).
     *
     * @param value the value
     * @param <T> the type of the value
     */
    record Value<T>(T value) implements Outcome<T> {}

    /**
     * Ended with a failure: an exception other than a {@link GreenletExit}.
     *
     * @param error the very exception (a checked one unwrapped)
     * @param <T> the type the value would have had
     */
    record Failed<T>(Throwable error) implements Outcome<T> {
        /**
         * A failure with {@code error}, which must not be null.
         *
         * @param error the failure
         * @throws NullPointerException if {@code error} is null
         */
        public Failed {
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * Ended by a {@link GreenletExit}: killed (also before it started) or exited.
     *
     * @param exit the very exit
     * @param <T> the type the value would have had
     */
    record Killed<T>(GreenletExit exit) implements Outcome<T> {
        /**
         * A kill by {@code exit}, which must not be null.
         *
         * @param exit the exit
         * @throws NullPointerException if {@code exit} is null
         */
        public Killed {
            Objects.requireNonNull(exit, "exit");
        }
    }
}
