#!/usr/bin/env bash
# A bulk call of 50 elements with 45 cached in Redis against one raw Jedis MGET of the same 45 entries plus the
# method's own load of the 5 missing keys, in one run (also: all 50 cached against a raw MGET of 50). Needs Redis at
# $REDIS_URL (default redis://127.0.0.1:6379) and the agent built (agent/target/recall-agent.jar).
#   benchmarks/bulk.sh [-Dbench.rounds=2000] [-Dbench.queryMicros=300]
# Indicative on a busy machine: rerun on a quiet one.
set -euo pipefail
cd "$(dirname "$0")/.."
MVN=${MVN:-mvn}
$MVN -B -q -DskipTests -pl benchmarks -am package
config=benchmarks/target/bulk-bench.yml
cat > "$config" <<YAML
redis:
  uri: ${REDIS_URL:-redis://127.0.0.1:6379}
  keyPrefix: "recall-bulk-bench:"
  secret: a-benchmark-secret-of-some-length
methods:
  - method: dev.recall.bench.BulkTargets#prices(java.util.List)
    cache: prices
    store: redis
    ttl: 1h
    bulk: true
YAML
exec java -Drecall.jmx.delay=0 -javaagent:agent/target/recall-agent.jar=config=$config "$@" \
  -cp benchmarks/target/benchmarks.jar dev.recall.bench.BulkBenchMain
