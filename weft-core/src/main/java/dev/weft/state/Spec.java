package dev.weft.state;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/** One declared state: its body, where it may go, its callback and its state timeout. */
record Spec<S>(
        S key,
        StateBody<S> body, // a terminal body adapted to return null
        Set<S> targets,
        OnStart<S> onStart,
        Duration timeout,
        S timeoutTarget,
        List<Object> timeoutArgs) {
    boolean allows(S target) {
        return targets.contains(target);
    }

    boolean isTerminal() {
        return targets.isEmpty();
    }
}
