package dev.weft.link;

import dev.weft.GreenletFailure;
import java.util.Objects;

/**
 * What a callable made by {@link Links#wrapErrors} returns: the task's value, or one of the
 * listed exceptions as a value (proc.py's {@code wrap_errors}), for {@code switch} with patterns.
 *
 * {@snippet :
 * Callable<Result<String, IOException>> safe = Links.wrapErrors(IOException.class, () -> read(path));
 * switch (safe.call()) {
 *     case Result.Returned<String, IOException>(String text) -> show(text);
 *     case Result.Raised<String, IOException>(IOException e) -> warn(e);
 * }
 * }
 *
 * @param <T> the type of the task's value
 * @param <E> the type of the exceptions returned as values
 */
public sealed interface Result<T, E extends Throwable> {
    /**
     * The task returned.
     *
     * @param value its value; may be null
     * @param <T> the type of the value
     * @param <E> the type of the listed exceptions
     */
    record Returned<T, E extends Throwable>(T value) implements Result<T, E> {}

    /**
     * The task raised one of the listed exceptions.
     *
     * @param error the very exception
     * @param <T> the type of the value
     * @param <E> the type of the listed exceptions
     */
    record Raised<T, E extends Throwable>(E error) implements Result<T, E> {
        /**
         * A raised result; {@code error} must not be null.
         *
         * @param error the exception
         * @throws NullPointerException if {@code error} is null
         */
        public Raised {
            Objects.requireNonNull(error, "error");
        }
    }

    /**
     * True if the task raised one of the listed exceptions.
     *
     * @return true for {@link Raised}
     */
    default boolean isRaised() {
        return this instanceof Raised<T, E>;
    }

    /**
     * The value, or the exception rethrown: an unchecked one as the very instance, a checked one
     * wrapped in {@link GreenletFailure}.
     *
     * @return the value of a {@link Returned}
     * @throws GreenletFailure wrapping a checked exception of a {@link Raised}
     */
    default T valueOrThrow() {
        return switch (this) {
            case Returned<T, E> r -> r.value();
            case Raised<T, E> r -> {
                Throwable e = r.error();
                if (e instanceof RuntimeException re) throw re;
                if (e instanceof Error er) throw er;
                throw new GreenletFailure(e);
            }
        };
    }
}
