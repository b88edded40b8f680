# shellcheck shell=bash
# Redis from Debian's redis-server, one instance per port under <repo>/.services/redis-<port>/
# (git-ignored): redis.pid, redis.log, working dir. No persistence (save "" and no AOF).
# Sourced by scripts/services.sh, which defines ROOT and the helpers of scripts/lib/common.sh.

redis_vars() {
  REDIS_PORT="${REDIS_PORT:-6379}"
  [[ "$REDIS_PORT" =~ ^[0-9]+$ ]] || die "REDIS_PORT must be a number, got '$REDIS_PORT'"
  REDIS_DIR="$ROOT/.services/redis-$REDIS_PORT"
  REDIS_PIDFILE="$REDIS_DIR/redis.pid"
  REDIS_START_TIMEOUT="${REDIS_START_TIMEOUT:-20}"
}

redis_setup() {
  apt_install redis-server
  command -v redis-server >/dev/null || die "redis-server not found on PATH after installing the Debian package"
}

redis_ping() { [[ "$(timeout 3 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null)" == PONG ]]; }

redis_running_pid() {
  local pid
  pid="$(read_pid "$REDIS_PIDFILE")"
  if pid_alive "$pid" && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "redis-server.*:$REDIS_PORT"; then
    echo "$pid"
  fi
}

redis_start() {
  redis_vars
  local t0 pid
  t0=$(now)
  mkdir -p "$REDIS_DIR"
  pid="$(redis_running_pid)"
  if [[ -n "$pid" ]]; then
    log "redis: already running on 127.0.0.1:$REDIS_PORT (pid $pid)"
    return 0
  fi
  redis_setup
  if port_listening "$REDIS_PORT"; then
    die "port $REDIS_PORT is already used by another process ($(port_owner "$REDIS_PORT")); stop it or set REDIS_PORT"
  fi
  rm -f "$REDIS_PIDFILE"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --protected-mode yes \
    --daemonize yes --pidfile "$REDIS_PIDFILE" --logfile "$REDIS_DIR/redis.log" --dir "$REDIS_DIR" \
    --save '' --appendonly no --databases 16 \
    || die "redis-server failed to start (see $REDIS_DIR/redis.log)"
  local deadline=$(($(date +%s) + REDIS_START_TIMEOUT))
  until redis_ping; do
    if (($(date +%s) >= deadline)); then
      tail -n 20 "$REDIS_DIR/redis.log" >&2 2>/dev/null || true
      die "redis on port $REDIS_PORT did not answer PING within ${REDIS_START_TIMEOUT}s (log: $REDIS_DIR/redis.log)"
    fi
    sleep 0.1
  done
  log "redis: ready on 127.0.0.1:$REDIS_PORT in $(since "$t0") (pid $(read_pid "$REDIS_PIDFILE"), log $REDIS_DIR/redis.log)"
}

redis_stop() {
  redis_vars
  local t0 pid
  t0=$(now)
  pid="$(redis_running_pid)"
  if [[ -z "$pid" ]]; then
    rm -f "$REDIS_PIDFILE"
    log "redis: not running (port $REDIS_PORT)"
    return 0
  fi
  timeout 5 redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || kill -TERM "$pid" 2>/dev/null || true
  if ! wait_pid_exit "$pid" 10; then
    log "redis: pid $pid still running after 10s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_exit "$pid" 5 || die "could not kill redis pid $pid"
  fi
  rm -f "$REDIS_PIDFILE"
  log "redis: stopped pid $pid (port $REDIS_PORT) in $(since "$t0")"
}

redis_status() {
  redis_vars
  local d pid found=0
  for d in "$ROOT/.services"/redis-*; do
    [[ -d "$d" ]] || continue
    found=1
    pid="$(read_pid "$d/redis.pid")"
    if pid_alive "$pid"; then
      echo "redis  port ${d##*/redis-}  running (pid $pid)  $d"
    else
      echo "redis  port ${d##*/redis-}  stopped  $d"
    fi
  done
  ((found)) || echo "redis  no instance under $ROOT/.services"
}
