package dev.weft.state;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Declares a state machine: its states, each with its body and the states it may move to, and
 * optionally an on-start callback and a state timeout per state. {@link #build()} checks the
 * whole declaration — every target names a declared state — so a wrong name fails when the
 * machine is defined, not when it runs. Obtained from {@link StateMachine#define()}.
 *
 * {@snippet :
 * MachineDefinition<Plant> life = StateMachine.<Plant>define()
 *         .state(SPROUTING, flower::sprouting, GROWING)
 *         .state(GROWING, flower::growing, FLOWERING)
 *         .state(FLOWERING, flower::flowering, DEAD, WITHERING)
 *         .state(WITHERING, flower::withering, DEAD)
 *         .terminal(DEAD, flower::dead)
 *         .onStart(DEAD, (next, args) -> flower.state = next)
 *         .build();
 * }
 *
 * <p>A builder is not thread-safe; the definition it builds is immutable and can start any
 * number of machines.
 *
 * @param <S> the type of the state keys: an enum, strings, anything with {@code equals}
 */
public final class MachineBuilder<S> {
    private static final class Draft<S> {
        final StateBody<S> body;
        final Set<S> targets;
        OnStart<S> onStart;
        Duration timeout;
        S timeoutTarget;
        List<Object> timeoutArgs;

        Draft(StateBody<S> body, Set<S> targets) {
            this.body = body;
            this.targets = targets;
        }
    }

    private final Map<S, Draft<S>> states = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();

    MachineBuilder() {}

    /**
     * Declares a state that may move to {@code transitionsTo} (none: a terminal state whose body
     * must return null).
     *
     * @param key the state's key
     * @param body what the state does, in its own greenlet; returns the transition to take
     * @param transitionsTo the states it may move to; each must be declared by {@link #build()}
     * @return this builder
     * @throws IllegalArgumentException if {@code key} is declared already
     * @throws NullPointerException if an argument or a target is null
     */
    @SafeVarargs
    public final MachineBuilder<S> state(S key, StateBody<S> body, S... transitionsTo) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(body, "body");
        Set<S> targets = new LinkedHashSet<>();
        for (S t : transitionsTo) targets.add(Objects.requireNonNull(t, "a target of " + key));
        if (states.putIfAbsent(key, new Draft<>(body, Collections.unmodifiableSet(targets))) != null) {
            throw new IllegalArgumentException("state " + key + " is declared twice");
        }
        return this;
    }

    /**
     * Declares a terminal state: no transitions; the machine is done when its body returns.
     *
     * @param key the state's key
     * @param body what the state does, in its own greenlet
     * @return this builder
     * @throws IllegalArgumentException if {@code key} is declared already
     * @throws NullPointerException if an argument is null
     */
    public MachineBuilder<S> terminal(S key, TerminalBody<S> body) {
        Objects.requireNonNull(body, "body");
        return state(key, s -> {
            body.run(s);
            return null;
        });
    }

    /**
     * Sets the callback run whenever {@code key} is entered: in the greenlet issuing the
     * transition, before the new state's greenlet starts, given that greenlet and the
     * transition's arguments.
     *
     * @param key a state, declared before or after this call
     * @param callback the callback; replaces an earlier one
     * @return this builder
     * @throws NullPointerException if an argument is null
     */
    public MachineBuilder<S> onStart(S key, OnStart<S> callback) {
        Objects.requireNonNull(callback, "callback");
        draft(key, "onStart").ifPresent(d -> d.onStart = callback);
        return this;
    }

    /**
     * Gives {@code key} a state timeout (OTP {@code gen_statem}'s): if the state has not moved
     * on {@code after} it started, the timeout is raised in its greenlet at its next blocking
     * point, its body is abandoned, and the machine takes the transition to {@code target}
     * with {@code args}. A state that moves on first cancels it.
     *
     * @param key a state, declared before this call
     * @param after how long the state may last, on its hub's clock; positive
     * @param target where to go then: one of the state's declared targets
     * @param args the arguments for {@code target}
     * @return this builder
     * @throws IllegalArgumentException if {@code after} is not positive, or {@code key} is not
     *     declared yet
     * @throws NullPointerException if {@code key}, {@code after} or {@code target} is null
     */
    public MachineBuilder<S> timeout(S key, Duration after, S target, Object... args) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(target, "target");
        if (after.isNegative() || after.isZero()) throw new IllegalArgumentException("a state timeout must be positive: " + after);
        Draft<S> d = states.get(Objects.requireNonNull(key, "key"));
        if (d == null) throw new IllegalArgumentException("timeout for undeclared state " + key);
        d.timeout = after;
        d.timeoutTarget = target;
        d.timeoutArgs = argList(args);
        return this;
    }

    private java.util.Optional<Draft<S>> draft(S key, String what) {
        Draft<S> d = states.get(Objects.requireNonNull(key, "key"));
        if (d == null) problems.add(what + " for undeclared state " + key);
        return java.util.Optional.ofNullable(d);
    }

    /**
     * Checks the declaration and returns the immutable definition.
     *
     * @return a definition that starts machines
     * @throws IllegalArgumentException naming every problem: no state declared, a target, an
     *     on-start callback or a timeout naming a state not declared, a timeout target the state
     *     may not move to
     */
    public MachineDefinition<S> build() {
        List<String> errors = new ArrayList<>(problems);
        if (states.isEmpty()) errors.add("no state declared");
        Map<S, Spec<S>> specs = new LinkedHashMap<>();
        for (Map.Entry<S, Draft<S>> e : states.entrySet()) {
            S key = e.getKey();
            Draft<S> d = e.getValue();
            for (S t : d.targets) {
                if (!states.containsKey(t)) errors.add("state " + key + " may move to " + t + ", which is not declared");
            }
            if (d.timeout != null && !d.targets.contains(d.timeoutTarget)) {
                errors.add("the timeout of state " + key + " moves to " + d.timeoutTarget + ", which is not one of its targets " + d.targets);
            }
            specs.put(key, new Spec<>(key, d.body, d.targets, d.onStart, d.timeout, d.timeoutTarget, d.timeoutArgs));
        }
        if (!errors.isEmpty()) throw new IllegalArgumentException("invalid state machine: " + String.join("; ", errors));
        return new MachineDefinition<>(Collections.unmodifiableMap(specs));
    }

    static List<Object> argList(Object[] args) {
        if (args == null || args.length == 0) return List.of();
        return Collections.unmodifiableList(Arrays.asList(args.clone()));
    }
}
