#!/usr/bin/env bash
# Sets up everything TasteGraph needs on a fresh Debian machine; idempotent and quick on reruns:
# system packages (redis-server, chromium), npm dependencies, the TypeScript build, the Python
# trainer venv (PyTorch from PyPI), and the Neo4j server jars from Maven Central.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
t0=$(date +%s)
step() { printf '[setup %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

step "system packages"
bash scripts/setup-system.sh

# npm ci only when package-lock.json changed since the last install (stamp inside node_modules).
lock_hash="$(sha256sum package-lock.json | cut -d' ' -f1)"
if [[ ! -f node_modules/.tastegraph-stamp || "$(cat node_modules/.tastegraph-stamp)" != "$lock_hash" ]]; then
  step "npm ci (onnxruntime-node's CUDA download skipped; better-sqlite3 builds natively)"
  ONNXRUNTIME_NODE_INSTALL=skip npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.tastegraph-stamp
else
  step "node_modules up to date"
fi

step "build (tsc, and the web explorer's bundle with Vite into dist/explorer)"
npm run build

step "python trainer venv"
bash scripts/setup-python.sh

step "neo4j jars"
bash scripts/services.sh setup

step "done in $(( $(date +%s) - t0 )) s"
