package dev.weft.link;

import dev.weft.Linkable;
import dev.weft.Outcome;
import java.util.Objects;

/**
 * The message a monitor, or a link to a greenlet that traps exits, delivers when its source ends
 * (Erlang's {@code {'DOWN', Ref, process, Pid, Reason}} and {@code {'EXIT', Pid, Reason}}). It
 * is delivered, never raised.
 *
 * {@snippet :
 * switch (inbox.get()) {
 *     case Down(var source, Outcome.Failed<?>(Throwable e), var ref) -> restart(source, e);
 *     case Down d -> log(d);
 * }
 * }
 *
 * @param source the object that ended
 * @param outcome how it ended: {@code Value} (a greenlet's or result's value; {@code null} for an
 *     event), {@code Failed} or {@code Killed}
 * @param ref the {@link Monitor} that delivered it, or the {@link Link} whose exit was trapped
 */
public record Down(Linkable<?> source, Outcome<?> outcome, Object ref) {
    /**
     * A down message; no component may be null.
     *
     * @param source the object that ended
     * @param outcome how it ended
     * @param ref the monitor or link that delivered it
     * @throws NullPointerException if a component is null
     */
    public Down {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(ref, "ref");
    }

    /**
     * True if the source ended with a value (a kill is not one).
     *
     * @return true for an {@code Outcome.Value}
     */
    public boolean isNormal() {
        return outcome instanceof Outcome.Value<?>;
    }
}
