package dev.weft.link;

import dev.weft.CheckedRunnable;
import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.GreenletFailure;
import dev.weft.Hub;
import dev.weft.Interrupted;
import dev.weft.Linkable;
import dev.weft.Outcome;
import dev.weft.Receiver;
import dev.weft.internal.GreenletAccess;
import dev.weft.internal.SignalQueue;
import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import dev.weft.sync.Queue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * proc.py's links, and Erlang's links, monitors and trap-exit, on every {@link Linkable}
 * (greenlets, {@link AsyncResult}s — proc's {@code Source} — and {@link Event}s). See
 * {@code docs/links.md}.
 *
 * {@snippet :
 * Greenlet<Void> child = Links.spawnLinkException(() -> importantPart());
 * try {
 *     Greenlets.sleep(Duration.ofSeconds(1));      // the child's failure is raised here
 * } catch (LinkedFailed e) {
 *     log("child " + e.sourceName() + " failed", e.getCause());
 * }
 * }
 *
 * <h2>Listeners, chosen by what the listener is</h2>
 * <ul>
 * <li>a <b>greenlet</b>: the source's end is raised in it at its next blocking point, as a kill
 *     is (through its signal queue), as {@link LinkedCompleted} (the source returned),
 *     {@link LinkedFailed} (it raised) or {@link LinkedKilled} (it was killed). A greenlet that
 *     {@linkplain #trapExits traps exits} receives a {@link Down} in its inbox instead;</li>
 * <li>a <b>{@link Receiver}</b> ({@code AsyncResult}, …): {@code send(value)}, or
 *     {@code sendException(e)} with the failure or the kill's exit;</li>
 * <li>a <b>callback</b> ({@code Consumer}): called with the source.</li>
 * </ul>
 * Receivers and callbacks run on the thread that ends the source, in registration order, and
 * must not block (proc.py ran them in the hub). A listener that throws is reported to the hub's
 * error handler and the other listeners still run.
 *
 * <h2>proc.py's rules</h2>
 * {@code link} delivers every end, {@code linkValue} only a value, {@code linkException} only a
 * failure — and <b>a kill counts as a failure</b>, as in proc.py (gevent 1.x's
 * {@code Greenlet.linkException} treats a kill as a success; those methods keep gevent 1.x's
 * rule). Linking without a listener links the current greenlet. Each link fires once. Linking
 * after the source ended still fires — at once, and if the listener is the calling greenlet the
 * exit is raised from the link call itself. A link counts as receiving a greenlet's failure
 * (ARCHITECTURE §6) except {@code linkValue}; a failure whose linked exit cannot be delivered
 * (its greenlet ended first) is reported to the error handler.
 *
 * <h2>Beyond proc.py, from Erlang/OTP</h2>
 * {@link #monitor} (a one-shot {@link Down}, never raised), {@link #trapExits} (exits as
 * {@code Down}s in a queue), {@link #linkBoth} (two-way links: a failure or a kill of either is
 * raised in the other; a normal end is not, unless the other traps exits), and
 * {@code spawnLink*}, which also links the child to the parent: a parent that dies by a failure
 * or a kill raises its end in its live linked children.
 *
 * <p>Thread safety: every method may be called from any thread; the ones about "the current
 * greenlet" act on the caller's.
 */
public final class Links {
    private Links() {}

    // ---------------------------------------------------------------- link to a greenlet

    /**
     * Links the current greenlet to {@code source}: its end, whatever it is, is raised in the
     * caller ({@link LinkedCompleted}, {@link LinkedFailed}, {@link LinkedKilled}) at its next
     * blocking point; at once if the source has ended already.
     *
     * @param source what to watch
     * @return the link; {@link Link#cancel()} or {@link #unlink(Linkable)} stops it
     * @throws NullPointerException if {@code source} is null
     * @throws IllegalArgumentException if {@code source} is the current greenlet
     * @throws IllegalStateException if {@code source} is a greenlet of a closed hub
     * @throws LinkedExited if the source has ended already (and the caller does not trap exits)
     */
    public static Link link(Linkable<?> source) {
        return link(source, Greenlet.current());
    }

    /**
     * Like {@link #link(Linkable)}, for a value only: a failure or a kill of the source is not
     * raised.
     *
     * @param source what to watch
     * @return the link
     * @throws NullPointerException if {@code source} is null
     * @throws IllegalArgumentException if {@code source} is the current greenlet
     * @throws IllegalStateException if {@code source} is a greenlet of a closed hub
     * @throws LinkedCompleted if the source has returned already
     */
    public static Link linkValue(Linkable<?> source) {
        return linkValue(source, Greenlet.current());
    }

    /**
     * Like {@link #link(Linkable)}, for a failure or a kill only: a value is not raised.
     *
     * @param source what to watch
     * @return the link
     * @throws NullPointerException if {@code source} is null
     * @throws IllegalArgumentException if {@code source} is the current greenlet
     * @throws IllegalStateException if {@code source} is a greenlet of a closed hub
     * @throws LinkedFailed if the source has failed or been killed already
     */
    public static Link linkException(Linkable<?> source) {
        return linkException(source, Greenlet.current());
    }

    /**
     * Links {@code listener} to {@code source}: the source's end is raised in the listener at its
     * next blocking point (as a {@code Down} in its inbox if it traps exits).
     *
     * @param source what to watch
     * @param listener where its end is raised
     * @return the link
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code source} is {@code listener}
     * @throws IllegalStateException if either is a greenlet of a closed hub
     * @throws LinkedExited if the source has ended already and {@code listener} is the caller
     */
    public static Link link(Linkable<?> source, Greenlet<?> listener) {
        return toGreenlet(source, listener, Link.Kind.ANY);
    }

    /**
     * Like {@link #link(Linkable, Greenlet)}, for a value only.
     *
     * @param source what to watch
     * @param listener where its value is announced
     * @return the link
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code source} is {@code listener}
     * @throws IllegalStateException if either is a greenlet of a closed hub
     * @throws LinkedCompleted if the source has returned already and {@code listener} is the caller
     */
    public static Link linkValue(Linkable<?> source, Greenlet<?> listener) {
        return toGreenlet(source, listener, Link.Kind.VALUE);
    }

    /**
     * Like {@link #link(Linkable, Greenlet)}, for a failure or a kill only.
     *
     * @param source what to watch
     * @param listener where its failure is raised
     * @return the link
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code source} is {@code listener}
     * @throws IllegalStateException if either is a greenlet of a closed hub
     * @throws LinkedFailed if the source has failed already and {@code listener} is the caller
     */
    public static Link linkException(Linkable<?> source, Greenlet<?> listener) {
        return toGreenlet(source, listener, Link.Kind.EXCEPTION);
    }

    private static Link toGreenlet(Linkable<?> source, Greenlet<?> listener, Link.Kind kind) {
        checkSource(source);
        Objects.requireNonNull(listener, "listener");
        checkHub(listener);
        if (source == listener) throw new IllegalArgumentException("a greenlet cannot be linked to itself: " + listener);
        Link l = new Link(source, listener, kind).register();
        if (l.raised && listener == Greenlet.current()) SignalQueue.deliverPending(listener); // proc: raised at once
        return l;
    }

    // ---------------------------------------------------------------- link to a callback

    /**
     * Calls {@code callback} with {@code source} when it ends (at once, in the caller, if it has).
     * The callback runs on the thread that ends the source and must not block.
     *
     * @param source what to watch
     * @param callback given the source once it has ended; {@link #unlink(Linkable, Object)} finds
     *     it
     * @param <S> the type of the source
     * @return the link
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if {@code source} is a greenlet of a closed hub
     */
    public static <S> Link link(Linkable<S> source, Consumer<? super S> callback) {
        return toObject(source, callback, Link.Kind.ANY);
    }

    /**
     * Like {@link #link(Linkable, Consumer)}, only when the source ends with a value.
     *
     * @param source what to watch
     * @param callback given the source once it has returned
     * @param <S> the type of the source
     * @return the link
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if {@code source} is a greenlet of a closed hub
     */
    public static <S> Link linkValue(Linkable<S> source, Consumer<? super S> callback) {
        return toObject(source, callback, Link.Kind.VALUE);
    }

    /**
     * Like {@link #link(Linkable, Consumer)}, only when the source fails or is killed.
     *
     * @param source what to watch
     * @param callback given the source once it has failed or been killed
     * @param <S> the type of the source
     * @return the link
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if {@code source} is a greenlet of a closed hub
     */
    public static <S> Link linkException(Linkable<S> source, Consumer<? super S> callback) {
        return toObject(source, callback, Link.Kind.EXCEPTION);
    }

    // ---------------------------------------------------------------- link to a receiver

    /**
     * Hands {@code source}'s end to {@code receiver}: {@code send(value)}, or
     * {@code sendException} with the failure — or with the exit, for a kill (proc.py). The
     * hand-over runs on the thread that ends the source and must not block.
     *
     * @param source what to watch
     * @param receiver handed the value or the exception, once
     * @param <T> the type of the value
     * @return the link
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if {@code source} is a greenlet of a closed hub
     */
    public static <T> Link link(Greenlet<T> source, Receiver<? super T> receiver) {
        return toObject(source, receiver, Link.Kind.ANY);
    }

    /**
     * Like {@link #link(Greenlet, Receiver)}, for a value only.
     *
     * @param source what to watch
     * @param receiver handed the value, once
     * @param <T> the type of the value
     * @return the link
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if {@code source} is a greenlet of a closed hub
     */
    public static <T> Link linkValue(Greenlet<T> source, Receiver<? super T> receiver) {
        return toObject(source, receiver, Link.Kind.VALUE);
    }

    /**
     * Like {@link #link(Greenlet, Receiver)}, for a failure or a kill only.
     *
     * @param source what to watch
     * @param receiver handed the exception (the exit, for a kill), once
     * @param <T> the type of the value
     * @return the link
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if {@code source} is a greenlet of a closed hub
     */
    public static <T> Link linkException(Greenlet<T> source, Receiver<? super T> receiver) {
        return toObject(source, receiver, Link.Kind.EXCEPTION);
    }

    /**
     * Hands {@code source}'s outcome to {@code receiver} once it is set (proc.py's
     * {@code Source.link(event)}).
     *
     * @param source what to watch
     * @param receiver handed the value or the exception, once
     * @param <T> the type of the value
     * @return the link
     * @throws NullPointerException if an argument is null
     */
    public static <T> Link link(AsyncResult<T> source, Receiver<? super T> receiver) {
        return toObject(source, receiver, Link.Kind.ANY);
    }

    /**
     * Like {@link #link(AsyncResult, Receiver)}, for a value only.
     *
     * @param source what to watch
     * @param receiver handed the value, once
     * @param <T> the type of the value
     * @return the link
     * @throws NullPointerException if an argument is null
     */
    public static <T> Link linkValue(AsyncResult<T> source, Receiver<? super T> receiver) {
        return toObject(source, receiver, Link.Kind.VALUE);
    }

    /**
     * Like {@link #link(AsyncResult, Receiver)}, for an exception only.
     *
     * @param source what to watch
     * @param receiver handed the exception, once
     * @param <T> the type of the value
     * @return the link
     * @throws NullPointerException if an argument is null
     */
    public static <T> Link linkException(AsyncResult<T> source, Receiver<? super T> receiver) {
        return toObject(source, receiver, Link.Kind.EXCEPTION);
    }

    /**
     * Sends {@code null} to {@code receiver} on the event's next {@code set()}.
     *
     * @param source what to watch
     * @param receiver sent {@code null}, once
     * @return the link
     * @throws NullPointerException if an argument is null
     */
    public static Link link(Event source, Receiver<?> receiver) {
        return toObject(source, receiver, Link.Kind.ANY);
    }

    private static Link toObject(Linkable<?> source, Object listener, Link.Kind kind) {
        checkSource(source);
        Objects.requireNonNull(listener, "listener");
        return new Link(source, listener, kind).register();
    }

    // ---------------------------------------------------------------- unlink

    /**
     * Removes every pending link from {@code source} to the current greenlet (proc.py's
     * {@code unlink()}); with a greenlet source, also the two-way links between the two (OTP's
     * {@code unlink/1}).
     *
     * @param source the source
     * @return true if a pending link was removed; false if there was none
     * @throws NullPointerException if {@code source} is null
     */
    public static boolean unlink(Linkable<?> source) {
        return unlink(source, Greenlet.current());
    }

    /**
     * Removes every pending link from {@code source} to {@code listener} (a greenlet, a callback
     * or a receiver, compared by identity); with two greenlets, also the two-way links between
     * them. When {@code listener} is the calling greenlet, an exit of {@code source} that fired
     * but has not been raised in it yet (it is raised at the next blocking point) is withdrawn
     * too, as proc.py's unlink stops a notification not yet made (a failure it carried is
     * reported to the hub's error handler). A link that has fired and been raised, or was never
     * made, is not there: the result is false.
     *
     * @param source the source
     * @param listener the listener given to the link method
     * @return true if a pending link was removed
     * @throws NullPointerException if an argument is null
     */
    public static boolean unlink(Linkable<?> source, Object listener) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(listener, "listener");
        boolean any = false;
        while (source.unlink(listener)) any = true;
        if (source instanceof Greenlet<?> a && listener instanceof Greenlet<?> b) {
            for (Link l : LinkState.mutualBetween(a, b)) any |= l.cancel();
        }
        if (listener instanceof Greenlet<?> me && me == Greenlet.current()) {
            LinkState st = LinkState.peek(me);
            if (st != null) any |= st.withdrawFrom(source);
        }
        return any;
    }

    // ---------------------------------------------------------------- spawn_link*

    /**
     * Spawns {@code task} in the current hub, linked to the current greenlet: the child's end,
     * whatever it is, is raised in the caller at its next blocking point (proc.py's
     * {@code spawn_link}); and if the caller dies by a failure or a kill first, its end is raised
     * in the child (OTP). The link is made before the child starts.
     *
     * @param task what the child runs
     * @param <T> the type of its value
     * @return the started child
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the current hub is closed
     */
    public static <T> Greenlet<T> spawnLink(Callable<? extends T> task) {
        return spawnLinked(Objects.requireNonNull(task, "task"), Link.Kind.ANY);
    }

    /**
     * {@link #spawnLink(Callable)} for a task without a value.
     *
     * @param task what the child runs
     * @return the started child
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the current hub is closed
     */
    public static Greenlet<Void> spawnLink(Runnable task) {
        return spawnLinked(dev.weft.internal.Tasks.runOnly(Objects.requireNonNull(task, "task")), Link.Kind.ANY);
    }

    /**
     * {@link #spawnLink(Callable)} for a task that may throw a checked exception.
     *
     * @param task what the child runs
     * @return the started child
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the current hub is closed
     */
    public static Greenlet<Void> spawnLink(CheckedRunnable task) {
        return spawnLinked(dev.weft.internal.Tasks.runCheckedOnly(Objects.requireNonNull(task, "task")), Link.Kind.ANY);
    }

    /**
     * Like {@link #spawnLink(Callable)}, but only the child's value is raised in the caller
     * ({@link LinkedCompleted}; proc.py's {@code spawn_link_value}).
     *
     * @param task what the child runs
     * @param <T> the type of its value
     * @return the started child
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the current hub is closed
     */
    public static <T> Greenlet<T> spawnLinkValue(Callable<? extends T> task) {
        return spawnLinked(Objects.requireNonNull(task, "task"), Link.Kind.VALUE);
    }

    /**
     * {@link #spawnLinkValue(Callable)} for a task without a value.
     *
     * @param task what the child runs
     * @return the started child
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the current hub is closed
     */
    public static Greenlet<Void> spawnLinkValue(Runnable task) {
        return spawnLinked(dev.weft.internal.Tasks.runOnly(Objects.requireNonNull(task, "task")), Link.Kind.VALUE);
    }

    /**
     * {@link #spawnLinkValue(Callable)} for a task that may throw a checked exception.
     *
     * @param task what the child runs
     * @return the started child
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the current hub is closed
     */
    public static Greenlet<Void> spawnLinkValue(CheckedRunnable task) {
        return spawnLinked(dev.weft.internal.Tasks.runCheckedOnly(Objects.requireNonNull(task, "task")), Link.Kind.VALUE);
    }

    /**
     * Like {@link #spawnLink(Callable)}, but only the child's failure or kill is raised in the
     * caller ({@link LinkedFailed}, {@link LinkedKilled}; proc.py's {@code spawn_link_exception}).
     *
     * @param task what the child runs
     * @param <T> the type of its value
     * @return the started child
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the current hub is closed
     */
    public static <T> Greenlet<T> spawnLinkException(Callable<? extends T> task) {
        return spawnLinked(Objects.requireNonNull(task, "task"), Link.Kind.EXCEPTION);
    }

    /**
     * {@link #spawnLinkException(Callable)} for a task without a value.
     *
     * @param task what the child runs
     * @return the started child
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the current hub is closed
     */
    public static Greenlet<Void> spawnLinkException(Runnable task) {
        return spawnLinked(dev.weft.internal.Tasks.runOnly(Objects.requireNonNull(task, "task")), Link.Kind.EXCEPTION);
    }

    /**
     * {@link #spawnLinkException(Callable)} for a task that may throw a checked exception.
     *
     * @param task what the child runs
     * @return the started child
     * @throws NullPointerException if {@code task} is null
     * @throws IllegalStateException if the current hub is closed
     */
    public static Greenlet<Void> spawnLinkException(CheckedRunnable task) {
        return spawnLinked(dev.weft.internal.Tasks.runCheckedOnly(Objects.requireNonNull(task, "task")), Link.Kind.EXCEPTION);
    }

    @SuppressWarnings("unchecked")
    private static <T> Greenlet<T> spawnLinked(Object task, Link.Kind kind) {
        Hub hub = Hub.current();
        if (hub.isClosed()) throw new IllegalStateException(hub + " is closed");
        Greenlet<?> parent = Greenlet.current();
        Greenlet<T> child = (Greenlet<T>) GreenletAccess.newStartedSoon(hub, task);
        Link up = new Link(child, parent, kind);
        Link down = new Link(parent, child, Link.Kind.MUTUAL);
        up.partner = down;
        down.partner = up;
        LinkState.rememberMutual(down, parent, child);
        up.register();
        down.register();
        try {
            child.start();
        } catch (RuntimeException | Error e) {
            up.cancel();
            throw e;
        }
        return child;
    }

    // ---------------------------------------------------------------- two-way links (OTP)

    /**
     * Links {@code a} and {@code b} both ways (OTP's {@code link/1}): when either dies by a
     * failure or a kill, its end is raised in the other ({@link LinkedFailed},
     * {@link LinkedKilled}). A normal end is not raised (OTP's {@code normal} exit reason); a
     * greenlet that {@linkplain #trapExits traps exits} receives every end, normal ones
     * included, as a {@link Down}. Once one direction fires, the other is removed.
     *
     * @param a one greenlet
     * @param b the other
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code a} is {@code b}
     * @throws IllegalStateException if either belongs to a closed hub
     */
    public static void linkBoth(Greenlet<?> a, Greenlet<?> b) {
        checkSource(a);
        checkSource(b);
        if (a == b) throw new IllegalArgumentException("a greenlet cannot be linked to itself: " + a);
        Link ab = new Link(a, b, Link.Kind.MUTUAL);
        Link ba = new Link(b, a, Link.Kind.MUTUAL);
        ab.partner = ba;
        ba.partner = ab;
        LinkState.rememberMutual(ab, a, b);
        LinkState.rememberMutual(ba, a, b);
        ab.register();
        ba.register();
    }

    /**
     * Removes the two-way links between {@code a} and {@code b} (OTP's {@code unlink/1}).
     *
     * @param a one greenlet
     * @param b the other
     * @return true if a pending two-way link was removed
     * @throws NullPointerException if an argument is null
     */
    public static boolean unlinkBoth(Greenlet<?> a, Greenlet<?> b) {
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        boolean any = false;
        for (Link l : LinkState.mutualBetween(a, b)) any |= l.cancel();
        return any;
    }

    // ---------------------------------------------------------------- trap-exit (OTP)

    /**
     * From now on, the current greenlet receives its links' exits as {@link Down}s put in
     * {@code inbox} instead of having them raised (OTP's {@code process_flag(trap_exit, true)});
     * exits already queued and not yet raised are moved there too, in order. Calling it again
     * changes the inbox. Switching it on or off while exits are in flight loses none and delivers
     * none twice.
     *
     * @param inbox where the exits go; it must be unbounded (a {@code Down} is never waited for)
     * @throws NullPointerException if {@code inbox} is null
     * @throws IllegalArgumentException if {@code inbox} is bounded
     */
    public static void trapExits(Queue<? super Down> inbox) {
        checkUnbounded(inbox);
        LinkState.of(Greenlet.current()).trap(inbox);
    }

    /**
     * From now on the current greenlet's links raise their exits in it again; {@code Down}s
     * already in the inbox stay there.
     */
    public static void stopTrappingExits() {
        LinkState st = LinkState.peek(Greenlet.current());
        if (st != null) st.untrap();
    }

    /**
     * True if the current greenlet traps exits.
     *
     * @return true between {@link #trapExits} and {@link #stopTrappingExits()}
     */
    public static boolean isTrappingExits() {
        LinkState st = LinkState.peek(Greenlet.current());
        return st != null && st.isTrapping();
    }

    // ---------------------------------------------------------------- monitors (OTP)

    /**
     * Watches {@code source}: when it ends, exactly one {@link Down} is put in {@code queue}
     * (Erlang's {@code monitor/2}); nothing is ever raised. A source that has ended already
     * delivers at once.
     *
     * @param source what to watch
     * @param queue where the {@code Down} goes; it must be unbounded
     * @return the monitor; {@link Monitor#demonitor(boolean)} withdraws it
     * @throws NullPointerException if an argument is null
     * @throws IllegalArgumentException if {@code queue} is bounded
     * @throws IllegalStateException if {@code source} is a greenlet of a closed hub
     */
    public static Monitor monitor(Linkable<?> source, Queue<? super Down> queue) {
        checkSource(source);
        checkUnbounded(queue);
        return new Monitor(source, queue).register();
    }

    /**
     * Watches {@code source}: when it ends, {@code receiver.send(down)} is called once, on the
     * thread that ends it (it must not block).
     *
     * @param source what to watch
     * @param receiver sent the {@code Down}
     * @return the monitor
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if {@code source} is a greenlet of a closed hub
     */
    public static Monitor monitor(Linkable<?> source, Receiver<? super Down> receiver) {
        checkSource(source);
        Objects.requireNonNull(receiver, "receiver");
        return new Monitor(source, receiver).register();
    }

    /**
     * Watches {@code source}: when it ends, {@code callback} is called once with the
     * {@code Down}, on the thread that ends it (it must not block; if it throws, that is
     * reported to the hub's error handler).
     *
     * @param source what to watch
     * @param callback given the {@code Down}
     * @return the monitor
     * @throws NullPointerException if an argument is null
     * @throws IllegalStateException if {@code source} is a greenlet of a closed hub
     */
    public static Monitor monitor(Linkable<?> source, Consumer<? super Down> callback) {
        checkSource(source);
        Objects.requireNonNull(callback, "callback");
        return new Monitor(source, callback).register();
    }

    /**
     * {@code monitor.demonitor(flush)}: withdraws the monitor, and with {@code flush} takes back
     * a {@code Down} still waiting in its queue.
     *
     * @param monitor what to withdraw
     * @param flush also remove a delivered {@code Down} nobody has taken
     * @return see {@link Monitor#demonitor(boolean)}
     * @throws NullPointerException if {@code monitor} is null
     */
    public static boolean demonitor(Monitor monitor, boolean flush) {
        return Objects.requireNonNull(monitor, "monitor").demonitor(flush);
    }

    // ---------------------------------------------------------------- waitAll

    /**
     * Waits for every greenlet and returns their values in input order (proc.py's
     * {@code waitall}). If one fails or is killed, the failure that happened first in time is
     * thrown at once: an unchecked one as the very instance, a checked one wrapped in
     * {@link GreenletFailure}, a kill as a {@link LinkedKilled} naming the greenlet. "First" is
     * the order in which the ends reach this waiter: exact on a single-carrier hub; on a parallel
     * hub, two failures within one hand-over of each other (a greenlet that fails right after
     * joining a failed one) may arrive in either order.
     *
     * @param greenlets what to wait for (one listed twice has its value in both places)
     * @param <T> the type of the values
     * @return their values, in input order
     * @throws NullPointerException if {@code greenlets} or one of them is null
     */
    public static <T> List<T> waitAll(Collection<? extends Greenlet<? extends T>> greenlets) {
        List<Outcome<T>> outcomes = waitAll(greenlets, false, null);
        List<T> values = new ArrayList<>(outcomes.size());
        for (Outcome<T> o : outcomes) values.add(((Outcome.Value<T>) o).value());
        return values;
    }

    /**
     * Waits for every greenlet and returns how each ended, in input order (proc.py's
     * {@code waitall(lst, trap_errors, queue)}). With {@code trapErrors} every slot holds its
     * outcome ({@code Value}, {@code Failed} with the exception, {@code Killed}); without it the
     * first failure or kill in time is thrown as {@link #waitAll(Collection)} does.
     *
     * @param greenlets what to wait for
     * @param trapErrors keep failures in their slots instead of throwing the first
     * @param queue where the {@link Down}s are collected as the greenlets end (null: a new one);
     *     it must be unbounded. {@code Down}s of other monitors found in it are put back at the
     *     end, in order
     * @param <T> the type of the values
     * @return the outcomes, in input order
     * @throws NullPointerException if {@code greenlets} or one of them is null
     * @throws IllegalArgumentException if {@code queue} is bounded
     */
    @SuppressWarnings("unchecked")
    public static <T> List<Outcome<T>> waitAll(Collection<? extends Greenlet<? extends T>> greenlets, boolean trapErrors,
            Queue<Down> queue) {
        List<Outcome<?>> raw = waitAllSources(greenlets, trapErrors, queue);
        List<Outcome<T>> out = new ArrayList<>(raw.size());
        for (Outcome<?> o : raw) out.add((Outcome<T>) o); // outcomes are immutable: Outcome<? extends T> is an Outcome<T>
        return out;
    }

    /**
     * {@link #waitAll(Collection, boolean, Queue)} for any sources: greenlets, results, events
     * (an event's slot is {@code Value(null)} once it is set).
     *
     * @param sources what to wait for
     * @param trapErrors keep failures in their slots instead of throwing the first
     * @param queue where the {@link Down}s are collected (null: a new one); it must be unbounded
     * @return the outcomes, in input order
     * @throws NullPointerException if {@code sources} or one of them is null
     * @throws IllegalArgumentException if {@code queue} is bounded
     */
    public static List<Outcome<?>> waitAllSources(Collection<? extends Linkable<?>> sources, boolean trapErrors,
            Queue<Down> queue) {
        Objects.requireNonNull(sources, "sources");
        List<Linkable<?>> list = new ArrayList<>(sources);
        for (Linkable<?> s : list) Objects.requireNonNull(s, "one of the sources is null");
        Queue<Down> q = queue != null ? queue : new Queue<>();
        checkUnbounded(q);
        int n = list.size();
        Outcome<?>[] results = new Outcome<?>[n];
        IdentityHashMap<Monitor, Integer> slots = new IdentityHashMap<>();
        List<Monitor> monitors = new ArrayList<>(n);
        List<Down> foreign = null;
        try {
            for (int i = 0; i < n; i++) {
                Monitor m = new Monitor(list.get(i), q);
                slots.put(m, i);
                monitors.add(m);
                m.register();
            }
            for (int done = 0; done < n; ) {
                Down d = q.get();
                Integer slot = d.ref() instanceof Monitor m ? slots.get(m) : null;
                if (slot == null) {
                    if (foreign == null) foreign = new ArrayList<>();
                    foreign.add(d);
                    continue;
                }
                if (!trapErrors && !d.isNormal()) throw failureOf(d);
                results[slot] = d.outcome();
                done++;
            }
        } finally {
            for (Monitor m : monitors) m.demonitor(true); // after an error or a kill: nothing left behind
            if (foreign != null) for (Down d : foreign) q.tryPut(d);
        }
        return java.util.Arrays.asList(results);
    }

    private static RuntimeException failureOf(Down d) {
        return switch (d.outcome()) {
            case Outcome.Failed<?> f -> {
                Throwable e = f.error();
                if (e instanceof RuntimeException re) yield re;
                if (e instanceof Error er) throw er;
                yield new GreenletFailure(e);
            }
            case Outcome.Killed<?> k -> throw exitFor(d.source(), k);
            case Outcome.Value<?> v -> throw new IllegalStateException("not a failure: " + v);
        };
    }

    // ---------------------------------------------------------------- wrapErrors

    /**
     * A callable that runs {@code task} and returns an exception of {@code errorType} as a value
     * instead of throwing it (proc.py's {@code wrap_errors}). Kills and timeouts
     * ({@link Interrupted}) pass through unless {@code errorType} is itself one of them.
     *
     * @param errorType the exceptions to return
     * @param task what to run
     * @param <T> the type of the task's value
     * @param <E> the type of the returned exceptions
     * @return a callable giving {@link Result.Returned} or {@link Result.Raised}; other
     *     exceptions of the task pass through unchanged
     * @throws NullPointerException if an argument is null
     */
    public static <T, E extends Throwable> Callable<Result<T, E>> wrapErrors(Class<E> errorType,
            Callable<? extends T> task) {
        Objects.requireNonNull(errorType, "errorType");
        return wrapErrors(List.<Class<? extends E>>of(errorType), task);
    }

    /**
     * {@link #wrapErrors(Class, Callable)} for several exception types (proc.py's tuple).
     *
     * @param errorTypes the exceptions to return; at least one
     * @param task what to run
     * @param <T> the type of the task's value
     * @param <E> a supertype of the returned exceptions
     * @return a callable giving {@link Result.Returned} or {@link Result.Raised}
     * @throws NullPointerException if an argument or one of the types is null
     * @throws IllegalArgumentException if {@code errorTypes} is empty
     */
    public static <T, E extends Throwable> Callable<Result<T, E>> wrapErrors(
            Collection<? extends Class<? extends E>> errorTypes, Callable<? extends T> task) {
        Objects.requireNonNull(errorTypes, "errorTypes");
        Objects.requireNonNull(task, "task");
        List<Class<? extends E>> types = List.copyOf(errorTypes); // refuses null elements
        if (types.isEmpty()) throw new IllegalArgumentException("wrapErrors needs at least one exception type");
        return new Callable<>() {
            @Override
            public Result<T, E> call() throws Exception {
                try {
                    return new Result.Returned<>(task.call());
                } catch (Throwable t) {
                    for (Class<? extends E> c : types) {
                        if (c.isInstance(t) && (!(t instanceof Interrupted) || Interrupted.class.isAssignableFrom(c))) {
                            return new Result.Raised<>(c.cast(t));
                        }
                    }
                    throw SignalQueue.<Exception>sneakyThrow(t);
                }
            }

            @Override
            public String toString() {
                return task.toString();
            }
        };
    }

    // ---------------------------------------------------------------- helpers

    /** How {@code source} ended: a greenlet's or a result's outcome; {@code Value(null)} otherwise. */
    static Outcome<?> outcomeOf(Linkable<?> source) {
        if (source instanceof Greenlet<?> g) return g.outcome();
        if (source instanceof AsyncResult<?> r) return r.outcome();
        return new Outcome.Value<>(null);
    }

    /** The linked exit for {@code outcome} of {@code source} (proc.py's getLinkedFailed). */
    static LinkedExited exitFor(Object source, Outcome<?> outcome) {
        return switch (outcome) {
            case Outcome.Value<?> v -> new LinkedCompleted(source, outcome);
            case Outcome.Killed<?> k -> new LinkedKilled(source, outcome, k.exit());
            case Outcome.Failed<?> f -> f.error() instanceof GreenletExit x // an AsyncResult set with an exit
                    ? new LinkedKilled(source, outcome, x)
                    : new LinkedFailed(source, outcome, f.error());
        };
    }

    private static void checkSource(Linkable<?> source) {
        Objects.requireNonNull(source, "source");
        if (source instanceof Greenlet<?> g) checkHub(g);
    }

    private static void checkHub(Greenlet<?> g) {
        if (g.hub().isClosed()) throw new IllegalStateException(g + " belongs to a closed hub: " + g.hub());
    }

    private static void checkUnbounded(Queue<?> q) {
        Objects.requireNonNull(q, "queue");
        if (q.maxsize() != Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the queue must be unbounded (a Down is never waited for): " + q);
        }
    }
}
