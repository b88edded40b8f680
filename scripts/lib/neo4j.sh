# shellcheck shell=bash
# Neo4j Community 5.26 without Docker: jars from Maven Central (tools/neo4j/pom.xml), launched as
#   java <flags> -cp 'lib/*:plugins/*' org.neo4j.server.CommunityEntryPoint --home-dir=RUN --config-dir=RUN/conf --console-mode
# Sourced by scripts/services.sh, which defines ROOT and the helpers of scripts/lib/common.sh.
#
# Layout (NEO4J_HOME_DIR, default <repo>/.neo4j, git-ignored):
#   lib/                 the server's jars + .stamp (sha256 of tools/neo4j/pom.xml)
#   plugins/             optional extra jars (e.g. APOC), also on the classpath
#   run-<boltport>/      one instance per Bolt port: conf/neo4j.conf, data/, logs/, import/, neo4j.pid

# NEO4J_HEAP / NEO4J_PAGECACHE / NEO4J_TX_MEMORY=auto: sized from this machine's RAM (docs/scale.md,
# "Neo4j for larger graphs"). Neo4j gets NEO4J_MEMORY_SHARE percent of it (default 50: the API, its
# ANN index and the trainer need the rest): 40% of that as heap (512m..31g: compressed pointers end at
# 32g), the rest as page cache (the store's hot part: ~1.2 x the store on disk is ideal), and
# transactions together at most half the heap (a runaway import batch fails alone instead of the server).
neo4j_memory_auto() {
  local total_kb share budget heap_mb page_mb
  total_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo 2>/dev/null || echo 0)
  share="${NEO4J_MEMORY_SHARE:-50}"
  [[ "$share" =~ ^[0-9]+$ && "$share" -ge 10 && "$share" -le 90 ]] || die "NEO4J_MEMORY_SHARE must be 10..90 (percent of RAM), got '$share'"
  budget=$((total_kb / 1024 * share / 100))
  heap_mb=$((budget * 40 / 100))
  ((heap_mb < 512)) && heap_mb=512
  ((heap_mb > 31744)) && heap_mb=31744
  page_mb=$((budget - heap_mb))
  ((page_mb < 128)) && page_mb=128
  [[ "$NEO4J_HEAP" == auto ]] && NEO4J_HEAP="${heap_mb}m"
  [[ "$NEO4J_PAGECACHE" == auto ]] && NEO4J_PAGECACHE="${page_mb}m"
  if [[ "$NEO4J_TX_MEMORY" == auto ]]; then
    local h="${NEO4J_HEAP%[mMgG]}"
    [[ "$NEO4J_HEAP" =~ [gG]$ ]] && h=$((h * 1024))
    NEO4J_TX_MEMORY="$((h / 2))m"
  fi
  [[ "$NEO4J_HEAP" =~ ^[0-9]+[mMgG]$ ]] || die "NEO4J_HEAP must be like 1g, 1536m or auto, got '$NEO4J_HEAP'"
  [[ "$NEO4J_PAGECACHE" =~ ^[0-9]+[mMgG]$ ]] || die "NEO4J_PAGECACHE must be like 512m, 4g or auto, got '$NEO4J_PAGECACHE'"
  [[ -z "$NEO4J_TX_MEMORY" || "$NEO4J_TX_MEMORY" =~ ^[0-9]+[mMgG]$ ]] || die "NEO4J_TX_MEMORY must be like 512m, 2g or auto, got '$NEO4J_TX_MEMORY'"
}

neo4j_vars() {
  NEO4J_BOLT_PORT="${NEO4J_BOLT_PORT:-7687}"
  NEO4J_HTTP_PORT="${NEO4J_HTTP_PORT:-7474}"
  NEO4J_PASSWORD="${NEO4J_PASSWORD:-}"
  NEO4J_HOME_DIR="${NEO4J_HOME_DIR:-$ROOT/.neo4j}"
  NEO4J_HEAP="${NEO4J_HEAP:-1g}"
  NEO4J_PAGECACHE="${NEO4J_PAGECACHE:-128m}"
  NEO4J_TX_MEMORY="${NEO4J_TX_MEMORY:-}"
  neo4j_memory_auto
  NEO4J_START_TIMEOUT="${NEO4J_START_TIMEOUT:-180}"
  NEO4J_STOP_TIMEOUT="${NEO4J_STOP_TIMEOUT:-60}"
  [[ "$NEO4J_BOLT_PORT" =~ ^[0-9]+$ ]] || die "NEO4J_BOLT_PORT must be a number, got '$NEO4J_BOLT_PORT'"
  [[ "$NEO4J_HTTP_PORT" =~ ^[0-9]+$ ]] || die "NEO4J_HTTP_PORT must be a number, got '$NEO4J_HTTP_PORT'"
  [[ "$NEO4J_BOLT_PORT" != "$NEO4J_HTTP_PORT" ]] || die "NEO4J_BOLT_PORT and NEO4J_HTTP_PORT are both $NEO4J_BOLT_PORT"
  mkdir -p "$NEO4J_HOME_DIR"
  NEO4J_HOME_DIR="$(cd "$NEO4J_HOME_DIR" && pwd)"
  NEO4J_POM="$ROOT/tools/neo4j/pom.xml"
  NEO4J_LIB="$NEO4J_HOME_DIR/lib"
  NEO4J_PLUGINS="$NEO4J_HOME_DIR/plugins"
  NEO4J_RUN="$NEO4J_HOME_DIR/run-$NEO4J_BOLT_PORT"
  NEO4J_PIDFILE="$NEO4J_RUN/neo4j.pid"
  NEO4J_LOGS="$NEO4J_RUN/logs"
  NEO4J_DRIVER="$ROOT/node_modules/neo4j-driver"
}

# Prints the java binary to use: JAVA_HOME's, else PATH's, else a JDK 17/21 under /usr/lib/jvm.
# Neo4j 5.26 supports Java 17 and 21 only (not 25, which this machine also has).
neo4j_java() {
  local cand seen=() major
  for cand in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java 2>/dev/null || true)" \
    /usr/lib/jvm/java-17-openjdk-*/bin/java /usr/lib/jvm/java-21-openjdk-*/bin/java \
    /usr/lib/jvm/temurin-17*/bin/java /usr/lib/jvm/temurin-21*/bin/java; do
    [[ -n "$cand" && -x "$cand" ]] || continue
    major="$("$cand" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
    if [[ "$major" == 17 || "$major" == 21 ]]; then
      echo "$cand"
      return 0
    fi
    seen+=("$cand (Java ${major:-?})")
  done
  die "Neo4j 5.26 needs Java 17 or 21; found ${seen[*]:-no java at all}. Install openjdk-17-jdk-headless or set JAVA_HOME to a JDK 17."
}

neo4j_pom_version() { sed -n 's:.*<neo4j.version>\(.*\)</neo4j.version>.*:\1:p' "$NEO4J_POM" | head -n1; }

# Resolves the jars into NEO4J_LIB unless the stamp says they match tools/neo4j/pom.xml.
neo4j_setup() {
  neo4j_vars
  [[ -f "$NEO4J_POM" ]] || die "missing $NEO4J_POM"
  local want version t0 tmp
  want="$(sha256sum "$NEO4J_POM" | cut -d' ' -f1)"
  version="$(neo4j_pom_version)"
  if [[ -f "$NEO4J_LIB/.stamp" && "$(cat "$NEO4J_LIB/.stamp")" == "$want" ]] &&
    compgen -G "$NEO4J_LIB/neo4j-$version.jar" >/dev/null; then
    log "neo4j: jars for $version already in $NEO4J_LIB (stamp ok)"
    return 0
  fi
  command -v mvn >/dev/null || die "Maven (mvn) is not installed; it is needed once to fetch the Neo4j jars (apt-get install maven)"
  local java
  java="$(neo4j_java)"
  # Maven runs on the same JDK as the server (it would pick up JAVA_HOME otherwise).
  export JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$java")")")}"
  t0=$(now)
  tmp="$NEO4J_HOME_DIR/lib.tmp.$$"
  rm -rf "$tmp"
  log "neo4j: resolving Neo4j $version + Neo4j Browser jars with Maven (first time: ~140 MB) ..."
  if ! mvn -q -B -f "$NEO4J_POM" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$tmp" >"$NEO4J_HOME_DIR/mvn.log" 2>&1; then
    tail -n 30 "$NEO4J_HOME_DIR/mvn.log" >&2
    rm -rf "$tmp"
    die "mvn dependency:copy-dependencies failed for $NEO4J_POM (full log: $NEO4J_HOME_DIR/mvn.log)"
  fi
  compgen -G "$tmp/neo4j-$version.jar" >/dev/null || die "mvn finished but $tmp/neo4j-$version.jar is missing"
  compgen -G "$tmp/neo4j-browser-*.jar" >/dev/null || die "mvn finished but no neo4j-browser jar in $tmp"
  echo "$want" >"$tmp/.stamp"
  rm -rf "$NEO4J_LIB.old"
  [[ -d "$NEO4J_LIB" ]] && mv "$NEO4J_LIB" "$NEO4J_LIB.old"
  mv "$tmp" "$NEO4J_LIB"
  rm -rf "$NEO4J_LIB.old"
  log "neo4j: $(find "$NEO4J_LIB" -name '*.jar' | wc -l) jars ($(du -sh "$NEO4J_LIB" | cut -f1)) in $NEO4J_LIB in $(since "$t0")"
}

neo4j_write_conf() {
  mkdir -p "$NEO4J_RUN/conf" "$NEO4J_RUN/data" "$NEO4J_LOGS" "$NEO4J_RUN/import" "$NEO4J_PLUGINS"
  local auth=false
  [[ -n "$NEO4J_PASSWORD" ]] && auth=true
  # neo4j.conf allows no trailing comments; unknown keys fail the start (strict validation).
  cat >"$NEO4J_RUN/conf/neo4j.conf" <<EOF
# Written by scripts/services.sh on every start; edits here are overwritten.
server.default_listen_address=127.0.0.1
server.default_advertised_address=127.0.0.1
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$NEO4J_BOLT_PORT
server.bolt.advertised_address=127.0.0.1:$NEO4J_BOLT_PORT
server.http.enabled=true
server.http.listen_address=127.0.0.1:$NEO4J_HTTP_PORT
server.http.advertised_address=127.0.0.1:$NEO4J_HTTP_PORT
server.https.enabled=false
dbms.security.auth_enabled=$auth
server.directories.data=$NEO4J_RUN/data
server.directories.logs=$NEO4J_LOGS
server.directories.plugins=$NEO4J_PLUGINS
server.directories.import=${NEO4J_IMPORT_DIR:-$NEO4J_RUN/import}
server.memory.pagecache.size=$NEO4J_PAGECACHE
db.tx_log.rotation.retention_policy=256M size
dbms.usage_report.enabled=false
# Neo4j Browser's :play may load guides from these hosts (the API's guide: docs/explorer.md). Neo4j 5.26
# still names the setting *_whitelist (the Browser reads that name from dbms.clientConfig).
browser.remote_content_hostname_whitelist=guides.neo4j.com,localhost,127.0.0.1
# Bolt waits 5 s twice on shutdown for in-flight connections (after the databases are already
# stopped): 1 s each makes a stop take ~3 s instead of ~11 s.
internal.server.bolt.connection_shutdown_wait_time=1s
internal.server.bolt.thread_pool_shutdown_wait_time=1s
EOF
  # Every transaction together (not set: Neo4j's default, 70% of the heap).
  if [[ -n "$NEO4J_TX_MEMORY" ]]; then printf 'db.memory.transaction.total.max=%s\n' "$NEO4J_TX_MEMORY" >>"$NEO4J_RUN/conf/neo4j.conf"; fi
  # Extra settings, one key=value per line (e.g. NEO4J_EXTRA_CONF=$'db.transaction.timeout=60s').
  if [[ -n "${NEO4J_EXTRA_CONF:-}" ]]; then printf '%s\n' "$NEO4J_EXTRA_CONF" >>"$NEO4J_RUN/conf/neo4j.conf"; fi
}

# The pid of this instance's server when it is running, else nothing.
neo4j_running_pid() {
  local pid
  pid="$(read_pid "$NEO4J_PIDFILE")"
  if pid_alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "CommunityEntryPoint.*--home-dir=$NEO4J_RUN "; then
    echo "$pid"
  fi
}

# Bolt probe with the JS driver. Exit codes: 0 query ran, 3 wrong credentials, 4 password change
# required, 5 rate limited, 1 anything else (not up yet). Mode "initpw" changes the initial
# password 'neo4j' to NEO4J_PASSWORD through the system database.
read -r -d '' NEO4J_PROBE_JS <<'JS' || true
const neo4j = require(process.env.TG_DRIVER);
const [mode, port, pw] = [process.argv[1], process.env.TG_BOLT, process.env.TG_PW];
const url = `bolt://127.0.0.1:${port}`;
const auth = mode === 'initpw' ? neo4j.auth.basic('neo4j', 'neo4j')
  : pw ? neo4j.auth.basic('neo4j', pw) : neo4j.auth.none();
const driver = neo4j.driver(url, auth, { connectionTimeout: 5000, maxConnectionPoolSize: 1, logging: undefined });
(async () => {
  if (mode === 'initpw') {
    const s = driver.session({ database: 'system' });
    try { await s.run('ALTER CURRENT USER SET PASSWORD FROM $old TO $pw', { old: 'neo4j', pw }); }
    finally { await s.close(); }
  } else {
    const r = await driver.executeQuery('RETURN 1 AS ok');
    if (r.records[0].get('ok').toNumber() !== 1) throw new Error('RETURN 1 gave ' + r.records[0].get('ok'));
  }
})().then(() => driver.close().then(() => process.exit(0)), (e) => {
  const code = String(e.code || '');
  process.stderr.write(`${code} ${e.message}\n`);
  const rc = code.endsWith('CredentialsExpired') ? 4 : code.endsWith('AuthenticationRateLimit') ? 5
    : code.endsWith('Unauthorized') ? 3 : 1;
  driver.close().finally(() => process.exit(rc));
});
JS

neo4j_probe() { # MODE -> exit code as above; stderr of the probe into $NEO4J_RUN/probe.err
  TG_DRIVER="$NEO4J_DRIVER" TG_BOLT="$NEO4J_BOLT_PORT" TG_PW="$NEO4J_PASSWORD" \
    timeout 30 node -e "$NEO4J_PROBE_JS" "$1" 2>"$NEO4J_RUN/probe.err"
}

# Fallback probe without the JS driver: HTTP discovery document + a Cypher query over HTTP.
neo4j_http_probe() {
  local base="http://127.0.0.1:$NEO4J_HTTP_PORT" out
  curl -sf -m 5 "$base/" 2>/dev/null | grep -q '"bolt_direct"' || return 1
  port_listening "$NEO4J_BOLT_PORT" || return 1
  out="$(curl -s -m 10 ${NEO4J_PASSWORD:+-u "neo4j:$NEO4J_PASSWORD"} -H 'Content-Type: application/json' \
    -d '{"statements":[{"statement":"RETURN 1 AS ok"}]}' "$base/db/neo4j/tx/commit" 2>/dev/null)" || return 1
  [[ "$out" == *'"errors":[]'* ]] && return 0
  [[ "$out" == *CredentialsExpired* ]] && return 4
  [[ "$out" == *Unauthorized* ]] && return 3
  return 1
}

neo4j_log_tail() {
  log "last lines of $NEO4J_LOGS/console.log:"
  tail -n 25 "$NEO4J_LOGS/console.log" >&2 2>/dev/null || true
}

# Sets NEO4J_HAVE_DRIVER: 1 when readiness can use a real Bolt query through the JS driver.
# NEO4J_READY_PROBE=http forces the HTTP probe (discovery document + Cypher over the HTTP API).
neo4j_probe_setup() {
  NEO4J_HAVE_DRIVER=0
  if [[ "${NEO4J_READY_PROBE:-auto}" != http && -d "$NEO4J_DRIVER" ]] && command -v node >/dev/null; then
    NEO4J_HAVE_DRIVER=1
  elif [[ "${NEO4J_READY_PROBE:-auto}" != http ]]; then
    log "neo4j: $NEO4J_DRIVER not installed (npm ci); readiness uses the HTTP API instead of Bolt"
  fi
}

# Waits until PID's server runs a query (Bolt via the JS driver, else the HTTP API), fixing the
# initial password when needed; stops the server and fails after NEO4J_START_TIMEOUT seconds.
neo4j_wait_ready() {
  local pid="$1" rc have_driver="$NEO4J_HAVE_DRIVER"
  local deadline=$(($(date +%s) + NEO4J_START_TIMEOUT)) changed=0
  while :; do
    if ! pid_alive "$pid"; then
      rm -f "$NEO4J_PIDFILE"
      neo4j_log_tail
      die "neo4j exited during start-up (see $NEO4J_LOGS/console.log and $NEO4J_LOGS/debug.log)"
    fi
    rc=0
    if ((have_driver)); then
      if curl -sf -m 5 "http://127.0.0.1:$NEO4J_HTTP_PORT/" 2>/dev/null | grep -q '"bolt_direct"'; then
        neo4j_probe check || rc=$?
      else
        rc=1
      fi
    else
      neo4j_http_probe || rc=$?
    fi
    case "$rc" in
      0) break ;;
      3 | 4)
        # The stored password is not NEO4J_PASSWORD: the instance was created with auth off (its
        # neo4j user still has the default 'neo4j', change required) or with another password.
        if ((changed == 0 && have_driver)) && neo4j_probe initpw; then
          changed=1
          log "neo4j: changed the initial password of user neo4j (ALTER CURRENT USER on system)"
          continue
        fi
        neo4j_stop_pid "$pid"
        die "neo4j rejects user neo4j with NEO4J_PASSWORD and the default password: this data dir has another password. Use the old password, or delete $NEO4J_RUN/data to start afresh ($(cat "$NEO4J_RUN/probe.err" 2>/dev/null))"
        ;;
      5) sleep 5 ;;
    esac
    if (($(date +%s) >= deadline)); then
      neo4j_log_tail
      log "neo4j: last probe error: $(cat "$NEO4J_RUN/probe.err" 2>/dev/null || true)"
      neo4j_stop_pid "$pid"
      die "neo4j did not answer a query within ${NEO4J_START_TIMEOUT}s (NEO4J_START_TIMEOUT); stopped it"
    fi
    sleep 0.5
  done
}

# Class-data sharing (AppCDS) for a faster JVM start: the first start of a lib/ dumps the classes it
# loaded into an archive when the server stops (a one-time ~10-20 s on that stop), and later starts
# map it (measured: a start takes ~30% less CPU time). NEO4J_CDS=1|0|auto; auto = on unless CI is set
# (CI starts from a fresh clone once and would only pay for the dump).
neo4j_cds_flags() {
  NEO4J_CDS_FLAGS=()
  local mode="${NEO4J_CDS:-auto}" dir="$NEO4J_LIB/.cds" key
  if [[ "$mode" == auto ]]; then if [[ -n "${CI:-}" ]]; then mode=0; else mode=1; fi; fi
  [[ "$mode" == 1 ]] || return 0
  key="$("$1" -version 2>&1 | tr '\n' ' ')|$(cat "$NEO4J_LIB/.stamp" 2>/dev/null)|$(find "$NEO4J_PLUGINS" -maxdepth 1 -name '*.jar' -printf '%f\n' 2>/dev/null | sort | tr '\n' ' ')"
  if [[ -s "$dir/neo4j.jsa" && "$(cat "$dir/key" 2>/dev/null)" == "$key" ]]; then
    NEO4J_CDS_FLAGS=("-XX:SharedArchiveFile=$dir/neo4j.jsa")
  else
    rm -f "$NEO4J_RUN/cds-new.jsa"
    printf '%s' "$key" >"$NEO4J_RUN/cds-new.key"
    NEO4J_CDS_FLAGS=("-XX:ArchiveClassesAtExit=$NEO4J_RUN/cds-new.jsa" '-Xlog:cds*=off')
  fi
}

# After a clean exit: promote the archive the server dumped (if any) for the next starts.
neo4j_cds_promote() {
  local dir="$NEO4J_LIB/.cds"
  [[ -s "$NEO4J_RUN/cds-new.jsa" && -f "$NEO4J_RUN/cds-new.key" ]] || { rm -f "$NEO4J_RUN/cds-new.jsa"; return 0; }
  mkdir -p "$dir"
  mv -f "$NEO4J_RUN/cds-new.jsa" "$dir/neo4j.jsa.tmp.$$"
  mv -f "$NEO4J_RUN/cds-new.key" "$dir/key"
  mv -f "$dir/neo4j.jsa.tmp.$$" "$dir/neo4j.jsa"
  log "neo4j: saved a class-data archive ($(du -sh "$dir/neo4j.jsa" | cut -f1)) for faster starts: $dir"
}

neo4j_start() {
  neo4j_vars
  local t0 pid java first=0
  t0=$(now)
  [[ -z "$NEO4J_PASSWORD" || ${#NEO4J_PASSWORD} -ge 8 ]] || die "NEO4J_PASSWORD must have at least 8 characters (Neo4j's minimum)"
  mkdir -p "$NEO4J_RUN"
  exec 8>"$NEO4J_RUN/.lock"
  flock -w 300 8 || die "another services.sh holds $NEO4J_RUN/.lock"
  pid="$(neo4j_running_pid)"
  if [[ -n "$pid" ]]; then
    local want_auth=false running_auth
    [[ -n "$NEO4J_PASSWORD" ]] && want_auth=true
    running_auth="$(sed -n 's/^dbms.security.auth_enabled=//p' "$NEO4J_RUN/conf/neo4j.conf" 2>/dev/null)"
    if [[ "$running_auth" != "$want_auth" ]]; then
      log "neo4j: WARNING: the running server has auth_enabled=$running_auth but NEO4J_PASSWORD asks for $want_auth; use 'restart neo4j' to change it"
      log "neo4j: already running on bolt 127.0.0.1:$NEO4J_BOLT_PORT / http $NEO4J_HTTP_PORT (pid $pid)"
    else
      neo4j_probe_setup
      neo4j_wait_ready "$pid"
      log "neo4j: already running on bolt 127.0.0.1:$NEO4J_BOLT_PORT / http $NEO4J_HTTP_PORT (pid $pid), answers queries ($(since "$t0"))"
    fi
    exec 8>&-
    return 0
  fi
  local p
  for p in "$NEO4J_BOLT_PORT" "$NEO4J_HTTP_PORT"; do
    if port_listening "$p"; then
      die "port $p is already used by another process ($(port_owner "$p")); stop it or set NEO4J_BOLT_PORT/NEO4J_HTTP_PORT"
    fi
  done
  neo4j_setup
  java="$(neo4j_java)"
  neo4j_write_conf
  neo4j_probe_setup
  neo4j_cds_flags "$java"

  # With auth on, the first start gets its password from set-initial-password, which only takes
  # effect before the system database exists (later starts keep whatever password is stored).
  if [[ ! -d "$NEO4J_RUN/data/databases/system" ]]; then
    first=1
    if [[ -n "$NEO4J_PASSWORD" ]]; then
      local t1
      t1=$(now)
      if ! NEO4J_HOME="$NEO4J_RUN" NEO4J_CONF="$NEO4J_RUN/conf" "$java" -cp "$NEO4J_LIB/*" \
        org.neo4j.cli.AdminTool dbms set-initial-password "$NEO4J_PASSWORD" >"$NEO4J_LOGS/set-initial-password.log" 2>&1; then
        cat "$NEO4J_LOGS/set-initial-password.log" >&2
        die "neo4j-admin dbms set-initial-password failed"
      fi
      log "neo4j: initial password for user neo4j set in $(since "$t1")"
    fi
  fi

  log "neo4j: starting $(neo4j_pom_version) on bolt://127.0.0.1:$NEO4J_BOLT_PORT, http://127.0.0.1:$NEO4J_HTTP_PORT (auth $([[ -n "$NEO4J_PASSWORD" ]] && echo on || echo off), heap $NEO4J_HEAP, page cache $NEO4J_PAGECACHE${NEO4J_TX_MEMORY:+, transactions $NEO4J_TX_MEMORY}, data $NEO4J_RUN/data)"
  {
    echo "----- $(date -u +%FT%TZ) start by scripts/services.sh"
  } >>"$NEO4J_LOGS/console.log"
  # setsid: the server outlives the shell that started it and ignores its Ctrl-C.
  setsid "$java" ${NEO4J_CDS_FLAGS[@]+"${NEO4J_CDS_FLAGS[@]}"} -Xms256m "-Xmx$NEO4J_HEAP" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
    -XX:-OmitStackTraceInFastThrow -XX:+DisableExplicitGC \
    -Djdk.tls.ephemeralDHKeySize=2048 -Dio.netty.tryReflectionSetAccessible=true \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
    -Dfile.encoding=UTF-8 \
    -cp "$NEO4J_LIB/*:$NEO4J_PLUGINS/*" org.neo4j.server.CommunityEntryPoint \
    "--home-dir=$NEO4J_RUN" "--config-dir=$NEO4J_RUN/conf" --console-mode \
    </dev/null >>"$NEO4J_LOGS/console.log" 2>&1 8>&- &
  pid=$!
  echo "$pid" >"$NEO4J_PIDFILE"

  neo4j_wait_ready "$pid"
  exec 8>&-
  log "neo4j: ready in $(since "$t0")$( ((first)) && echo ' (new database)') pid $pid, bolt://127.0.0.1:$NEO4J_BOLT_PORT, browser http://127.0.0.1:$NEO4J_HTTP_PORT/browser/, logs $NEO4J_LOGS"
}

# SIGTERM (clean shutdown with checkpoint), SIGKILL after NEO4J_STOP_TIMEOUT.
neo4j_stop_pid() {
  local pid="$1" limit="${NEO4J_STOP_TIMEOUT:-60}"
  kill -TERM "$pid" 2>/dev/null || true
  if [[ -f "$NEO4J_RUN/cds-new.key" ]] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q ArchiveClassesAtExit; then
    log "neo4j: the server writes its class-data archive while stopping (once; 10-40 s)"
    if ((limit < 240)); then limit=240; fi
  fi
  if ! wait_pid_exit "$pid" "$limit"; then
    log "neo4j: pid $pid still running after ${limit}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_exit "$pid" 10 || die "could not kill neo4j pid $pid"
    rm -f "$NEO4J_RUN/cds-new.jsa" "$NEO4J_RUN/cds-new.key"
  fi
  rm -f "$NEO4J_PIDFILE"
  neo4j_cds_promote
}

neo4j_stop() {
  neo4j_vars
  local pid t0
  t0=$(now)
  pid="$(neo4j_running_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$NEO4J_PIDFILE"
    log "neo4j: not running (bolt $NEO4J_BOLT_PORT)"
    if port_listening "$NEO4J_BOLT_PORT"; then
      log "neo4j: note: port $NEO4J_BOLT_PORT is used by $(port_owner "$NEO4J_BOLT_PORT"), which this script did not start"
    fi
    return 0
  fi
  neo4j_stop_pid "$pid"
  log "neo4j: stopped pid $pid (bolt $NEO4J_BOLT_PORT) in $(since "$t0")"
}

neo4j_status() {
  neo4j_vars
  local d pid port found=0
  for d in "$NEO4J_HOME_DIR"/run-*; do
    [[ -d "$d" ]] || continue
    found=1
    port="${d##*/run-}"
    pid="$(read_pid "$d/neo4j.pid")"
    if pid_alive "$pid"; then
      local http
      http="$(sed -n 's/^server.http.listen_address=.*:\([0-9]*\)$/\1/p' "$d/conf/neo4j.conf" 2>/dev/null)"
      echo "neo4j  bolt $port  http ${http:-?}  running (pid $pid)  $d"
    else
      echo "neo4j  bolt $port  stopped  $d"
    fi
  done
  ((found)) || echo "neo4j  no instance under $NEO4J_HOME_DIR"
}
