#!/usr/bin/env bash
# weft-bench/run-all.sh: the one command that measures weft against the raw JDK, gevent and the
# JVM peers (kotlinx.coroutines, the JDK's StructuredTaskScope).
#
#   weft-bench/run-all.sh            (or ./weft bench-all)   full run, about 20 minutes on 2 cores
#                                                             (the JVM peers add ~9 of them)
#   WEFT_BENCH_QUICK=1 weft-bench/run-all.sh                 tiny sizes, ~3 minutes: checks the
#                                                             pipeline; its numbers mean nothing
#
# Builds weft-bench-peers/target/benchmarks.jar (-Pbench: weft-bench's benchmarks and the peers'
# in one jar), then runs
#   1. JMH: every *Bench class (weft, raw JDK and peer twins side by side), JSON to raw/jmh.json;
#   2. the plain mains, each in a fresh JVM: WakeupMain and MemoryMain at 100k and 1M for weft
#      and raw virtual threads, their kotlinx.coroutines twins (PeerWakeupMain, PeerMemoryMain),
#      SoakMain at 1M cycles; their RESULT lines go to raw/mains.jsonl;
#   3. gevent (weft-bench/gevent/*.py with /usr/bin/python3), if python3-gevent is there or can
#      be installed with apt-get (as root); otherwise says so and leaves the gevent column empty;
#   4. report.py: results/results.md (the tables) and results/chart.png, results/peers.png (need
#      python3-matplotlib, installed like gevent; skipped with a note otherwise).
# Everything it prints is also in results/raw/run.log.
#
# Env: WEFT_BENCH_OUT    results directory (default weft-bench/results)
#      WEFT_BENCH_JMH    JMH settings (default "-f 2 -wi 3 -w 1s -i 5 -r 1s")
#      WEFT_BENCH_SIZES  sizes for the wake-up and memory mains (default "100000 1000000")
#      WEFT_BENCH_SKIP   space-separated parts to skip: jmh mains soak gevent (a skipped part's
#                        raw results from an earlier run are kept: two runs can fill one report)
#      WEFT_BENCH_FILTER the JMH benchmark regex (default: every *Bench class)
#      JAVA_HOME         as for ./weft (a JDK 25+ is found the same way)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${WEFT_BENCH_OUT:-$ROOT/weft-bench/results}
RAW=$OUT/raw
PY=/usr/bin/python3
[[ -x $PY ]] || PY=$(command -v python3 || true)
QUICK=${WEFT_BENCH_QUICK:-}
SKIP=" ${WEFT_BENCH_SKIP:-} "
if [[ -n $QUICK ]]; then
  JMH_ARGS=${WEFT_BENCH_JMH:-"-f 1 -wi 1 -w 200ms -i 1 -r 200ms"}
  SIZES=${WEFT_BENCH_SIZES:-"2000 20000"}
  SOAK_CYCLES=20000; AHEAD=1; GEVENT_ARGS="--quick"; GEVENT_MEM_N=2000; MODE=quick
else
  JMH_ARGS=${WEFT_BENCH_JMH:-"-f 2 -wi 3 -w 1s -i 5 -r 1s"}
  SIZES=${WEFT_BENCH_SIZES:-"100000 1000000"}
  SOAK_CYCLES=1000000; AHEAD=5; GEVENT_ARGS=""; GEVENT_MEM_N=100000; MODE=full
fi
FILTER=${WEFT_BENCH_FILTER:-'dev\.weft\.bench\..*Bench\.'}
# the benchmark JVMs' flags, as in ./weft bench, plus --enable-preview for StructuredTaskScope
FLAGS=(--enable-preview --add-opens java.base/java.lang=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)
MAIN_FLAGS=("${FLAGS[@]}" -Xmx8g)

mkdir -p "$RAW"
step() { printf '\n==== %s (%s)\n' "$*" "$(date +%T)"; }
skipping() { [[ $SKIP == *" $1 "* ]]; }
rm -f "$RAW"/{chart.skipped,env.txt}
skipping jmh || rm -f "$RAW/jmh.json"
skipping mains || rm -f "$RAW/mains.jsonl"
skipping gevent || rm -f "$RAW"/{gevent.jsonl,gevent.skipped}
exec > >(tee "$RAW/run.log") 2>&1

# a Debian package, installed when missing and we are root: 0 if the module imports afterwards
ensure_py() { # module package
  local mod=$1 pkg=$2
  [[ -n $PY ]] || return 1
  "$PY" -c "import $mod" 2>/dev/null && return 0
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    echo "installing $pkg with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >/dev/null 2>&1 ||
      { apt-get update -q >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$pkg" >/dev/null 2>&1; } || true
  fi
  "$PY" -c "import $mod" 2>/dev/null
}

step "JDK"
JAVA_HOME=$(./weft java </dev/null | sed -n 's/^JAVA_HOME=//p')
[[ -n $JAVA_HOME ]] || { echo "run-all: no JDK 25 found (see ./weft java)"; exit 2; }
export JAVA_HOME
JAVA=$JAVA_HOME/bin/java
"$JAVA" -version 2>&1 | head -1
{
  echo "date=$(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "mode=$MODE"
  echo "cpus=$(nproc)"
  echo "cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)"
  echo "java=$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -1)"
  echo "commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- weft-core weft-bench weft-bench-peers 2>/dev/null || echo '+dirty')"
  echo "jmh_args=$JMH_ARGS"
  echo "kotlin=$(sed -n 's:.*<kotlin.version>\([^<]*\)<.*:\1:p' weft-bench-peers/pom.xml)"
  echo "kotlinx_coroutines=$(sed -n 's:.*<kotlinx-coroutines.version>\([^<]*\)<.*:\1:p' weft-bench-peers/pom.xml)"
  echo "load_before=$(cut -d' ' -f1-3 /proc/loadavg)"
} >"$RAW/env.txt"

step "build (mvn -Pbench package)"
command -v mvn >/dev/null || { echo "run-all: mvn not found"; exit 2; }
export MAVEN_OPTS="--sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED ${MAVEN_OPTS:-}"
mvn -q -B -Pbench -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -pl weft-bench-peers -am package
JAR=$ROOT/weft-bench-peers/target/benchmarks.jar

if ! skipping jmh; then
  step "JMH: $JMH_ARGS"
  # shellcheck disable=SC2086
  "$JAVA" "${FLAGS[@]}" -jar "$JAR" -jvmArgsAppend "${FLAGS[*]}" $JMH_ARGS \
    -rf json -rff "$RAW/jmh.json" "$FILTER"
fi

run_main() { # class args...
  local cls=$1; shift
  echo "-- $cls $*"
  "$JAVA" "${MAIN_FLAGS[@]}" -cp "$JAR" "dev.weft.bench.$cls" "$@" | tee /dev/stderr | grep '^RESULT ' >>"$RAW/mains.jsonl" || {
    echo "run-all: $cls $* failed"; return 0; }
} 2>&1

if ! skipping mains; then
  # the deadline is AHEAD seconds after the first spawn; a million spawns take 3-7 s on 2 cores,
  # and every sleeper must be asleep before the deadline for the number to mean anything: 10 s there
  step "wake-up: sleepers due ${AHEAD}s ahead (10 s from 500k sleepers on)"
  for n in $SIZES; do
    ahead=$AHEAD; (( n >= 500000 && AHEAD < 10 )) && ahead=10
    for v in weft raw; do run_main WakeupMain "$v" "$n" "$ahead"; done
    run_main peers.PeerWakeupMain "$n" "$ahead"
  done
  step "memory per parked task (a fresh JVM per variant)"
  for n in $SIZES; do
    for v in weft-sleep weft-event raw-sleep raw-park raw-latch; do run_main MemoryMain "$v" "$n"; done
    for v in kotlin-delay kotlin-deferred; do run_main peers.PeerMemoryMain "$v" "$n"; done
  done
  if ! skipping soak; then
    step "soak: $SOAK_CYCLES spawn/finish cycles"
    run_main SoakMain "$SOAK_CYCLES" 10000
    step "imap back-pressure: heap of a maxsize-16 Pool.imap with a slow reader"
    run_main ImapHeapMain "$SOAK_CYCLES"
  fi
fi

if ! skipping gevent; then
  step "gevent"
  if ensure_py gevent python3-gevent; then
    GV=$("$PY" -c 'import gevent; print(gevent.__version__)')
    echo "gevent=$GV" >>"$RAW/env.txt"
    echo "python=$("$PY" -c 'import platform; print(platform.python_version())')" >>"$RAW/env.txt"
    # shellcheck disable=SC2086
    "$PY" weft-bench/gevent/bench_gevent.py $GEVENT_ARGS >>"$RAW/gevent.jsonl"
    for v in sleep event; do
      "$PY" weft-bench/gevent/memory_gevent.py "$v" "$GEVENT_MEM_N" >>"$RAW/mains.jsonl"
    done
  else
    msg="gevent columns skipped: python3-gevent is not installed and could not be installed (needs root and apt-get)"
    echo "$msg" | tee "$RAW/gevent.skipped"
  fi
fi
echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)" >>"$RAW/env.txt"

step "report"
if [[ -z $PY ]]; then
  echo "run-all: no python3: cannot write results.md; the raw results are in $RAW"; exit 1
fi
if ! ensure_py matplotlib python3-matplotlib; then
  echo "chart skipped: python3-matplotlib is not installed and could not be installed" | tee "$RAW/chart.skipped"
  rm -f "$OUT/chart.png" "$OUT/peers.png"
fi
"$PY" weft-bench/report.py "$OUT"
echo "done: $OUT/results.md"
