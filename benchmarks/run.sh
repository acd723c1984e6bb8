#!/usr/bin/env bash
# Measures, in one run on this machine, what a cached call costs with Recall, hand-written Caffeine and
# Spring's @Cacheable, and the agent's start-up cost; prints one table (also benchmarks/target/results.md).
#   benchmarks/run.sh           full run (about 15 minutes on 2 cores)
#   benchmarks/run.sh --quick   under five minutes on 2 cores
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
java -jar benchmarks/target/benchmarks.jar "$@"
