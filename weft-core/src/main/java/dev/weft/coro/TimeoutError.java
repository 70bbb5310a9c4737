package dev.weft.coro;

import dev.weft.Timeout;
import java.time.Duration;

/**
 * Shrapnel's {@code TimeoutError}: what {@link Coro#withTimeout} raises when its own delay
 * passes. It is a {@link Timeout} (so an {@link dev.weft.Interrupted}: a
 * {@code catch (Exception e)} never swallows it).
 *
 * <p>Nesting: an expiry travels through the frames inside its {@code withTimeout} as an internal
 * signal, not as a {@code TimeoutError}, and becomes one only at the frame of the
 * {@code withTimeout} that set it. So a {@code catch (TimeoutError e)} inside an inner
 * {@code withTimeout} never catches an outer one's expiry, as in Shrapnel.
 */
public class TimeoutError extends Timeout {
    private static final long serialVersionUID = 1L;

    /**
     * A timeout error for a {@code withTimeout} of {@code delay}; never started itself.
     *
     * @param delay the delay that passed
     */
    public TimeoutError(Duration delay) {
        super(delay);
    }
}
