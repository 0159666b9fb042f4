#!/usr/bin/env bash
# Set up (first time) and run the care desk:
#   bash scripts/run.sh --sandbox     # everything local, no accounts needed
#   bash scripts/run.sh               # real Slack and X, settings from .env
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python app.py "$@"
