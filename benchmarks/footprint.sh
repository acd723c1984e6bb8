#!/usr/bin/env bash
# The agent's heap and start-up cost for many cached methods, in one run on this machine:
#   - retained heap per cached method: the heap used after GC by an application of 1,000 generated
#     classes of 10 methods (10,000 methods, every one cached by a "**#*(..)"-style rule, each called
#     twice, so each holds one entry; MBeans and meters included), minus the same run without the agent,
#     over 10,000;
#   - start-up: wall time of an application of 100 such classes (1,000 cached methods), from the java
#     command to its exit, with and without the agent (median of $RUNS runs), and the ratio.
# The applications are FootprintIT's (integration-tests/src/test/java/dev/recall/it/app/footprint).
#   benchmarks/footprint.sh            RUNS=5 by default
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
JAVA=${JAVA:-java}
mvn -B -ntp -q -DskipTests package
CP="integration-tests/target/test-classes:$(cat integration-tests/target/app.classpath)"
AGENT="-javaagent:agent/target/recall-agent.jar=config=integration-tests/target/test-classes/footprint-all.yml"
APP=dev.recall.it.app.footprint.ManyClassesApp

value() { sed -n "s/^$1=//p"; }

with=$($JAVA "$AGENT" -Xmx512m -Drecall.jmx.delay=0 -cp "$CP" $APP 1000 10000 | value heap.used.mb)
without=$($JAVA -Xmx512m -cp "$CP" $APP 1000 | value heap.used.mb)

millis() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
start_with=$(for i in $(seq "$RUNS"); do millis $JAVA "$AGENT" -cp "$CP" $APP 100; done | median)
start_without=$(for i in $(seq "$RUNS"); do millis $JAVA -cp "$CP" $APP 100; done | median)

awk -v w="$with" -v n="$without" -v sw="$start_with" -v sn="$start_without" 'BEGIN {
  printf "| figure | with the agent | without | ratio |\n|---|---|---|---|\n"
  printf "| heap used after GC, 10,000 cached methods | %.1f MB | %.1f MB | %.2fx |\n", w, n, w / n
  printf "| retained heap per cached method (incl. its one entry, MBean, meters) | %.1f KB | | |\n", (w - n) * 1e6 / 1024 / 10000
  printf "| start-up to exit, 1,000 cached methods (median of runs) | %d ms | %d ms | %.2fx |\n", sw, sn, sw / sn
}'
