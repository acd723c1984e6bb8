#!/usr/bin/env bash
# What a Redis hit costs over a raw GET (and GETRANGE) of the same bytes, encrypted and insecure, wall time, CPU time
# and allocation per hit, with this build of the agent and optionally another, all interleaved round by round in one
# run; needs Redis at $REDIS_URL (default redis://127.0.0.1:6379).
#   benchmarks/hit-cost.sh [--before OTHER-AGENT.jar] [--rounds N]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
java -cp benchmarks/target/benchmarks.jar dev.recall.bench.HitCostBenchMain "$@"
