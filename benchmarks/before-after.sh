#!/usr/bin/env bash
# The miss and the hits with another build of the agent and with this one, alternating, in one run on this machine:
# JMH's MissBench.recallReadThrough and RecallBench.readThrough* in forks started with -javaagent:<jar>, one table.
#   benchmarks/before-after.sh /tmp/recall-agent-stop21.jar        ROUNDS=2 by default; SKIP_BUILD=1 to reuse jars
# Each case: one fork, 3 x 1 s warm-up, 5 x 1 s measured (as in docs/performance.md): a direction, not a settled
# ratio, on a busy machine; run it on a quiet one with ROUNDS=4 for figures to quote.
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=${1:?usage: benchmarks/before-after.sh <agent jar to compare with>}
ROUNDS=${ROUNDS:-2}
JAVA=${JAVA:-java}
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -DskipTests package
fi
NOW=$(mktemp -d)/recall-agent-now.jar
cp agent/target/recall-agent.jar "$NOW"
CASES='dev\.recall\.bench\.MissBench\.recallReadThrough$|dev\.recall\.bench\.RecallBench\.readThrough(Long|Object|TwoArgs|Template|Prefixed)$'
OUT=$(mktemp -d)
for r in $(seq "$ROUNDS"); do
  for which in before now; do
    jar=$BEFORE; [ "$which" = now ] && jar=$NOW
    $JAVA -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main "$CASES" -f 1 -wi 3 -w 1 -i 5 -r 1 -bm avgt -tu ns \
      -prof gc -rf json -rff "$OUT/$which.$r.json" -jvmArgsAppend "-javaagent:$jar" >/dev/null 2>&1
  done
done
python3 - "$OUT" "$ROUNDS" <<'PY'
import json, sys
out, rounds = sys.argv[1], int(sys.argv[2])
def load(name):
    res = {}
    for b in json.load(open(f"{out}/{name}.json")):
        case = b["benchmark"].replace("dev.recall.bench.", "")
        gc = next((m["score"] for k, m in b.get("secondaryMetrics", {}).items() if k.endswith("gc.alloc.rate.norm")),
                  float("nan"))
        res[case] = (b["primaryMetric"]["score"], b["primaryMetric"]["scoreError"], gc)
    return res
print("| case | round | before ns/op (B/op) | now ns/op (B/op) | now/before |\n|---|---|---|---|---|")
for r in range(1, rounds + 1):
    b, n = load(f"before.{r}"), load(f"now.{r}")
    for case in sorted(b):
        (bs, be, bg), (ns, ne, ng) = b[case], n[case]
        print(f"| {case} | {r} | {bs:.1f} ± {be:.1f} ({bg:.0f}) | {ns:.1f} ± {ne:.1f} ({ng:.0f}) | {ns / bs:.2f} |")
PY
rm -rf "$OUT"
