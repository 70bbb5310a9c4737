package dev.weft.state;

import java.util.List;

/**
 * A callback run whenever a state is entered (gevent_async's {@code on_start}). It runs in the
 * greenlet issuing the transition — the previous state's, or whoever started the machine —
 * before the new state's greenlet starts, and receives that not-yet-started greenlet.
 *
 * @param <S> the type of the state keys
 */
@FunctionalInterface
public interface OnStart<S> {
    /**
     * Called on entering a state.
     *
     * @param next the new state's greenlet, not started yet
     * @param args the arguments of the transition (also {@code next.args()})
     * @throws Exception anything: the transition does not happen, and the greenlet issuing it
     *     fails with it
     */
    void onStart(State<S> next, List<Object> args) throws Exception;
}
