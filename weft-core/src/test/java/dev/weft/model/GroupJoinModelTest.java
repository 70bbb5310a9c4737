package dev.weft.model;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Hub;
import dev.weft.ModelAccess;
import dev.weft.pool.Pool;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A join against the split membership counts (session 7): adds count on the spawner's side,
 * leaves on the members' side, and a joiner waits for the two to be equal. A {@code Pool(2)}
 * holds the unstarted greenlet {@code m}; one thread adds a second one, {@code n}, then ends
 * {@code m}; another ends {@code n} (before or after its add: a dead greenlet is not added); a
 * third joins the pool and parks until it is empty; a fourth reads {@code size()}. (A kill
 * completes an unstarted greenlet at once, so its membership link — the leave — runs on the
 * killer's thread.)
 *
 * <p>Whatever the order, the pool is empty only once both have gone ({@code n} is added before
 * {@code m} ends). Invariants, after every schedule:
 * <ol>
 * <li>join returns (the model checker reports a role left parked): the leave that empties the
 *     pool and the joiner's own look cannot both miss each other;</li>
 * <li>join returns only once both greenlets have ended and the pool reads empty — not while
 *     {@code n}, added before {@code m} left, is still a member;</li>
 * <li>a {@code size()} of 0 is only ever read once both have ended;</li>
 * <li>afterwards the pool is empty with both slots free.</li>
 * </ol>
 */
@Tag("model")
public class GroupJoinModelTest {
    private final Pool pool = new Pool(2);
    private final Greenlet<Object> m = new Greenlet<>(Hub.defaultHub(), () -> null);
    private final Greenlet<Object> n = new Greenlet<>(Hub.defaultHub(), () -> null);
    private volatile String violation;

    {
        pool.add(m);
    }

    /** Adds {@code n}, then ends {@code m}. */
    public void addsNThenEndsM() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        pool.add(n);
        m.kill(new GreenletExit("model end"), false, null);
        Roles.drain(me);
    }

    /** Ends {@code n}. */
    public void endsN() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        n.kill(new GreenletExit("model end"), false, null);
        Roles.drain(me);
    }

    /** Waits for the pool to be empty, then checks that it had to be. */
    public void joins() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        pool.join();
        if (!m.isDead() || !n.isDead()) {
            violation = "join returned with m " + (m.isDead() ? "ended" : "alive") + " and n "
                    + (n.isDead() ? "ended" : "alive");
        }
        Roles.drain(me);
    }

    /** Reads the size once. */
    public void observes() {
        ModelAccess.freshAdopted();
        if (pool.size() == 0 && (!m.isDead() || !n.isDead())) {
            violation = "size() read 0 with m " + (m.isDead() ? "ended" : "alive") + " and n "
                    + (n.isDead() ? "ended" : "alive");
        }
    }

    @Validate
    public void validate() {
        Roles.check(violation);
        if (pool.size() != 0 || pool.freeCount() != 2) {
            throw new AssertionError("afterwards: size " + pool.size() + ", free " + pool.freeCount());
        }
    }

    @Test
    void aJoinReturnsOnceTheGroupIsEmptyAndNotBefore() {
        Model.check(GroupJoinModelTest.class, "addsNThenEndsM", "endsN", "joins", "observes");
    }
}
