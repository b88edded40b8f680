#!/usr/bin/env bash
# Lints and format-checks the Python trainer with Ruff (settings: models/pyproject.toml, [tool.ruff]).
# Needs the venv from scripts/setup-python.sh (its `dev` extra installs ruff). Exit code != 0 on any finding.
# To fix what can be fixed: models/.venv/bin/ruff check --fix models && models/.venv/bin/ruff format models
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUFF="${RUFF:-$ROOT/models/.venv/bin/ruff}"
cd "$ROOT"
"$RUFF" check models
"$RUFF" format --check models
