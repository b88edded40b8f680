#!/usr/bin/env bash
# The main job: set up, start Neo4j (auth on, generated password kept in var/demo.env) and Redis,
# import lastfm, start the API (with the training worker) and queue a SocialGCN training run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/setup.sh
mkdir -p var
if [[ ! -f var/demo.env ]]; then
  printf 'NEO4J_PASSWORD=%s\nADMIN_TOKEN=%s\n' "$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" "$(head -c 18 /dev/urandom | base64 | tr -d '/+=')" > var/demo.env
fi
set -a; source var/demo.env; set +a
bash scripts/services.sh start
DATASET="${TASTEGRAPH_DATASETS:-$ROOT/../shared/datasets}/lastfm"
if [[ -d "$DATASET" ]]; then npm run import -- "$DATASET"; else echo "no lastfm dataset at $DATASET (set TASTEGRAPH_DATASETS or pass HetRec files to npm run import)" >&2; fi
export TRAINING_ID_PREFIX="lastfm:" TRAINER_DEVICE=cpu
node dist/src/main.js &
API=$!
trap 'kill $API' EXIT
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:4000/health/ready >/dev/null && break; sleep 2; done
curl -s http://127.0.0.1:4000/graphql -H 'content-type: application/json' -H "authorization: Bearer $ADMIN_TOKEN" \
  -d '{"query":"mutation { startRetraining(model: SOCIALGCN, params: {maxMinutes: 4}) { id status } }"}'; echo
echo "Example: curl -s http://127.0.0.1:4000/graphql -H 'content-type: application/json' -d '{\"query\":\"{ recommendations(userId: \\\"lastfm:u2\\\", first: 5) { edges { node { title score rank } } } }\"}'"
wait $API
