package dev.weft.management;

import dev.weft.Hub;
import dev.weft.internal.HubCore;
import dev.weft.internal.Jmx;
import dev.weft.internal.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

/**
 * The registry of open hubs and their metrics, read directly or over JMX.
 *
 * <p>Every hub registers an {@link HubMXBean} under {@link #objectName(Hub)} in the platform
 * MBean server when it is made, and unregisters it when it closes. Registration runs on a
 * background virtual thread, so making a hub never waits for JMX (the platform MBean server's
 * first start takes a fraction of a second); {@link #awaitRegistrations()} waits for it. The
 * system property {@code dev.weft.jmx=false} turns registration off (the metrics stay readable
 * through {@link #metrics(Hub)}).
 *
 * <p>Pools do not get MBeans of their own: a pool is listed in the {@code Pools} attribute of
 * the hub that was current when it was made, for as long as it is reachable (it is tracked
 * weakly), so a program that makes a short-lived pool per request leaks nothing and needs no
 * unregistration.
 */
public final class Monitoring {
    private Monitoring() {}

    /**
     * The open hubs, in creation order (the default hub first).
     *
     * @return a new list
     */
    public static List<Hub> hubs() {
        List<HubCore> cores = Telemetry.hubs();
        List<Hub> out = new ArrayList<>(cores.size());
        for (HubCore c : cores) out.add((Hub) c);
        return out;
    }

    /**
     * The metrics of {@code hub}, read without JMX (the same object JMX serves).
     *
     * @param hub a hub, open or closed
     * @return its metrics
     * @throws NullPointerException if {@code hub} is null
     */
    public static HubMXBean metrics(Hub hub) {
        return new dev.weft.internal.HubMonitor(Objects.requireNonNull(hub, "hub"));
    }

    /**
     * The JMX name of {@code hub}'s MXBean: {@code dev.weft:type=Hub,name=<name>}, the name
     * quoted when it holds characters JMX reserves (a simulated hub's does).
     *
     * @param hub a hub
     * @return its object name
     * @throws NullPointerException if {@code hub} is null
     */
    public static ObjectName objectName(Hub hub) {
        return objectName(hub.name());
    }

    static ObjectName objectName(String hubName) {
        String v = hubName.matches("[A-Za-z0-9._-]+") ? hubName : ObjectName.quote(hubName);
        try {
            return new ObjectName("dev.weft", Map.of("type", "Hub", "name", v).entrySet().stream()
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue,
                            (a, b) -> a, java.util.Hashtable::new)));
        } catch (MalformedObjectNameException e) {
            throw new IllegalStateException("hub name " + hubName + " makes no JMX name", e);
        }
    }

    /**
     * Waits until the MXBeans of every hub made (or closed) before this call are registered (or
     * unregistered) in the platform MBean server.
     *
     * @throws IllegalStateException if interrupted while waiting (the interrupt flag is set again)
     */
    public static void awaitRegistrations() {
        Jmx.awaitQueued();
    }

    /**
     * Every open hub's metrics and greenlet tree as one JSON document, for tools and the console:
     * {@code {"takenAtMillis":...,"hubs":[{"metrics":{...},"tree":{...}}, ...]}} where {@code tree} is
     * {@link GreenletTree#toJson()} and {@code metrics} holds the {@link HubMXBean} attributes
     * (pools and recent failures as arrays of objects).
     *
     * @param withStacks whether the trees hold each greenlet's stack
     * @return the JSON text
     */
    public static String toJson(boolean withStacks) {
        StringBuilder b = new StringBuilder(4096);
        b.append("{\"takenAtMillis\":").append(System.currentTimeMillis()).append(",\"hubs\":[");
        boolean first = true;
        for (Hub h : hubs()) {
            if (!first) b.append(',');
            first = false;
            b.append("{\"metrics\":");
            metricsJson(b, metrics(h));
            b.append(",\"tree\":");
            GreenletTree.of(h, withStacks).writeJson(b);
            b.append('}');
        }
        return b.append("]}").toString();
    }

    /**
     * One hub's metrics as a JSON object.
     *
     * @param m the metrics
     * @return the JSON text
     * @throws NullPointerException if {@code m} is null
     */
    public static String metricsJson(HubMXBean m) {
        StringBuilder b = new StringBuilder(512);
        metricsJson(b, m);
        return b.toString();
    }

    private static void metricsJson(StringBuilder b, HubMXBean m) {
        b.append("{\"name\":");
        Json.string(b, m.getName());
        b.append(",\"kind\":");
        Json.string(b, m.getKind());
        b.append(",\"closed\":").append(m.isClosed())
                .append(",\"live\":").append(m.getLiveGreenlets())
                .append(",\"started\":").append(m.getStartedGreenlets())
                .append(",\"finished\":").append(m.getFinishedGreenlets())
                .append(",\"killed\":").append(m.getKilledGreenlets())
                .append(",\"failed\":").append(m.getFailedGreenlets())
                .append(",\"killsSent\":").append(m.getKillsSent())
                .append(",\"timeoutsArmed\":").append(m.getTimeoutsArmed())
                .append(",\"timeoutsFired\":").append(m.getTimeoutsFired())
                .append(",\"errorsReported\":").append(m.getErrorsReported())
                .append(",\"parked\":").append(m.getParkedGreenlets())
                .append(",\"parkedByKind\":");
        map(b, m.getParkedByKind());
        b.append(",\"byState\":");
        map(b, m.getGreenletsByState());
        b.append(",\"pools\":[");
        boolean first = true;
        for (PoolStats p : m.getPools()) {
            if (!first) b.append(',');
            first = false;
            b.append("{\"description\":");
            Json.string(b, p.getDescription());
            b.append(",\"capacity\":").append(p.getCapacity()).append(",\"members\":").append(p.getMembers())
                    .append(",\"inUse\":").append(p.getInUse()).append(",\"waiting\":").append(p.getWaiting()).append('}');
        }
        b.append("],\"recentFailures\":[");
        first = true;
        for (RecentFailure f : m.getRecentFailures()) {
            if (!first) b.append(',');
            first = false;
            b.append("{\"timeMillis\":").append(f.getTimeMillis()).append(",\"greenletId\":").append(f.getGreenletId())
                    .append(",\"greenletName\":");
            Json.string(b, f.getGreenletName());
            b.append(",\"exceptionType\":");
            Json.string(b, f.getExceptionType());
            b.append(",\"message\":");
            Json.string(b, f.getMessage());
            b.append('}');
        }
        b.append("]}");
    }

    private static void map(StringBuilder b, Map<String, Integer> m) {
        b.append('{');
        boolean first = true;
        for (var e : new java.util.TreeMap<>(m).entrySet()) {
            if (!first) b.append(',');
            first = false;
            Json.string(b, e.getKey());
            b.append(':').append(e.getValue());
        }
        b.append('}');
    }
}
