#!/usr/bin/env bash
# What a hit costs on each store (local, two-level near hit, Redis), in one run on this machine, as ratios
# against a local hit and a plain Jedis GET; needs Redis at $REDIS_URL (default redis://127.0.0.1:6379).
#   benchmarks/remote.sh [--quick] [--before OTHER-AGENT.jar]   (the agent cases with that build too, same run)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
java -cp benchmarks/target/benchmarks.jar dev.recall.bench.RemoteBenchMain "$@"
