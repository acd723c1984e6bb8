#!/usr/bin/env bash
# What a hit on store: memcached costs against a plain xmemcached get of the same bytes, in one run on this
# machine; needs Memcached at $MEMCACHED_SERVERS (default 127.0.0.1:11211). Busy machine: figures are indicative.
#   benchmarks/memcached.sh [--quick] [--before OTHER-AGENT.jar]   (paired rounds with that build too, same run)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -DskipTests package
java -cp benchmarks/target/benchmarks.jar dev.recall.bench.MemcachedBenchMain "$@"
