package dev.weft.state;

/**
 * The body of a state that moves on: it runs in the state's own greenlet and returns the
 * transition to take ({@code return state.to(NEXT, args...)}), or null to end the machine there.
 *
 * @param <S> the type of the state keys
 */
@FunctionalInterface
public interface StateBody<S> {
    /**
     * Runs the state.
     *
     * @param state the running state: its arguments, its mailbox, its subtasks, {@link State#to}
     * @return the transition to take, made by {@link State#to}; null ends the machine
     * @throws Exception anything: it fails the state and the machine
     */
    Transition<S> run(State<S> state) throws Exception;
}
