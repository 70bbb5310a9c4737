package dev.weft.management;

import javax.management.ConstructorParameters;

/**
 * One pool's gauges at the moment it was read: an MXBean composite type.
 */
public final class PoolStats {
    private final String description;
    private final int capacity;
    private final int members;
    private final int inUse;
    private final int waiting;

    /**
     * Gauges of a pool.
     *
     * @param description the pool's {@code toString()}
     * @param capacity its size; -1 for an unbounded pool
     * @param members greenlets it tracks now
     * @param inUse slots taken now (equal to the members for a bounded pool, give or take a
     *     member being admitted)
     * @param waiting greenlets waiting for a slot now
     */
    @ConstructorParameters({"description", "capacity", "members", "inUse", "waiting"})
    public PoolStats(String description, int capacity, int members, int inUse, int waiting) {
        this.description = description;
        this.capacity = capacity;
        this.members = members;
        this.inUse = inUse;
        this.waiting = waiting;
    }

    /**
     * The pool's {@code toString()}.
     *
     * @return the pool's {@code toString()}
     */
    public String getDescription() { return description; }

    /**
     * Its size; -1 for an unbounded pool.
     *
     * @return its size; -1 for an unbounded pool
     */
    public int getCapacity() { return capacity; }

    /**
     * Greenlets it tracks now.
     *
     * @return greenlets it tracks now
     */
    public int getMembers() { return members; }

    /**
     * Slots taken now.
     *
     * @return slots taken now
     */
    public int getInUse() { return inUse; }

    /**
     * Greenlets waiting for a slot now.
     *
     * @return greenlets waiting for a slot now
     */
    public int getWaiting() { return waiting; }

    @Override
    public String toString() {
        return description + " (in use " + inUse + ", waiting " + waiting + ")";
    }
}
