package dev.weft.state;

import dev.weft.CheckedRunnable;
import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.Interrupted;
import dev.weft.Timeout;
import dev.weft.pool.Group;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * One state of a running {@link StateMachine}, and the greenlet that runs it (gevent_async's
 * {@code State}). Its value is the transition it took (null for a state that ended the machine).
 * Its body receives it, to read its arguments, move on ({@link #to}), receive the events posted
 * to the machine ({@link #receive()}) and spawn subtasks that end with it ({@link #spawnSubtask}).
 *
 * <p>Ending: when the body returns a transition, the state's subtasks are killed, the next
 * state's on-start callback runs here, the transition is recorded, the next state's greenlet
 * starts, and this one ends successfully. A state timeout abandons the body the same way with
 * its declared transition.
 *
 * @param <S> the type of the state keys
 */
public final class State<S> extends Greenlet<Transition<S>> {
    private final StateMachine<S> machine;
    private final Spec<S> spec;
    private final List<Object> args;
    private Group subtasks; // this greenlet only
    volatile boolean handedOver; // set before run() returns a transition whose next state started

    State(Hub hub, StateMachine<S> machine, Spec<S> spec, List<Object> args) {
        super(hub);
        this.machine = machine;
        this.spec = spec;
        this.args = args;
        setName("state " + spec.key());
    }

    /**
     * This state's key.
     *
     * @return the key it was declared with
     */
    public S state() {
        return spec.key();
    }

    /**
     * The machine this state belongs to.
     *
     * @return the machine
     */
    public StateMachine<S> machine() {
        return machine;
    }

    /**
     * The arguments of the transition that entered this state (or of the machine's start).
     *
     * @return an unmodifiable list; may hold nulls
     */
    public List<Object> args() {
        return args;
    }

    /**
     * The argument at {@code index}. Passed straight on to {@link #to}'s varargs, cast it
     * ({@code s.to(NEXT, (int) s.arg(0))}): Java would infer {@code T} as {@code Object[]}.
     *
     * @param <T> the expected type (an unchecked cast)
     * @param index its position
     * @return the argument
     * @throws IndexOutOfBoundsException if there are not that many
     */
    @SuppressWarnings("unchecked")
    public <T> T arg(int index) {
        return (T) args.get(index);
    }

    /**
     * The argument at {@code index}, or {@code orElse} if the transition gave fewer (Python's
     * default argument values: {@code def dead(is_eaten=False)}).
     *
     * @param <T> the expected type (an unchecked cast)
     * @param index its position
     * @param orElse the value when it was not given
     * @return the argument or {@code orElse}
     */
    @SuppressWarnings("unchecked")
    public <T> T arg(int index, T orElse) {
        return index < args.size() ? (T) args.get(index) : orElse;
    }

    /**
     * The transition to {@code target}, to return from the body. It is checked here, in the
     * state that tries it.
     *
     * @param target where to go: one of this state's declared targets
     * @param args what the next state receives ({@link #args()})
     * @return the transition; returning it from the body takes it
     * @throws ValidationError if this state may not move to {@code target} (nothing is recorded;
     *     uncaught, it fails this state and the machine)
     * @throws NullPointerException if {@code target} is null
     */
    public Transition<S> to(S target, Object... args) {
        java.util.Objects.requireNonNull(target, "target");
        check(target);
        return new Transition<>(spec.key(), target, MachineBuilder.argList(args));
    }

    private void check(S target) {
        if (!spec.allows(target)) {
            throw new ValidationError("Moving to invalid state " + target + " from " + spec.key()
                    + (spec.isTerminal() ? " (a terminal state)" : " (allowed: " + spec.targets() + ")"));
        }
    }

    /**
     * Takes the next event posted to the machine ({@link StateMachine#post}), waiting for one.
     * Events not taken by this state stay for the next one.
     *
     * @return the oldest event
     */
    public Object receive() {
        return machine.mailbox().get();
    }

    /**
     * Takes the next event, waiting at most {@code timeout}.
     *
     * @param timeout at most this long, on the hub's clock; {@code null}: no limit
     * @return the oldest event
     * @throws dev.weft.sync.Empty if none came in time
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public Object receive(Duration timeout) {
        return machine.mailbox().get(timeout);
    }

    /**
     * Takes the next event if one is waiting.
     *
     * @return the oldest event, or null if none waits
     */
    public Object tryReceive() {
        return machine.mailbox().tryGet();
    }

    /**
     * Spawns a subtask that belongs to this state: it is killed when the state ends, whichever
     * way it ends. Call it from the state's own greenlet.
     *
     * @param <T> the type of its value
     * @param task what to run
     * @return the started subtask
     * @throws IllegalStateException if called from another greenlet
     */
    public <T> Greenlet<T> spawnSubtask(Callable<? extends T> task) {
        return subtasks().spawn(task);
    }

    /**
     * Like {@link #spawnSubtask(Callable)}, for a task without a value.
     *
     * @param task what to run
     * @return the started subtask
     * @throws IllegalStateException if called from another greenlet
     */
    public Greenlet<Void> spawnSubtask(Runnable task) {
        return subtasks().spawn(task);
    }

    /**
     * Like {@link #spawnSubtask(Callable)}, for a task that may throw a checked exception.
     *
     * @param task what to run
     * @return the started subtask
     * @throws IllegalStateException if called from another greenlet
     */
    public Greenlet<Void> spawnSubtask(CheckedRunnable task) {
        return subtasks().spawn(task);
    }

    private Group subtasks() {
        if (Greenlet.current() != this) throw new IllegalStateException("spawn a subtask of " + this + " from its own greenlet");
        if (subtasks == null) subtasks = new Group();
        return subtasks;
    }

    /**
     * Runs the body, then takes its transition (the caller is weft: do not call it).
     *
     * @return the transition taken; null if the machine ended here
     * @throws Exception what the body threw
     */
    @Override
    protected Transition<S> run() throws Exception {
        Timeout limit = spec.timeout() == null ? null : Timeout.start(spec.timeout());
        Transition<S> next;
        try {
            next = spec.body().run(this);
        } catch (Throwable e) {
            if (limit == null || !(e == limit || (limit.isExpired() && !(e instanceof Interrupted)))) throw e;
            next = new Transition<>(spec.key(), spec.timeoutTarget(), spec.timeoutArgs()); // checked at build
        } finally {
            if (limit != null) limit.cancel();
            if (subtasks != null) subtasks.kill();
        }
        if (next == null) return null;
        if (!next.from().equals(spec.key())) {
            throw new ValidationError("state " + spec.key() + " returned a transition made by state " + next.from() + ": " + next);
        }
        check(next.to());
        machine.enter(this, next);
        return next;
    }

    Spec<S> spec() {
        return spec;
    }
}
