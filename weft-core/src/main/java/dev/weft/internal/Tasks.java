package dev.weft.internal;

import dev.weft.CheckedRunnable;
import java.util.concurrent.Callable;

/**
 * Keeps the overload a task was given through. A greenlet keeps its task as an {@code Object}
 * and runs it by its type ({@code Callable} first); a task given where a {@code Runnable} was
 * asked for that is <em>also</em> a {@code Callable} must still be run by its {@code run()}
 * (the JDK's {@code Executor.execute} contract, and what the caller chose). Such a task is
 * wrapped; every other task passes as it is, without an allocation.
 */
public final class Tasks {
    private Tasks() {}

    /**
     * {@code task}, or a wrapper that only calls its {@code run()} if it is also a {@code Callable}.
     *
     * @param task a task given as a {@code Runnable}
     * @return what to keep as the greenlet's task
     */
    public static Runnable runOnly(Runnable task) {
        return task instanceof Callable<?> ? new RunOnly(task) : task;
    }

    /**
     * {@code task}, or a wrapper that only calls its {@code runChecked()} if it is also a
     * {@code Callable}.
     *
     * @param task a task given as a {@code CheckedRunnable}
     * @return what to keep as the greenlet's task
     */
    public static CheckedRunnable runCheckedOnly(CheckedRunnable task) {
        return task instanceof Callable<?> ? new RunCheckedOnly(task) : task;
    }

    private record RunOnly(Runnable task) implements Runnable {
        @Override
        public void run() {
            task.run();
        }

        @Override
        public String toString() {
            return task.toString();
        }
    }

    private record RunCheckedOnly(CheckedRunnable task) implements CheckedRunnable {
        @Override
        public void runChecked() throws Exception {
            task.runChecked();
        }

        @Override
        public String toString() {
            return task.toString();
        }
    }
}
