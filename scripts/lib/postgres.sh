# shellcheck shell=bash
# PostgreSQL from Debian's postgresql package (any major version under /usr/lib/postgresql/*/bin, the
# newest wins; PG_BIN overrides), one cluster per port in PG_HOME_DIR/postgres-<port>/: data/
# (initdb), run/ (the Unix socket), postgres.log.
# Listens on 127.0.0.1 only with trust auth for superuser `postgres`:
#   DATABASE_URL=postgres://postgres@127.0.0.1:<port>/tastegraph
# initdb and pg_ctl refuse to run as root; as root every server binary runs as the OS user
# PG_OS_USER (default postgres, created by the Debian package) through runuser, and the instance
# folder belongs to that user. As any other user they run as that user.
# Where clusters live (PG_HOME_DIR): as root, /var/lib/tastegraph/<checkout name>-<hash of the
# checkout's path>/, because PG_OS_USER must reach its data folder and cannot enter a checkout inside
# a folder only its owner may enter (a mktemp -d folder, root's home); <repo>/.services/postgres-<port>
# is then a link to the cluster. As any other user, <repo>/.services/ (git-ignored).
# Sourced by scripts/services.sh, which defines ROOT and the helpers of scripts/lib/common.sh.

# Prints the folder holding this checkout's clusters.
pg_home_dir() {
  if [[ -n "${PG_HOME_DIR:-}" ]]; then
    echo "$PG_HOME_DIR"
  elif [[ $(id -u) -eq 0 ]]; then
    local name hash
    name="${ROOT##*/}"
    name="${name//[^A-Za-z0-9._-]/_}"
    hash="$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
    echo "/var/lib/tastegraph/$name-$hash"
  else
    echo "$ROOT/.services"
  fi
}

# pg_paths DIR: the instance folder and what lies in it.
pg_paths() {
  PG_DIR="$1"
  PG_DATA="$PG_DIR/data"
  PG_SOCKET_DIR="$PG_DIR/run"
  PG_LOG="$PG_DIR/postgres.log"
}

pg_vars() {
  PG_PORT="${PG_PORT:-5432}"
  [[ "$PG_PORT" =~ ^[0-9]+$ ]] || die "PG_PORT must be a number, got '$PG_PORT'"
  PG_DATABASE="${PG_DATABASE:-tastegraph}"
  [[ "$PG_DATABASE" =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || die "PG_DATABASE must be a plain identifier, got '$PG_DATABASE'"
  PG_OS_USER="${PG_OS_USER:-postgres}"
  PG_HOME="$(pg_home_dir)"
  PG_LINK="$ROOT/.services/postgres-$PG_PORT"
  pg_paths "$PG_HOME/postgres-$PG_PORT"
  # A cluster the scripts made inside the checkout before clusters moved out of it (as root) is
  # stopped there while it runs, and moved out by the next start.
  if [[ "$PG_LINK" != "$PG_DIR" && -d "$PG_LINK" && ! -L "$PG_LINK" ]] && pid_alive "$(head -n1 "$PG_LINK/data/postmaster.pid" 2>/dev/null | tr -dc '0-9')"; then
    pg_paths "$PG_LINK"
  fi
  PG_START_TIMEOUT="${PG_START_TIMEOUT:-60}"
  PG_STOP_TIMEOUT="${PG_STOP_TIMEOUT:-30}"
}

# Prints the directory holding initdb/pg_ctl/postgres/psql, or nothing.
pg_find_bin() {
  if [[ -n "${PG_BIN:-}" ]]; then
    [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] && echo "$PG_BIN"
    return 0
  fi
  local d
  d="$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | while read -r c; do [[ -x "$c/initdb" && -x "$c/pg_ctl" ]] && echo "$c"; done | tail -n1)"
  echo "$d"
}

pg_setup() {
  pg_vars
  [[ -n "$(pg_find_bin)" ]] || apt_install postgresql
  PG_BIN="$(pg_find_bin)"
  [[ -n "$PG_BIN" ]] || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin (apt-get install -y postgresql, or set PG_BIN)"
}

# pg_as_owner CMD...: runs CMD as the instance's owner (PG_OS_USER when this shell is root).
pg_as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    (cd / && runuser -u "$PG_OS_USER" -- "$@")
  else
    "$@"
  fi
}

pg_ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 3 >/dev/null 2>&1; }

pg_psql() { "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"; }

# The postmaster's pid when the cluster in PG_DATA runs, else nothing.
pg_running_pid() {
  local pid
  pid="$(head -n1 "$PG_DATA/postmaster.pid" 2>/dev/null | tr -dc '0-9')"
  if pid_alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "postgres"; then
    echo "$pid"
  fi
}

# Makes PG_HOME reachable by PG_OS_USER, moves a cluster left inside the checkout there, and links
# <repo>/.services/postgres-<port> to the instance folder; nothing to do when the cluster lives in
# the checkout (not root, no PG_HOME_DIR).
pg_place() {
  [[ "$PG_DIR" != "$PG_LINK" ]] || return 0
  local d
  for d in "$(dirname "$PG_HOME")" "$PG_HOME"; do
    [[ -d "$d" ]] || mkdir -m 755 "$d" || die "cannot create $d (set PG_HOME_DIR to a folder $PG_OS_USER can enter)"
  done
  printf '%s\n' "$ROOT" >"$PG_HOME/checkout"
  mkdir -p "$ROOT/.services"
  if [[ -d "$PG_LINK" && ! -L "$PG_LINK" ]]; then
    [[ ! -e "$PG_DIR" ]] || die "two clusters for port $PG_PORT: $PG_LINK (older layout) and $PG_DIR; remove the one you do not need"
    mv "$PG_LINK" "$PG_DIR"
    log "postgres: moved the cluster from $PG_LINK to $PG_DIR (a folder $PG_OS_USER can reach from any checkout)"
  fi
  ln -sfn "$PG_DIR" "$PG_LINK"
}

# Points the cluster's socket at its instance folder (it moves with a checkout or out of one).
pg_socket_conf() {
  local want="unix_socket_directories = '$PG_SOCKET_DIR'"
  [[ "$(grep '^unix_socket_directories' "$PG_DATA/postgresql.conf" | tail -n1)" == "$want" ]] ||
    printf '%s\n' "$want" | pg_as_owner tee -a "$PG_DATA/postgresql.conf" >/dev/null
}

pg_initdb() {
  if [[ $(id -u) -eq 0 ]]; then
    getent passwd "$PG_OS_USER" >/dev/null ||
      die "initdb cannot run as root and OS user '$PG_OS_USER' does not exist: install Debian's postgresql package (it creates 'postgres') or set PG_OS_USER to an unprivileged user"
  fi
  mkdir -p "$PG_DIR"
  [[ $(id -u) -eq 0 ]] && chown "$PG_OS_USER:" "$PG_DIR"
  chmod 700 "$PG_DIR"
  local t0
  t0=$(now)
  rm -rf "$PG_DATA.tmp"
  if ! pg_as_owner "$PG_BIN/initdb" -D "$PG_DATA.tmp" -U postgres -E UTF8 --no-locale --auth=trust >"$PG_DIR/initdb.log" 2>&1; then
    tail -n 20 "$PG_DIR/initdb.log" >&2
    die "initdb failed (log: $PG_DIR/initdb.log)"
  fi
  # Trust, but only on the socket inside the instance folder and on 127.0.0.1.
  pg_as_owner tee "$PG_DATA.tmp/pg_hba.conf" >/dev/null <<'EOF'
# TasteGraph's local cluster (scripts/lib/postgres.sh): trust on the private socket and 127.0.0.1 only.
local all all              trust
host  all all 127.0.0.1/32 trust
EOF
  pg_as_owner tee -a "$PG_DATA.tmp/postgresql.conf" >/dev/null <<EOF

# scripts/lib/postgres.sh
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PG_SOCKET_DIR'
max_connections = 50
shared_buffers = 64MB
EOF
  pg_as_owner mv "$PG_DATA.tmp" "$PG_DATA"
  log "postgres: initdb in $PG_DATA in $(since "$t0")"
}

postgres_start() {
  pg_vars
  local t0 pid
  t0=$(now)
  pid="$(pg_running_pid)"
  pg_setup
  if [[ -n "$pid" ]]; then
    log "postgres: already running on 127.0.0.1:$PG_PORT (pid $pid)"
  else
    if port_listening "$PG_PORT"; then
      die "port $PG_PORT is already used by another process ($(port_owner "$PG_PORT")); stop it or set PG_PORT"
    fi
    pg_place
    [[ -f "$PG_DATA/PG_VERSION" ]] || pg_initdb
    pg_socket_conf
    [[ "$(cat "$PG_DATA/PG_VERSION")" == "$("$PG_BIN/postgres" --version | sed -n 's/.* \([0-9]*\)\..*/\1/p')" ]] ||
      die "$PG_DATA was made by PostgreSQL $(cat "$PG_DATA/PG_VERSION"), $PG_BIN is another major version: remove $PG_DIR or set PG_BIN"
    pg_as_owner mkdir -p "$PG_SOCKET_DIR"
    if ! pg_as_owner "$PG_BIN/pg_ctl" start -D "$PG_DATA" -l "$PG_LOG" -w -t "$PG_START_TIMEOUT" >/dev/null; then
      tail -n 20 "$PG_LOG" >&2 2>/dev/null || true
      die "postgres on port $PG_PORT did not start within ${PG_START_TIMEOUT}s (log: $PG_LOG)"
    fi
  fi
  pg_ready || die "postgres on port $PG_PORT does not accept connections on 127.0.0.1 (log: $PG_LOG)"
  if [[ -z "$(pg_psql -tAc "SELECT 1 FROM pg_database WHERE datname = '$PG_DATABASE'")" ]]; then
    pg_psql -c "CREATE DATABASE \"$PG_DATABASE\"" || die "could not create database $PG_DATABASE"
    log "postgres: created database $PG_DATABASE"
  fi
  log "postgres: ready on 127.0.0.1:$PG_PORT in $(since "$t0") (pid $(pg_running_pid), DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/$PG_DATABASE, log $PG_LOG)"
}

postgres_stop() {
  pg_vars
  local t0 pid
  t0=$(now)
  pid="$(pg_running_pid)"
  if [[ -z "$pid" ]]; then
    log "postgres: not running (port $PG_PORT)"
    return 0
  fi
  PG_BIN="$(pg_find_bin)"
  if [[ -z "$PG_BIN" ]] || ! pg_as_owner "$PG_BIN/pg_ctl" stop -D "$PG_DATA" -m fast -w -t "$PG_STOP_TIMEOUT" >/dev/null 2>&1; then
    log "postgres: pg_ctl stop failed; sending SIGQUIT (immediate shutdown) to pid $pid"
    kill -QUIT "$pid" 2>/dev/null || true
    wait_pid_exit "$pid" 10 || die "could not stop postgres pid $pid"
  fi
  log "postgres: stopped pid $pid (port $PG_PORT) in $(since "$t0")"
}

postgres_status() {
  pg_vars
  local d pid found=0 seen=" "
  for d in "$ROOT/.services"/postgres-* "$PG_HOME"/postgres-*; do
    [[ -d "$d" ]] || continue
    d="$(readlink -f "$d")"
    [[ "$seen" != *" $d "* ]] || continue
    seen+="$d "
    found=1
    pid="$(head -n1 "$d/data/postmaster.pid" 2>/dev/null | tr -dc '0-9')"
    if pid_alive "$pid"; then
      echo "postgres  port ${d##*/postgres-}  running (pid $pid)  $d"
    else
      echo "postgres  port ${d##*/postgres-}  stopped  $d"
    fi
  done
  ((found)) || echo "postgres  no instance under $PG_HOME"
}
