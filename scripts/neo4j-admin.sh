#!/usr/bin/env bash
# neo4j-admin (org.neo4j.cli.AdminTool, from the jars in NEO4J_HOME_DIR/lib) against the local instance of
# scripts/services.sh on NEO4J_BOLT_PORT (its home run-<boltport>/, its conf and data), e.g.
#   NEO4J_BOLT_PORT=7687 scripts/neo4j-admin.sh database import full neo4j --nodes=User=users.csv ...
# Offline commands (database import, load, ...) need the instance stopped: this script refuses to run
# `database import` while it runs. The tool's heap: NEO4J_ADMIN_HEAP (default 1g).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TG_LOG_TAG=neo4j-admin
# shellcheck source=scripts/lib/common.sh
source "$ROOT/scripts/lib/common.sh"
# shellcheck source=scripts/lib/neo4j.sh
source "$ROOT/scripts/lib/neo4j.sh"

(($#)) || die "usage: scripts/neo4j-admin.sh <neo4j-admin arguments> (e.g. database import full --help)"
neo4j_setup
java="$(neo4j_java)"
if [[ "${1:-} ${2:-}" == "database import" && -n "$(neo4j_running_pid)" ]]; then
  die "neo4j on bolt port $NEO4J_BOLT_PORT is running: stop it first (scripts/services.sh stop neo4j)"
fi
# The instance's conf (data directory, page cache) as services.sh writes it on start.
neo4j_write_conf
heap="${NEO4J_ADMIN_HEAP:-1g}"
[[ "$heap" =~ ^[0-9]+[mMgG]$ ]] || die "NEO4J_ADMIN_HEAP must be like 1g or 1536m, got '$heap'"
NEO4J_HOME="$NEO4J_RUN" NEO4J_CONF="$NEO4J_RUN/conf" exec "$java" "-Xmx$heap" -XX:+UseG1GC \
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --enable-native-access=ALL-UNNAMED -Dfile.encoding=UTF-8 \
  -cp "$NEO4J_LIB/*:$NEO4J_PLUGINS/*" org.neo4j.cli.AdminTool "$@"
