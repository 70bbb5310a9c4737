package dev.weft.examples.kv;

import dev.weft.actor.DeferredCallHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The one owner of the {@link Keyspace}: a {@link DeferredCallHandler} whose processing greenlet
 * runs every command, so connections never touch the keyspace in the middle of an update.
 *
 * <p>A connection hands over one {@link Batch} per read — every complete command a pipelining
 * client sent — with one {@code sync()} call, and writes the replies when it returns: one
 * hand-over per batch, not per command. The append-only file is written at the batch's end (and
 * forced under {@code appendfsync always}) before the call returns, so a reply is only ever sent
 * for a write that is in the log.
 */
final class KeyspaceOwner extends DeferredCallHandler<KeyspaceCalls> implements KeyspaceCalls {
    /** The commands one connection read at once, its session, and where their replies go. */
    record Batch(List<byte[][]> commands, Session session, Reply reply) {}

    private final Keyspace keyspace;
    private final Commands commands;
    private final Aof aof; // null: no AOF

    KeyspaceOwner(Keyspace keyspace, KvConfig config, KvStats stats, Aof aof) {
        super(KeyspaceCalls.class);
        this.keyspace = keyspace;
        this.aof = aof;
        this.commands = new Commands(keyspace, config, stats, aof);
    }

    @Override
    public void execute(Batch batch) {
        for (byte[][] c : batch.commands()) {
            commands.execute(c, batch.session(), batch.reply());
            if (batch.session().quit) break;
        }
        if (aof != null) aof.endBatch();
    }

    @Override
    public void activeExpire() {
        keyspace.activeExpire(16);
    }

    @Override
    public void closeLog() {
        if (aof == null) return;
        try {
            aof.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public int size() {
        return keyspace.size();
    }
}
