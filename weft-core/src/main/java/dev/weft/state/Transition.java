package dev.weft.state;

import java.util.List;
import java.util.Objects;

/**
 * A move from one state to another, with the arguments given to the next state (the seed's
 * {@code dead(is_eaten=True)}). A state body returns one, made by {@link State#to}, to end its
 * greenlet and start the next state's; {@link StateMachine#transitions()} lists those taken.
 *
 * @param <S> the type of the state keys
 * @param from the state that moves
 * @param to the state it moves to
 * @param args the arguments the next state receives ({@link State#args()}); unmodifiable, may
 *     hold nulls
 */
public record Transition<S>(S from, S to, List<Object> args) {
    /**
     * A transition; {@code args} is kept as given (callers pass an unmodifiable list).
     *
     * @param from the state that moves
     * @param to the state it moves to
     * @param args the arguments the next state receives
     * @throws NullPointerException if an argument is null
     */
    public Transition {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(args, "args");
    }

    @Override
    public String toString() {
        return from + " -> " + to + (args.isEmpty() ? "" : " " + args);
    }
}
