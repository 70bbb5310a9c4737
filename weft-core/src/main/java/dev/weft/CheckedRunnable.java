package dev.weft;

/**
 * A task without a value that may throw a checked exception: what a void lambda such as
 * {@code () -> Files.delete(path)} or a method reference to a void method that
 * {@code throws IOException} becomes when passed to weft.
 *
 * <p>Every weft method that takes a task has three overloads — {@code Callable<? extends T>},
 * {@link Runnable} and {@code CheckedRunnable} — so that value lambdas pick {@code Callable}, void
 * lambdas (throwing or not) pick {@code CheckedRunnable}, and {@code Runnable} or
 * {@code Callable} variables pick their own type, without ambiguity. A method reference to an
 * <em>overloaded</em> method stays ambiguous, as with {@code ExecutorService.submit}: write the
 * lambda ({@code () -> x.io()}) instead.
 *
 * <p>As a {@link Runnable}, {@link #run()} rethrows an unchecked failure as is and wraps a
 * checked one in {@link GreenletFailure} (an {@link InterruptedException} also re-sets the
 * thread's interrupt flag, as the JDK's conventions ask of code that cannot rethrow it).
 */
@FunctionalInterface
public interface CheckedRunnable extends Runnable {
    /**
     * Runs the task.
     *
     * @throws Exception any failure
     */
    void runChecked() throws Exception;

    /** Runs {@link #runChecked()}, wrapping a checked failure in {@link GreenletFailure}. */
    @Override
    default void run() {
        try {
            runChecked();
        } catch (Exception e) {
            throw Greenlets.rethrow(e); // a RuntimeException as is; a checked one wrapped
        }
    }
}
