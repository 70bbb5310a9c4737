package dev.weft.bench.peers

import java.util.concurrent.Executors
import java.util.concurrent.atomic.LongAdder
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.CoroutineStart
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.ExecutorCoroutineDispatcher
import kotlinx.coroutines.FlowPreview
import kotlinx.coroutines.Job
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.channels.Channel
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.delay
import kotlinx.coroutines.flow.asFlow
import kotlinx.coroutines.flow.count
import kotlinx.coroutines.flow.flatMapMerge
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.sync.Semaphore
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.asCoroutineDispatcher

/**
 * The kotlinx.coroutines twins of weft-bench's workloads, called from the Java JMH classes and
 * mains of this module. Every batch runs inside `runBlocking(dispatcher)`, so the measured
 * launches, joins and channel hand-overs are suspensions on `dispatcher` (as weft's batches run
 * inside a greenlet of the hub they measure); the calling thread blocks once per batch.
 */
object KotlinWorkloads {
    /** `Dispatchers.Default`: the coroutines' parallel scheduler, one thread per core. */
    @JvmStatic
    fun defaultDispatcher(): CoroutineDispatcher = Dispatchers.Default

    /** `Dispatchers.IO`: the pool for blocking calls (64 threads by default). */
    @JvmStatic
    fun io(): CoroutineDispatcher = Dispatchers.IO

    /** A dispatcher on one platform thread: the cooperative twin. Close it when done. */
    @JvmStatic
    fun singleThread(): ExecutorCoroutineDispatcher = Executors.newSingleThreadExecutor().asCoroutineDispatcher()

    /** Each dispatched block on a new virtual thread. Close it when done. */
    @JvmStatic
    fun virtualThreads(): ExecutorCoroutineDispatcher = Executors.newVirtualThreadPerTaskExecutor().asCoroutineDispatcher()

    /** `n` times `launch {}.join()`, one at a time; returns how many were joined. */
    @JvmStatic
    fun launchJoin(dispatcher: CoroutineDispatcher, n: Int): Int = runBlocking(dispatcher) {
        var done = 0
        repeat(n) {
            launch { }.join()
            done++
        }
        done
    }

    /** `n` times `async { 1 }.await()`, one at a time; returns the sum of the values. */
    @JvmStatic
    fun asyncAwait(dispatcher: CoroutineDispatcher, n: Int): Int = runBlocking(dispatcher) {
        var done = 0
        repeat(n) { done += async { 1 }.await() }
        done
    }

    /**
     * `n` round trips of a token between two coroutines through two channels of `capacity`
     * (`Channel.RENDEZVOUS` = 0, or a buffer); returns the trips made.
     */
    @JvmStatic
    fun pingPong(dispatcher: CoroutineDispatcher, n: Int, capacity: Int): Int = runBlocking(dispatcher) {
        val there = Channel<Any>(capacity)
        val back = Channel<Any>(capacity)
        val token = Any()
        val b = launch { repeat(n) { back.send(there.receive()) } }
        val a = async {
            var trips = 0
            repeat(n) {
                there.send(token)
                if (back.receive() === token) trips++
            }
            trips
        }
        val trips = a.await()
        b.join()
        trips
    }

    /**
     * `items` coroutines running `task`, at most `limit` at once, gated by a coroutine
     * `Semaphore(limit)`; returns when all have finished.
     */
    @JvmStatic
    fun fanOutSemaphore(dispatcher: CoroutineDispatcher, items: Int, limit: Int, task: Runnable): Int =
        runBlocking(dispatcher) {
            val slots = Semaphore(limit)
            coroutineScope {
                repeat(items) {
                    slots.acquire()
                    launch {
                        try {
                            task.run()
                        } finally {
                            slots.release()
                        }
                    }
                }
            }
            items
        }

    /** `items` through `asFlow().flatMapMerge(concurrency = limit)`, each inner flow running `task`; returns the count. */
    @OptIn(FlowPreview::class)
    @JvmStatic
    fun fanOutFlatMapMerge(dispatcher: CoroutineDispatcher, items: Int, limit: Int, task: Runnable): Int =
        runBlocking(dispatcher) {
            (0 until items).asFlow()
                .flatMapMerge(concurrency = limit) { i ->
                    flow {
                        task.run()
                        emit(i)
                    }
                }
                .count()
        }

    /**
     * `n` times `withTimeout(30 s) { done.await() }` around an already completed deferred: the
     * timeout is armed and disarmed, the suspension point completes at once. Returns the sum.
     */
    @JvmStatic
    fun withTimeoutBatch(dispatcher: CoroutineDispatcher, n: Int): Int = runBlocking(dispatcher) {
        val done = CompletableDeferred(1)
        var sum = 0
        repeat(n) { sum += withTimeout(30_000L) { done.await() } }
        sum
    }

    /**
     * `members - 1` coroutines suspended forever plus one that fails, in a `coroutineScope`: the
     * failure cancels the rest and leaves the scope. Returns 1 when the failure came out.
     */
    @JvmStatic
    fun firstFailureCancelsTheRest(dispatcher: CoroutineDispatcher, members: Int): Int = runBlocking(dispatcher) {
        try {
            coroutineScope {
                repeat(members - 1) { launch { awaitCancellation() } }
                launch { throw Boom() }
            }
            0
        } catch (e: Boom) {
            1
        }
    }

    /** `n` coroutines on `dispatcher`, each blocking its thread in `Thread.sleep(sleepMillis)`, all at once; returns when all are done. */
    @JvmStatic
    fun blocking(dispatcher: CoroutineDispatcher, n: Int, sleepMillis: Long): Int = runBlocking {
        val done = LongAdder()
        coroutineScope {
            repeat(n) {
                launch(dispatcher) {
                    Thread.sleep(sleepMillis)
                    done.increment()
                }
            }
        }
        done.sum().toInt()
    }

    /**
     * `n` coroutines on `Dispatchers.Default`, each started undispatched so that it is suspended
     * when `launch` returns: in `delay(1 h)` (`sleep = true`) or in `gate.await()`. Each counts
     * `finished` when it ends (cancelled or released).
     */
    @JvmStatic
    fun parkMany(n: Int, sleep: Boolean, gate: CompletableDeferred<Unit>, finished: LongAdder): Array<Job> {
        val scope = CoroutineScope(Dispatchers.Default)
        return Array(n) {
            scope.launch(start = CoroutineStart.UNDISPATCHED) {
                try {
                    if (sleep) delay(3_600_000L) else gate.await()
                } finally {
                    finished.increment()
                }
            }
        }
    }

    /** Cancels (`cancel = true`) or completes `gate` for every job, then joins them all. */
    @JvmStatic
    fun release(jobs: Array<Job>, cancel: Boolean, gate: CompletableDeferred<Unit>) = runBlocking {
        if (cancel) {
            for (j in jobs) j.cancel()
        } else {
            gate.complete(Unit)
        }
        for (j in jobs) j.join()
    }

    /**
     * `n` coroutines on `Dispatchers.Default` all in `delay` until `deadline` (System.nanoTime),
     * each writing the time it woke into `woke[i]`; `before` counts those asleep before the
     * deadline. Returns the nanoseconds the launches took; returns after all have woken.
     */
    @JvmStatic
    fun sleepers(n: Int, deadline: Long, woke: LongArray, before: LongAdder): Long = runBlocking(Dispatchers.Default) {
        val start = System.nanoTime()
        val jobs = Array(n) { i ->
            launch {
                var left = deadline - System.nanoTime()
                if (left > 0) before.increment()
                while (left > 0) { // delay has millisecond resolution: never wake early
                    delay((left + 999_999) / 1_000_000)
                    left = deadline - System.nanoTime()
                }
                woke[i] = System.nanoTime()
            }
        }
        val spawned = System.nanoTime() - start
        for (j in jobs) j.join()
        spawned
    }
}

/** The failure of the first-failure workloads: no stack trace, no suppressions (cheap to make). */
class Boom : RuntimeException("boom", null, false, false)
