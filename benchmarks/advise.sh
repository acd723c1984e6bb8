#!/usr/bin/env bash
# What advise mode costs, in one run, as ratios against no agent: the sample service's throughput under a
# closed-loop load (runs alternating without and with the advisor), and a JMH call of an observed method.
#   benchmarks/advise.sh [--quick]      (full: about 9 minutes on 2 cores; quick: about 4)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
java -cp benchmarks/target/benchmarks.jar dev.recall.bench.AdviseBenchMain "$@"
