#!/usr/bin/env bash
# `make demo`: the main job on the embedded default, shown step by step.
set -uo pipefail
cd "$(dirname "$0")/.."
KCTL=.venv/bin/kctl

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; "$@"; }

step "$KCTL" lint -R samples/shop --summary --verbose
step "$KCTL" lint samples/broken --summary
echo "(exit status $? — lint fails when a manifest would be rejected)"
exit 0
