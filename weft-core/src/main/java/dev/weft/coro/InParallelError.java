package dev.weft.coro;

import java.util.List;

/**
 * Raised by {@link Coro#inParallel} when one or more of its tasks failed, once all of them have
 * finished (Shrapnel's {@code InParallelError}). {@link #results()} holds every task's end, in
 * input order: {@link Status#SUCCESS} with its value or {@link Status#FAILURE} with its exception.
 * The first failure is also this error's cause.
 */
public class InParallelError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** How one task ended. */
    public enum Status {
        /** It returned a value. (A task killed, even quietly by a {@code GreenletExit}, is a {@link #FAILURE}.) */
        SUCCESS,
        /** It ended with an exception. */
        FAILURE
    }

    /**
     * One task's end (Shrapnel's {@code (status, result)} tuple).
     *
     * @param status SUCCESS or FAILURE
     * @param value the value for a SUCCESS; null for a FAILURE
     * @param error the exception for a FAILURE; null for a SUCCESS
     */
    public record Result(Status status, Object value, Throwable error) {
        /**
         * A success.
         *
         * @param value the task's value
         * @return {@code Result(SUCCESS, value, null)}
         */
        public static Result success(Object value) {
            return new Result(Status.SUCCESS, value, null);
        }

        /**
         * A failure.
         *
         * @param error the task's exception
         * @return {@code Result(FAILURE, null, error)}
         */
        public static Result failure(Throwable error) {
            return new Result(Status.FAILURE, null, error);
        }
    }

    private final transient List<Result> results;

    /**
     * An error carrying every task's end.
     *
     * @param results the tasks' ends, in input order
     */
    public InParallelError(List<Result> results) {
        super(describe(results), firstFailure(results));
        this.results = List.copyOf(results);
    }

    /**
     * Every task's end, in the order the tasks were given (Shrapnel's {@code result_list}).
     *
     * @return an unmodifiable list, one entry per task
     */
    public List<Result> results() {
        return results;
    }

    private static Throwable firstFailure(List<Result> results) {
        for (Result r : results) if (r.status() == Status.FAILURE) return r.error();
        return null;
    }

    private static String describe(List<Result> results) {
        int failed = 0;
        for (Result r : results) if (r.status() == Status.FAILURE) failed++;
        return failed + " of " + results.size() + " parallel tasks failed";
    }
}
