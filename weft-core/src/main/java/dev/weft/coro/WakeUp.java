package dev.weft.coro;

import dev.weft.Interrupted;

/**
 * Shrapnel's {@code WakeUp}: a convenience exception to wake a sleeping greenlet early, raised
 * with {@link dev.weft.Greenlet#raiseException(Throwable)}:
 *
 * {@snippet :
 * Greenlet<Void> sleeper = Greenlet.spawn(() -> {
 *     try {
 *         Coro.sleepRelative(Duration.ofHours(1));
 *     } catch (WakeUp w) {
 *         // woken early
 *     }
 * });
 * sleeper.raiseException(new WakeUp());
 * }
 *
 * <p>Shrapnel derives it from {@code Exception}; in weft everything delivered into a greenlet is
 * an {@link Interrupted} (ARCHITECTURE §5), so a {@code catch (Exception e)} between the sleep
 * and the intended handler does not swallow it. Catch it by name.
 */
public class WakeUp extends Interrupted {
    private static final long serialVersionUID = 1L;

    /** A wake-up without a message. */
    public WakeUp() {
        super("wake up");
    }

    /**
     * A wake-up with a message.
     *
     * @param message why; may be null
     */
    public WakeUp(String message) {
        super(message);
    }
}
