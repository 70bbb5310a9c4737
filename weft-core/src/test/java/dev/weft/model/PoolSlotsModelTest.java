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
 * A pool that looks empty has every slot free (session 5): one member of a {@code Pool(2)} ends
 * (a kill completes the unstarted greenlet at once, so its membership link runs on the killer's
 * thread) while another thread reads {@code size()} and then {@code freeCount()}.
 *
 * <p>Invariants: whenever the observer reads a size of 0, it then reads 2 free slots (a member
 * frees its slot before it stops being counted); after both roles, the pool is empty with both
 * slots free.
 */
@Tag("model")
public class PoolSlotsModelTest {
    private final Pool pool = new Pool(2);
    private final Greenlet<Object> member = new Greenlet<>(Hub.defaultHub(), () -> null);
    private String violation;

    {
        pool.add(member);
    }

    /** Ends the member. */
    public void endsTheMember() {
        Greenlet<?> me = ModelAccess.freshAdopted();
        member.kill(new GreenletExit("model end"), false, null);
        Roles.drain(me);
    }

    /** Reads the size, then the free slots. */
    public void observes() {
        ModelAccess.freshAdopted();
        int size = pool.size();
        int free = pool.freeCount();
        if (size == 0 && free != 2) violation = "the pool looked empty with " + free + " of its 2 slots free";
    }

    @Validate
    public void validate() {
        Roles.check(violation);
        if (pool.size() != 0 || pool.freeCount() != 2) {
            throw new AssertionError("after the end: size " + pool.size() + ", free " + pool.freeCount());
        }
    }

    @Test
    void aPoolThatLooksEmptyHasEverySlotFree() {
        Model.check(PoolSlotsModelTest.class, "endsTheMember", "observes");
    }
}
