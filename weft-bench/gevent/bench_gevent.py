#!/usr/bin/python3
"""gevent twins of weft's JMH workloads, for Debian's python3-gevent.

    /usr/bin/python3 bench_gevent.py [--quick] [workload ...]

Workloads (all on gevent's one hub, the gevent-exact model weft follows):
  spawn_join      gevent.spawn(noop).join(), one at a time           per task
  event_pingpong  two Events, each side wait/clear/set the other's   per round trip
  queue_pingpong  two Queues, A puts / B gets and puts back          per round trip
  pool_imap       Pool(100).imap over 100k trivial items             per item
  pool_imap_unordered  Pool(100).imap_unordered, the same             per item
  timeout         Timeout.start_new(30).cancel()                     per start+cancel

Each workload runs in batches until about `--seconds` have passed (after a warm-up batch);
the best-of-repeats mean per operation is printed as JSON lines:
  {"bench": "gevent", "workload": ..., "ns_per_op": ..., "ops": ...}
"""
import argparse
import json
import sys
import time

import gevent
from gevent import Timeout
from gevent.event import Event
from gevent.pool import Pool
from gevent.queue import Queue


def noop():
    return 1


def item(x):
    return x


def spawn_join(n):
    for _ in range(n):
        gevent.spawn(noop).join()
    return n


def event_pingpong(n):
    ping, pong = Event(), Event()

    def b():
        for _ in range(n):
            ping.wait()
            ping.clear()
            pong.set()

    def a():
        trips = 0
        for _ in range(n):
            ping.set()
            pong.wait()
            pong.clear()
            trips += 1
        return trips

    gb, ga = gevent.spawn(b), gevent.spawn(a)
    gevent.joinall([ga, gb], raise_error=True)
    return ga.value


def queue_pingpong(n):
    there, back = Queue(), Queue()
    token = object()

    def b():
        for _ in range(n):
            back.put(there.get())

    def a():
        trips = 0
        for _ in range(n):
            there.put(token)
            if back.get() is token:
                trips += 1
        return trips

    gb, ga = gevent.spawn(b), gevent.spawn(a)
    gevent.joinall([ga, gb], raise_error=True)
    return ga.value


def pool_imap(n):
    pool = Pool(100)
    done = 0
    for _ in pool.imap(item, range(n)):
        done += 1
    return done


def pool_imap_unordered(n):
    pool = Pool(100)
    done = 0
    for _ in pool.imap_unordered(item, range(n)):
        done += 1
    return done


def timeout(n):
    for _ in range(n):
        Timeout.start_new(30).cancel()
    return n


# name -> (function, batch size)
WORKLOADS = {
    "spawn_join": (spawn_join, 2_000),
    "event_pingpong": (event_pingpong, 5_000),
    "queue_pingpong": (queue_pingpong, 5_000),
    "pool_imap": (pool_imap, 100_000),
    "pool_imap_unordered": (pool_imap_unordered, 100_000),
    "timeout": (timeout, 20_000),
}


def measure(fn, batch, seconds, repeats):
    fn(max(1, batch // 10))  # warm-up
    best = None
    for _ in range(repeats):
        ops = 0
        t0 = time.perf_counter()
        while True:
            done = fn(batch)
            if done != batch:
                raise SystemExit(f"{fn.__name__}: did {done} of {batch}")
            ops += batch
            elapsed = time.perf_counter() - t0
            if elapsed >= seconds / repeats:
                break
        per = elapsed / ops * 1e9
        best = per if best is None else min(best, per)
    return best, ops


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("workloads", nargs="*", help="default: all")
    ap.add_argument("--seconds", type=float, default=3.0, help="time per workload (default 3)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="tiny batches, for a smoke run")
    args = ap.parse_args()
    names = args.workloads or list(WORKLOADS)
    for name in names:
        fn, batch = WORKLOADS[name]
        if args.quick:
            batch = max(10, batch // 100)
        ns, ops = measure(fn, batch, 0.1 if args.quick else args.seconds, args.repeats)
        print(json.dumps({"bench": "gevent", "workload": name, "ns_per_op": round(ns, 1),
                          "ops": ops, "gevent": gevent.__version__}), flush=True)
        print(f"  gevent {name}: {ns / 1000:.2f} µs/op", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
