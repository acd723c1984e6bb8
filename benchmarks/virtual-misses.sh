#!/usr/bin/env bash
# 100,000 virtual threads missing at once, with and without the agent, in one run on this machine:
# VirtualMissApp (integration-tests/src/test/java/dev/recall/it/app) starts THREADS virtual threads per round,
# each asking a read-through method (200 ms body) for one of KEYS new keys; with the agent one thread per key
# runs the body and the others wait for its load, without the agent every thread runs it. Each figure is the
# median over RUNS JVMs (alternating with and without) of the round's wall time; the ratio is with / without.
# Virtual threads need JDK 21 or later: JAVA defaults to Temurin 25.
#   benchmarks/virtual-misses.sh        THREADS=100000 KEYS=10 ROUNDS=3 RUNS=5 by default
set -euo pipefail
cd "$(dirname "$0")/.."
THREADS=${THREADS:-100000}
KEYS=${KEYS:-10}
ROUNDS=${ROUNDS:-3}
RUNS=${RUNS:-5}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -DskipTests package
fi
CP="integration-tests/target/test-classes:$(cat integration-tests/target/app.classpath)"
AGENT="-javaagent:agent/target/recall-agent.jar"
APP=dev.recall.it.app.VirtualMissApp
OUT=$(mktemp -d)

for i in $(seq "$RUNS"); do
  $JAVA "$AGENT" -cp "$CP" $APP "$THREADS" "$KEYS" "$ROUNDS" 2>/dev/null >"$OUT/with.$i"
  $JAVA -cp "$CP" $APP "$THREADS" "$KEYS" "$ROUNDS" >"$OUT/without.$i"
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
printf "| round | with the agent (median ms) | without (median ms) | ratio |\n|---|---|---|---|\n"
for r in $(seq 0 $((ROUNDS - 1))); do
  w=$(cat "$OUT"/with.* | sed -n "s/^round\.$r\.millis=//p" | median)
  n=$(cat "$OUT"/without.* | sed -n "s/^round\.$r\.millis=//p" | median)
  awk -v r="$r" -v w="$w" -v n="$n" 'BEGIN { printf "| %d%s | %d | %d | %.2fx |\n", r + 1, r == 0 ? " (first)" : "", w, n, w / n }'
done
wrong=$(cat "$OUT"/*.* | sed -n "s/^round\.[0-9]*\.right=//p" | awk -v t="$THREADS" '$1 != t' | wc -l)
echo "rounds with a wrong answer: $wrong"
rm -rf "$OUT"
