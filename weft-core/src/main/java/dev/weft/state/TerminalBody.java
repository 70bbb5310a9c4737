package dev.weft.state;

/**
 * The body of a terminal state (one with no transitions): when it returns, the machine is done.
 *
 * @param <S> the type of the state keys
 */
@FunctionalInterface
public interface TerminalBody<S> {
    /**
     * Runs the state.
     *
     * @param state the running state: its arguments, its mailbox, its subtasks
     * @throws Exception anything: it fails the state and the machine
     */
    void run(State<S> state) throws Exception;
}
