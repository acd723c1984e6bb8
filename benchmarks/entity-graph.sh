#!/usr/bin/env bash
# A Recall hit on an entity graph (an owner, its two pets, their visits) against the repository call it replaces
# and against a hit of Hibernate's second-level cache on the same graph (Hibernate 7, hibernate-jcache, Ehcache 3),
# on H2 in memory and on PostgreSQL when DATABASE_URL names one (jdbc:postgresql://127.0.0.1:5432/test?user=postgres).
# One JMH run, the agent on the forks' command line. Issue 24's goal: a Recall hit no slower than the second-level hit.
#   benchmarks/entity-graph.sh [--quick]
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -B -ntp -q -DskipTests package -pl annotations,agent,benchmarks/entity-graph
fi
java -jar benchmarks/entity-graph/target/entity-graph.jar "$@"
