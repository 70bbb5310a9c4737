package dev.weft.internal;

import dev.weft.Greenlet;
import dev.weft.Hub;
import dev.weft.management.GreenletTree;
import dev.weft.management.HubMXBean;
import dev.weft.management.PoolStats;
import dev.weft.management.RecentFailure;
import dev.weft.pool.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link HubMXBean} of one hub: counters from its {@link HubStats}, gauges from a scan of its
 * registry at the moment they are read.
 */
public final class HubMonitor implements HubMXBean {
    private final Hub hub;

    /**
     * The metrics of {@code hub}.
     *
     * @param hub the hub
     */
    public HubMonitor(Hub hub) {
        this.hub = hub;
    }

    private HubStats stats() {
        return ((HubCore) hub).stats;
    }

    @Override
    public String getName() {
        return hub.name();
    }

    @Override
    public String getKind() {
        if (hub == Hub.defaultHub()) return "default";
        if (hub.isSimulated()) return "simulated";
        return hub.isSingleCarrier() ? "cooperative" : "parallel";
    }

    @Override
    public boolean isClosed() {
        return hub.isClosed();
    }

    @Override
    public int getLiveGreenlets() {
        return hub.greenlets().size();
    }

    @Override
    public long getStartedGreenlets() {
        return stats().started();
    }

    @Override
    public long getFinishedGreenlets() {
        return stats().ended();
    }

    @Override
    public long getKilledGreenlets() {
        return stats().killed();
    }

    @Override
    public long getFailedGreenlets() {
        return stats().failed();
    }

    @Override
    public long getKillsSent() {
        return stats().killsSent();
    }

    @Override
    public long getTimeoutsArmed() {
        return stats().timeoutsArmed();
    }

    @Override
    public long getTimeoutsFired() {
        return stats().timeoutsFired();
    }

    @Override
    public long getErrorsReported() {
        return stats().errorsReported();
    }

    @Override
    public int getParkedGreenlets() {
        int n = 0;
        for (Greenlet<?> g : hub.greenlets()) if (g.isWaiting()) n++;
        return n;
    }

    @Override
    public Map<String, Integer> getParkedByKind() {
        Map<String, Integer> m = new TreeMap<>();
        for (Greenlet<?> g : hub.greenlets()) {
            Object b = Telemetry.blocker(g);
            if (b != null) m.merge(Telemetry.kindOf(b), 1, Integer::sum);
        }
        return m;
    }

    @Override
    public Map<String, Integer> getGreenletsByState() {
        Map<String, Integer> m = new TreeMap<>();
        for (Greenlet<?> g : hub.greenlets()) m.merge(GreenletTree.stateOf(g).name(), 1, Integer::sum);
        return m;
    }

    @Override
    public List<PoolStats> getPools() {
        List<PoolStats> out = new ArrayList<>();
        for (Object o : stats().pools()) {
            if (!(o instanceof Pool p)) continue;
            int cap = p.capacity();
            int inUse = cap < 0 ? p.size() : Math.max(0, cap - p.freeCount());
            out.add(new PoolStats(p.toString(), cap, p.size(), inUse, p.waiting()));
        }
        return out;
    }

    @Override
    public List<RecentFailure> getRecentFailures() {
        return stats().recentFailures();
    }

    @Override
    public String dump() {
        return hub.dump();
    }

    @Override
    public String toString() {
        return "HubMonitor[" + hub.name() + "]";
    }
}
