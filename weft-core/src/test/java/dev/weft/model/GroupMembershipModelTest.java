package dev.weft.model;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Hub;
import dev.weft.ModelAccess;
import dev.weft.pool.Pool;
import java.util.HashSet;
import java.util.List;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A group's lock-free membership list (session 5) under concurrent adds of one greenlet, a
 * kill and a discard: two unstarted greenlets {@code a} and {@code b} of the default hub are
 * added to a {@code Pool(3)} — {@code a} by two threads at once — while a third thread kills
 * every member (without waiting; a kill completes an unstarted greenlet at once, so its
 * membership link runs on the killer's thread) and a fourth discards {@code b}.
 *
 * <p>Invariants, after every schedule:
 * <ol>
 * <li>no greenlet is a member twice, and {@code size()} counts the members listed;</li>
 * <li>no dead greenlet is still a member (each one that ended left);</li>
 * <li>every slot is accounted for: free slots plus members make the pool's size (a slot is
 *     freed once per membership, by whoever ended it);</li>
 * <li>no role is left parked (the model checker reports a deadlock otherwise).</li>
 * </ol>
 */
@Tag("model")
public class GroupMembershipModelTest {
    private final Pool pool = new Pool(3); // a, b, and the duplicate add of a that must give its slot back
    private final Greenlet<Object> a = new Greenlet<>(Hub.defaultHub(), () -> null);
    private final Greenlet<Object> b = new Greenlet<>(Hub.defaultHub(), () -> null);

    /** Adds {@code a}. */
    public void addsA() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        pool.add(a);
        Roles.drain(me);
    }

    /** Adds {@code a} too (at most one membership may come of the two adds), then {@code b}. */
    public void addsAAgainThenB() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        pool.add(a);
        pool.add(b);
        Roles.drain(me);
    }

    /** Kills every member present, without waiting. */
    public void killsAll() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        pool.kill(new GreenletExit("model kill"), false, null);
        Roles.drain(me);
    }

    /** Discards {@code b} (a no-op if it is not a member yet, or any more). */
    public void discardsB() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        pool.discard(b);
        Roles.drain(me);
    }

    @Validate
    public void validate() {
        List<Greenlet<?>> members = pool.members();
        if (new HashSet<>(members).size() != members.size()) {
            throw new AssertionError("a greenlet is a member twice: " + members);
        }
        if (pool.size() != members.size()) {
            throw new AssertionError("size() is " + pool.size() + " but the members are " + members);
        }
        for (Greenlet<?> g : members) {
            if (g.isDead()) throw new AssertionError(g + " ended but is still a member");
        }
        if (pool.freeCount() + pool.size() != 3) {
            throw new AssertionError("slots lost or doubled: " + pool.freeCount() + " free with " + pool.size()
                    + " members in a Pool(3)");
        }
    }

    @Test
    void concurrentAddsKillAndDiscard() {
        Model.check(GroupMembershipModelTest.class, "addsA", "addsAAgainThenB", "killsAll", "discardsB");
    }
}
