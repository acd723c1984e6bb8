#!/usr/bin/env bash
# Pay only for what is called: start-up and retained heap of an application whose classes a "**#*(..)"-style
# rule matches, for two agent jars in one run (BEFORE, e.g. main's, and AFTER, this worktree's), against the
# same application without the agent. Indicative on a busy machine: rerun on a quiet one.
#   - start-up: wall time from the java command to its exit of an application of 0, 10, 100 and 1,000
#     generated classes of ten methods (0, 100, 1,000 and 10,000 matched methods), median of $RUNS runs,
#     interleaved; once with every method called twice ("all called") and once with only the methods of
#     one class in a hundred called ("1% called", the usual shape of a broad rule);
#   - retained heap per matched method never called, and per method called twice (with its one entry,
#     MBean and meters): heap used after full GCs (serial GC) with the rule, minus the same application
#     under a rule that matches nothing, over 10,000 methods.
# The applications are FootprintIT's (integration-tests/src/test/java/dev/recall/it/app/footprint).
#   BEFORE=/tmp/lazy-before.jar benchmarks/lazy-footprint.sh      RUNS=5 by default; SIZES="0 10 100 1000"
# Needs the modules built (mvn -DskipTests package, or install) and integration-tests' test classes.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
JAVA=${JAVA:-java}
SIZES=${SIZES:-0 10 100 1000}
BEFORE=${BEFORE:-/tmp/lazy-before.jar}
AFTER=${AFTER:-agent/target/recall-agent.jar}
CP="integration-tests/target/test-classes:$(cat integration-tests/target/app.classpath)"
ALL=integration-tests/target/test-classes/footprint-all.yml
NONE=integration-tests/target/test-classes/footprint-none.yml
APP=dev.recall.it.app.footprint.ManyClassesApp

value() { sed -n "s/^$1=//p"; }
millis() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "## Start-up to exit, median of $RUNS runs (ms); agent cost = with - without"
echo
echo "| matched methods | called | without | before | after | before - without | after - without |"
echo "|---|---|---|---|---|---|---|"
for every in 1 100; do
  for classes in $SIZES; do
    declare -a none=() b=() a=()
    for i in $(seq "$RUNS"); do
      none+=("$(millis $JAVA -Dfootprint.calledEvery=$every -cp "$CP" $APP "$classes")")
      b+=("$(millis $JAVA "-javaagent:$BEFORE=config=$ALL" -Dfootprint.calledEvery=$every -cp "$CP" $APP "$classes")")
      a+=("$(millis $JAVA "-javaagent:$AFTER=config=$ALL" -Dfootprint.calledEvery=$every -cp "$CP" $APP "$classes")")
    done
    n=$(printf '%s\n' "${none[@]}" | median); bm=$(printf '%s\n' "${b[@]}" | median); am=$(printf '%s\n' "${a[@]}" | median)
    label=$([ "$every" = 1 ] && echo "all" || echo "1%")
    printf '| %d | %s | %d | %d | %d | %+d | %+d |\n' $((classes * 10)) "$label" "$n" "$bm" "$am" $((bm - n)) $((am - n))
    unset none b a
  done
done

heap() { # jar config calledEvery -> bytes used after GC
  $JAVA "-javaagent:$1=config=$2" -Xmx1g -XX:+UseSerialGC -Drecall.jmx.delay=0 -Dfootprint.calledEvery="$3" -cp "$CP" $APP 1000 \
      "$([ "$2" = "$ALL" ] && [ "$3" = 1 ] && echo 10000 || echo 0)" | value heap.used.bytes
}
echo
echo "## Retained heap per method, 10,000 matched methods (bytes; rule minus a rule matching nothing)"
echo
echo "| per method | before | after |"
echo "|---|---|---|"
declare -A r
for jar in BEFORE AFTER; do
  j=${!jar}
  base0=$(heap "$j" "$NONE" 0); never=$(heap "$j" "$ALL" 0)
  base1=$(heap "$j" "$NONE" 1); called=$(heap "$j" "$ALL" 1)
  r[$jar.never]=$(( (never - base0) / 10000 )); r[$jar.called]=$(( (called - base1) / 10000 ))
done
echo "| matched, never called | ${r[BEFORE.never]} | ${r[AFTER.never]} |"
echo "| called twice (one entry, MBean, meters) | ${r[BEFORE.called]} | ${r[AFTER.called]} |"
