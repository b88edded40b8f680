#!/usr/bin/env bash
# Figures of the bulk first load (npm run import -- --manifest M --bulk; docs/importing.md, decision 0036):
# three loads of each manifest into the EMPTIED local Neo4j on NEO4J_BOLT_PORT, wall time per run, one JSON summary
# per run. Manifests: lastfm's raw files converted by scripts/lib/own-lastfm.sh (var/own-lastfm/) and the
# 10x synthetic ladder rung (var/ladder/x10, made here with npm run synthetic when missing); x100 (one run) only when named.
# DESTRUCTIVE for that instance: between runs it stops it and deletes its neo4j database files
# (NEO4J_HOME_DIR/run-<port>/data/{databases,transactions}/neo4j); run it only on an instance of your own.
# Needs a built tree (npm run build). Usage: NEO4J_BOLT_PORT=.. NEO4J_HTTP_PORT=.. scripts/measure-bulk-load.sh [lastfm|x10|x100|all]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${NEO4J_BOLT_PORT:?set NEO4J_BOLT_PORT (an instance of your own: its database is deleted between runs)}"
export NEO4J_URI="bolt://127.0.0.1:$NEO4J_BOLT_PORT"
RUN="${NEO4J_HOME_DIR:-.neo4j}/run-$NEO4J_BOLT_PORT"
which="${1:-all}"
D=var/own-lastfm
# shellcheck source=scripts/lib/own-lastfm.sh
source scripts/lib/own-lastfm.sh
[[ -f "$D/import.yaml" ]] || own_lastfm "$D"
ladder() { # the ladder rung of scale $1 under var/ladder/x$1, with its manifest
  local X=var/ladder/x$1
  [[ -f "$X/interactions.tsv" ]] || node dist/src/cli/synthetic.js "$X" --scale "$1" >/dev/null
  cat > "$X/import.yaml" <<'YAML'
idPrefix: "syn:"
users: { file: users.tsv, columns: { id: user }, attributes: [community] }
items: { file: items.tsv, columns: { id: item, title: title, tags: tags }, tagSeparator: ",", attributes: [community] }
interactions: { file: interactions.tsv, columns: { user: user, item: item, weight: plays }, defaultType: PLAY }
friendships: { file: friends.tsv, columns: { a: user, b: friend } }
YAML
}
empty_db() {
  nice -n 19 bash scripts/services.sh stop neo4j
  rm -rf "$RUN/data/databases/neo4j" "$RUN/data/transactions/neo4j"
  nice -n 19 bash scripts/services.sh start neo4j
}
[[ "$which" == all || "$which" == x10 ]] && ladder 10
[[ "$which" == x100 ]] && ladder 100
for m in lastfm:"$D/import.yaml" x10:var/ladder/x10/import.yaml x100:var/ladder/x100/import.yaml; do
  name=${m%%:*}
  [[ "$which" == all && "$name" != x100 || "$which" == "$name" ]] || continue
  runs="1 2 3"
  [[ $name == x100 ]] && runs=1 # 10M events: one run (about ten minutes here)
  for k in $runs; do
    empty_db >/dev/null 2>&1
    t0=$(date +%s.%N)
    /usr/bin/time -f '%M' -o "var/bulk-$name-$k.rss" nice -n 10 node dist/src/cli/import.js --manifest "${m#*:}" --bulk --skip-bad-rows --rejects-dir var/bulk-rejects --json 2>"var/bulk-$name-$k.log" | tail -1 >"var/bulk-$name-$k.json"
    t1=$(date +%s.%N)
    node -e 'const s=require(process.argv[1]); const w=+process.argv[2]; const ev=s.files.filter(f=>f.kind==="interactions").reduce((n,f)=>n+f.rows-f.bad,0);
      const rssMb=Math.round(+require("fs").readFileSync(process.argv[4],"utf8").trim()/1024);
      console.log(JSON.stringify({run: process.argv[3], events: ev, wallSeconds: +w.toFixed(1), wallPerSecond: Math.round(ev/w), nodePeakRssMb: rssMb, inner: s.seconds, counts: s.counts}))' \
      "$PWD/var/bulk-$name-$k.json" "$(echo "$t1 - $t0" | bc)" "$name-$k" "var/bulk-$name-$k.rss"
  done
done
