# shellcheck shell=bash
# Helpers shared by scripts/services.sh and scripts/setup-system.sh (sourced, not run).

: "${TG_LOG_TAG:=services}"

# Seconds since the epoch with microseconds (bash 5's EPOCHREALTIME, else date).
now() { if [[ -n "${EPOCHREALTIME:-}" ]]; then echo "${EPOCHREALTIME/,/.}"; else date +%s.%N; fi; }

# since START -> "12.3s"
since() { awk -v s="$1" -v e="$(now)" 'BEGIN { printf "%.1fs", e - s }'; }

log() { printf '[%s %s] %s\n' "$TG_LOG_TAG" "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { printf '[%s %s] ERROR: %s\n' "$TG_LOG_TAG" "$(date -u +%H:%M:%S)" "$*" >&2; exit 1; }

# port_listening PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_listening() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# port_owner PORT: a one-line description of the process listening on PORT (best effort).
port_owner() {
  local out=""
  if command -v ss >/dev/null 2>&1; then
    out="$(ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n1)"
  fi
  echo "${out:-unknown process}"
}

# pid_alive PID: the process exists and is not a zombie.
pid_alive() {
  local pid="$1" state
  [[ -n "$pid" && "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  state="$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || true)"
  [[ "$state" != "Z" ]]
}

# read_pid FILE: prints the pid stored in FILE, or nothing.
read_pid() { if [[ -f "$1" ]]; then tr -dc '0-9' <"$1"; fi; }

# wait_pid_exit PID SECONDS: true when PID has exited within SECONDS.
wait_pid_exit() {
  local pid="$1" deadline
  deadline=$(($(date +%s) + $2))
  while pid_alive "$pid"; do
    (($(date +%s) >= deadline)) && return 1
    sleep 0.2
  done
  return 0
}

# apt_install PKG...: installs the Debian packages that are missing (quietly, non-interactive).
apt_install() {
  local missing=() p t0
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) -eq 0 ]] || die "missing Debian packages: ${missing[*]}; run as root: apt-get install -y ${missing[*]}"
  command -v apt-get >/dev/null || die "missing packages ${missing[*]} and no apt-get on this machine"
  t0=$(now)
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists when they are absent or older than a day.
  if [[ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*_Packages*' -mmin -1440 2>/dev/null | head -n1)" ]]; then
    apt-get update -qq >/dev/null || die "apt-get update failed"
  fi
  if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/tg-apt-install.log 2>&1; then
    # Lists younger than a day can still name versions the mirror no longer has: refresh, retry once.
    apt-get update -qq >/dev/null 2>&1 || true
    if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/tmp/tg-apt-install.log 2>&1; then
      tail -n 20 /tmp/tg-apt-install.log >&2
      die "apt-get install ${missing[*]} failed (log: /tmp/tg-apt-install.log)"
    fi
  fi
  log "installed ${missing[*]} in $(since "$t0")"
}
