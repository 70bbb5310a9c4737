/**
 * Shrapnel's coroutine API on weft (see {@code docs/coro.md}): {@link dev.weft.coro.Coro} (strict
 * start, {@code suspend} with {@code Greenlet.resume}, {@code inParallel}, {@code withTimeout},
 * {@code waitpid}), {@link dev.weft.coro.GreenletLocal}, and Shrapnel's exceptions —
 * {@link dev.weft.coro.ScheduleError}, {@link dev.weft.coro.DeadCoroutineError},
 * {@link dev.weft.coro.NotStartedError}, {@link dev.weft.coro.ClosedError},
 * {@link dev.weft.coro.SimultaneousError}, {@link dev.weft.coro.InParallelError} (thrown at the
 * call site), and {@link dev.weft.coro.TimeoutError} (a {@code Timeout}),
 * {@link dev.weft.coro.Shutdown} (a {@code GreenletExit}) and {@link dev.weft.coro.WakeUp}, which
 * are delivered into greenlets and so are {@link dev.weft.Interrupted}s. The methods that act on
 * one greenlet ({@code resume}, {@code raiseException}, {@code shutdown}, {@code isScheduled},
 * {@code setMaxSelfishActs}) are on {@link dev.weft.Greenlet}; the event loop
 * ({@code runLoop}, {@code exit}, {@code isRunning}) is on {@link dev.weft.Hub}.
 */
package dev.weft.coro;
