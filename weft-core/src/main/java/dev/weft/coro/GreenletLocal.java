package dev.weft.coro;

import dev.weft.Greenlet;
import dev.weft.internal.Locals;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A value per greenlet (Shrapnel's {@code ThreadLocal}). Java's own {@link ThreadLocal} works per
 * greenlet too — each greenlet is one virtual thread — and is the first choice for plain
 * per-greenlet state; this class adds what a greenlet tree needs:
 *
 * <ul>
 * <li>{@link #inheritable()}: a greenlet created by another starts with a copy of its creator's
 *     value (taken when it is created, whoever starts it and whenever: {@code startLater} and
 *     {@code Coro.start} from elsewhere included). Java's {@code InheritableThreadLocal} copies
 *     from the thread that creates the {@code Thread} object, which for a greenlet started later
 *     or by someone else is not its creator.</li>
 * <li>It also works on a thread weft did not start (its adopted greenlet).</li>
 * </ul>
 *
 * {@snippet :
 * static final GreenletLocal<String> REQUEST_ID = GreenletLocal.inheritable();
 *
 * REQUEST_ID.set("r-42");
 * Greenlet<String> child = Greenlet.spawn(() -> REQUEST_ID.get()); // "r-42"
 * }
 *
 * <h2>And {@code ScopedValue}</h2>
 * A {@link ScopedValue} binding is immutable and lives for a block; threads forked by a
 * {@code StructuredTaskScope} inherit it, but a greenlet spawned inside the block does not (weft
 * starts plain virtual threads). For a value fixed for a block and shared read-only with the
 * greenlets it spawns, bind a {@code ScopedValue} and pass it on explicitly, or use an
 * inheritable {@code GreenletLocal}; for a value each greenlet changes, a {@code GreenletLocal}.
 *
 * <p>Thread safety: {@code get}/{@code set}/{@code remove} act on the calling greenlet's own
 * value, so no two threads ever share one.
 *
 * @param <T> the type of the value
 */
public final class GreenletLocal<T> {
    private final boolean inheritable;
    private final Supplier<? extends T> initial;

    private GreenletLocal(boolean inheritable, Supplier<? extends T> initial) {
        this.inheritable = inheritable;
        this.initial = initial;
    }

    /** A local whose value starts as {@code null} in every greenlet; children do not inherit it. */
    public GreenletLocal() {
        this(false, () -> null);
    }

    /**
     * A local whose value starts as {@code initial.get()} in each greenlet that reads it first.
     *
     * @param initial gives each greenlet's first value
     * @param <T> the type of the value
     * @return a new local, not inherited
     * @throws NullPointerException if {@code initial} is null
     */
    public static <T> GreenletLocal<T> withInitial(Supplier<? extends T> initial) {
        return new GreenletLocal<>(false, Objects.requireNonNull(initial, "initial"));
    }

    /**
     * A local that a greenlet's children inherit: each greenlet created by another starts with
     * the creator's value at creation time (later changes on either side are not seen by the
     * other). Without a value inherited or set, it reads {@code null}.
     *
     * @param <T> the type of the value
     * @return a new inheritable local
     */
    public static <T> GreenletLocal<T> inheritable() {
        return new GreenletLocal<>(true, () -> null);
    }

    /**
     * The calling greenlet's value.
     *
     * @return its value; the initial value if it has none yet (then stored)
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Greenlet<?> me = Greenlet.current();
        Object v = Locals.get(me, this, inheritable);
        if (v == Locals.NONE) {
            T first = initial.get();
            Locals.set(me, this, inheritable, first);
            return first;
        }
        return (T) v;
    }

    /**
     * Sets the calling greenlet's value.
     *
     * @param value the new value; may be null
     */
    public void set(T value) {
        Locals.set(Greenlet.current(), this, inheritable, value);
    }

    /** Removes the calling greenlet's value: the next {@link #get()} gives the initial value. */
    public void remove() {
        Locals.remove(Greenlet.current(), this, inheritable);
    }

    /**
     * Whether children inherit it.
     *
     * @return true for a local made with {@link #inheritable()}
     */
    public boolean isInheritable() {
        return inheritable;
    }
}
