#!/usr/bin/env bash
# The test command: sets up everything (scripts/setup.sh), starts a test Neo4j (auth off), Redis and
# PostgreSQL on their own ports, runs the linters, the unit, integration/e2e and Python test suites, then stops the
# services it started. Idempotent. KEEP_SERVICES=1 leaves them running for a quicker next run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
t0=$(date +%s)
bash scripts/setup.sh

export NODE_ENV=test
export NEO4J_BOLT_PORT="${TEST_NEO4J_BOLT_PORT:-17687}" NEO4J_HTTP_PORT="${TEST_NEO4J_HTTP_PORT:-17474}"
export REDIS_PORT="${TEST_REDIS_PORT:-16379}"
# PostgreSQL for test/registry-postgres.e2e-spec.ts only (it makes its own database); the other tests
# keep the registry in SQLite, so DATABASE_URL stays unset.
export WITH_POSTGRES=1 PG_PORT="${TEST_PG_PORT:-15432}"
unset DATABASE_URL
export NEO4J_PASSWORD="" NEO4J_URI="bolt://127.0.0.1:${NEO4J_BOLT_PORT}"
export TASTEGRAPH_DATASETS="${TASTEGRAPH_DATASETS:-$ROOT/../shared/datasets}"

stop_services() { [[ "${KEEP_SERVICES:-0}" == 1 ]] || bash scripts/services.sh stop || true; }
trap stop_services EXIT
bash scripts/services.sh start

status=0
echo "== linters (ESLint, Prettier, Ruff: npm run lint; npm run format fixes most findings)" >&2
npm run --silent lint || status=1
echo "== unit tests (jest)" >&2
npx jest --config jest.config.js --selectProjects unit || status=1
echo "== integration and e2e tests (jest, real Neo4j, Redis, SQL)" >&2
npx jest --config jest.config.js --selectProjects integration --runInBand || status=1
echo "== trainer tests (pytest)" >&2
models/.venv/bin/python -m pytest models/tests -q || status=1

echo "tests finished in $(( $(date +%s) - t0 )) s: $([[ $status == 0 ]] && echo PASSED || echo FAILED)" >&2
exit $status
