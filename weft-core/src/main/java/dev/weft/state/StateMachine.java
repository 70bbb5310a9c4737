package dev.weft.state;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Hub;
import dev.weft.Linkable;
import dev.weft.Outcome;
import dev.weft.internal.Completion;
import dev.weft.internal.InternalListener;
import dev.weft.internal.ListenerNode;
import dev.weft.internal.Waiter;
import dev.weft.sync.Queue;
import dev.weft.sync.QueueClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A running state machine whose states are greenlets (gevent_async's {@code @state}): moving to
 * another state ends the current state's greenlet, as a success, and starts the next state's —
 * a tail call. Declared with {@link #define()}, started with {@link MachineDefinition#start}.
 *
 * {@snippet :
 * enum Door { CLOSED, OPEN }
 *
 * MachineDefinition<Door> door = StateMachine.<Door>define()
 *         .state(CLOSED, s -> s.receive().equals("push") ? s.to(OPEN) : s.to(CLOSED), OPEN, CLOSED)
 *         .state(OPEN, s -> s.to(CLOSED), CLOSED)
 *         .timeout(OPEN, Duration.ofSeconds(5), CLOSED)      // nobody closes it: it closes itself
 *         .build();
 * StateMachine<Door> m = door.start(CLOSED);
 * m.post("push");                                             // the current state receives it
 * }
 *
 * <p>The machine is {@link Linkable}: it is ready when a state ends without moving on (a terminal
 * state returned, or a body returned null), fails with the exception of a state that failed (a
 * {@link ValidationError} for a transition not declared), and is killed when its current state
 * is killed. {@link #currentState()}, {@link #transitions()} and the outcome accessors may be
 * read from any thread. A failure nobody waits for or links to when it happens is reported to
 * the hub's error handler, as a greenlet's is.
 *
 * <p>Beyond the seed, from OTP's {@code gen_statem}: subtasks a state spawns
 * ({@link State#spawnSubtask}) are killed when it ends; a state may declare a state timeout that fires a
 * chosen transition ({@link MachineBuilder#timeout}); events posted to the machine
 * ({@link #post}) wait in its mailbox until a state receives them ({@link State#receive()}).
 *
 * @param <S> the type of the state keys
 */
public final class StateMachine<S> extends Completion implements Linkable<StateMachine<S>> {
    /*
     * Overview (for maintainers). Each state greenlet is rawlinked to stateEnded before it
     * starts. A state that moves on sets handedOver before its run() returns, so its end is
     * ignored and its successor's end drives the machine; any other end completes the machine
     * with that state's outcome. kill() sets killRequested, then kills `current`; enter() sets
     * `current`, then reads killRequested and kills the unstarted successor (which then never
     * runs): whichever order the two race in, the state that ends up current is killed
     * (StateMachineTest.killingTheMachineKillsTheCurrentState).
     */
    private final MachineDefinition<S> definition;
    private final Hub hub;
    private final Queue<Object> mailbox = new Queue<>();
    private final List<Transition<S>> taken = new ArrayList<>(); // guarded by itself
    private volatile State<S> current;
    private volatile boolean killRequested;
    private volatile Throwable killWith;
    private volatile boolean killed;

    private StateMachine(MachineDefinition<S> definition, Hub hub) {
        this.definition = definition;
        this.hub = hub;
    }

    /**
     * Starts declaring a state machine.
     *
     * @param <S> the type of the state keys: an enum, strings, anything with {@code equals}
     * @return a new builder
     */
    public static <S> MachineBuilder<S> define() {
        return new MachineBuilder<>();
    }

    static <S> StateMachine<S> start(MachineDefinition<S> definition, Hub hub, S initial, List<Object> args) {
        Spec<S> spec = definition.spec(initial);
        StateMachine<S> m = new StateMachine<>(definition, hub);
        State<S> first = m.newState(spec, args);
        m.onStart(spec, first, args);
        m.current = first;
        if (m.killRequested) first.kill(m.killWith, false, null); // killed from its onStart: it never runs
        first.start();
        return m;
    }

    private State<S> newState(Spec<S> spec, List<Object> args) {
        State<S> s = new State<>(hub, this, spec, args);
        s.rawlink(new Ended());
        return s;
    }

    private void onStart(Spec<S> spec, State<S> next, List<Object> args) {
        OnStart<S> cb = spec.onStart();
        if (cb == null) return;
        try {
            cb.onStart(next, args);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new dev.weft.GreenletFailure(e);
        }
    }

    /** In the greenlet of {@code from}: its body returned {@code t}, checked already. */
    void enter(State<S> from, Transition<S> t) {
        State<S> next = newState(definition.spec(t.to()), t.args());
        onStart(next.spec(), next, t.args());
        synchronized (taken) {
            taken.add(t);
        }
        dev.weft.internal.Telemetry.stateTransition(this, t.from(), t.to(), t.args().size());
        current = next;
        if (killRequested) next.kill(killWith, false, null); // unstarted: it never runs
        from.handedOver = true;
        next.start();
    }

    /** A state's end: unless it handed over to a successor, the machine ends as it did. */
    private final class Ended implements Consumer<Greenlet<Transition<S>>> {
        @Override
        public void accept(Greenlet<Transition<S>> g) {
            State<S> s = (State<S>) g;
            if (s.handedOver) return;
            mailbox.close();
            Throwable error = null;
            switch (s.outcome()) {
                case Outcome.Value<Transition<S>> v -> {}
                case Outcome.Failed<Transition<S>>(Throwable e) -> error = e;
                case Outcome.Killed<Transition<S>> k -> killed = true;
            }
            Throwable e = error;
            complete(s.state(), e, receivers -> {
                if (receivers == 0 && e != null) hub.report(StateMachine.this, e);
            });
        }
    }

    // ------------------------------------------------------------------ from outside

    /**
     * Posts {@code event} to the machine's mailbox; the current state, or a later one, takes it
     * with {@link State#receive()}. Never waits.
     *
     * @param event the event; never null
     * @throws IllegalStateException if the machine has ended
     * @throws NullPointerException if {@code event} is null
     */
    public void post(Object event) {
        Objects.requireNonNull(event, "event");
        try {
            mailbox.put(event);
        } catch (QueueClosedException e) {
            throw new IllegalStateException(this + " has ended: " + event + " not posted");
        }
    }

    /**
     * Kills the current state with a {@link GreenletExit} and waits for the machine to end: it
     * ends killed ({@link #isKilled()}, successful), its last state's subtasks killed too.
     * Killing an ended machine does nothing.
     */
    public void kill() {
        kill(new GreenletExit());
    }

    /**
     * Kills the current state with {@code exception} and waits for the machine to end.
     *
     * @param exception raised in the current state (a {@link GreenletExit} ends the machine
     *     killed; another one fails it, unless the state catches it); unchecked
     * @throws IllegalArgumentException if {@code exception} is a checked exception
     * @throws NullPointerException if {@code exception} is null
     */
    public void kill(Throwable exception) {
        Objects.requireNonNull(exception, "exception");
        if (!(exception instanceof RuntimeException || exception instanceof Error)) {
            throw new IllegalArgumentException("a kill must be unchecked: " + exception);
        }
        if (isComplete()) return;
        killWith = exception;
        killRequested = true;
        State<S> c = current;
        if (c == null) return; // the initial state's onStart is running: start() kills it before it runs
        c.kill(exception, false, null);
        if (Greenlet.current() != c) join(); // a state killing its own machine unwinds first
    }

    /**
     * The current state's key (the last one, once the machine has ended).
     *
     * @return the key of the state now running, or about to start; null while the initial
     *     state's {@code onStart} runs (there is no current state yet)
     */
    public S currentState() {
        State<S> c = current;
        return c == null ? null : c.state();
    }

    /**
     * The current state's greenlet (the last one, once the machine has ended).
     *
     * @return the state now running or about to start; null while the initial state's
     *     {@code onStart} runs
     */
    public State<S> current() {
        return current;
    }

    /**
     * The transitions taken so far, in order, as (from, to) pairs with their arguments. A state
     * timeout's transition is one; a refused ({@link ValidationError}) one is not.
     *
     * @return a snapshot
     */
    public List<Transition<S>> transitions() {
        synchronized (taken) {
            return List.copyOf(taken);
        }
    }

    /**
     * The definition this machine runs.
     *
     * @return its definition
     */
    public MachineDefinition<S> definition() {
        return definition;
    }

    // ------------------------------------------------------------------ the outcome

    /** Waits until the machine has ended. */
    public void join() {
        join(null);
    }

    /**
     * Waits at most {@code timeout} for the machine to end; never throws on expiry.
     *
     * @param timeout at most this long, on the caller's hub clock; {@code null}: no limit
     * @return true if it has ended
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public boolean join(Duration timeout) {
        Waiter.checkTimeout(timeout);
        Greenlet<?> me = Greenlet.current();
        return isSettled() || awaitComplete(me, Waiter.deadline(me, timeout));
    }

    /**
     * Waits for the machine to end and returns its last state, or rethrows the failure that
     * ended it (an unchecked one as the very instance, a checked one wrapped in
     * {@link dev.weft.GreenletFailure}).
     *
     * @return the key of the state it ended in
     */
    @SuppressWarnings("unchecked")
    public S get() {
        join();
        return (S) outcomeOrThrow();
    }

    /** True once the machine has ended (a state ended without moving on). */
    @Override
    public boolean isReady() {
        return isComplete();
    }

    /**
     * True if it ended without a failure (a kill by {@link GreenletExit} included).
     *
     * @return false while it runs or if a state failed
     */
    public boolean isSuccessful() {
        return isComplete() && resultError() == null;
    }

    /**
     * True if it ended because its current state was killed by a {@link GreenletExit}.
     *
     * @return true if killed
     */
    public boolean isKilled() {
        return isComplete() && killed;
    }

    /**
     * The failure that ended it: the exception of the state that failed.
     *
     * @return the very exception; null while it runs or if it succeeded
     */
    public Throwable exception() {
        return resultError();
    }

    /** Runs {@code listener}, with this machine, once it has ended (at once if it has). */
    @Override
    public void rawlink(Consumer<? super StateMachine<S>> listener) {
        Objects.requireNonNull(listener, "listener");
        addNode(new ListenerNode<>(listener, listener, this, !(listener instanceof InternalListener), Hub.current()));
    }

    @Override
    public boolean unlink(Object listener) {
        return unlinkListener(listener);
    }

    Queue<Object> mailbox() {
        return mailbox;
    }

    @Override
    public String toString() {
        State<S> c = current;
        return "StateMachine[" + (isComplete() ? (resultError() != null ? "failed in " : "ended in ") : "in ")
                + (c == null ? "?" : c.state()) + "]";
    }
}
