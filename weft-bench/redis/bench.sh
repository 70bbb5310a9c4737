#!/usr/bin/env bash
# redis-benchmark against four Redis-protocol servers, side by side (BENCHMARKS.md, "Redis protocol"):
#   weft    the main job's server (./weft serve): StreamServer + a DeferredCallHandler-owned keyspace
#   raw     the same parser, keyspace and commands on plain virtual threads and a lock, no weft
#   redis   the real redis-server (single-threaded, no persistence)
#   gevent  a gevent StreamServer twin (weft-bench/gevent/kv_gevent.py, /usr/bin/python3)
# GET, SET and INCR with 50 clients, unpipelined and with -P 16. Each server is pinned to core 0
# (taskset -c 0), redis-benchmark to core 1; the servers alternate within every round (the order
# rotates each round). Reported: requests/s and the server's CPU time per request, from
# /proc/PID/stat (utime+stime) around each redis-benchmark run.
#
# usage: weft-bench/redis/bench.sh [rounds] [requests-unpipelined] [requests-pipelined]
#        (defaults 3 200000 1000000; SERVERS="weft raw" limits the servers)
# Needs redis-tools and redis-server (installed with apt-get if missing, as root or through sudo),
# python3-gevent for the gevent twin, taskset (util-linux), a JDK 25 (found like ./weft does).
# Writes weft-bench/results/redis.md and weft-bench/results/raw/redis.tsv.
set -euo pipefail
cd "$(dirname "$0")/../.."

ROUNDS=${1:-3}
N1=${2:-200000}
N16=${3:-1000000}
SERVERS=${SERVERS:-"weft raw redis gevent"}
PORT=${PORT:-16379}
WARMUP=${WARMUP:-50000}
OUT=weft-bench/results/raw/redis.tsv
REPORT=weft-bench/results/redis.md

say() { printf 'bench: %s\n' "$*" >&2; }

install_packages() {
  local missing=()
  command -v redis-benchmark >/dev/null || missing+=(redis-tools)
  command -v redis-server >/dev/null || missing+=(redis-server)
  /usr/bin/python3 -c 'import gevent' 2>/dev/null || missing+=(python3-gevent)
  (( ${#missing[@]} == 0 )) && return 0
  local sudo=""
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null || { say "missing ${missing[*]} and neither root nor sudo: install them"; exit 2; }
    sudo=sudo
  fi
  say "installing ${missing[*]}"
  $sudo apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}" >/dev/null
}

install_packages
command -v taskset >/dev/null || { say "taskset (util-linux) is needed"; exit 2; }
JAVA_HOME=$(./weft java | sed -n 's/^JAVA_HOME=//p')
JAVA="$JAVA_HOME/bin/java"
say "building weft-core and weft-examples with $JAVA_HOME"
# shellcheck disable=SC2086
${WEFT_BUILD_LOCK:+flock $WEFT_BUILD_LOCK} env JAVA_HOME="$JAVA_HOME" mvn -q -B -DskipTests -pl weft-examples -am compile
CP=weft-core/target/classes:weft-examples/target/classes
CLK_TCK=$(getconf CLK_TCK)

server_pid=""
start_server() { # name port
  local name=$1 port=$2
  case $name in
    weft)   taskset -c 0 "$JAVA" --add-opens java.base/java.lang=ALL-UNNAMED -cp "$CP" dev.weft.examples.ServeMain --port "$port" >/dev/null 2>&1 & ;;
    raw)    taskset -c 0 "$JAVA" -cp "$CP" dev.weft.examples.kv.RawTwinServer "$port" >/dev/null 2>&1 & ;;
    redis)  taskset -c 0 redis-server --port "$port" --save '' --appendonly no --bind 127.0.0.1 >/dev/null 2>&1 & ;;
    gevent) taskset -c 0 /usr/bin/python3 weft-bench/gevent/kv_gevent.py "$port" >/dev/null 2>&1 & ;;
    *) say "unknown server $name"; exit 2 ;;
  esac
  server_pid=$!
  for _ in $(seq 200); do
    [[ $(redis-cli -p "$port" PING 2>/dev/null) == PONG ]] && return 0
    sleep 0.1
  done
  say "$name did not answer PING on port $port"; exit 1
}
stop_server() {
  [[ -n $server_pid ]] || return 0
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
}
trap stop_server EXIT
cpu_ticks() { sed 's/^.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }   # utime + stime

mkdir -p "$(dirname "$OUT")"
printf 'round\tserver\tpipeline\ttest\trequests\treq_per_s\tcpu_us_per_req\n' > "$OUT"
read -r -a order <<< "$SERVERS"
for (( round = 1; round <= ROUNDS; round++ )); do
  for name in "${order[@]}"; do
    port=$PORT
    start_server "$name" "$port"
    # warm-up (the JVMs' JIT), not measured: both the pipelined and the unpipelined path. Without
    # the unpipelined pass, the first unpipelined test (GET) ran while the JIT was still compiling
    # the one-request-per-read path: 16-18 us of server CPU per request instead of 11-12.
    for warm in 16 1; do
      taskset -c 1 redis-benchmark -p "$port" -t get,set,incr -n "$WARMUP" -c 50 -P "$warm" -q >/dev/null 2>&1 || true
    done
    for pipeline in 1 16; do
      n=$N1; (( pipeline > 1 )) && n=$N16
      for test in get set incr; do
        before=$(cpu_ticks "$server_pid")
        csv=$(taskset -c 1 redis-benchmark -p "$port" -t "$test" -n "$n" -c 50 -P "$pipeline" -q --csv 2>/dev/null | grep -i "^\"$test\"" | tail -n1)
        after=$(cpu_ticks "$server_pid")
        rps=$(printf '%s' "$csv" | cut -d, -f2 | tr -d '"')
        cpu=$(awk -v t=$((after - before)) -v hz="$CLK_TCK" -v n="$n" 'BEGIN { printf "%.2f", t * 1e6 / hz / n }')
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$name" "$pipeline" "$test" "$n" "$rps" "$cpu" >> "$OUT"
        say "round $round  $name  -P $pipeline  $test: $rps req/s, $cpu us CPU/request"
      done
    done
    stop_server
  done
  order=("${order[@]:1}" "${order[0]}")   # rotate: every server takes every slot in turn
done

/usr/bin/python3 - "$OUT" "$REPORT" <<'PY'
import csv, statistics, sys, datetime, os
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
med = {}
for key in {(r["server"], r["pipeline"], r["test"]) for r in rows}:
    rs = [r for r in rows if (r["server"], r["pipeline"], r["test"]) == key and r["req_per_s"]]
    if rs:
        med[key] = (statistics.median(float(r["req_per_s"]) for r in rs), statistics.median(float(r["cpu_us_per_req"]) for r in rs))
servers = [s for s in ["weft", "raw", "redis", "gevent"] if any(k[0] == s for k in med)]
lines = ["# redis-benchmark, 50 clients (weft-bench/redis/bench.sh)", "",
         f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {len({r['round'] for r in rows})} round(s), medians; "
         f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end. Server on core 0, client on core 1.", "",
         "| pipeline | test | " + " | ".join(f"{s} req/s (CPU us/req)" for s in servers) + " | weft/redis | weft/raw | weft/gevent | redis/gevent | gevent CPU/weft CPU |",
         "| --- | --- |" + " --- |" * (len(servers) + 5)]
for p in ["1", "16"]:
    for t in ["get", "set", "incr"]:
        cells = []
        for s in servers:
            v = med.get((s, p, t))
            cells.append(f"{v[0]:,.0f} ({v[1]:.1f})" if v else "-")
        def ratio(a, b):
            x, y = med.get((a, p, t)), med.get((b, p, t))
            return f"{x[0] / y[0]:.2f}x" if x and y and y[0] else "-"
        def cpu_ratio(a, b):
            x, y = med.get((a, p, t)), med.get((b, p, t))
            return f"{x[1] / y[1]:.2f}x" if x and y and y[1] else "-"
        lines.append(f"| {p} | {t.upper()} | " + " | ".join(cells) + f" | {ratio('weft', 'redis')} | {ratio('weft', 'raw')} | {ratio('weft', 'gevent')} | {ratio('redis', 'gevent')} | {cpu_ratio('gevent', 'weft')} |")
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
