#!/usr/bin/env bash
# lastfm's raw HetRec files converted into the general importer's formats (docs/importing.md), under $1
# (default var/own-lastfm): plays.csv (PLAY events, play counts as weights), events.csv (plays + dated tag events
# as LIKE), friends.csv, items.tsv and import.yaml (items + events + friendships). Used by the measure-*.sh scripts.
own_lastfm() {
  local L=${TASTEGRAPH_DATASETS:-../shared/datasets}/lastfm/raw D=${1:-var/own-lastfm}
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
}
