#!/usr/bin/env bash
# A real application under load: the Spring Data JPA shop of the integration tests (integration-tests/jpa-rest,
# H2 in memory) driven by wrk on a cached endpoint (/api/products/11: ProductRepository#findById is cached by
# benchmarks/jpa-load.yml) and an uncached one (/api/orders?customer=1: its finder is matched by no rule),
# without the agent, with it, and in advise mode with a wildcard over the whole application
# (advise=com.acme.shop.**: every method of the shop observed, nothing cached). Requests per second and
# the p50/p99 latencies wrk reports. Indicative on a busy machine of 2 cores, where wrk shares the cores with
# the application: rerun on a quiet one, ideally with wrk on another machine.
#   benchmarks/jpa-load.sh          DURATION=20s THREADS=2 CONNECTIONS=16 AGENT=agent/target/recall-agent.jar
# Needs: wrk (apt-get install wrk), curl, integration-tests/jpa-rest/target/jpa-rest.jar (mvn -DskipTests package).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=${JAVA:-java}
AGENT=${AGENT:-agent/target/recall-agent.jar}
JAR=integration-tests/jpa-rest/target/jpa-rest.jar
DURATION=${DURATION:-20s}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-16}
PORT=${PORT:-18089}
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

run() { # label, java options...
  local label=$1; shift
  $JAVA -Xmx512m "$@" -jar "$JAR" --server.port=$PORT --server.address=127.0.0.1 >/tmp/jpa-load.$$.log 2>&1 &
  local pid=$!
  trap "kill $pid 2>/dev/null" EXIT
  for _ in $(seq 600); do # a busy machine may take minutes
    curl -sf "http://127.0.0.1:$PORT/api/products/11" >/dev/null 2>&1 && break
    sleep 0.5
  done
  for path in "/api/products/11" "/api/orders?customer=1"; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d5s "http://127.0.0.1:$PORT$path" >/dev/null # warm-up: JIT, pools, caches
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "http://127.0.0.1:$PORT$path" | awk -v l="$label" -v p="$path" '
      /Requests\/sec/ {rps = $2}
      $1 == "50%" {p50 = $2}
      $1 == "99%" {p99 = $2}
      /Non-2xx/ {bad = $NF}
      END {printf "| %s | %s | %.0f | %s | %s |%s\n", l, p, rps, p50, p99, bad ? " non-2xx: " bad : ""}'
  done
  kill $pid; wait $pid 2>/dev/null || true
  trap - EXIT
}

echo "| JVM | endpoint | requests/s | p50 | p99 |"
echo "|---|---|---|---|---|"
run "without the agent"
run "with the agent (jpa-load.yml)" "-javaagent:$AGENT=config=benchmarks/jpa-load.yml"
run "advise mode, advise=com.acme.shop.**" "-javaagent:$AGENT=advise=com.acme.shop.**"
