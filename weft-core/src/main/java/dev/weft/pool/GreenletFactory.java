package dev.weft.pool;

import dev.weft.Greenlet;
import java.util.concurrent.Callable;

/**
 * Makes the greenlets a {@link Group} spawns (gevent's {@code greenlet_class}): a subclass with
 * its own fields or {@code toString}, a name, a chosen hub.
 *
 * <p>The method is generic, so a lambda cannot implement it; a constructor or method reference
 * can ({@code MyGreenlet::new} for a {@code MyGreenlet(Callable<? extends T>)} constructor), as
 * can an anonymous class. It must return a <em>new, unstarted</em> greenlet that will run
 * {@code task}: the group adds it before it starts it.
 *
 * {@snippet :
 * Group g = new Group(new GreenletFactory() {
 *     public <T> Greenlet<T> newGreenlet(Callable<? extends T> task) {
 *         Greenlet<T> gl = new Greenlet<>(task);
 *         gl.setName("worker-" + gl.id());
 *         return gl;
 *     }
 * });
 * }
 */
@FunctionalInterface
public interface GreenletFactory {
    /**
     * A new, unstarted greenlet running {@code task}.
     *
     * @param task what the greenlet runs (a {@code Runnable} given to the group arrives as a
     *     {@code Callable} returning null)
     * @param <T> the type of its value
     * @return the greenlet, not started
     */
    <T> Greenlet<T> newGreenlet(Callable<? extends T> task);
}
