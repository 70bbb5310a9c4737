package dev.weft.bench;

import dev.weft.Greenlet;
import dev.weft.GreenletExit;
import dev.weft.Hub;
import dev.weft.link.LinkedExited;
import dev.weft.link.Links;
import dev.weft.sync.AsyncResult;
import dev.weft.sync.Event;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A linked exit delivered into a parked greenlet, side by side with a kill of it (issue 12's
 * target: at most 1.3× the kill). A target greenlet parks in {@code Event.await()}, catches what
 * is raised there, acknowledges and parks again; per round the driver either kills it
 * ({@link #kill}: {@code target.kill(exc, false, null)}) or links it to a fresh
 * {@code AsyncResult} and sets the result ({@link #linkedExit}: {@code Links.link(result,
 * target)} + {@code result.set(i)}: the link is made and fired each round, as one link fires
 * once), then waits for the acknowledgement (an {@code Event}, the same in both rows).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LinkedExitBench {
    /** Rounds per batched invocation. */
    public static final int BATCH = 10_000;

    /** The exit the kill row raises: caught by the target, which goes on parking. */
    static final class Round extends GreenletExit {
        private static final long serialVersionUID = 1L;
    }

    private Hub hub;

    @Setup
    public void setUp() {
        hub = Hub.parallel();
    }

    @TearDown
    public void tearDown() {
        hub.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int kill() {
        return killBatch(hub, BATCH);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int linkedExit() {
        return linkedExitBatch(hub, BATCH);
    }

    /**
     * A greenlet that counts what is raised in it while parked, until a plain GreenletExit.
     * Returned once it runs: a kill of a greenlet that has not started ends it at once.
     */
    private static Greenlet<Integer> target(Event ack) {
        Event never = new Event();
        Event running = new Event();
        Greenlet<Integer> t = Greenlet.spawn(() -> {
            running.set();
            int count = 0;
            for (;;) {
                try {
                    never.await();
                } catch (Round | LinkedExited e) {
                    count++;
                    ack.set();
                } catch (GreenletExit end) {
                    return count;
                }
            }
        });
        running.await();
        return t;
    }

    /** {@code n} kills of a parked greenlet, each acknowledged; returns how many it caught. */
    public static int killBatch(Hub hub, int n) {
        return hub.spawn(() -> {
            Event ack = new Event();
            Greenlet<Integer> t = target(ack);
            Round round = new Round();
            for (int i = 0; i < n; i++) {
                t.kill(round, false, null);
                ack.await();
                ack.clear();
            }
            t.kill();
            return t.get();
        }).get();
    }

    /** {@code n} linked exits raised in a parked greenlet, each acknowledged; returns how many it caught. */
    public static int linkedExitBatch(Hub hub, int n) {
        return hub.spawn(() -> {
            Event ack = new Event();
            Greenlet<Integer> t = target(ack);
            for (int i = 0; i < n; i++) {
                AsyncResult<Integer> source = new AsyncResult<>();
                Links.link(source, t);
                source.set(i);
                ack.await();
                ack.clear();
            }
            t.kill();
            return t.get();
        }).get();
    }
}
