#!/usr/bin/python3
"""Memory per parked gevent greenlet: the twin of weft's MemoryMain.

    /usr/bin/python3 memory_gevent.py sleep|event N

Spawns N greenlets parked in gevent.sleep(3600) ("sleep") or Event.wait() ("event"), lets them
all reach their wait, and prints the growth of the process's RSS (VmRSS of /proc/self/status)
per greenlet, after gc.collect(), as a JSON line; then releases (kills or sets) and joins them.
"""
import gc
import json
import sys

import gevent
from gevent.event import Event


def rss_bytes():
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return -1


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("sleep", "event"):
        raise SystemExit("usage: memory_gevent.py sleep|event N")
    variant, n = sys.argv[1], int(sys.argv[2].lower().replace("k", "000").replace("m", "000000"))
    finished = [0]
    go = Event()

    def sleeper():
        try:
            gevent.sleep(3600)
        except gevent.GreenletExit:
            finished[0] += 1

    def waiter():
        go.wait()
        finished[0] += 1

    gc.collect()
    rss0 = rss_bytes()
    body = sleeper if variant == "sleep" else waiter
    greenlets = [gevent.spawn(body) for _ in range(n)]
    gevent.sleep(0)  # run every greenlet up to its wait
    gevent.sleep(0.1)
    parked = sum(1 for g in greenlets if g and not g.ready())
    gc.collect()
    rss1 = rss_bytes()
    if variant == "sleep":
        gevent.killall(greenlets)
    else:
        go.set()
    gevent.joinall(greenlets)
    per = (rss1 - rss0) / n
    print(f"memory gevent-{variant} n={n}: {per:.0f} RSS bytes per parked greenlet "
          f"({parked} parked, {finished[0]} finished after release)", file=sys.stderr)
    print(json.dumps({"bench": "memory", "variant": "gevent-" + variant, "n": n,
                      "rss_bytes_per_task": round(per, 1), "parked": parked,
                      "finished": finished[0], "gevent": gevent.__version__}), flush=True)


if __name__ == "__main__":
    main()
