#!/usr/bin/env bash
# weft-bench/ab.sh: compares two builds of the benchmarks jar on the fan-out workloads, the way
# BENCHMARKS.md's session notes do on this noisy 2-core machine: FanOutMain runs alternate
# between the jars (A, B, A, B, ...), each a fresh JVM holding the build lock, and every run
# prints each workload's median / first quartile (ns per item) and its ratio to the raw twin
# measured in that same run. Compare ratios run against run, never one run's absolute numbers
# against another's: the carriers switch between a fast and a slow scheduling mode from run to
# run (a run with raw at ~450 ns instead of ~160 is in the slow mode throughout).
#
#   weft-bench/ab.sh ROUNDS JAR_A JAR_B [workload...]
#   e.g. cp weft-bench/target/benchmarks.jar /tmp/before.jar; (change, ./weft bench -l)
#        weft-bench/ab.sh 4 /tmp/before.jar weft-bench/target/benchmarks.jar raw group pool imap
#
# Workloads: FanOutMain's (raw jdksem group weftsem pool imap imapUnordered rawmap rawmapUnordered; default: raw group
# pool imap). Put raw first: the ratios are to it. JVM flags for both sides: WEFT_AB_JVM_FLAGS
# (e.g. -Djdk.virtualThreadScheduler.parallelism=1). JAVA_HOME as for ./weft.
set -euo pipefail
cd "$(dirname "$0")/.."
if (( $# < 3 )); then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 64
fi
rounds=$1 a=$2 b=$3
shift 3
(( $# > 0 )) || set -- raw group pool imap
[[ $rounds =~ ^[1-9][0-9]*$ ]] || { echo "ab.sh: ROUNDS must be a positive number, got '$rounds'" >&2; exit 64; }
for jar in "$a" "$b"; do
  [[ -f $jar ]] || { echo "ab.sh: no such jar: $jar (build one with ./weft bench -l)" >&2; exit 66; }
done
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
if ! "$java" -version 2>&1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])'; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*-25*; do
    [[ -x $candidate/bin/java ]] && { java=$candidate/bin/java; break; }
  done
fi
"$java" -version 2>&1 | grep -Eq 'version "(2[5-9]|[3-9][0-9])' ||
  { echo "ab.sh: needs a JDK 25 or newer (set JAVA_HOME); '$java' is not one" >&2; exit 69; }
lock=${WEFT_BUILD_LOCK:-/tmp/weft-build.lock}
for ((i = 1; i <= rounds; i++)); do
  for side in A B; do
    jar=$a; [[ $side == B ]] && jar=$b
    printf '%s %-2s ' "$side" "$i"
    # shellcheck disable=SC2086
    flock "$lock" "$java" ${WEFT_AB_JVM_FLAGS:-} -cp "$jar" dev.weft.bench.FanOutMain 40 100k "$@" 2>&1 |
      awk '/^fan-out/ { if (!base) base = $4; printf "%s %s/%s (%.2fx)  ", $2, $4, $10, $4 / base } END { print "" }'
  done
done
