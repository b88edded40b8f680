#!/usr/bin/env bash
# The main job (`npm run demo`): sets everything up, starts Neo4j (auth on; generated password in
# var/demo.env) and Redis, imports lastfm (else the original HetRec files in var/datasets/hetrec,
# else a seeded synthetic social graph), starts the API with its training worker, trains a model on
# the CPU when none is active, and prints an example query with its answer. The API then keeps
# serving in the foreground (Ctrl-C stops it; `npm run services -- stop` stops Neo4j and Redis).
# Idempotent: a rerun skips what is done (setup stamps, completed import, the active model).
# Arguments go to the demo client (src/cli/demo.ts): --user ID, --model LIGHTGCN|SOCIALGCN, --max-minutes N, --refit-epochs N (20; 0 = off), --retrain.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
say() { printf '\n[demo %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

say "setting up (system packages, npm, build, trainer venv, Neo4j jars)"
bash scripts/setup.sh
mkdir -p var
if [[ ! -f var/demo.env ]]; then
  secret() { head -c 24 /dev/urandom | base64 | tr -d '/+=' | head -c 24; }
  umask 077
  printf 'NEO4J_PASSWORD=%s\nADMIN_TOKEN=%s\n' "$(secret)" "$(secret)" > var/demo.env
fi
set -a; source var/demo.env; set +a
export PORT="${PORT:-4000}"
export NEO4J_URI="${NEO4J_URI:-bolt://127.0.0.1:${NEO4J_BOLT_PORT:-7687}}"

say "starting Neo4j and Redis"
bash scripts/services.sh start

DATASETS="${TASTEGRAPH_DATASETS:-$ROOT/../shared/datasets}"
if [[ -n "${DEMO_DATASET:-}" ]]; then
  FOLDER="$DEMO_DATASET"
elif [[ -f "$DATASETS/lastfm/train_set.txt" ]]; then
  FOLDER="$DATASETS/lastfm"
elif [[ -f var/datasets/hetrec/user_artists.dat ]]; then
  FOLDER=var/datasets/hetrec
else
  FOLDER=var/datasets/synthetic
  say "no lastfm dataset found (TASTEGRAPH_DATASETS, or the HetRec files in var/datasets/hetrec): generating a seeded synthetic social graph"
  [[ -f "$FOLDER/synthetic.json" ]] || node dist/src/cli/synthetic.js "$FOLDER"
fi
say "importing $FOLDER (skipped when already complete)"
node dist/src/cli/import.js "$FOLDER"
case "$(basename "$FOLDER")" in
  synthetic) PREFIX=synthetic: ;;
  hetrec) PREFIX=hetrec: ;;
  *) PREFIX=lastfm: ;;
esac

# One demo API at a time: a rerun replaces the previous one.
if [[ -f var/demo-api.pid ]] && kill -0 "$(cat var/demo-api.pid)" 2>/dev/null; then kill "$(cat var/demo-api.pid)"; sleep 2; fi
say "starting the API on http://127.0.0.1:$PORT (log: var/demo-api.log)"
TRAINING_ID_PREFIX="$PREFIX" TRAINER_DEVICE="${TRAINER_DEVICE:-cpu}" node dist/src/main.js > var/demo-api.log 2>&1 &
API=$!
echo "$API" > var/demo-api.pid
trap 'kill $API 2>/dev/null || true; rm -f var/demo-api.pid' EXIT INT TERM

node dist/src/cli/demo.js --api "http://127.0.0.1:$PORT" "$@"

cat >&2 <<MSG

TasteGraph is running:
  GraphQL + GraphiQL  http://127.0.0.1:$PORT/graphql
  Job dashboard       http://127.0.0.1:$PORT/admin/queues   (user admin, password = ADMIN_TOKEN in var/demo.env)
  Neo4j Browser       http://127.0.0.1:${NEO4J_HTTP_PORT:-7474}/browser/   (bolt://127.0.0.1:${NEO4J_BOLT_PORT:-7687}, user neo4j, NEO4J_PASSWORD in var/demo.env)
  Admin mutations     header  Authorization: Bearer \$ADMIN_TOKEN
Ctrl-C stops the API; npm run services -- stop stops Neo4j and Redis.
MSG
wait "$API"
