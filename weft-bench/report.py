#!/usr/bin/python3
"""Turns one run-all.sh run into weft-bench/results/results.md (+ chart.png).

    /usr/bin/python3 weft-bench/report.py RESULTS_DIR

Reads, in RESULTS_DIR/raw/: jmh.json (JMH -rf json), mains.jsonl (the RESULT lines of the plain
mains and the gevent memory script), gevent.jsonl (bench_gevent.py), env.txt (key=value lines
run-all.sh wrote), gevent.skipped / chart.skipped (why a part was skipped). Missing inputs give
"—" cells, never a failure. The chart needs matplotlib; without it, only the table is written.

Each table row is one ROWS entry: a weft source, a raw-JDK source and a gevent source. A source
is ("jmh", "Class.method"), ("main", bench, variant, n, field) or ("gevent", workload). A
workload weft does not have yet (its Queue, Semaphore, Pool) names the benchmark it will be,
so its row fills in by itself once the benchmark exists.

PEER_ROWS make the second table, "weft vs the JVM peers": each row has a weft source, an optional
raw-JDK source, and the peers' sources (kotlinx.coroutines, the JDK's StructuredTaskScope) with
their labels; weft/best peer divides weft's value by the smallest peer value (raw virtual
threads are the floor, not a peer). Its chart is peers.png.
"""
import json
import os
import sys
import textwrap

NS, KB, MS = "ns", "KB", "ms"


def jmh(name):
    return ("jmh", name)


def main_(bench, variant, n, field):
    return ("main", bench, variant, n, field)


def gev(workload):
    return ("gevent", workload)


# (workload, unit, weft source, raw source, gevent source, target) — target: (max ratio weft/raw or None,
# absolute max in `unit` or None, text)
ROWS = [
    ("spawn+join, per task", NS, jmh("SpawnJoinBench.weft"), jmh("SpawnJoinBench.rawVirtualThread"),
     gev("spawn_join"), (1.3, None, "≤ 1.3× raw virtual thread")),
    ("ping-pong round trip: weft Event / SynchronousQueue / gevent Event", NS, jmh("PingPongBench.weftEvent"),
     jmh("PingPongBench.rawSynchronousQueue"), gev("event_pingpong"),
     (1.5, None, "≤ 1.5× SynchronousQueue")),
    ("ping-pong round trip: weft Queue / SynchronousQueue / gevent Queue", NS, jmh("PingPongBench.weftQueue"),
     jmh("PingPongBench.rawSynchronousQueue"), gev("queue_pingpong"), (1.5, None, "≤ 1.5× SynchronousQueue")),
    ("ping-pong round trip: weft Channel / SynchronousQueue", NS, jmh("PingPongBench.weftChannel"),
     jmh("PingPongBench.rawSynchronousQueue"), None, (1.5, None, "≤ 1.5× SynchronousQueue")),
    ("ping-pong round trip: weft Channel / LockSupport park/unpark (the floor)", NS, jmh("PingPongBench.weftChannel"),
     jmh("PingPongBench.rawParkUnpark"), None, (None, None, "—")),
    ("ping-pong round trip, one carrier: weft cooperative Event / raw park/unpark on one custom carrier / gevent Event",
     NS, jmh("SingleCarrierPingPongBench.weftCooperativeEvent"),
     jmh("SingleCarrierPingPongBench.rawParkUnparkOneCarrier"), gev("event_pingpong"),
     (1.25, None, "≤ 1.25× raw park/unpark on one carrier")),
    ("ping-pong round trip, one carrier: weft cooperative Queue / raw park/unpark on one carrier / gevent Queue",
     NS, jmh("SingleCarrierPingPongBench.weftCooperativeQueue"),
     jmh("SingleCarrierPingPongBench.rawParkUnparkOneCarrier"), gev("queue_pingpong"),
     (1.25, None, "≤ 1.25× raw park/unpark on one carrier")),
    ("ping-pong round trip, one carrier: weft cooperative Channel / raw park/unpark on one carrier", NS,
     jmh("SingleCarrierPingPongBench.weftCooperativeChannel"),
     jmh("SingleCarrierPingPongBench.rawParkUnparkOneCarrier"), None, (None, None, "—")),
    ("simulated hub: one seed of a small channel race (fresh hub, run, close)", NS,
     jmh("SimulatedSeedsBench.channelRace"), None, None,
     (None, 10_000_000, "≤ 10 ms a seed (1,000 seeds in < 10 s)")),
    ("bounded fan-out (100 at a time), per item: weft Semaphore / VT + Semaphore(100) fair / gevent Pool(100).imap", NS,
     jmh("FanOutBench.weftSemaphore"), jmh("FanOutBench.rawSemaphoreFair"), gev("pool_imap"),
     (1.5, None, "≤ 1.5× raw")),
    ("bounded fan-out, per item: weft Pool(100) spawn+join / VT + Semaphore(100) non-fair", NS,
     jmh("FanOutBench.weftPool"), jmh("FanOutBench.rawSemaphoreNonFair"), None, (1.5, None, "≤ 1.5× raw")),
    ("bounded fan-out, per item: weft Pool(100).imap / VT + Semaphore(100) non-fair / gevent Pool(100).imap", NS,
     jmh("FanOutBench.weftPoolImap"), jmh("FanOutBench.rawSemaphoreNonFair"), gev("pool_imap"),
     (1.5, None, "≤ 1.5× raw")),
    ("bounded fan-out, per item: weft Pool(100).imapUnordered / VT + Semaphore(100) non-fair / gevent imap_unordered",
     NS, jmh("FanOutBench.weftPoolImapUnordered"), jmh("FanOutBench.rawSemaphoreNonFair"),
     gev("pool_imap_unordered"), (1.5, None, "≤ 1.5× raw")),
    ("bounded fan-out, per item: weft greenlets + JDK Semaphore(100) non-fair / VT + the same", NS,
     jmh("FanOutBench.weftSpawnJdkSemaphore"), jmh("FanOutBench.rawSemaphoreNonFair"), None,
     (None, None, "— (stand-in until weft has a Semaphore)")),
    ("timeout start+cancel (in a greenlet / virtual thread)", NS, jmh("TimeoutBench.weft"),
     jmh("TimeoutBench.rawScheduledExecutor"), gev("timeout"), (0.5, 100, "≤ 100 ns and ≤ 0.5× the executor")),
    ("timeout start+cancel (weft on an adopted platform thread)", NS, jmh("TimeoutBench.weftAdoptedThread"),
     jmh("TimeoutBench.rawScheduledExecutor"), None, (0.5, 100, "≤ 100 ns and ≤ 0.5× the executor")),
    ("parked task heap @1M, sleeping (weft sleep / VT Thread.sleep)", KB,
     main_("memory", "weft-sleep", 1000000, "heap_bytes_per_task"),
     main_("memory", "raw-sleep", 1000000, "heap_bytes_per_task"), None, (1.3, None, "≤ 1.3× raw")),
    ("parked task heap @1M, waiting (weft Event / VT CountDownLatch)", KB,
     main_("memory", "weft-event", 1000000, "heap_bytes_per_task"),
     main_("memory", "raw-latch", 1000000, "heap_bytes_per_task"), None, (1.25, None, "≤ 1.25× raw")),
    ("parked task RSS @1M, sleeping (gevent: @100k)", KB, main_("memory", "weft-sleep", 1000000, "rss_bytes_per_task"),
     main_("memory", "raw-sleep", 1000000, "rss_bytes_per_task"),
     main_("memory", "gevent-sleep", 100000, "rss_bytes_per_task"), (1.3, None, "≤ 1.3× raw")),
    ("parked task RSS @1M, waiting (VT: CountDownLatch; gevent: Event @100k)", KB,
     main_("memory", "weft-event", 1000000, "rss_bytes_per_task"),
     main_("memory", "raw-latch", 1000000, "rss_bytes_per_task"),
     main_("memory", "gevent-event", 100000, "rss_bytes_per_task"), (1.3, None, "≤ 1.3× raw")),
    ("1M sleepers due at one deadline 10 s ahead: how late the last wakes (weft sleepUntil / VT Thread.sleep)", MS,
     main_("wakeup", "weft", 1000000, "max_late_ms"), main_("wakeup", "raw", 1000000, "max_late_ms"), None,
     (1.15, None, "≤ 1.15× the raw twin's lateness (the JDK's resume floor dominates)")),
    ("100k sleepers due 5 s ahead: how late the last wakes", MS, main_("wakeup", "weft", 100000, "max_late_ms"),
     main_("wakeup", "raw", 100000, "max_late_ms"), None, (None, 1000, "≤ 1 s late")),
    ("1M sleepers due at once: weft's timer has expired (woken) them all, after the deadline", MS,
     main_("wakeup", "weft", 1000000, "filed_late_ms"), None, None, (None, 1000, "≤ 1 s")),
]

KT, STS = "kotlinx.coroutines", "StructuredTaskScope"

# (workload, unit, weft source, raw source, [(peer family, label, source), ...])
PEER_ROWS = [
    ("spawn+join one at a time, parallel (per task)", NS, jmh("SpawnJoinBench.weft"),
     jmh("SpawnJoinBench.rawVirtualThread"),
     [(KT, "launch/join, Default", jmh("PeerSpawnJoinBench.kotlinLaunch")),
      (KT, "async/await, Default", jmh("PeerSpawnJoinBench.kotlinAsync")),
      (STS, "open/fork/join/close", jmh("PeerSpawnJoinBench.structuredTaskScope"))]),
    ("spawn+join one at a time, one thread: weft cooperative hub (per task)", NS,
     jmh("PeerSpawnJoinBench.weftCooperative"), None,
     [(KT, "launch/join, 1 thread", jmh("PeerSpawnJoinBench.kotlinLaunchOneThread")),
      (KT, "async/await, 1 thread", jmh("PeerSpawnJoinBench.kotlinAsyncOneThread"))]),
    ("ping-pong, rendezvous: weft Channel / SynchronousQueue (round trip)", NS, jmh("PingPongBench.weftChannel"),
     jmh("PingPongBench.rawSynchronousQueue"), [(KT, "Channel(RENDEZVOUS), Default", jmh("PeerPingPongBench.kotlinRendezvous"))]),
    ("ping-pong, buffer of 1: weft Queue(1) / SynchronousQueue (round trip)", NS, jmh("PingPongBench.weftQueue"),
     jmh("PingPongBench.rawSynchronousQueue"), [(KT, "Channel(1), Default", jmh("PeerPingPongBench.kotlinBuffered"))]),
    ("ping-pong, rendezvous, one carrier: weft cooperative Channel / park-unpark on one carrier", NS,
     jmh("SingleCarrierPingPongBench.weftCooperativeChannel"), jmh("SingleCarrierPingPongBench.rawParkUnparkOneCarrier"),
     [(KT, "Channel(RENDEZVOUS), 1 thread", jmh("PeerPingPongBench.kotlinRendezvousOneThread"))]),
    ("ping-pong, buffer of 1, one carrier: weft cooperative Queue(1) / park-unpark on one carrier", NS,
     jmh("SingleCarrierPingPongBench.weftCooperativeQueue"), jmh("SingleCarrierPingPongBench.rawParkUnparkOneCarrier"),
     [(KT, "Channel(1), 1 thread", jmh("PeerPingPongBench.kotlinBufferedOneThread"))]),
    ("bounded fan-out, 100 at a time: weft Semaphore / VT + Semaphore non-fair (per item)", NS,
     jmh("FanOutBench.weftSemaphore"), jmh("FanOutBench.rawSemaphoreNonFair"),
     [(KT, "Semaphore(100)", jmh("PeerFanOutBench.kotlinSemaphore"))]),
    ("bounded fan-out, 100 at a time: weft Pool(100).imap (per item)", NS,
     jmh("FanOutBench.weftPoolImap"), jmh("FanOutBench.rawSemaphoreNonFair"),
     [(KT, "flatMapMerge(100)", jmh("PeerFanOutBench.kotlinFlatMapMerge"))]),
    ("timeout start+cancel: weft Timeout / ScheduledThreadPoolExecutor", NS, jmh("TimeoutBench.weft"),
     jmh("TimeoutBench.rawScheduledExecutor"), [(KT, "withTimeout", jmh("PeerTimeoutBench.kotlinWithTimeout"))]),
    ("first failure cancels the rest: 100 members, 99 waiting (per scope)", NS,
     jmh("PeerScopeFailureBench.weftScoped"), None,
     [(KT, "coroutineScope", jmh("PeerScopeFailureBench.kotlinCoroutineScope")),
      (STS, "open()", jmh("PeerScopeFailureBench.structuredTaskScope"))]),
    ("1,000 tasks each blocking in Thread.sleep(1 ms), all at once (per task)", NS,
     jmh("PeerBlockingBench.weft"), jmh("PeerBlockingBench.rawVirtualThread"),
     [(KT, "Dispatchers.IO", jmh("PeerBlockingBench.kotlinDispatchersIO")),
      (KT, "virtual-thread dispatcher", jmh("PeerBlockingBench.kotlinVirtualThreads"))]),
    ("parked task heap @1M, sleeping: weft sleep / VT Thread.sleep", KB,
     main_("memory", "weft-sleep", 1000000, "heap_bytes_per_task"), main_("memory", "raw-sleep", 1000000, "heap_bytes_per_task"),
     [(KT, "delay", main_("memory", "kotlin-delay", 1000000, "heap_bytes_per_task"))]),
    ("parked task heap @1M, waiting: weft Event / VT CountDownLatch", KB,
     main_("memory", "weft-event", 1000000, "heap_bytes_per_task"), main_("memory", "raw-latch", 1000000, "heap_bytes_per_task"),
     [(KT, "CompletableDeferred.await", main_("memory", "kotlin-deferred", 1000000, "heap_bytes_per_task"))]),
    ("parked task RSS @1M, sleeping", KB,
     main_("memory", "weft-sleep", 1000000, "rss_bytes_per_task"), main_("memory", "raw-sleep", 1000000, "rss_bytes_per_task"),
     [(KT, "delay", main_("memory", "kotlin-delay", 1000000, "rss_bytes_per_task"))]),
    ("parked task RSS @1M, waiting", KB,
     main_("memory", "weft-event", 1000000, "rss_bytes_per_task"), main_("memory", "raw-latch", 1000000, "rss_bytes_per_task"),
     [(KT, "CompletableDeferred.await", main_("memory", "kotlin-deferred", 1000000, "rss_bytes_per_task"))]),
    ("1M sleepers due at once: how late the last wakes", MS,
     main_("wakeup", "weft", 1000000, "max_late_ms"), main_("wakeup", "raw", 1000000, "max_late_ms"),
     [(KT, "delay, Default", main_("wakeup", "kotlin", 1000000, "max_late_ms"))]),
]


def load(raw):
    data = {"jmh": {}, "main": {}, "gevent": {}, "env": {}, "notes": []}
    p = os.path.join(raw, "jmh.json")
    if os.path.exists(p) and os.path.getsize(p) > 0:
        with open(p) as f:
            for b in json.load(f):
                name = ".".join(b["benchmark"].split(".")[-2:])
                m = b["primaryMetric"]
                unit = m["scoreUnit"]
                scale = {"ns/op": 1, "us/op": 1e3, "ms/op": 1e6}.get(unit, 1)
                err = m.get("scoreError")
                data["jmh"][name] = (m["score"] * scale,
                                     err * scale if isinstance(err, (int, float)) and err == err else None)
    for fname, key in (("mains.jsonl", "main"), ("gevent.jsonl", "gevent")):
        p = os.path.join(raw, fname)
        if not os.path.exists(p):
            continue
        with open(p) as f:
            for line in f:
                line = line.strip()
                if line.startswith("RESULT "):
                    line = line[7:]
                if not line.startswith("{"):
                    continue
                r = json.loads(line)
                if key == "gevent" and r.get("bench") == "gevent":
                    data["gevent"][r["workload"]] = r
                else:
                    data["main"][(r["bench"], r["variant"], int(r["n"]))] = r
    p = os.path.join(raw, "env.txt")
    if os.path.exists(p):
        with open(p) as f:
            for line in f:
                if "=" in line:
                    k, v = line.rstrip("\n").split("=", 1)
                    data["env"][k] = v
    for skipped in ("gevent.skipped", "chart.skipped"):
        p = os.path.join(raw, skipped)
        if os.path.exists(p):
            with open(p) as f:
                data["notes"].append(f.read().strip())
    return data


def value(data, src, unit):
    """(value in `unit`, error or None), or None."""
    if src is None:
        return None
    if src[0] == "jmh":
        return data["jmh"].get(src[1])
    if src[0] == "gevent":
        r = data["gevent"].get(src[1])
        return (r["ns_per_op"], None) if r else None
    _, bench, variant, n, field = src
    r = data["main"].get((bench, variant, n))
    if not r or field not in r:
        return None
    v = float(r[field])
    return (v / 1024 if unit == KB else v, None)


def fmt(v, unit):
    if v is None:
        return "—"
    x, err = v
    if unit == NS:
        s = f"{x / 1000:.2f} µs" if x >= 10_000 else f"{x:.0f} ns"
        if err is not None and x < 10_000:
            s += f" ± {err:.0f}"
        return s
    if unit == KB:
        return f"{x:.2f} KB"
    return f"{x / 1000:.2f} s" if abs(x) >= 1000 else f"{x:.0f} ms"


def ratio(a, b):
    if a is None or b is None or b[0] <= 0:
        return None
    return a[0] / b[0]


def status(weft, raw, target):
    max_ratio, max_abs, _ = target
    if max_ratio is None and max_abs is None:
        return "—"
    if weft is None:
        return "pending (no weft version yet)"
    misses = []
    r = ratio(weft, raw)
    if max_ratio is not None and r is not None and r > max_ratio:
        misses.append(f"{r:.2f}× vs ≤ {max_ratio}×")
    if max_abs is not None and weft[0] > max_abs:
        misses.append(f"{weft[0]:.0f} vs ≤ {max_abs}")
    return "**missed** (" + "; ".join(misses) + ")" if misses else "met"


def table(data):
    out = ["| workload | weft | raw JDK | gevent | weft/raw | gevent/weft | target | status |",
           "| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |"]
    for name, unit, ws, rs, gs, target in ROWS:
        w, r, g = value(data, ws, unit), value(data, rs, unit), value(data, gs, unit)
        if w is None and r is None and g is None:
            continue
        wr, gw = ratio(w, r), ratio(g, w)
        out.append(f"| {name} | {fmt(w, unit)} | {fmt(r, unit)} | {fmt(g, unit)} | "
                   f"{f'{wr:.2f}×' if wr is not None else '—'} | {f'{gw:.1f}×' if gw is not None else '—'} | "
                   f"{target[2]} | {status(w, r, target)} |")
    return "\n".join(out)


def peer_values(data, peers, unit):
    return [(fam, label, value(data, src, unit)) for fam, label, src in peers]


def peer_table(data):
    out = ["| workload | weft | raw JDK | kotlinx.coroutines | StructuredTaskScope | weft / best peer |",
           "| --- | ---: | ---: | --- | --- | ---: |"]
    for name, unit, ws, rs, peers in PEER_ROWS:
        w, r = value(data, ws, unit), value(data, rs, unit)
        pv = peer_values(data, peers, unit)
        if w is None and all(v is None for _, _, v in pv):
            continue
        cells = {}
        for fam in (KT, STS):
            got = [f"{label}: {fmt(v, unit)}" for f, label, v in pv if f == fam]
            cells[fam] = "<br>".join(got) if got else "—"
        present = [v for _, _, v in pv if v is not None]
        best = min(present, key=lambda v: v[0]) if present else None
        rb = ratio(w, best)
        out.append(f"| {name} | {fmt(w, unit)} | {fmt(r, unit)} | {cells[KT]} | {cells[STS]} | "
                   f"{f'{rb:.2f}×' if rb is not None else '—'} |")
    return "\n".join(out)


def peer_chart(data, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = []
    for name, unit, ws, rs, peers in PEER_ROWS:
        bars = [("weft", value(data, ws, unit), "#2b7bba"), ("raw JDK", value(data, rs, unit), "#9a9a9a")]
        for fam, label, v in peer_values(data, peers, unit):
            bars.append((label, v, "#7f52b5" if fam == KT else "#3a9e5c"))
        bars = [b for b in bars if b[1] is not None]
        if bars and bars[0][0] == "weft" and len(bars) > 1:
            rows.append((name, unit, bars))
    if not rows:
        return False
    cols = 3
    nrows = (len(rows) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(5.6 * cols, 3.9 * nrows), squeeze=False)
    for ax, (name, unit, bars) in zip(axes.flat, rows):
        big = unit == NS and max(b[1][0] for b in bars) >= 10_000
        hs = [max(b[1][0] / 1000 if big else b[1][0], 1e-9) for b in bars]
        xs = list(range(len(bars)))
        drawn = ax.bar(xs, hs, color=[b[2] for b in bars])
        ax.set_xticks(xs, [textwrap.fill(b[0], 14) for b in bars], fontsize=7)
        if max(hs) / max(min(hs), 1e-9) > 20:
            ax.set_yscale("log")
        for b, h in zip(drawn, hs):
            ax.annotate(f"{h:,.0f}" if h >= 100 else f"{h:.3g}", (b.get_x() + b.get_width() / 2, h),
                        ha="center", va="bottom", fontsize=7)
        ax.set_ylabel(("µs" if big else unit) + " (lower is better)")
        ax.set_title(textwrap.fill(name, 60), fontsize=8)
    for ax in list(axes.flat)[len(rows):]:
        ax.axis("off")
    env = data["env"]
    fig.suptitle(f"weft vs the JVM peers (blue weft, grey raw JDK, purple kotlinx.coroutines "
                 f"{env.get('kotlinx_coroutines', '?')}, green StructuredTaskScope) — {env.get('cpus', '?')} cores, "
                 f"JDK {env.get('java', '?')}", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(path, dpi=110)
    return True


def details(data):
    out = []
    wake = [r for k, r in sorted(data["main"].items()) if k[0] == "wakeup"]
    if wake:
        out += ["### Wake-up (all times relative to the deadline)", "",
                "| variant | n | spawn | asleep before deadline | woken | timer done | min late | p50 late | p99 late | max late |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in wake:
            filed = f"{r['filed_late_ms']:.1f} ms" if 'filed_late_ms' in r else "—"
            out.append(f"| {r['variant']} | {r['n']:,} | {r['spawn_ms']:.0f} ms | {r['slept_before_deadline']:,} | "
                       f"{r['woken']:,} | {filed} | {r['min_late_ms']:.1f} ms | {r['p50_late_ms']:.1f} ms | "
                       f"{r['p99_late_ms']:.1f} ms | {r['max_late_ms']:.1f} ms |")
        out.append("")
    mem = [r for k, r in sorted(data["main"].items()) if k[0] == "memory"]
    if mem:
        out += ["### Memory per parked task", "",
                "| variant | n | heap per task | RSS per task | parked | finished after release | release → all joined |",
                "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in mem:
            heap = f"{r['heap_bytes_per_task']:.0f} B" if "heap_bytes_per_task" in r else "—"
            out.append(f"| {r['variant']} | {r['n']:,} | {heap} | {r['rss_bytes_per_task']:.0f} B | "
                       f"{r['parked']:,} | {r['finished']:,} | "
                       f"{'%.0f ms' % r['release_ms'] if 'release_ms' in r else '—'} |")
        out.append("")
    soak = [r for k, r in sorted(data["main"].items()) if k[0] == "soak"]
    for r in soak:
        out += ["### Soak", "",
                f"{r['n']:,} spawn/finish cycles in {r['seconds']:.1f} s: heap after GC {r['heap_start_mb']:.1f} MB at the "
                f"start, {r['heap_after_first_wave_mb']:.1f} MB after the first wave, {r['heap_end_mb']:.1f} MB at the end "
                f"({r['growth_bytes_per_cycle']:.2f} bytes per cycle after the first wave); {r['linked']:,} links fired, "
                f"{r['killed']:,} killed, {r['live_at_end']} greenlets still registered.", ""]
    for r in [r for k, r in sorted(data["main"].items()) if k[0] == "imap_heap"]:
        out += ["### imap back-pressure", "",
                f"Pool(100).imap, maxsize 16, a slow reader, {r['n']:,} items ({r['read']:,} read): heap after GC "
                f"between {r['heap_min_mb']:.1f} and {r['heap_max_mb']:.1f} MB over the run.", ""]
    jm = data["jmh"]
    if jm:
        out += ["### Every JMH score", "", "| benchmark | score | error (99.9 %) |", "| --- | ---: | ---: |"]
        for k in sorted(jm):
            s, e = jm[k]
            out.append(f"| {k} | {s:.1f} ns/op | {'± %.1f' % e if e is not None else '—'} |")
        out.append("")
    gv = data["gevent"]
    if gv:
        out += ["### Every gevent score", "", "| workload | per op |", "| --- | ---: |"]
        for k in sorted(gv):
            out.append(f"| {k} | {gv[k]['ns_per_op'] / 1000:.2f} µs |")
        out.append("")
    return "\n".join(out)


def chart(data, path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = []
    for name, unit, ws, rs, gs, _ in ROWS:
        vals = [value(data, s, unit) for s in (ws, rs, gs)]
        if vals[0] is None or vals[1] is None:
            continue  # a chart panel compares weft with its raw twin
        rows.append((name, unit, vals))
    if not rows:
        return False
    cols = 3
    nrows = (len(rows) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(5.2 * cols, 3.6 * nrows), squeeze=False)
    colors = ("#2b7bba", "#9a9a9a", "#e08b2c")
    labels = ("weft", "raw JDK", "gevent")
    for ax, (name, unit, vals) in zip(axes.flat, rows):
        xs, hs, cs, ls = [], [], [], []
        for i, v in enumerate(vals):
            if v is None:
                continue
            x = v[0] / 1000 if unit == NS and max(u[0] for u in vals if u) >= 10_000 else v[0]
            xs.append(len(xs))
            hs.append(max(x, 1e-9))
            cs.append(colors[i])
            ls.append(labels[i])
        shown_unit = "µs" if unit == NS and max(u[0] for u in vals if u) >= 10_000 else unit
        bars = ax.bar(xs, hs, color=cs)
        ax.set_xticks(xs, ls)
        if max(hs) / max(min(hs), 1e-9) > 20:
            ax.set_yscale("log")
        for b, h in zip(bars, hs):
            ax.annotate(f"{h:,.0f}" if h >= 100 else f"{h:.3g}", (b.get_x() + b.get_width() / 2, h), ha="center", va="bottom", fontsize=8)
        ax.set_ylabel(shown_unit + " (lower is better)")
        ax.set_title(textwrap.fill(name, 58), fontsize=8)
    for ax in list(axes.flat)[len(rows):]:
        ax.axis("off")
    env = data["env"]
    fig.suptitle(f"weft vs raw JDK vs gevent — {env.get('cpus', '?')} cores, JDK {env.get('java', '?')}, "
                 f"gevent {env.get('gevent', 'n/a')}", fontsize=11)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(path, dpi=110)
    return True


def main():
    if len(sys.argv) != 2:
        raise SystemExit("usage: report.py RESULTS_DIR")
    out_dir = sys.argv[1]
    data = load(os.path.join(out_dir, "raw"))
    env = data["env"]
    md = ["# weft benchmark results", "",
          f"Measured {env.get('date', '?')} on {env.get('cpus', '?')} cores ({env.get('cpu', '?')}), "
          f"JDK {env.get('java', '?')}, gevent {env.get('gevent', 'n/a')} on Python {env.get('python', '?')}, "
          f"weft commit {env.get('commit', '?')}; mode {env.get('mode', '?')}. "
          f"Load average before / after: {env.get('load_before', '?')} / {env.get('load_after', '?')}.", "",
          "Lower is better everywhere. weft/raw > 1 means weft is slower (or bigger) than the raw JDK twin; "
          "gevent/weft > 1 means gevent is slower than weft. JMH: " + env.get("jmh_args", "?") + ".", ""]
    for note in data["notes"]:
        md += [f"> {note}", ""]
    md += [table(data), ""]
    chart_ok = False
    chart_path = os.path.join(out_dir, "chart.png")
    try:
        chart_ok = chart(data, chart_path)
    except ImportError:
        md += ["> chart skipped: matplotlib is not installed (apt-get install python3-matplotlib)", ""]
    if chart_ok:
        md += ["![chart](chart.png)", ""]
    md += ["## weft vs the JVM peers", "",
           f"kotlinx.coroutines {env.get('kotlinx_coroutines', '?')} on Kotlin {env.get('kotlin', '?')}; the JDK's "
           "StructuredTaskScope (preview). weft / best peer > 1 means the fastest (or smallest) peer beats weft.", "",
           peer_table(data), ""]
    peers_path = os.path.join(out_dir, "peers.png")
    try:
        if chart_ok and peer_chart(data, peers_path):
            md += ["![weft vs the JVM peers](peers.png)", ""]
    except ImportError:
        pass
    md += ["## Details", "", details(data)]
    with open(os.path.join(out_dir, "results.md"), "w") as f:
        f.write("\n".join(md).rstrip() + "\n")
    print(f"wrote {os.path.join(out_dir, 'results.md')}" + (f" and {chart_path}" if chart_ok else ""))


if __name__ == "__main__":
    main()
