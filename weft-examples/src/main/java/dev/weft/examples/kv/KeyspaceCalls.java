package dev.weft.examples.kv;

/** The calls connections and tickers make; each runs in the owner's greenlet. */
public interface KeyspaceCalls {
    /** Runs the batch's commands in order, writing their replies into the batch's buffer. */
    void execute(KeyspaceOwner.Batch batch);

    /** One active expiry cycle. */
    void activeExpire();

    /** Writes and forces the append-only file, then closes it. */
    void closeLog();

    /** DBSIZE, for the load generator and tests. */
    int size();
}
