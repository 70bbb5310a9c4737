package dev.weft.examples.kv;

import java.util.concurrent.atomic.LongAdder;

/** What the server counted: commands, and every kind of bad input it refused. */
public final class KvStats {
    final LongAdder commands = new LongAdder();
    final LongAdder connections = new LongAdder();
    final LongAdder protocolErrors = new LongAdder();
    final LongAdder bulkTooBig = new LongAdder();
    final LongAdder tooManyArgs = new LongAdder();
    final LongAdder halfCommands = new LongAdder();
    final LongAdder outputOverflows = new LongAdder();
    final LongAdder resets = new LongAdder();
    final LongAdder authFailures = new LongAdder();

    /** Commands executed. */
    public long commands() { return commands.sum(); }
    /** Connections accepted. */
    public long connections() { return connections.sum(); }
    /** Malformed requests (each answered with {@code -ERR Protocol error} and a close). */
    public long protocolErrors() { return protocolErrors.sum(); }
    /** Bulk strings announced beyond {@code proto-max-bulk-len}. */
    public long bulkTooBig() { return bulkTooBig.sum(); }
    /** Commands with more arguments than allowed. */
    public long tooManyArgs() { return tooManyArgs.sum(); }
    /** Connections that ended in the middle of a command. */
    public long halfCommands() { return halfCommands.sum(); }
    /** Connections closed because their pending replies passed the output limit. */
    public long outputOverflows() { return outputOverflows.sum(); }
    /** Connections reset by the client. */
    public long resets() { return resets.sum(); }
    /** Commands refused for want of AUTH, and wrong passwords. */
    public long authFailures() { return authFailures.sum(); }

    String info() {
        return "commands:" + commands() + "\r\nconnections:" + connections() + "\r\nprotocol_errors:" + protocolErrors()
                + "\r\nbulk_too_big:" + bulkTooBig() + "\r\ntoo_many_args:" + tooManyArgs() + "\r\nhalf_commands:"
                + halfCommands() + "\r\noutput_overflows:" + outputOverflows() + "\r\nresets:" + resets()
                + "\r\nauth_failures:" + authFailures() + "\r\n";
    }
}
