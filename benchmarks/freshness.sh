#!/usr/bin/env bash
# What refresh, staleIfError, the default jitter and a scraped Prometheus endpoint add to a hit, in one run, as ratios
# against a hit with none of them.
#   benchmarks/freshness.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
java -cp benchmarks/target/benchmarks.jar dev.recall.bench.FreshnessBenchMain "$@"
