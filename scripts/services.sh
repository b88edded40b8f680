#!/usr/bin/env bash
# TasteGraph's local services, without Docker: a real Neo4j 5.26 Community server (Bolt, HTTP,
# Neo4j Browser) from Maven Central jars, and Debian's redis-server.
#
#   scripts/services.sh setup  [neo4j|redis|all]   resolve the Neo4j jars / install redis-server only
#   scripts/services.sh start  [neo4j|redis|all]   start (idempotent) and wait until ready
#   scripts/services.sh stop   [neo4j|redis|all]   stop (SIGTERM, then SIGKILL after a deadline)
#   scripts/services.sh restart [neo4j|redis|all]
#   scripts/services.sh status
#
# Environment (defaults):
#   NEO4J_BOLT_PORT=7687  NEO4J_HTTP_PORT=7474
#   NEO4J_PASSWORD=       empty: auth off; set (>= 8 chars): auth on, user neo4j with this password
#   NEO4J_HOME_DIR=<repo>/.neo4j   jars in lib/, one instance per Bolt port in run-<boltport>/
#   NEO4J_HEAP=1g  NEO4J_PAGECACHE=128m  NEO4J_START_TIMEOUT=180  NEO4J_STOP_TIMEOUT=60
#   NEO4J_EXTRA_CONF=     extra neo4j.conf lines (key=value, newline-separated)
#   NEO4J_IMPORT_DIR=     directory for LOAD CSV file:/// URLs (default run-<port>/import)
#   NEO4J_READY_PROBE=auto   auto: a Bolt query via node_modules/neo4j-driver (HTTP API when absent); http
#   NEO4J_CDS=auto        JVM class-data archive for faster starts: 1, 0, auto (= on unless CI is set)
#   REDIS_PORT=6379       instance dir <repo>/.services/redis-<port>/
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TG_LOG_TAG=services
# shellcheck source=scripts/lib/common.sh
source "$ROOT/scripts/lib/common.sh"
# shellcheck source=scripts/lib/neo4j.sh
source "$ROOT/scripts/lib/neo4j.sh"
# shellcheck source=scripts/lib/redis.sh
source "$ROOT/scripts/lib/redis.sh"

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

cmd="${1:-}"
what="${2:-all}"
case "$what" in neo4j | redis | all) ;; *) echo "unknown service '$what' (neo4j|redis|all)" >&2; usage ;; esac
want() { [[ "$what" == all || "$what" == "$1" ]]; }

t_all=$(now)
case "$cmd" in
  setup)
    want neo4j && { neo4j_setup; neo4j_java >/dev/null; }
    want redis && redis_setup
    ;;
  start)
    want redis && redis_start
    want neo4j && neo4j_start
    ;;
  stop)
    want neo4j && neo4j_stop
    want redis && redis_stop
    ;;
  restart)
    want neo4j && neo4j_stop
    want redis && redis_stop
    want redis && redis_start
    want neo4j && neo4j_start
    ;;
  status)
    neo4j_status
    redis_status
    ;;
  -h | --help | help) usage 0 ;;
  *) usage ;;
esac
[[ "$cmd" == status ]] || log "$cmd $what done in $(since "$t_all")"
