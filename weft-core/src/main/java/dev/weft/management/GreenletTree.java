package dev.weft.management;

import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.internal.Telemetry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one hub's live greenlets as a tree by spawner: for each, its id, name, state,
 * what it waits on in weft (the primitive and its own description) and for how long, its
 * spawner, and its stack when asked. {@link Hub#dump()} prints it as text; {@link #toJson()}
 * gives the same for tools.
 *
 * {@snippet :
 * GreenletTree tree = GreenletTree.of(hub, false);
 * System.out.print(tree.toText());            // what Hub.dump() prints
 * String json = tree.toJson();                // {"hub":"parallel-1","takenAtMillis":...,"counts":{...},"greenlets":[...]}
 * }
 *
 * <p>Cost: taking a snapshot sorts the live greenlets by id (n log n) and is linear after that
 * (a child-list index and an iterative walk: deep chains do not recurse); a million live
 * greenlets take 2.3 s to snapshot, 3.1 s more for the text and 1.3 s for the JSON, on this
 * project's loaded 2-core machine (BENCHMARKS.md). Stacks cost a walk of each greenlet's frames:
 * ask for them only when needed. The snapshot is not atomic: greenlets that end or start while
 * it is taken may or may not be in it.
 */
public final class GreenletTree {
    /** What a greenlet is doing at the moment of the snapshot. */
    public enum State {
        /** Created, not started. */
        NEW,
        /** Started with a delay that has not passed yet, or not yet given a thread. */
        SCHEDULED,
        /** Running, or ready to run on its scheduler. */
        RUNNING,
        /** Parked in a weft wait (join, get, sleep, an event, a queue, a pool slot, ...). */
        WAITING,
        /** Blocked outside weft: JDK I/O, {@code Thread.sleep}, a JDK lock or queue. */
        BLOCKED,
        /** Ended (it may still be listed by a snapshot taken while it ended). */
        DONE,
        /** The identity of a thread weft did not start. */
        ADOPTED
    }

    /**
     * One greenlet of the snapshot.
     *
     * @param id its id in its hub
     * @param name its name
     * @param state what it was doing
     * @param parentId the id of its spawner in the same hub, 0 if none
     * @param depth its depth in the tree (1 for a root: a greenlet whose spawner is not listed)
     * @param waitingOn the description of what it waits on in weft (the joined greenlet's name,
     *     or the primitive's {@code toString()}), null if not waiting
     * @param waitKind the kind of primitive it waits on ({@code Greenlet} for a join,
     *     {@code Event}, {@code Queue}, {@code Semaphore}, {@code Pool}, {@code sleep}, ...), null
     *     if not waiting
     * @param waitingNanos how long it has been parked in that wait, on its hub's clock; -1 if not
     *     waiting, or not parked yet
     * @param links the links and monitors on it that have not fired yet ({@code "link → #7 name"},
     *     {@code "link → callback"}, {@code "monitor"}), empty if none
     * @param stack its stack, outermost frame last; empty unless stacks were asked for
     */
    public record Entry(long id, String name, State state, long parentId, int depth, String waitingOn,
            String waitKind, long waitingNanos, List<String> links, List<StackTraceElement> stack) {
        /**
         * Validates the entry.
         *
         * @throws NullPointerException if {@code name}, {@code state}, {@code links} or
         *     {@code stack} is null
         */
        public Entry {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(state, "state");
            links = List.copyOf(links);
            stack = List.copyOf(stack);
        }
    }

    private final String hubName;
    private final String hubDescription;
    private final long takenAtMillis;
    private final List<Entry> entries;

    private GreenletTree(String hubName, String hubDescription, long takenAtMillis, List<Entry> entries) {
        this.hubName = hubName;
        this.hubDescription = hubDescription;
        this.takenAtMillis = takenAtMillis;
        this.entries = entries;
    }

    /**
     * Takes a snapshot of {@code hub}'s live greenlets.
     *
     * @param hub the hub
     * @param withStacks whether to take each greenlet's stack (costly for many greenlets)
     * @return the snapshot, entries in tree order: each root (in id order), then its subtree
     * @throws NullPointerException if {@code hub} is null
     */
    public static GreenletTree of(Hub hub, boolean withStacks) {
        Objects.requireNonNull(hub, "hub");
        List<Greenlet<?>> all = hub.greenlets(); // in id order
        int n = all.size();
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) ids[i] = all.get(i).id();
        // child lists as first-child / next-sibling links, built backwards so siblings are in id order
        int[] firstChild = new int[n];
        int[] nextSibling = new int[n];
        Arrays.fill(firstChild, -1);
        boolean[] root = new boolean[n];
        for (int i = n - 1; i >= 0; i--) {
            long p = all.get(i).parentId();
            int pi = p == 0 ? -1 : Arrays.binarySearch(ids, p);
            if (pi < 0 || pi == i) {
                root[i] = true;
                nextSibling[i] = -1;
            } else {
                nextSibling[i] = firstChild[pi];
                firstChild[pi] = i;
            }
        }
        List<Entry> out = new ArrayList<>(n);
        // one description per blocker: a primitive's toString() may walk its waiters (an Event
        // with 100,000 waiters), so describing it once per waiter would make the dump quadratic
        Map<Object, String> described = new java.util.IdentityHashMap<>();
        int[] stack = new int[16];
        int[] depthOf = new int[16];
        for (int r = 0; r < n; r++) {
            if (!root[r]) continue;
            int top = 0;
            stack[0] = r;
            depthOf[0] = 1;
            while (top >= 0) {
                int i = stack[top];
                int d = depthOf[top];
                top--;
                out.add(entry(all.get(i), d, withStacks, described));
                // push the children in reverse so the first child is visited first
                int count = 0;
                for (int c = firstChild[i]; c >= 0; c = nextSibling[c]) count++;
                if (top + 1 + count > stack.length) {
                    int size = Math.max(stack.length * 2, top + 1 + count);
                    stack = Arrays.copyOf(stack, size);
                    depthOf = Arrays.copyOf(depthOf, size);
                }
                int at = top + count;
                for (int c = firstChild[i]; c >= 0; c = nextSibling[c]) {
                    stack[at] = c;
                    depthOf[at] = d + 1;
                    at--;
                }
                top += count;
            }
        }
        return new GreenletTree(hub.name(), hub.toString(), System.currentTimeMillis(), Collections.unmodifiableList(out));
    }

    /**
     * A snapshot of every open hub, in creation order (the default hub first).
     *
     * @param withStacks whether to take each greenlet's stack
     * @return one tree per open hub
     */
    public static List<GreenletTree> ofAll(boolean withStacks) {
        List<GreenletTree> out = new ArrayList<>();
        for (Hub h : Monitoring.hubs()) out.add(of(h, withStacks));
        return out;
    }

    /**
     * What {@code g} is doing now.
     *
     * @param g a greenlet
     * @return its state at the moment of the call
     * @throws NullPointerException if {@code g} is null
     */
    public static State stateOf(Greenlet<?> g) {
        if (g.isDead()) return State.DONE;
        if (g.isAdopted()) return State.ADOPTED;
        if (!g.isStarted()) return State.NEW;
        if (g.isWaiting()) return State.WAITING;
        Thread t = Telemetry.thread(g);
        if (t == null) return State.SCHEDULED;
        return switch (t.getState()) {
            case NEW -> State.SCHEDULED;
            case WAITING, TIMED_WAITING, BLOCKED -> g.isWaiting() ? State.WAITING : State.BLOCKED;
            case TERMINATED -> State.DONE;
            default -> State.RUNNING;
        };
    }

    private static Entry entry(Greenlet<?> g, int depth, boolean withStacks, Map<Object, String> described) {
        State state = stateOf(g);
        Object blocker = Telemetry.blocker(g);
        String on = null, kind = null;
        long nanos = -1;
        if (blocker != null) {
            on = described.computeIfAbsent(blocker, b -> b instanceof Greenlet<?> j ? j.name() : String.valueOf(b));
            kind = Telemetry.kindOf(blocker);
            nanos = Telemetry.parkedNanos(g);
            state = State.WAITING;
        }
        List<StackTraceElement> st = List.of();
        if (withStacks) {
            Thread t = Telemetry.thread(g);
            if (t != null) st = Arrays.asList(t.getStackTrace());
        }
        return new Entry(g.id(), g.name(), state, g.parentId(), depth, on, kind, nanos, Telemetry.linksOf(g), st);
    }

    /**
     * The hub's name.
     *
     * @return the name of the hub the snapshot was taken of
     */
    public String hubName() {
        return hubName;
    }

    /**
     * When the snapshot was taken.
     *
     * @return milliseconds since the epoch
     */
    public long takenAtMillis() {
        return takenAtMillis;
    }

    /**
     * The greenlets, in tree order: each root in id order, followed by its subtree (depth first,
     * children in id order).
     *
     * @return an unmodifiable list
     */
    public List<Entry> entries() {
        return entries;
    }

    /**
     * How many greenlets are in each state.
     *
     * @return a new map with every state, zero counts included
     */
    public Map<State, Integer> countsByState() {
        Map<State, Integer> m = new EnumMap<>(State.class);
        for (State s : State.values()) m.put(s, 0);
        for (Entry e : entries) m.merge(e.state(), 1, Integer::sum);
        return m;
    }

    /**
     * The tree as text: the hub, then a line per greenlet indented under its spawner, e.g.
     * {@code   fetcher-7[WAITING on Semaphore(0 of 10 free) (Semaphore) for 1.20 s] #42}, and its
     * stack frames below it when taken.
     *
     * @return the text, ending with a newline
     */
    public String toText() {
        StringBuilder sb = new StringBuilder(64 + entries.size() * 64);
        writeText(sb);
        return sb.toString();
    }

    /**
     * Writes {@link #toText()} to {@code out}, without building one string first (for large trees).
     *
     * @param out where to write
     * @throws UncheckedIOException if {@code out} throws an {@link IOException}
     */
    public void writeText(Appendable out) {
        try {
            out.append(hubDescription).append('\n');
            StringBuilder line = new StringBuilder(128);
            for (Entry e : entries) {
                line.setLength(0);
                for (int i = 0; i < e.depth(); i++) line.append("  ");
                line.append(e.name()).append('[').append(e.state());
                if (e.waitingOn() != null) {
                    line.append(" on ").append(e.waitingOn());
                    if (!e.waitingOn().equals(e.waitKind())) line.append(" (").append(e.waitKind()).append(')');
                    if (e.waitingNanos() >= 0) line.append(" for ").append(duration(e.waitingNanos()));
                }
                line.append("] #").append(e.id());
                if (e.parentId() != 0) line.append(" spawned by #").append(e.parentId());
                if (!e.links().isEmpty()) line.append(" linked: ").append(String.join(", ", e.links()));
                line.append('\n');
                for (StackTraceElement f : e.stack()) {
                    for (int i = 0; i <= e.depth(); i++) line.append("  ");
                    line.append("at ").append(f).append('\n');
                }
                out.append(line);
            }
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * The tree as JSON, for tools: an object with {@code hub}, {@code takenAtMillis},
     * {@code counts} (per state) and {@code greenlets}, an array in tree order of objects with
     * {@code id}, {@code name}, {@code state}, {@code parent}, {@code depth}, {@code waitingOn},
     * {@code waitKind}, {@code waitingMillis} (null when not waiting) and {@code stack} (an array
     * of frames as strings, empty unless taken).
     *
     * @return the JSON text (UTF-16 string; no trailing newline)
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder(64 + entries.size() * 128);
        writeJson(sb);
        return sb.toString();
    }

    /**
     * Writes {@link #toJson()} to {@code out}.
     *
     * @param out where to write
     * @throws UncheckedIOException if {@code out} throws an {@link IOException}
     */
    public void writeJson(Appendable out) {
        try {
            StringBuilder b = new StringBuilder(256);
            b.append("{\"hub\":");
            Json.string(b, hubName);
            b.append(",\"takenAtMillis\":").append(takenAtMillis).append(",\"counts\":{");
            boolean first = true;
            for (var c : countsByState().entrySet()) {
                if (!first) b.append(',');
                first = false;
                Json.string(b, c.getKey().name());
                b.append(':').append(c.getValue());
            }
            b.append("},\"greenlets\":[");
            out.append(b);
            first = true;
            for (Entry e : entries) {
                b.setLength(0);
                if (!first) b.append(',');
                first = false;
                b.append("{\"id\":").append(e.id()).append(",\"name\":");
                Json.string(b, e.name());
                b.append(",\"state\":\"").append(e.state()).append("\",\"parent\":").append(e.parentId())
                        .append(",\"depth\":").append(e.depth()).append(",\"waitingOn\":");
                Json.string(b, e.waitingOn());
                b.append(",\"waitKind\":");
                Json.string(b, e.waitKind());
                b.append(",\"waitingMillis\":");
                if (e.waitingNanos() < 0) b.append("null");
                else b.append(e.waitingNanos() / 1_000_000);
                b.append(",\"links\":[");
                for (int li = 0; li < e.links().size(); li++) {
                    if (li > 0) b.append(',');
                    Json.string(b, e.links().get(li));
                }
                b.append("],\"stack\":[");
                boolean f1 = true;
                for (StackTraceElement f : e.stack()) {
                    if (!f1) b.append(',');
                    f1 = false;
                    Json.string(b, f.toString());
                }
                b.append("]}");
                out.append(b);
            }
            out.append("]}");
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /** A duration for people: {@code 850 ns}, {@code 12.3 ms}, {@code 4.20 s}, {@code 3 min 5 s}. */
    static String duration(long nanos) {
        if (nanos < 1_000) return nanos + " ns";
        if (nanos < 1_000_000) return String.format("%.1f µs", nanos / 1e3);
        if (nanos < 1_000_000_000) return String.format("%.1f ms", nanos / 1e6);
        long s = nanos / 1_000_000_000;
        if (s < 60) return String.format("%.2f s", nanos / 1e9);
        return (s / 60) + " min " + (s % 60) + " s";
    }

    @Override
    public String toString() {
        return "GreenletTree[" + hubName + ", " + entries.size() + " greenlets]";
    }
}
