#!/usr/bin/env bash
# What a write-through costs on two-level with 1, 2 and 3 JVMs (p50, p99), whole processes with the real agent;
# needs Redis at $REDIS_URL (default redis://127.0.0.1:6379).
#   benchmarks/scaleout.sh [--before OTHER-AGENT.jar] [--writes N]   (the same with that build too, same run)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
java -cp benchmarks/target/benchmarks.jar dev.recall.bench.ScaleOutBenchMain "$@"
