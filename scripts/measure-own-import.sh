#!/usr/bin/env bash
# Figures of the general importer (docs/importing.md) on lastfm's raw files converted on the fly into var/own-lastfm/:
# three first imports of user_artists.dat as CSV (92,834 PLAY events, play counts as weights) under fresh id prefixes,
# then three dry runs of a manifest with items.tsv, events.csv (plays + 186,479 dated tag events as LIKE) and friends.csv.
# Needs a built tree (npm run build) and Neo4j (NEO4J_URI ...). Prints one JSON summary per run.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/own-lastfm.sh
source scripts/lib/own-lastfm.sh
D=var/own-lastfm
own_lastfm "$D"
for k in 1 2 3; do
  node dist/src/cli/import.js --interactions "$D/plays.csv" --id-prefix "m$k-$(date +%s):" --checkpoint-dir "$D/ck" --json | tail -1
done
for k in 1 2 3; do
  /usr/bin/time -f "dry-run wall %e s" node dist/src/cli/import.js --manifest "$D/import.yaml" --skip-bad-rows --rejects-dir "$D/rejects" --dry-run --json 2>&1 | tail -2
done
