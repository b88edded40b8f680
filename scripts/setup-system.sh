#!/usr/bin/env bash
# Installs the Debian packages TasteGraph needs beyond the base machine, when missing:
#   redis-server                 Redis for the API cache and tests (scripts/services.sh)
#   postgresql                   PostgreSQL server binaries for the registry's tests and DATABASE_URL
#                                (scripts/services.sh runs its own clusters; any major version will do)
#   chromium + fonts-liberation  headless browser for test/browser/*.e2e-spec.ts (/usr/bin/chromium)
# Java 17 and Maven are expected on the machine; this script checks them and installs
# openjdk-17-jdk-headless / maven only when absent. Idempotent; a no-op rerun takes well under a second.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TG_LOG_TAG=setup-system
# shellcheck source=scripts/lib/common.sh
source "$ROOT/scripts/lib/common.sh"

t0=$(now)
pkgs=(redis-server chromium fonts-liberation)
java_ok=0
for j in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java || true)" /usr/lib/jvm/java-17-openjdk-*/bin/java; do
  [[ -n "$j" && -x "$j" ]] || continue
  v="$("$j" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
  if [[ "$v" == 17 || "$v" == 21 ]]; then java_ok=1; break; fi
done
((java_ok)) || pkgs+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || pkgs+=(maven)
command -v curl >/dev/null || pkgs+=(curl)
# Any PostgreSQL server already under /usr/lib/postgresql counts (this checks the binaries, not a package name).
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || pkgs+=(postgresql)

apt_install "${pkgs[@]}"

[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing after installing the chromium package"
command -v redis-server >/dev/null || die "redis-server is missing after installing the redis-server package"
pg_bin="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
[[ -x "$pg_bin/initdb" ]] || die "PostgreSQL's initdb is missing under /usr/lib/postgresql/*/bin after installing the postgresql package"
log "system packages ok ($(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/redis \1/p'), $("$pg_bin/postgres" --version), $(/usr/bin/chromium --version 2>/dev/null | head -n1)) in $(since "$t0")"
