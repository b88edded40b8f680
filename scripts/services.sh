#!/usr/bin/env bash
# TasteGraph's local services, without Docker: a real Neo4j 5.26 Community server (Bolt, HTTP,
# Neo4j Browser) from Maven Central jars, Debian's redis-server and, on request, Debian's PostgreSQL.
#
#   scripts/services.sh setup  [neo4j|redis|postgres|all]   resolve the Neo4j jars / install packages only
#   scripts/services.sh start  [neo4j|redis|postgres|all]   start (idempotent) and wait until ready
#   scripts/services.sh stop   [neo4j|redis|postgres|all]   stop (SIGTERM, then SIGKILL after a deadline)
#   scripts/services.sh restart [neo4j|redis|postgres|all]
#   scripts/services.sh status
#
# `all` means Neo4j and Redis; PostgreSQL joins them only when WITH_POSTGRES=1, or when DATABASE_URL
# names a server on 127.0.0.1/localhost (its port and database then are the defaults of PG_PORT and
# PG_DATABASE). Without DATABASE_URL the app keeps its registry in SQLite and needs no PostgreSQL.
# `stop all` stops a PostgreSQL on PG_PORT whenever one runs.
#
# Environment (defaults):
#   NEO4J_BOLT_PORT=7687  NEO4J_HTTP_PORT=7474
#   NEO4J_PASSWORD=       empty: auth off; set (>= 8 chars): auth on, user neo4j with this password
#   NEO4J_HOME_DIR=<repo>/.neo4j   jars in lib/, one instance per Bolt port in run-<boltport>/
#   NEO4J_HEAP=1g  NEO4J_PAGECACHE=128m  NEO4J_START_TIMEOUT=180  NEO4J_STOP_TIMEOUT=60
#   NEO4J_TX_MEMORY=      db.memory.transaction.total.max (unset: Neo4j's 70% of heap)
#                         each of the three may be `auto`: sized from RAM x NEO4J_MEMORY_SHARE (50)%
#                         (docs/scale.md, "Neo4j for larger graphs")
#   NEO4J_EXTRA_CONF=     extra neo4j.conf lines (key=value, newline-separated)
#   NEO4J_IMPORT_DIR=     directory for LOAD CSV file:/// URLs (default run-<port>/import)
#   NEO4J_READY_PROBE=auto   auto: a Bolt query via node_modules/neo4j-driver (HTTP API when absent); http
#   NEO4J_CDS=auto        JVM class-data archive for faster starts: 1, 0, auto (= on unless CI is set)
#   REDIS_PORT=6379       instance dir <repo>/.services/redis-<port>/
#   WITH_POSTGRES=0       1: `all` includes postgres
#   PG_PORT=5432  PG_DATABASE=tastegraph   cluster dir PG_HOME_DIR/postgres-<port>/, trust auth on
#                         127.0.0.1 for user postgres: DATABASE_URL=postgres://postgres@127.0.0.1:5432/tastegraph
#   PG_HOME_DIR=          as root /var/lib/tastegraph/<checkout name>-<hash of its path> (the server's OS
#                         user must reach it; <repo>/.services/postgres-<port> links there), else <repo>/.services
#   PG_BIN=               server binaries (default: the newest /usr/lib/postgresql/*/bin)
#   PG_OS_USER=postgres   the OS user the server runs as when this script runs as root
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TG_LOG_TAG=services
# shellcheck source=scripts/lib/common.sh
source "$ROOT/scripts/lib/common.sh"
# shellcheck source=scripts/lib/neo4j.sh
source "$ROOT/scripts/lib/neo4j.sh"
# shellcheck source=scripts/lib/redis.sh
source "$ROOT/scripts/lib/redis.sh"
# shellcheck source=scripts/lib/postgres.sh
source "$ROOT/scripts/lib/postgres.sh"

usage() {
  sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
  exit "${1:-2}"
}

cmd="${1:-}"
what="${2:-all}"
case "$what" in neo4j | redis | postgres | all) ;; *) echo "unknown service '$what' (neo4j|redis|postgres|all)" >&2; usage ;; esac
want() { [[ "$what" == all || "$what" == "$1" ]]; }

# A DATABASE_URL on this machine (postgres://user@127.0.0.1:5433/db) brings PostgreSQL into `all`.
with_postgres=0
[[ "${WITH_POSTGRES:-0}" == 1 || "${WITH_POSTGRES:-}" == true ]] && with_postgres=1
if [[ "${DATABASE_URL:-}" =~ ^postgres(ql)?://([^@/]*@)?(127\.0\.0\.1|localhost)(:([0-9]+))?/([A-Za-z_][A-Za-z0-9_]*) ]]; then
  with_postgres=1
  : "${PG_PORT:=${BASH_REMATCH[5]:-5432}}" "${PG_DATABASE:=${BASH_REMATCH[6]}}"
fi
want_pg() { [[ "$what" == postgres ]] || [[ "$what" == all && ($with_postgres == 1 || "$1" == stop) ]]; }

t_all=$(now)
case "$cmd" in
  setup)
    want neo4j && { neo4j_setup; neo4j_java >/dev/null; }
    want redis && redis_setup
    want_pg setup && pg_setup
    ;;
  start)
    want redis && redis_start
    want_pg start && postgres_start
    want neo4j && neo4j_start
    ;;
  stop)
    want neo4j && neo4j_stop
    want_pg stop && postgres_stop
    want redis && redis_stop
    ;;
  restart)
    want neo4j && neo4j_stop
    want_pg restart && postgres_stop
    want redis && redis_stop
    want redis && redis_start
    want_pg restart && postgres_start
    want neo4j && neo4j_start
    ;;
  status)
    neo4j_status
    redis_status
    postgres_status
    ;;
  -h | --help | help) usage 0 ;;
  *) usage ;;
esac
[[ "$cmd" == status ]] || log "$cmd $what done in $(since "$t_all")"
