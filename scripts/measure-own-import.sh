#!/usr/bin/env bash
# Figures of the general importer (docs/importing.md) on lastfm's raw files converted on the fly into var/own-lastfm/:
# three first imports of user_artists.dat as CSV (92,834 PLAY events, play counts as weights) under fresh id prefixes,
# then three dry runs of a manifest with items.tsv, events.csv (plays + 186,479 dated tag events as LIKE) and friends.csv.
# Needs a built tree (npm run build) and Neo4j (NEO4J_URI ...). Prints one JSON summary per run.
set -euo pipefail
cd "$(dirname "$0")/.."
L=${TASTEGRAPH_DATASETS:-../shared/datasets}/lastfm/raw
D=var/own-lastfm
mkdir -p "$D"
{ echo "user,item,type,weight"; tail -n +2 "$L/user_artists.dat" | awk -F'\t' '{print "u"$1",a"$2",PLAY,"$3}'; } > "$D/plays.csv"
{ echo "user,item,type,weight,timestamp"; tail -n +2 "$L/user_artists.dat" | awk -F'\t' '{print "u"$1",a"$2",PLAY,"$3","}';
  tail -n +2 "$L/user_taggedartists.dat" | awk -F'\t' '{printf "u%s,a%s,LIKE,,%04d-%02d-%02d\n",$1,$2,$6,$5,$4}'; } > "$D/events.csv"
{ echo "user_id,friend_id"; tail -n +2 "$L/user_friends.dat" | awk -F'\t' '{print "u"$1",u"$2}'; } > "$D/friends.csv"
# artists.dat is Latin-1 in places: decoded leniently here (the importer itself refuses bad UTF-8)
{ echo -e "id\ttitle\turl"; tail -n +2 "$L/artists.dat" | iconv -f utf-8 -t utf-8 -c | awk -F'\t' '{print "a"$1"\t"$2"\t"$3}'; } > "$D/items.tsv"
cat > "$D/import.yaml" <<'YAML'
idPrefix: "own:"
items: { file: items.tsv, attributes: [url] }
interactions: events.csv
friendships: { file: friends.csv, columns: { a: user_id, b: friend_id } }
YAML
for k in 1 2 3; do
  node dist/src/cli/import.js --interactions "$D/plays.csv" --id-prefix "m$k-$(date +%s):" --checkpoint-dir "$D/ck" --json | tail -1
done
for k in 1 2 3; do
  /usr/bin/time -f "dry-run wall %e s" node dist/src/cli/import.js --manifest "$D/import.yaml" --skip-bad-rows --rejects-dir "$D/rejects" --dry-run --json 2>&1 | tail -2
done
