package dev.weft.state;

import dev.weft.Hub;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A checked, immutable state machine declaration (built by {@link MachineBuilder#build()}); it
 * starts any number of independent machines.
 *
 * @param <S> the type of the state keys
 */
public final class MachineDefinition<S> {
    private final Map<S, Spec<S>> specs;

    MachineDefinition(Map<S, Spec<S>> specs) {
        this.specs = specs;
    }

    /**
     * Starts a machine in {@code initial} (not validated as a transition: any declared state may
     * be the first), in the current hub. The state's on-start callback runs in the caller, then
     * its greenlet starts.
     *
     * @param initial the first state
     * @param args the arguments it receives
     * @return the running machine
     * @throws IllegalArgumentException if {@code initial} is not declared
     * @throws NullPointerException if {@code initial} is null
     * @throws IllegalStateException if the current hub is closed
     */
    public StateMachine<S> start(S initial, Object... args) {
        return StateMachine.start(this, Hub.current(), initial, MachineBuilder.argList(args));
    }

    /**
     * The declared states, in declaration order.
     *
     * @return an unmodifiable view of the keys
     */
    public Set<S> states() {
        return specs.keySet();
    }

    /**
     * Where {@code state} may move.
     *
     * @param state a declared state
     * @return its targets, in declaration order; empty for a terminal state
     * @throws IllegalArgumentException if {@code state} is not declared
     */
    public Set<S> transitionsFrom(S state) {
        return spec(state).targets();
    }

    Spec<S> spec(S key) {
        Spec<S> s = specs.get(Objects.requireNonNull(key, "state"));
        if (s == null) throw new IllegalArgumentException("undeclared state " + key + " (declared: " + specs.keySet() + ")");
        return s;
    }
}
