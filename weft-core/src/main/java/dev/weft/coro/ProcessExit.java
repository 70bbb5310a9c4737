package dev.weft.coro;

import java.util.OptionalInt;

/**
 * What {@link Coro#waitpid} returns: Shrapnel's {@code (pid, status)}.
 *
 * @param pid the process id
 * @param status the exit value, when the JVM knows it: for a {@link Process} this JVM started
 *     ({@link Coro#waitpid(Process)}); empty for a bare pid ({@link Coro#waitpid(long)}), since the
 *     JDK's {@link ProcessHandle} does not report another process's exit status
 */
public record ProcessExit(long pid, OptionalInt status) {}
