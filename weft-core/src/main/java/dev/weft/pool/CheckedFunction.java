package dev.weft.pool;

import dev.weft.GreenletFailure;
import java.util.function.Function;

/**
 * The function of the map family ({@code map}, {@code imap}, …): a {@link Function} whose
 * {@link #applyChecked} may throw a checked exception — mapping usually does I/O.
 *
 * <p>Why one type and not overloads on {@code Function}: an implicitly typed lambda
 * ({@code url -> fetch(url)}) fits both, and Java would call the overloads ambiguous. Since this
 * interface extends {@code Function}, every lambda and method reference that fits a
 * {@code Function} fits here too; a {@code Function} <em>variable</em> is passed as
 * {@code f::apply} (or {@link #of(Function)}). A checked exception thrown by
 * {@code applyChecked} is the item's failure itself, not a wrapper.
 *
 * @param <I> the item type
 * @param <R> the result type
 */
@FunctionalInterface
public interface CheckedFunction<I, R> extends Function<I, R> {
    /**
     * Maps one item.
     *
     * @param item the item
     * @return its result
     * @throws Exception any failure
     */
    R applyChecked(I item) throws Exception;

    /** Runs {@link #applyChecked}, wrapping a checked failure in {@link GreenletFailure}. */
    @Override
    default R apply(I item) {
        try {
            return applyChecked(item);
        } catch (RuntimeException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GreenletFailure(e);
        } catch (Exception e) {
            throw new GreenletFailure(e);
        }
    }

    /**
     * {@code function} as a {@code CheckedFunction}.
     *
     * @param function the function
     * @param <I> the item type
     * @param <R> the result type
     * @return a view calling {@code function}
     */
    static <I, R> CheckedFunction<I, R> of(Function<? super I, ? extends R> function) {
        java.util.Objects.requireNonNull(function, "function");
        return function::apply;
    }
}
